//! Open311 GeoReport v2 (<https://wiki.open311.org/GeoReport_v2>) at `/open311/v2/`, with its
//! discovery document at `/open311/discovery.{json,xml}` and mySociety's
//! `servicerequestupdates`. Every answer comes as JSON or XML after the path's extension; errors
//! are the spec's error list (`[{code, description}]`) with 400, 403 or 404. `jurisdiction_id`
//! is a locality's slug (the default locality when absent). Reading is open to everyone;
//! `POST requests` needs an API key of the locality (see `requests.rs`).

mod format;
mod requests;

pub use format::Format;
use format::{list, one, Open311Error};

use super::locality;
use crate::state::AppState;
use app::i18n::Locale;
use app::model::Locality;
use axum::extract::rejection::{QueryRejection, RawFormRejection};
use axum::extract::{Path, Query, RawForm, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use serde::Serialize;

/// The query or form as name–value pairs; the first value of a name counts.
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A value that is present and not blank.
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty())
    }
}

/// The locality `jurisdiction_id` names; an unknown one is a 404 in the spec's shape.
async fn jurisdiction(
    state: &AppState,
    params: &Params,
    format: Format,
) -> Result<Locality, Response> {
    locality(state, params.text("jurisdiction_id")).await.map_err(|err| match err.0 {
        app::error::AppError::NotFound => {
            Open311Error::new(404, "jurisdiction_id not found").respond(format)
        }
        other => Open311Error::internal(other).respond(format),
    })
}

/// The language of category names: the client's `Accept-Language`, else Romanian.
fn language(headers: &HeaderMap) -> Locale {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    app::locale::negotiate(accept)
}

#[derive(Serialize)]
struct Endpoint {
    specification: &'static str,
    url: String,
    changeset: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    formats: Formats,
}

#[derive(Serialize)]
struct Formats {
    format: [&'static str; 2],
}

#[derive(Serialize)]
struct Endpoints {
    endpoint: [Endpoint; 1],
}

#[derive(Serialize)]
struct Discovery {
    changeset: &'static str,
    contact: String,
    key_service: String,
    endpoints: Endpoints,
}

/// When this server's Open311 interface last changed.
const CHANGESET: &str = "2026-12-02T00:00:00Z";

/// `GET /open311/discovery.{json,xml}`: where the GeoReport v2 endpoint is and what it speaks.
pub async fn discovery(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((name, format)) = Format::split(&file) else {
        return Open311Error::new(404, "not found").respond(Format::Json);
    };
    if name != "discovery" {
        return Open311Error::new(404, "not found").respond(format);
    }
    let base = &state.config.public_url;
    let doc = Discovery {
        changeset: CHANGESET,
        contact: format!("{base}/ro"),
        key_service: format!("{base}/ro/admin/api-keys"),
        endpoints: Endpoints {
            endpoint: [Endpoint {
                specification: "http://wiki.open311.org/GeoReport_v2",
                url: format!("{base}/open311/v2"),
                changeset: CHANGESET,
                kind: "production",
                formats: Formats { format: ["application/json", "text/xml"] },
            }],
        },
    };
    // The discovery document is one object in both formats (not a list).
    match format {
        Format::Json => one(
            format,
            "discovery",
            &serde_json::json!({
                "changeset": doc.changeset,
                "contact": doc.contact,
                "key_service": doc.key_service,
                "endpoints": [{
                    "specification": doc.endpoints.endpoint[0].specification,
                    "url": doc.endpoints.endpoint[0].url,
                    "changeset": doc.endpoints.endpoint[0].changeset,
                    "type": doc.endpoints.endpoint[0].kind,
                    "formats": doc.endpoints.endpoint[0].formats.format,
                }],
            }),
        ),
        Format::Xml => one(format, "discovery", &doc),
    }
}

/// A category as Open311 lists it.
#[derive(Serialize)]
struct Service {
    service_code: String,
    service_name: String,
    description: String,
    metadata: bool,
    #[serde(rename = "type")]
    kind: &'static str,
    keywords: String,
    group: String,
}

#[derive(Serialize)]
struct Attributes {}

#[derive(Serialize)]
struct ServiceDefinition {
    service_code: String,
    attributes: Vec<Attributes>,
}

/// `GET /open311/v2/{file}`: `services`, `requests` or `servicerequestupdates`, as `.json` or
/// `.xml`.
pub async fn v2_get(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let Some((name, format)) = Format::split(&file) else {
        return Open311Error::new(404, "not found").respond(Format::Json);
    };
    let Ok(Query(pairs)) = query else {
        return Open311Error::new(400, "the query string is malformed").respond(format);
    };
    let params = Params(pairs);
    let locality = match jurisdiction(&state, &params, format).await {
        Ok(l) => l,
        Err(response) => return response,
    };
    if let Err(response) = requests::note_key(&state, &params, &locality, format).await {
        return response;
    }
    match name {
        "services" => services(&locality, language(&headers), format),
        "requests" => requests::list(&state, &locality, &params, language(&headers), format).await,
        "servicerequestupdates" => requests::updates(&state, &locality, &params, format).await,
        _ => Open311Error::new(404, "not found").respond(format),
    }
}

/// `POST /open311/v2/requests.{json,xml}`: a new report from a client app.
pub async fn v2_post(
    State(state): State<AppState>,
    Path(file): Path<String>,
    form: Result<RawForm, RawFormRejection>,
) -> Response {
    let Some((name, format)) = Format::split(&file) else {
        return Open311Error::new(404, "not found").respond(Format::Json);
    };
    if name != "requests" {
        return Open311Error::new(404, "not found").respond(format);
    }
    let pairs = form.ok().and_then(|RawForm(body)| serde_urlencoded_pairs(&body));
    let Some(pairs) = pairs else {
        return Open311Error::new(
            400,
            "the body must be a form (application/x-www-form-urlencoded)",
        )
        .respond(format);
    };
    let params = Params(pairs);
    let locality = match jurisdiction(&state, &params, format).await {
        Ok(l) => l,
        Err(response) => return response,
    };
    requests::create(&state, &locality, &params, format).await
}

/// Decodes a URL-encoded body into pairs; `None` when it is not valid.
fn serde_urlencoded_pairs(body: &[u8]) -> Option<Vec<(String, String)>> {
    let text = std::str::from_utf8(body).ok()?;
    let mut out = Vec::new();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(&s.replace('+', " "))
                .decode_utf8()
                .ok()
                .map(|c| c.into_owned())
        };
        out.push((decode(k)?, decode(v)?));
    }
    Some(out)
}

/// `GET /open311/v2/services/{code}.{json,xml}`: a service's definition (Agora's categories
/// ask for no extra attributes) and `GET /open311/v2/requests/{id}` and `tokens/{token}`.
pub async fn v2_item(
    State(state): State<AppState>,
    Path((kind, file)): Path<(String, String)>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let Some((key, format)) = Format::split(&file) else {
        return Open311Error::new(404, "not found").respond(Format::Json);
    };
    let Ok(Query(pairs)) = query else {
        return Open311Error::new(400, "the query string is malformed").respond(format);
    };
    let params = Params(pairs);
    let locality = match jurisdiction(&state, &params, format).await {
        Ok(l) => l,
        Err(response) => return response,
    };
    if let Err(response) = requests::note_key(&state, &params, &locality, format).await {
        return response;
    }
    match kind.as_str() {
        "services" => match locality.categories.iter().find(|c| c.slug == key) {
            Some(c) => one(
                format,
                "service_definition",
                &ServiceDefinition { service_code: c.slug.clone(), attributes: Vec::new() },
            ),
            None => Open311Error::new(404, "service_code not found").respond(format),
        },
        "requests" => requests::one(&state, &locality, key, language(&headers), format).await,
        "tokens" => requests::token(&state, &locality, key, format).await,
        _ => Open311Error::new(404, "not found").respond(format),
    }
}

fn services(locality: &Locality, lang: Locale, format: Format) -> Response {
    let services: Vec<Service> = locality
        .categories
        .iter()
        .map(|c| Service {
            service_code: c.slug.clone(),
            service_name: c.name.get(lang).to_owned(),
            description: c.name.get(lang).to_owned(),
            metadata: false,
            kind: "realtime",
            keywords: String::new(),
            group: String::new(),
        })
        .collect();
    list(format, "services", "service", &services)
}
