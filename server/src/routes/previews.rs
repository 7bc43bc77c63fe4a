//! `GET /media/previews/{kind}/{id}?lang=`: the 1200×630 PNG that a shared page names as its
//! Open Graph image when it has no photo (see `crate::previews`).

use super::error_response;
use crate::previews::{card, card_for, Subject};
use crate::state::AppState;
use app::error::AppError;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct PreviewQuery {
    lang: Option<String>,
}

pub async fn preview(
    State(state): State<AppState>,
    Path((kind, id)): Path<(String, String)>,
    Query(query): Query<PreviewQuery>,
) -> Response {
    let (Some(subject), Ok(id)) = (Subject::parse(&kind), id.parse::<i64>()) else {
        return error_response(AppError::NotFound);
    };
    let locale =
        query.lang.as_deref().and_then(app::locale::parse).unwrap_or(app::i18n::Locale::ro);
    let card = match card_for(&state, subject, id, locale).await {
        Ok(card) => card,
        Err(err) => return error_response(err),
    };
    // Drawing takes a few milliseconds of CPU: off the request threads.
    let Ok(png) = tokio::task::spawn_blocking(move || card::render(&card)).await else {
        return error_response(AppError::Internal);
    };
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CONTENT_DISPOSITION, "inline"),
            // Votes and results move; a preview a few minutes old is fine for a link card.
            (header::CACHE_CONTROL, "public, max-age=600"),
        ],
        png,
    )
        .into_response()
}
