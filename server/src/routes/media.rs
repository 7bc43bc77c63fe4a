//! `GET /media/photos/{id}` and `/media/photos/{id}/thumb`: report photos, always as JPEG
//! (`nosniff` is set on every response), never when hidden except to moderators.

use crate::state::AppState;
use app::model::Viewer;
use app::store::{ModerationTarget, ReportStore};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;

pub async fn photo(
    state: State<AppState>,
    viewer: Extension<Viewer>,
    Path(id): Path<i64>,
) -> Response {
    serve(state, viewer, id, false).await
}

pub async fn thumb(
    state: State<AppState>,
    viewer: Extension<Viewer>,
    Path(id): Path<i64>,
) -> Response {
    serve(state, viewer, id, true).await
}

async fn serve(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    id: i64,
    thumb: bool,
) -> Response {
    let Ok((stem, hidden)) = state.db.photo_file(id).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if hidden {
        let may_see = match state.db.moderation_locality(ModerationTarget::Photo(id)).await {
            Ok(locality) => viewer.can_moderate(locality),
            Err(_) => false,
        };
        if !may_see {
            return StatusCode::NOT_FOUND.into_response();
        }
    }
    match tokio::fs::read(state.photos.path(&stem, thumb)).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (
                    header::CACHE_CONTROL,
                    if hidden { "private, no-store" } else { "public, max-age=3600" },
                ),
                (header::CONTENT_DISPOSITION, "inline"),
            ],
            bytes,
        )
            .into_response(),
        Err(err) => {
            tracing::error!(%err, photo = id, "photo file missing");
            StatusCode::NOT_FOUND.into_response()
        }
    }
}
