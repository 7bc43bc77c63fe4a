//! The implementation of funded civic-budget projects: staff keep each project's status,
//! progress, department and actual cost, and add dated milestones with an optional photo.

// A server function mirrors its HTML form, one argument per field.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use crate::{
    api::auth::require_user,
    error::{FieldError, Problem},
    model::budget_works::{consistent, NewMilestone, WorkStatus, WorkUpdate},
    model::input::{self, Fields},
    model::Viewer,
    store::services,
};

/// The longest milestone text.
pub const MILESTONE_MAX_CHARS: usize = 2000;

/// Staff of the project's locality may change its implementation; the project's page is
/// where the form came from and where the browser goes back to.
#[cfg(feature = "ssr")]
async fn project_page(viewer: &Viewer, proposal_id: i64, lang: &str) -> Result<String, AppError> {
    let store = services()?.store;
    let locality = store.work_locality(proposal_id).await?;
    if !viewer.is_staff_of(locality) {
        return Err(AppError::Forbidden);
    }
    let edition = store.proposal_edition(proposal_id).await?;
    let page = super::budget::edition_page(lang, &edition).await?;
    Ok(format!("{page}/projects/{proposal_id}"))
}

/// Reads a whole number in `0..=max` from a form, `None` when empty.
#[cfg(feature = "ssr")]
fn whole(field: &str, value: &str, max: u64) -> Result<Option<u64>, FieldError> {
    match value.trim().replace([' ', '\u{a0}'], "").as_str() {
        "" => Ok(None),
        v => v
            .parse::<u64>()
            .ok()
            .filter(|n| *n <= max)
            .map(Some)
            .ok_or_else(|| FieldError::new(field, Problem::Invalid)),
    }
}

/// Staff: where a funded project's implementation stands.
#[server(prefix = "/api", endpoint = "budget/work")]
pub async fn update_work(
    proposal_id: i64,
    status: String,
    progress: String,
    department_id: String,
    actual_cost: String,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            let page = project_page(&viewer, proposal_id, &lang).await?;
            let mut fields = Fields::default();
            let status = WorkStatus::parse(status.trim());
            if status.is_none() {
                fields.push("status", Problem::Invalid);
            }
            let progress = fields.check(whole("progress", &progress, 100)).flatten();
            let department_id =
                fields.check(whole("department_id", &department_id, i64::MAX as u64)).flatten();
            let actual_cost =
                fields.check(whole("actual_cost", &actual_cost, i64::MAX as u64)).flatten();
            fields.finish()?;
            let Some(status) = status else { return Err(AppError::Internal) };
            // A done project is at 100 % and a planned one at 0 % unless staff say otherwise.
            let progress = match (status, progress) {
                (_, Some(p)) => u8::try_from(p).unwrap_or(100),
                (WorkStatus::Done, None) => 100,
                (_, None) => 0,
            };
            if !consistent(status, progress) {
                return Err(AppError::invalid("progress", Problem::InvalidTransition));
            }
            let update = WorkUpdate {
                proposal_id,
                status,
                progress,
                department_id: department_id.and_then(|d| i64::try_from(d).ok()),
                actual_cost,
            };
            services()?.store.update_work(&viewer, &update).await?;
            super::redirect(&format!("{page}?work_updated=1"));
            Ok(())
        }
        .await,
    )
}

/// The milestone form's text fields that come back to it after a refusal.
pub const MILESTONE_FORM_FIELDS: [&str; 2] = ["on", "body"];

/// Staff: a dated milestone of a funded project, with an optional photo (multipart form:
/// `proposal_id`, `on` as `YYYY-MM-DD`, `body`, `written_in`, `lang`, `photo`).
#[server(prefix = "/api", endpoint = "budget/milestone", input = MultipartFormData)]
pub async fn add_milestone(data: MultipartData) -> Result<i64, AppError> {
    super::reply(
        async {
            let services = services()?;
            let max_bytes = services.media.max_photo_bytes();
            let mut form = super::upload::read_upload(data, "photo", max_bytes).await?;
            let result = milestone_from(&mut form).await;
            if let (Err(err), Ok(proposal_id)) = (&result, form.get("proposal_id").parse::<i64>()) {
                if let Ok((viewer, _)) = require_user() {
                    if let Ok(page) = project_page(&viewer, proposal_id, form.get("lang")).await {
                        let typed = form
                            .fields()
                            .filter(|(k, _)| MILESTONE_FORM_FIELDS.contains(k))
                            .chain(form.file_names.iter().map(|n| ("photo", n.as_str())));
                        super::back_to_form(
                            <AddMilestone as leptos::server_fn::ServerFn>::PATH,
                            &page,
                            err,
                            typed,
                        );
                    }
                }
            }
            result
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn milestone_from(form: &mut super::upload::UploadForm) -> Result<i64, AppError> {
    let services = services()?;
    let (viewer, _) = require_user()?;
    let proposal_id = form
        .get("proposal_id")
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::invalid("proposal_id", Problem::Invalid))?;
    let page = project_page(&viewer, proposal_id, form.get("lang")).await?;
    let mut fields = Fields::default();
    if form.files.len() > 1 {
        fields.push("photo", Problem::TooManyImages);
    }
    if let Some(p) = form.file_problem() {
        fields.push("photo", p);
    }
    let on = match form.get("on").trim() {
        "" => {
            fields.push("on", Problem::Required);
            None
        }
        v => {
            let day = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
            // Milestones record what happened: not in the future, not before the year 2000.
            let today = crate::format::local_date(chrono::Utc::now());
            let sound = day.filter(|d| *d <= today && chrono::Datelike::year(d) >= 2000);
            if sound.is_none() {
                fields.push("on", Problem::Invalid);
            }
            sound
        }
    };
    let body = fields.check(input::text("body", form.get("body"), 3, MILESTONE_MAX_CHARS));
    let written_in = match form.get("written_in") {
        "" => form.get("lang").to_owned(),
        w => w.to_owned(),
    };
    if crate::locale::parse(&written_in).is_none() {
        fields.push("written_in", Problem::Invalid);
    }
    fields.finish()?;
    let (Some(on), Some(body)) = (on, body) else { return Err(AppError::Internal) };
    let photo = match form.files.pop() {
        Some(bytes) => match services.media.save_photo(bytes).await {
            Ok(saved) => Some(saved.stem),
            Err(problem) => {
                return Err(AppError::Validation(vec![FieldError::new("photo", problem)]))
            }
        },
        None => None,
    };
    let milestone =
        NewMilestone { proposal_id, on, lang: written_in, body, photo_stem: photo.clone() };
    match services.store.add_milestone(&viewer, &milestone).await {
        Ok(id) => {
            super::redirect(&format!("{page}?milestone_added=1#milestone-{id}"));
            Ok(id)
        }
        Err(err) => {
            services.media.discard(&photo.into_iter().collect::<Vec<_>>()).await;
            Err(err.into())
        }
    }
}

/// The city map's layer of funded projects being implemented (public): each project's place,
/// title and, in `lang`, its status and progress and the link to its page.
#[server(prefix = "/api", endpoint = "budget/places", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_project_marks(
    lang: String,
    locality: Option<String>,
) -> Result<crate::model::budget_works::ProjectMarks, AppError> {
    use crate::model::budget_works::{ProjectMark, ProjectMarks};
    super::reply(
        async {
            let l = crate::locale::parse(&lang).unwrap_or(crate::i18n::Locale::ro);
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            let places = services()?.store.funded_places(locality.id).await?;
            let marks = places
                .into_iter()
                .map(|p| {
                    let percent =
                        crate::i18n::td_string!(l, budget_works.percent, value = p.progress);
                    let status = crate::components::status::work_status_label(l, p.status);
                    let rest = format!("/budget/{}/projects/{}", p.edition_slug, p.proposal_id);
                    ProjectMark {
                        at: p.at,
                        title: p.title,
                        lang: p.lang,
                        // "100 %" never breaks between the number and its sign.
                        caption: format!("{status} · {}", percent.replace(" %", "\u{a0}%")),
                        href: crate::paths::locality_page(&locality, l, &rest),
                        status: p.status,
                    }
                })
                .collect();
            let open = crate::i18n::td_string!(l, budget_works.open_project).to_owned();
            Ok(ProjectMarks { open, marks })
        }
        .await,
    )
}
