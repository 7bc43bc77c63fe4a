//! A resident's proposal to the civic budget, with its photos: sent, kept as a draft, or
//! changed by its author until the proposals phase ends or staff review it. One multipart form
//! that works as a plain HTML post and comes back with what was typed when refused.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use crate::{
    api::auth::require_user,
    api::budget::edition_page,
    api::upload::{save_photos, stems, UploadForm},
    error::Problem,
    model::civic_budget::DIRECTIONS,
    model::input::{self, Fields},
    store::{check_rate, services, Limit, NewProposal, PhotoChange},
};

/// The proposal form's text fields that come back to it after a refusal.
pub const PROPOSE_FORM_FIELDS: [&str; 10] = [
    "budget_id",
    "title",
    "description",
    "written_in",
    "cost",
    "direction",
    "lat",
    "lng",
    "mixed_team",
    "cohesion_actions",
];

/// A signed-in resident's proposal (multipart form: `edition`, `budget_id`, `title`,
/// `description`, `written_in`, `cost`, `direction`, `lat`, `lng`, `mixed_team`,
/// `cohesion_actions`, `lang`, files in `photos`; `draft` keeps it unsubmitted). With
/// `proposal_id`, the author's changes to it (its budget stays), where `remove_photo_{id}`
/// removes one of its photos.
#[server(prefix = "/api", endpoint = "budget/propose", input = MultipartFormData)]
pub async fn propose_project(data: MultipartData) -> Result<i64, AppError> {
    super::reply(
        async {
            let max_bytes = services()?.media.max_photo_bytes();
            let mut form = super::upload::read_upload(data, "photos", max_bytes).await?;
            let result = proposal_from(&mut form).await;
            if let Err(err) = &result {
                send_back(&form, err).await;
            }
            result
        }
        .await,
    )
}

/// Sends a refused form back to its page (without script) with what was typed.
#[cfg(feature = "ssr")]
async fn send_back(form: &UploadForm, err: &AppError) {
    let Ok(locality) = super::budget::budget_locality().await else { return };
    let Ok(services) = services() else { return };
    let Ok(detail) = services.store.edition(locality, form.get("edition")).await else { return };
    let Ok(page) = edition_page(form.get("lang"), &detail.edition).await else { return };
    let page = match form.get("proposal_id").trim().parse::<i64>() {
        Ok(id) => format!("{page}/propose?edit={id}"),
        Err(_) => format!("{page}/propose"),
    };
    let typed = form
        .fields()
        .filter(|(k, _)| PROPOSE_FORM_FIELDS.contains(k))
        .chain(form.file_names.iter().map(|n| ("photo", n.as_str())));
    super::back_to_form(<ProposeProject as leptos::server_fn::ServerFn>::PATH, &page, err, typed);
}

#[cfg(feature = "ssr")]
async fn proposal_from(form: &mut UploadForm) -> Result<i64, AppError> {
    let (_, user_id) = require_user()?;
    let services = services()?;
    let number = |name: &'static str| {
        form.get(name).trim().parse::<i64>().map_err(|_| AppError::invalid(name, Problem::Invalid))
    };
    let budget_id = number("budget_id")?;
    let proposal_id = match form.get("proposal_id").trim() {
        "" => None,
        _ => Some(number("proposal_id")?),
    };
    // The budget says which edition, and so which locality, the project is for.
    let owner = services
        .store
        .budget_edition(budget_id)
        .await
        .map_err(|_| AppError::invalid("budget_id", Problem::Invalid))?
        .0;
    let detail = services.store.edition(owner.locality_id, form.get("edition")).await?;
    let locality = services.store.locality(owner.locality_id).await?;
    let page = edition_page(form.get("lang"), &detail.edition).await?;
    if detail.edition.id != owner.id || !detail.budgets.iter().any(|b| b.id == budget_id) {
        return Err(AppError::invalid("budget_id", Problem::Invalid));
    }
    // Only the author changes a proposal, and only in the budget it was made for.
    let existing = match proposal_id {
        Some(id) => {
            let proposal =
                detail.proposals.iter().find(|p| p.id == id).ok_or(AppError::NotFound)?;
            if proposal.author_id != Some(user_id) {
                return Err(AppError::Forbidden);
            }
            if proposal.budget_id != budget_id {
                return Err(AppError::invalid("budget_id", Problem::Invalid));
            }
            Some(proposal)
        }
        None => None,
    };
    let mut fields = Fields::default();
    let title = fields.check(input::line("title", form.get("title"), 5, 150));
    let description = fields.check(input::text("description", form.get("description"), 20, 6000));
    let written_in = crate::locale::parse(form.get("written_in"));
    if written_in.is_none() {
        fields.push("written_in", Problem::Invalid);
    }
    let cost = match form.get("cost").trim().replace([' ', '.'], "").parse::<u64>() {
        Ok(c) if c > 0 => Some(c),
        _ => {
            fields.push("cost", Problem::Invalid);
            None
        }
    };
    let direction = form.get("direction").to_owned();
    if !DIRECTIONS.contains(&direction.as_str()) {
        fields.push("direction", Problem::Invalid);
    }
    let at = fields
        .check(input::position(form.get("lat"), form.get("lng"), &locality.boundary))
        .flatten();
    // Photos: what is kept of the old ones and the new ones together, within the limit.
    let removed: Vec<i64> = form
        .fields()
        .filter(|(_, v)| *v == "on")
        .filter_map(|(k, _)| k.strip_prefix("remove_photo_")?.parse().ok())
        .collect();
    let kept = existing.map_or(0, |p| p.photos.iter().filter(|f| !removed.contains(&f.id)).count());
    if kept + form.files.len() > crate::model::civic_budget::MAX_PROPOSAL_PHOTOS {
        fields.push("photos", Problem::TooManyImages);
    }
    if let Some(p) = form.file_problem() {
        fields.push("photos", p);
    }
    fields.finish()?;
    let (Some(title), Some(description), Some(written_in), Some(cost)) =
        (title, description, written_in, cost)
    else {
        return Err(AppError::Internal);
    };
    let on = |name: &str| matches!(form.get(name), "on" | "true");
    let proposal = NewProposal {
        budget_id,
        author_id: user_id,
        lang: written_in.to_string(),
        title,
        description,
        cost,
        at,
        direction,
        mixed_team: on("mixed_team"),
        cohesion_actions: on("cohesion_actions"),
        draft: on("draft"),
    };
    if proposal_id.is_none() {
        // Counted once the form is sound: a refused form costs no allowance.
        check_rate(Limit::LaunchInitiative, Some(&user_id.to_string())).await?;
    }
    let files = std::mem::take(&mut form.files);
    let added = save_photos(services.media.as_ref(), files, "photos").await?;
    let new_stems = stems(&added);
    let saved = match proposal_id {
        Some(id) => {
            let change = PhotoChange { added, removed };
            services.store.update_proposal(id, &proposal, &change).await.map(|gone| (id, gone))
        }
        None => services.store.create_proposal(proposal, &added).await.map(|id| (id, Vec::new())),
    };
    match saved {
        Ok((id, gone)) => {
            // The removed photos' files go once the change is saved.
            services.media.discard(&gone).await;
            super::redirect(&format!("{page}/projects/{id}?proposed=1"));
            Ok(id)
        }
        Err(err) => {
            services.media.discard(&new_stems).await;
            Err(err.into())
        }
    }
}
