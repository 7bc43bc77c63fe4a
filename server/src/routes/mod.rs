//! HTTP routes outside Leptos: the language redirect, health, and the open-data API.

pub mod account;
pub mod assets;
pub mod geojson;
pub mod media;
pub mod open_data;

use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos_i18n::Locale as _;

/// `GET /` sends the visitor to their language (Accept-Language, else Romanian).
pub async fn root_redirect(headers: HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let target = format!("/{}", app::locale::negotiate(accept).as_str());
    let mut response =
        (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, target)]).into_response();
    response.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept-Language"));
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

/// A JSON error body for the open-data API: a stable code and an English message.
pub fn api_error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, axum::Json(serde_json::json!({ "error": code, "message": message }))).into_response()
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
