//! HTTP routes outside Leptos: the language redirect, health, and the open-data API.

pub mod account;
pub mod assets;
pub mod budget;
pub mod csv;
pub mod events;
pub mod exports;
pub mod feeds;
pub mod geojson;
pub mod language;
pub mod media;
pub mod open311;
pub mod open_data;
pub mod previews;
pub mod resource_files;
pub mod services;
pub mod site;
pub mod statistics;
pub mod surveys;
pub mod unsubscribe;

use crate::state::AppState;
use app::error::AppError;
use app::model::Locality;
use app::store::{LocalityStore, StoreError};
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos_i18n::Locale as _;

/// `GET /` sends the visitor to their language: the one they chose (see [`language`]), else
/// the browser's (Accept-Language), else Romanian.
pub async fn root_redirect(headers: HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let locale = language::chosen(&headers).unwrap_or_else(|| app::locale::negotiate(accept));
    let target = format!("/{}", locale.as_str());
    let mut response =
        (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, target)]).into_response();
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    response
}

/// `GET /healthz`: 200 once the database answers (migrations ran before the server listened).
pub async fn healthz(State(state): State<AppState>) -> Response {
    if state.db.ping().await {
        let body = serde_json::json!({ "status": "ok", "database": state.db.backend_name() });
        (StatusCode::OK, axum::Json(body)).into_response()
    } else {
        let body = serde_json::json!({ "status": "unavailable" });
        (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response()
    }
}

/// An error answer outside Leptos, in the one shape every endpoint uses: the `AppError` JSON
/// body (`{"error": "<kind>"}`, with `"fields"` for validation) and its HTTP status.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(self.0)).into_response()
    }
}

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        Self(err)
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        Self(err.into())
    }
}

/// The error answer for `err`.
pub fn error_response(err: AppError) -> Response {
    ApiError(err).into_response()
}

/// The locality an open-data request names by slug (`locality=`, Open311's `jurisdiction_id`),
/// else the default one: the one place where a request picks its locality.
pub async fn locality(state: &AppState, slug: Option<&str>) -> Result<Locality, ApiError> {
    Ok(match slug.map(str::trim).filter(|s| !s.is_empty()) {
        Some(slug) => state.db.locality_by_slug(slug).await?,
        None => state.db.default_locality().await?,
    })
}

/// A numeric id from the path; anything else is the usual JSON 404, as for an unknown id.
#[derive(Clone, Copy, Debug)]
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError(AppError::NotFound))?;
        raw.parse::<i64>().map(Id).map_err(|_| ApiError(AppError::NotFound))
    }
}

/// `GET /categories.css`: one class per category with its colour, so that pages need no inline
/// styles (the Content-Security-Policy allows none).
pub async fn category_styles(State(state): State<AppState>) -> Response {
    let colors = state.db.category_colors().await.unwrap_or_else(|err| {
        tracing::error!(error = %err, "category colours unavailable");
        Vec::new()
    });
    let valid = |c: &str| {
        c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit())
    };
    let css: String = colors
        .into_iter()
        .filter(|(_, c)| valid(c))
        .map(|(id, color)| format!(".cat-{id}{{background-color:{color}}}\n"))
        .collect();
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        css,
    )
        .into_response()
}
