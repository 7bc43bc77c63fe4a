//! Reports: creating, reading, supporting, commenting, following, and the city hall's work.

// A server function mirrors its HTML form, one argument per field.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::{Page, ReportDetail, ReportSummary};
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    api::auth::{current_viewer, require_user},
    error::Problem,
    i18n::{td_string, Locale},
    model::input::{self, Email, Fields},
    model::{LatLng, Locality, ReportFilter, ReportQuery, ReportSort},
    store::{check_rate, request_locality, services, Limit, MailTemplate, NewReport},
};

/// How many reports one page of a list shows.
pub const PER_PAGE: u32 = 20;
/// "Is this the same problem?" looks this far around the pin.
pub const NEARBY_METRES: f64 = 50.0;
pub const MAX_PHOTOS: usize = 5;

/// A report's page as the viewer may see it, with what they may do on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub report: ReportDetail,
    pub can_handle: bool,
    pub can_moderate: bool,
    /// The locality's departments (staff only), for the "accepted" form.
    pub departments: Vec<crate::model::admin::Department>,
    /// The viewer's own department, preselected for "accepted" when the report has none.
    pub viewer_department: Option<i64>,
    /// For staff of the locality who may not change this report: the departments that may
    /// (empty when none handles its category), so the page can say whom it belongs to.
    pub handled_by: Option<Vec<String>>,
}

#[cfg(feature = "ssr")]
pub(super) fn locale_of(lang: &str) -> Locale {
    crate::locale::parse(lang).unwrap_or(Locale::ro)
}

/// Creates a report from the multipart form of the "Report a problem" page.
#[server(prefix = "/api", endpoint = "reports/create", input = MultipartFormData)]
pub async fn create_report(data: MultipartData) -> Result<i64, AppError> {
    super::reply(
        async {
            let services = services()?;
            let max_bytes = services.media.max_photo_bytes();
            let mut form = super::upload::read_upload(data, "photos", max_bytes).await?;
            let result = create_from(&mut form).await;
            if let Err(err) = &result {
                let form_page = match request_locality(Some(form.get("locality"))).await {
                    Ok(locality) => crate::paths::locality_page(
                        &locality,
                        locale_of(form.get("lang")),
                        "/reports/new",
                    ),
                    Err(_) => crate::paths::page(locale_of(form.get("lang")), "/reports/new"),
                };
                // Sent back to the form without WASM: everything typed comes back with the
                // error, and the photos, which a page cannot refill, are named.
                let typed = form
                    .fields()
                    .filter(|(k, _)| REPORT_FORM_FIELDS.contains(k))
                    .chain(form.file_names.iter().map(|n| ("photo", n.as_str())));
                super::back_to_form(
                    <CreateReport as leptos::server_fn::ServerFn>::PATH,
                    &form_page,
                    err,
                    typed,
                );
            }
            result
        }
        .await,
    )
}

/// The report form's fields that come back to it after a refusal.
pub const REPORT_FORM_FIELDS: [&str; 11] = [
    "category",
    "title",
    "description",
    "address",
    "lat",
    "lng",
    "name",
    "email",
    "show_name",
    "for_visitor",
    "contact",
];

#[cfg(feature = "ssr")]
async fn create_from(form: &mut super::upload::UploadForm) -> Result<i64, AppError> {
    let services = services()?;
    let mut fields = Fields::default();
    if form.files.len() > MAX_PHOTOS {
        fields.push("photos", Problem::TooManyImages);
    }
    if let Some(p) = form.file_problem() {
        fields.push("photos", p);
    }
    let photos = std::mem::take(&mut form.files);
    let get = |k: &str| form.get(k);
    let locale = locale_of(get("lang"));
    let viewer = current_viewer();

    let locality = request_locality(Some(get("locality"))).await?;
    let checked = check_report(&locality, &get, &mut fields);
    // Filed at the desk for a visitor: only the locality's staff may; the visitor's way to be
    // reached (a phone or an address) is kept for staff, and an address also gets the mail.
    let for_visitor = matches!(get("for_visitor"), "on" | "true");
    if for_visitor && !viewer.is_staff_of(locality.id) {
        return Err(AppError::Forbidden);
    }
    let contact = if for_visitor {
        fields.check(input::optional_text("contact", Some(get("contact")), 120)).flatten()
    } else {
        None
    };
    fields.finish()?;
    let Some(CheckedReport { category_id, title, description, address, name, email, position }) =
        checked
    else {
        return Err(AppError::Internal);
    };
    // Counted once the form is sound: a refused form costs no allowance. The desk files for
    // many people in a day and is not counted.
    if !for_visitor {
        check_rate(Limit::CreateReport, viewer.user_id().map(|id| id.to_string()).as_deref())
            .await?;
    }

    // Every photo must pass before anything is stored.
    let saved = super::upload::save_photos(services.media.as_ref(), photos, "photos").await?;
    let reporter = if for_visitor { None } else { viewer.user.as_ref() };
    let visitor_email =
        contact.as_deref().and_then(|c| Email::parse("contact", c).ok()).map(Email::into_inner);
    let report = NewReport {
        locality_id: locality.id,
        category_id,
        title,
        description,
        at: position.unwrap_or(locality.centre),
        location_confirmed: position.is_some(),
        address,
        reporter_id: reporter.map(|u| u.id),
        reporter_name: name.or_else(|| reporter.map(|u| u.display_name.clone())),
        reporter_email: if reporter.is_some() { None } else { email.or(visitor_email) },
        show_name: get("show_name") == "on" || get("show_name") == "true",
        lang: locale.to_string(),
        assisted_by: if for_visitor { viewer.user_id() } else { None },
        visitor_contact: contact,
    };
    let mail = subscription_mail(&services.site.public_url, locale);
    match services.store.create_report(report, &saved, Some(mail)).await {
        Ok(id) => {
            let page = format!("/reports/{id}?created=1");
            super::redirect(&crate::paths::locality_page(&locality, locale, &page));
            Ok(id)
        }
        Err(err) => {
            services.media.discard(&super::upload::stems(&saved)).await;
            Err(err.into())
        }
    }
}

/// A report's fields once they passed the form's rules.
#[cfg(feature = "ssr")]
pub struct CheckedReport {
    pub category_id: i64,
    pub title: String,
    pub description: String,
    pub address: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    /// `None` when no pin was given (the address says where; staff place the pin).
    pub position: Option<LatLng>,
}

/// The rules a new report meets however it arrives (the form, Open311): a category of the
/// locality, text limits, a pin inside the boundary or else an address. `get` reads the form's
/// fields by name (`category`, `title`, `description`, `address`, `name`, `email`, `lat`,
/// `lng`); every problem goes into `fields`, which the caller then finishes before using the
/// `Some` it gets when the required fields passed.
#[cfg(feature = "ssr")]
pub fn check_report<'a>(
    locality: &Locality,
    get: &impl Fn(&str) -> &'a str,
    fields: &mut Fields,
) -> Option<CheckedReport> {
    let category = locality.categories.iter().find(|c| c.slug == get("category"));
    if category.is_none() {
        fields.push(
            "category",
            if get("category").is_empty() { Problem::Required } else { Problem::UnknownCategory },
        );
    }
    let title = fields.check(input::line("title", get("title"), 3, 120));
    let description = fields.check(input::text("description", get("description"), 10, 5000));
    let address =
        fields.check(input::optional_text("address", Some(get("address")), 200)).flatten();
    let name = fields.check(input::optional_text("name", Some(get("name")), 80)).flatten();
    let email = match get("email").trim() {
        "" => None,
        e => fields.check(Email::parse("email", e)).map(Email::into_inner),
    };
    let position =
        fields.check(input::position(get("lat"), get("lng"), &locality.boundary)).flatten();
    // Without a pin, the landmark or address must say where; staff then place the pin.
    if position.is_none() && address.is_none() && get("lat").trim().is_empty() {
        fields.push("location", Problem::Required);
    }
    Some(CheckedReport {
        category_id: category?.id,
        title: title?,
        description: description?,
        address,
        name,
        email,
        position,
    })
}

#[cfg(feature = "ssr")]
pub fn subscription_mail(base: &str, locale: Locale) -> MailTemplate {
    let link = format!("{base}/{locale}/subscriptions/confirm?token={{token}}");
    let report = format!("{base}/{locale}/reports/{{report}}");
    MailTemplate {
        subject: td_string!(locale, mail.subscribe_subject).to_owned(),
        body: td_string!(locale, mail.subscribe_body, link = link.clone(), report = report.clone())
            .to_string(),
    }
}

/// A report's page.
#[server(prefix = "/api", endpoint = "reports/get", input = GetUrl)]
pub async fn get_report(id: i64) -> Result<ReportView, AppError> {
    super::reply(
        async {
            let viewer = current_viewer();
            let store = services()?.store;
            let mut report = store.report(id, viewer.user_id()).await?;
            let access = store.report_access(id).await?;
            let can_handle = viewer.can_handle_report(access.locality_id, &access.departments);
            let can_moderate = viewer.can_moderate(access.locality_id);
            if !can_moderate {
                for c in report.comments.iter_mut().filter(|c| c.hidden_reason.is_some()) {
                    c.body.clear();
                }
            }
            if !(can_handle || can_moderate) {
                report.reporter_contact = None;
            }
            if !viewer.is_staff_of(access.locality_id) {
                report.assisted_by = None;
            }
            let staff = viewer.is_staff_of(access.locality_id);
            let departments =
                if staff { store.departments(access.locality_id).await? } else { Vec::new() };
            let handled_by = (staff && !can_handle).then(|| {
                departments
                    .iter()
                    .filter(|d| access.departments.contains(&d.id))
                    .map(|d| d.name.clone())
                    .collect()
            });
            let viewer_department = viewer
                .staff_department(access.locality_id)
                .filter(|d| access.departments.contains(d));
            Ok(ReportView {
                report,
                can_handle,
                can_moderate,
                departments: if can_handle { departments } else { Vec::new() },
                viewer_department,
                handled_by,
            })
        }
        .await,
    )
}

/// One page of a list of reports; the arguments are the list page's query string.
#[server(prefix = "/api", endpoint = "reports/list", input = GetUrl)]
pub async fn list_reports(
    category: Option<String>,
    status: Option<String>,
    since: Option<String>,
    until: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<u32>,
    mine: Option<bool>,
    locality: Option<String>,
) -> Result<Page<ReportSummary>, AppError> {
    super::reply(
        async {
            let reporter_id = match mine {
                Some(true) => Some(require_user()?.1),
                _ => None,
            };
            let locality = request_locality(locality.as_deref()).await?;
            let query = ReportQuery {
                filter: ReportFilter::from_query(category.as_deref(), status.as_deref())
                    .with_extras(since.as_deref(), until.as_deref(), q.as_deref())
                    .in_locality(locality.id),
                sort: ReportSort::parse(sort.as_deref().unwrap_or_default()),
                page: page.unwrap_or(0).min(10_000),
                per_page: PER_PAGE,
                reporter_id,
                ..ReportQuery::default()
            };
            Ok(services()?.store.list_reports(&query).await?)
        }
        .await,
    )
}

/// Open reports of the same category near a pin: "is this the same problem?" The coordinates
/// travel as the decimal text the pin's fields hold (the browser then needs no float printing).
#[server(prefix = "/api", endpoint = "reports/nearby", input = GetUrl)]
pub async fn nearby_reports(
    lat: String,
    lng: String,
    category: String,
    locality: Option<String>,
) -> Result<Vec<crate::model::NearbyReport>, AppError> {
    super::reply(
        async {
            let number = |s: &str| s.trim().parse::<f64>().ok();
            let at = number(&lat)
                .zip(number(&lng))
                .and_then(|(lat, lng)| LatLng::new(lat, lng).ok())
                .ok_or_else(|| AppError::invalid("location", Problem::Invalid))?;
            let locality = request_locality(locality.as_deref()).await?;
            let Some(category) = locality.categories.iter().find(|c| c.slug == category) else {
                return Err(AppError::invalid("category", Problem::UnknownCategory));
            };
            let found =
                services()?.store.nearby_open_reports(at, category.id, NEARBY_METRES).await?;
            Ok(found.into_iter().map(Into::into).collect())
        }
        .await,
    )
}

/// "I have this problem too" (signed-in; once per person).
#[server(prefix = "/api", endpoint = "reports/support")]
pub async fn support_report(report_id: i64, lang: String) -> Result<i64, AppError> {
    super::reply(
        async {
            let (_, user_id) = require_user()?;
            check_rate(Limit::SupportReport, Some(&user_id.to_string())).await?;
            let _ = lang;
            Ok(services()?.store.support_report(report_id, user_id).await?)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "reports/comment")]
pub async fn add_comment(report_id: i64, body: String, lang: String) -> Result<i64, AppError> {
    super::reply(
        async {
            let (viewer, user_id) = require_user()?;
            let body =
                input::text("body", &body, 2, 2000).map_err(|e| AppError::Validation(vec![e]))?;
            check_rate(Limit::Comment, Some(&user_id.to_string())).await?;
            let name = viewer.user.map(|u| u.display_name).unwrap_or_default();
            let id = services()?.store.add_comment(report_id, user_id, &name, &body).await?;
            super::redirect(&crate::paths::page(
                locale_of(&lang),
                &format!("/reports/{report_id}#comment-{id}"),
            ));
            Ok(id)
        }
        .await,
    )
}

/// Follows a report: signed in, or with an e-mail address that confirms by link.
#[server(prefix = "/api", endpoint = "reports/subscribe")]
pub async fn subscribe_report(
    report_id: i64,
    email: Option<String>,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let locale = locale_of(&lang);
            let viewer = current_viewer();
            let services = services()?;
            match viewer.user_id() {
                Some(user) => {
                    services
                        .store
                        .subscribe(report_id, locale.as_ref(), Some(user), None, None)
                        .await?
                }
                None => {
                    let email = Email::parse("email", email.as_deref().unwrap_or_default())
                        .map_err(|e| AppError::Validation(vec![e]))?;
                    check_rate(Limit::FollowByEmail, Some(email.as_str())).await?;
                    let mail = subscription_mail(&services.site.public_url, locale);
                    services
                        .store
                        .subscribe(
                            report_id,
                            locale.as_ref(),
                            None,
                            Some(email.as_str()),
                            Some(mail),
                        )
                        .await?;
                }
            }
            super::redirect(&after_change(locale, report_id, "subscribed"));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "reports/subscription/confirm")]
pub async fn confirm_subscription(token: String, lang: String) -> Result<(), AppError> {
    super::reply(
        async {
            let report = services()?.store.confirm_subscription(token.trim()).await?;
            super::redirect(&after_change(locale_of(&lang), report, "subscribed"));
            Ok(())
        }
        .await,
    )
}

/// A report's address after a change, with what changed (`?updated=1`) for the page's notice.
#[cfg(feature = "ssr")]
pub(super) fn after_change(locale: Locale, report_id: i64, flag: &str) -> String {
    crate::paths::page(locale, &format!("/reports/{report_id}?{flag}=1"))
}
