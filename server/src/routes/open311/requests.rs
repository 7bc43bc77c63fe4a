//! Service requests: a client app files a report (`POST requests`, with an API key, through the
//! report form's own checks and store), lists and reads them (`GET requests`, `requests/{id}`,
//! `tokens/{token}`) and follows their updates (mySociety's `servicerequestupdates`).

use super::format::{self, Format, Open311Error};
use super::Params;
use crate::db::open311::{ApiKeyAuth, Open311Extras, RequestFilter, RequestRow};
use crate::state::AppState;
use app::api::reports::{check_report, subscription_mail, CheckedReport};
use app::error::{AppError, FieldError};
use app::i18n::Locale;
use app::model::input::Fields;
use app::model::{Locality, ReportStatus};
use app::store::{Limit, NewReport, ReportWrites};
use axum::response::Response;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

/// The spec's defaults: the last 90 days, at most 1,000 requests.
const DEFAULT_DAYS: i64 = 90;
const MAX_REQUESTS: i64 = 1000;

/// The key a request presents, checked: unknown, revoked or of another locality is 403, past
/// its allowance 429. `Ok(None)` when the request carries no key.
async fn checked_key(
    state: &AppState,
    params: &Params,
    locality: &Locality,
    format: Format,
) -> Result<Option<ApiKeyAuth>, Response> {
    let Some(raw) = params.text("api_key") else { return Ok(None) };
    let key = match state.db.api_key(raw).await {
        Ok(Some(key)) if key.locality_id == locality.id => key,
        Ok(_) => return Err(Open311Error::new(403, "api_key is not valid").respond(format)),
        Err(err) => return Err(Open311Error::internal(err.into()).respond(format)),
    };
    if !state.services.limiter.allow(Limit::ApiKey, &[format!("api_key:{}", key.id)]).await {
        return Err(Open311Error::internal(AppError::RateLimited).respond(format));
    }
    Ok(Some(key))
}

/// A read made with a key: checked like a write, and written to the audit log.
pub(super) async fn note_key(
    state: &AppState,
    params: &Params,
    locality: &Locality,
    format: Format,
) -> Result<(), Response> {
    if let Some(key) = checked_key(state, params, locality, format).await? {
        if let Err(err) = state.db.audit_api_key_use(&key, "open311.read").await {
            return Err(Open311Error::internal(err.into()).respond(format));
        }
    }
    Ok(())
}

/// Open311's two statuses.
fn open_or_closed(status: &str) -> &'static str {
    match status {
        "new" | "accepted" => "open",
        _ => "closed",
    }
}

/// mySociety's extended statuses, for updates.
fn extended_status(status: &str) -> &'static str {
    match status {
        "new" => "open",
        "accepted" => "in_progress",
        "resolved" => "fixed",
        "duplicate" => "duplicate",
        _ => "no_further_action",
    }
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A W3C date-time parameter; a malformed one is a 400.
fn date_param(params: &Params, name: &str) -> Result<Option<DateTime<Utc>>, Open311Error> {
    match params.text(name) {
        None => Ok(None),
        Some(raw) => DateTime::parse_from_rfc3339(raw)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| Open311Error::new(400, format!("{name} must be a W3C date-time"))),
    }
}

/// A period's ends, either of them open.
type Period = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// `start_date` and `end_date`, or the error answer.
fn date_range(params: &Params) -> Result<Period, Open311Error> {
    Ok((date_param(params, "start_date")?, date_param(params, "end_date")?))
}

#[derive(Serialize)]
struct ServiceRequest {
    service_request_id: i64,
    status: &'static str,
    status_notes: Option<String>,
    service_name: String,
    service_code: String,
    description: String,
    agency_responsible: Option<String>,
    service_notice: Option<String>,
    requested_datetime: String,
    updated_datetime: String,
    expected_datetime: Option<String>,
    address: Option<String>,
    address_id: Option<String>,
    zipcode: Option<String>,
    lat: Option<f64>,
    long: Option<f64>,
    media_url: Option<String>,
}

fn service_request(
    row: RequestRow,
    locality: &Locality,
    lang: Locale,
    base: &str,
) -> ServiceRequest {
    let name = locality
        .categories
        .iter()
        .find(|c| c.slug == row.category)
        .map(|c| c.name.get(lang).to_owned())
        .unwrap_or_else(|| row.category.clone());
    let at = row.location_confirmed.then_some((row.lat, row.lng));
    ServiceRequest {
        service_request_id: row.id,
        status: open_or_closed(&row.status),
        status_notes: row.status_notes,
        service_name: name,
        service_code: row.category,
        description: row.description,
        agency_responsible: row.department,
        service_notice: None,
        requested_datetime: time(row.created_at),
        updated_datetime: time(row.updated_at),
        expected_datetime: None,
        address: row.address,
        address_id: None,
        zipcode: None,
        lat: at.map(|a| a.0),
        long: at.map(|a| a.1),
        media_url: row.photo_id.map(|p| format!("{base}/media/photos/{p}")).or(row.media_url),
    }
}

/// `GET requests`: by `service_request_id` (comma-separated; then nothing else counts), or by
/// `service_code`, `status` (`open`, `closed`), `start_date` and `end_date`; the newest first.
pub(super) async fn list(
    state: &AppState,
    locality: &Locality,
    params: &Params,
    lang: Locale,
    format: Format,
) -> Response {
    let mut filter = RequestFilter { limit: MAX_REQUESTS, ..Default::default() };
    if let Some(ids) = params.text("service_request_id") {
        match ids.split(',').map(|i| i.trim().parse::<i64>()).collect::<Result<Vec<_>, _>>() {
            Ok(ids) => filter.ids = ids,
            Err(_) => {
                return Open311Error::new(400, "service_request_id must be numbers").respond(format)
            }
        }
    } else {
        if let Some(codes) = params.text("service_code") {
            filter.codes = codes.split(',').map(|c| c.trim().to_owned()).collect();
        }
        if let Some(statuses) = params.text("status") {
            for s in statuses.split(',').map(str::trim) {
                let matching =
                    ReportStatus::ALL.iter().map(|r| r.as_str()).filter(|r| open_or_closed(r) == s);
                let before = filter.statuses.len();
                filter.statuses.extend(matching);
                if filter.statuses.len() == before {
                    return Open311Error::new(400, "status must be open or closed").respond(format);
                }
            }
        }
        let (start, end) = match date_range(params) {
            Ok(range) => range,
            Err(err) => return err.respond(format),
        };
        filter.end = end;
        filter.start =
            start.or_else(|| Some(end.unwrap_or_else(Utc::now) - TimeDelta::days(DEFAULT_DAYS)));
    }
    match state.db.open311_requests(locality.id, &filter).await {
        Ok(rows) => {
            let base = &state.config.public_url;
            let out: Vec<ServiceRequest> =
                rows.into_iter().map(|r| service_request(r, locality, lang, base)).collect();
            format::list(format, "service_requests", "request", &out)
        }
        Err(err) => Open311Error::internal(err.into()).respond(format),
    }
}

/// `GET requests/{id}`: one request, as a list of one.
pub(super) async fn one(
    state: &AppState,
    locality: &Locality,
    id: &str,
    lang: Locale,
    format: Format,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return Open311Error::new(404, "service_request_id not found").respond(format);
    };
    let filter = RequestFilter { ids: vec![id], limit: 1, ..Default::default() };
    match state.db.open311_requests(locality.id, &filter).await {
        Ok(rows) if rows.is_empty() => {
            Open311Error::new(404, "service_request_id not found").respond(format)
        }
        Ok(rows) => {
            let base = &state.config.public_url;
            let out: Vec<ServiceRequest> =
                rows.into_iter().map(|r| service_request(r, locality, lang, base)).collect();
            format::list(format, "service_requests", "request", &out)
        }
        Err(err) => Open311Error::internal(err.into()).respond(format),
    }
}

#[derive(Serialize)]
struct TokenAnswer {
    service_request_id: i64,
    token: String,
}

/// `GET tokens/{token}`: the request a token stands for.
pub(super) async fn token(
    state: &AppState,
    locality: &Locality,
    token: &str,
    format: Format,
) -> Response {
    match state.db.open311_token(locality.id, token).await {
        Ok(Some(id)) => format::list(
            format,
            "service_requests",
            "request",
            &[TokenAnswer { service_request_id: id, token: token.to_owned() }],
        ),
        Ok(None) => Open311Error::new(404, "token not found").respond(format),
        Err(err) => Open311Error::internal(err.into()).respond(format),
    }
}

#[derive(Serialize)]
struct RequestUpdate {
    update_id: String,
    service_request_id: i64,
    status: &'static str,
    updated_datetime: String,
    description: String,
    media_url: String,
}

/// `GET servicerequestupdates` (mySociety): status changes and official answers between
/// `start_date` and `end_date` (the last 90 days by default), oldest first.
pub(super) async fn updates(
    state: &AppState,
    locality: &Locality,
    params: &Params,
    format: Format,
) -> Response {
    let (start, end) = match date_range(params) {
        Ok(range) => range,
        Err(err) => return err.respond(format),
    };
    let end = end.unwrap_or_else(Utc::now);
    let start = start.unwrap_or(end - TimeDelta::days(DEFAULT_DAYS));
    match state.db.open311_updates(locality.id, start, end, MAX_REQUESTS).await {
        Ok(rows) => {
            let out: Vec<RequestUpdate> = rows
                .into_iter()
                .map(|u| RequestUpdate {
                    update_id: u.id.to_string(),
                    service_request_id: u.report_id,
                    status: extended_status(u.to_status.as_deref().unwrap_or(&u.current_status)),
                    updated_datetime: time(u.created_at),
                    description: u.body,
                    media_url: String::new(),
                })
                .collect();
            format::list(format, "service_request_updates", "request_update", &out)
        }
        Err(err) => Open311Error::internal(err.into()).respond(format),
    }
}

/// The Open311 name of a report-form field, for error descriptions.
fn open311_field(field: &str) -> &str {
    match field {
        "category" => "service_code",
        "title" | "description" => "description",
        "address" => "address_string",
        "lat" | "lng" | "location" => "lat/long",
        "name" => "first_name/last_name",
        other => other,
    }
}

/// A title for the staff queue from the description's first line (the form asks for one;
/// Open311 has none): at most 120 characters, else the category's name.
fn title_from(description: &str, fallback: &str) -> String {
    let line = description.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    let mut title: String = line.chars().take(120).collect();
    if title.chars().count() == 120 {
        if let Some(cut) = title.rfind(' ').filter(|&i| i > 60) {
            title.truncate(cut);
        }
    }
    if title.chars().count() < 3 {
        fallback.to_owned()
    } else {
        title
    }
}

/// A phone number as people write them: digits, spaces, `+-()`, at most 30 characters.
fn phone_ok(phone: &str) -> bool {
    phone.chars().count() <= 30
        && phone.chars().any(|c| c.is_ascii_digit())
        && phone.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
}

/// A link to a photo elsewhere: `http(s)://`, no spaces, at most 500 characters.
fn media_url_ok(url: &str) -> bool {
    url.len() <= 500
        && (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(|c: char| c.is_whitespace() || c.is_control())
}

#[derive(Serialize)]
struct Created {
    service_request_id: i64,
    service_notice: String,
    account_id: Option<String>,
    token: Option<String>,
}

/// `POST requests`: checks the key, then the report form's own rules, then stores the report
/// through the same store call as the form, so it lands in the staff queue and the statistics.
pub(super) async fn create(
    state: &AppState,
    locality: &Locality,
    params: &Params,
    format: Format,
) -> Response {
    let key = match checked_key(state, params, locality, format).await {
        Ok(Some(key)) => key,
        Ok(None) => return Open311Error::new(400, "api_key is required").respond(format),
        Err(response) => return response,
    };
    let code = params.text("service_code").unwrap_or("");
    let description = params.get("description").unwrap_or("");
    let category_name = locality
        .categories
        .iter()
        .find(|c| c.slug == code)
        .map(|c| c.name.get(Locale::ro).to_owned())
        .unwrap_or_default();
    let title = title_from(description, &category_name);
    let name = [params.text("first_name"), params.text("last_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let (lat, lng) = (params.get("lat").unwrap_or(""), params.get("long").unwrap_or(""));
    let address = params.get("address_string").unwrap_or("");
    let email = params.get("email").unwrap_or("");
    let get = |field: &str| -> &str {
        match field {
            "category" => code,
            "title" => &title,
            "description" => description,
            "address" => address,
            "name" => &name,
            "email" => email,
            "lat" => lat,
            "lng" => lng,
            _ => "",
        }
    };
    let mut fields = Fields::default();
    let checked = check_report(locality, &get, &mut fields);
    let phone = params.text("phone");
    if phone.is_some_and(|p| !phone_ok(p)) {
        fields.push("phone", app::error::Problem::Invalid);
    }
    let media_url = params.text("media_url");
    if media_url.is_some_and(|u| !media_url_ok(u)) {
        fields.push("media_url", app::error::Problem::Invalid);
    }
    if let Err(AppError::Validation(problems)) = fields.finish() {
        let described: Vec<String> = problems
            .iter()
            .map(|FieldError { field, problem }| {
                let problem = serde_json::to_value(problem)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                format!("{}: {problem}", open311_field(field))
            })
            .collect();
        let status = if problems.iter().any(|p| p.field == "category") && !code.is_empty() {
            404
        } else {
            400
        };
        return Open311Error::new(status, described.join("; ")).respond(format);
    }
    let Some(CheckedReport { category_id, title, description, address, name, email, position }) =
        checked
    else {
        return Open311Error::internal(AppError::Internal).respond(format);
    };
    let report = NewReport {
        locality_id: locality.id,
        category_id,
        title,
        description,
        at: position.unwrap_or(locality.centre),
        location_confirmed: position.is_some(),
        address,
        reporter_id: None,
        reporter_name: name,
        reporter_email: email,
        show_name: false,
        // Open311 carries no language: the city's own is the one its mail is written in.
        lang: Locale::ro.to_string(),
        assisted_by: None,
        visitor_contact: None,
    };
    let mail = subscription_mail(&state.config.public_url, Locale::ro);
    let id = match state.db.create_report(report, &[], Some(mail)).await {
        Ok(id) => id,
        Err(err) => return Open311Error::internal(err.into()).respond(format),
    };
    // The report is saved and in the queue: the answer says so even if the key's record fails.
    let extras = Open311Extras { phone, media_url };
    let token = match state.db.record_open311_request(&key, id, &extras).await {
        Ok(token) => Some(token),
        Err(err) => {
            tracing::error!(error = %err, report = id, "could not record the Open311 request");
            None
        }
    };
    format::list(
        format,
        "service_requests",
        "request",
        &[Created {
            service_request_id: id,
            service_notice: String::new(),
            account_id: None,
            token,
        }],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_the_first_line() {
        assert_eq!(title_from("\n  Groapă mare\nîn asfalt", "Drumuri"), "Groapă mare");
        assert_eq!(title_from("", "Drumuri"), "Drumuri");
        let long = "cuvânt ".repeat(40);
        let title = title_from(&long, "x");
        assert!(title.chars().count() <= 120 && !title.ends_with(' '));
    }

    #[test]
    fn phones_and_links_are_checked() {
        assert!(phone_ok("+373 (231) 2-64-50"));
        assert!(!phone_ok("call me"));
        assert!(media_url_ok("https://example.org/p.jpg"));
        assert!(!media_url_ok("javascript:alert(1)"));
        assert!(!media_url_ok("https://example.org/a b.jpg"));
    }
}
