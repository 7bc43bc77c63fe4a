//! `/unsubscribe/{token}`: the address in every subscription message's `List-Unsubscribe`.
//!
//! - `POST` (RFC 8058 one-click: the mail client sends `List-Unsubscribe=One-Click`, with no
//!   cookie) ends the subscription the message was sent for and answers `200`.
//! - `GET` (a person who opened the link) leads to the page that lists every subscription of
//!   the address, where they choose; a link scanner fetching it changes nothing.

use super::ApiError;
use crate::state::AppState;
use app::store::SubscriptionStore;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct UnsubscribeQuery {
    lang: Option<String>,
}

/// Tokens are URL-safe base64 (`auth::token`); anything else is refused before any lookup.
fn well_formed(token: &str) -> bool {
    (20..=100).contains(&token.len())
        && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn unknown() -> ApiError {
    ApiError(app::error::AppError::Validation(vec![app::error::FieldError::new(
        "token",
        app::error::Problem::Invalid,
    )]))
}

pub async fn one_click(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    if !well_formed(&token) {
        return Err(unknown());
    }
    state.db.unsubscribe_by_token(&token).await?;
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "unsubscribed\n")
        .into_response())
}

pub async fn open(
    Path(token): Path<String>,
    Query(query): Query<UnsubscribeQuery>,
) -> Result<Response, ApiError> {
    if !well_formed(&token) {
        return Err(unknown());
    }
    let locale =
        query.lang.as_deref().and_then(app::locale::parse).unwrap_or(app::i18n::Locale::ro);
    let target = app::paths::page(locale, &format!("/subscriptions?token={token}"));
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, target)]).into_response())
}
