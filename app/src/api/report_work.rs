//! The city hall's work on reports: status changes and answers, bulk changes, pins,
//! moderation and the staff queue.

// A server function mirrors its HTML form, one argument per field.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::{Page, ReportSummary};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::reports::{after_change, locale_of};
#[cfg(feature = "ssr")]
use crate::{
    api::auth::require_user,
    error::{FieldError, Problem},
    model::input::{self, Fields},
    model::{LatLng, ReportFilter, ReportQuery, ReportSort, ReportStatus, StaffFilter, Viewer},
    store::{request_locality, services, ModerationTarget, StatusChange},
};

/// Parses an optional id from a form (`""` is none; `#12` and a report's address work too).
#[cfg(feature = "ssr")]
fn optional_id(field: &str, value: &str) -> Result<Option<i64>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let digits = v.rsplit(['/', '#']).next().unwrap_or(v);
    digits.parse::<i64>().map(Some).map_err(|_| FieldError::new(field, Problem::Invalid))
}

#[cfg(feature = "ssr")]
async fn apply_change(
    viewer: &Viewer,
    report_id: i64,
    status: &str,
    department_id: &str,
    duplicate_of: &str,
    body: &str,
) -> Result<(), AppError> {
    let store = services()?.store;
    let access = store.report_access(report_id).await?;
    if !viewer.can_handle_report(access.locality_id, &access.departments) {
        return Err(AppError::Forbidden);
    }
    let mut fields = Fields::default();
    let to = match status.trim() {
        "" => None,
        s => match ReportStatus::parse(s) {
            Some(st) => Some(st),
            None => {
                fields.push("status", Problem::Invalid);
                None
            }
        },
    };
    let department_id = fields.check(optional_id("department_id", department_id)).flatten();
    let duplicate_of = fields.check(optional_id("duplicate_of", duplicate_of)).flatten();
    let body = fields.check(input::text("body", body, 0, 4000)).unwrap_or_default();
    fields.finish()?;
    let change = StatusChange { report_id, to, department_id, duplicate_of, body };
    Ok(store.change_status(viewer, &change).await?)
}

/// Staff: move a report to another status (or answer it keeping the status, `status` empty).
#[server(prefix = "/api", endpoint = "reports/status")]
pub async fn change_report_status(
    report_id: i64,
    status: String,
    department_id: String,
    duplicate_of: String,
    body: String,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            apply_change(&viewer, report_id, &status, &department_id, &duplicate_of, &body).await?;
            super::redirect(&after_change(locale_of(&lang), report_id, "updated"));
            Ok(())
        }
        .await,
    )
}

/// What a bulk change did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BulkOutcome {
    pub changed: Vec<i64>,
    /// Reports left as they were, with why.
    pub refused: Vec<(i64, AppError)>,
}

/// Staff: the same change on several reports; each is checked and applied on its own.
#[server(prefix = "/api", endpoint = "reports/bulk-status")]
pub async fn bulk_change_status(
    ids: Option<Vec<i64>>,
    status: String,
    department_id: String,
    body: String,
    lang: String,
    locality: Option<String>,
) -> Result<BulkOutcome, AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            // The queue this form comes from is its site's locality's.
            let locality = request_locality(locality.as_deref()).await?;
            if !viewer.is_staff_of(locality.id) {
                return Err(AppError::Forbidden);
            }
            let ids = ids.unwrap_or_default();

            if ids.is_empty() {
                return Err(AppError::invalid("ids", Problem::Required));
            }
            let mut outcome = BulkOutcome { changed: Vec::new(), refused: Vec::new() };
            for id in ids.into_iter().take(200) {
                match apply_change(&viewer, id, &status, &department_id, "", &body).await {
                    Ok(()) => outcome.changed.push(id),
                    Err(e) => outcome.refused.push((id, e)),
                }
            }
            let _ = lang;
            Ok(outcome)
        }
        .await,
    )
}

/// Staff: place (or move) a report's pin.
#[server(prefix = "/api", endpoint = "reports/location")]
pub async fn set_report_location(
    report_id: i64,
    lat: String,
    lng: String,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            let store = services()?.store;
            let access = store.report_access(report_id).await?;
            if !viewer.can_handle_report(access.locality_id, &access.departments) {
                return Err(AppError::Forbidden);
            }
            let at = match (
                lat.trim().replace(',', ".").parse(),
                lng.trim().replace(',', ".").parse(),
            ) {
                (Ok(lat), Ok(lng)) => LatLng::new(lat, lng).ok(),
                _ => None,
            }
            .ok_or_else(|| AppError::invalid("location", Problem::Invalid))?;
            let locality = store.locality(access.locality_id).await?;
            if locality.boundary.0.len() >= 3 && !locality.boundary.contains(at) {
                return Err(AppError::invalid("location", Problem::OutsideBoundary));
            }
            store.set_location(&viewer, report_id, at).await?;
            super::redirect(&after_change(locale_of(&lang), report_id, "updated"));
            Ok(())
        }
        .await,
    )
}

/// Moderators: hide (or show again) a comment, photo or report, with a public reason.
#[server(prefix = "/api", endpoint = "reports/moderate")]
pub async fn moderate(
    kind: String,
    id: i64,
    hide: bool,
    reason: String,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            let target = match kind.as_str() {
                "comment" => ModerationTarget::Comment(id),
                "photo" => ModerationTarget::Photo(id),
                "report" => ModerationTarget::Report(id),
                _ => return Err(AppError::invalid("kind", Problem::Invalid)),
            };
            let store = services()?.store;
            let locality = store.moderation_locality(target).await?;
            if !viewer.can_moderate(locality) {
                return Err(AppError::Forbidden);
            }
            let reason = input::text("reason", &reason, 3, 300)
                .map_err(|e| AppError::Validation(vec![e]))?;
            let report = store.moderate(&viewer, target, hide, &reason).await?;
            // The report's page shows the change (a hidden report keeps its page, with the
            // reason); moderators have no queue of their own.
            super::redirect(&after_change(locale_of(&lang), report, "updated"));
            Ok(())
        }
        .await,
    )
}

/// The staff queue: reports of one locality, oldest first by default.
#[server(prefix = "/api", endpoint = "staff/queue", input = GetUrl)]
pub async fn staff_queue(
    status: Option<String>,
    category: Option<String>,
    department: Option<String>,
    waiting: Option<String>,
    needs_location: Option<bool>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<u32>,
    locality: Option<String>,
) -> Result<StaffQueuePage, AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            let store = services()?.store;
            let locality = request_locality(locality.as_deref()).await?;
            if !viewer.is_staff_of(locality.id) {
                return Err(AppError::Forbidden);
            }
            // A clerk sees the reports of their department unless they ask for all of them.
            let own_department = viewer.staff_department(locality.id);
            let department = match department.as_deref().map(str::trim) {
                None | Some("") => own_department,
                Some("all") => None,
                Some(id) => Some(
                    id.parse::<i64>()
                        .map_err(|_| AppError::invalid("department", Problem::Invalid))?,
                ),
            };
            let status = status.filter(|s| !s.is_empty()).unwrap_or_else(|| "new".to_owned());
            let status = if status == "all" { None } else { Some(status) };
            let query = ReportQuery {
                filter: ReportFilter::from_query(category.as_deref(), status.as_deref())
                    .with_extras(None, None, q.as_deref()),
                sort: sort.as_deref().map_or(ReportSort::Oldest, ReportSort::parse),
                page: page.unwrap_or(0).min(10_000),
                per_page: 50,
                staff: Some(StaffFilter {
                    locality_id: locality.id,
                    department_id: department,
                    waiting_days: waiting
                        .as_deref()
                        .and_then(|w| w.parse().ok())
                        .filter(|d| *d > 0),
                    needs_location: needs_location.unwrap_or(false),
                }),
                ..ReportQuery::default()
            };
            let page = store.list_reports(&query).await?;
            let departments = store.departments(locality.id).await?;
            // Rows of other departments are shown for reading only.
            let read_only = page
                .items
                .iter()
                .filter(|r| {
                    let category = locality.categories.iter().find(|c| c.slug == r.category);
                    let handlers: Vec<i64> = departments
                        .iter()
                        .filter(|d| category.is_some_and(|c| d.category_ids.contains(&c.id)))
                        .map(|d| d.id)
                        .collect();
                    !viewer.can_handle_report(locality.id, &handlers)
                })
                .map(|r| r.id)
                .collect();
            Ok(StaffQueuePage { page, departments, department, own_department, read_only })
        }
        .await,
    )
}

/// A page of the staff queue and the departments to filter and assign by.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffQueuePage {
    pub page: Page<ReportSummary>,
    pub departments: Vec<crate::model::admin::Department>,
    /// The department whose reports are shown; `None` for all.
    pub department: Option<i64>,
    /// The viewer's own department (clerks), shown by default.
    pub own_department: Option<i64>,
    /// Reports on this page that the viewer may read but not change.
    pub read_only: Vec<i64>,
}
