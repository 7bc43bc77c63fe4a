//! `GET /media/photos/{id}` (and `/thumb`), `/media/initiatives/{id}`, `/media/milestones/{id}`
//! and `/media/proposals/{id}` (and `/thumb`): images, always as JPEG
//! (`nosniff` is set on every response), never when hidden except to moderators.

use super::{error_response, Id};
use crate::state::AppState;
use app::error::AppError;
use app::model::Viewer;
use app::store::{BudgetStore, BudgetWorks, ModerationTarget, ReportReads, ReportWorkflow};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;

pub async fn photo(state: State<AppState>, viewer: Extension<Viewer>, Id(id): Id) -> Response {
    serve(state, viewer, id, false).await
}

pub async fn thumb(state: State<AppState>, viewer: Extension<Viewer>, Id(id): Id) -> Response {
    serve(state, viewer, id, true).await
}

async fn serve(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    id: i64,
    thumb: bool,
) -> Response {
    let Ok((stem, hidden)) = state.db.photo_file(id).await else {
        return error_response(AppError::NotFound);
    };
    if hidden {
        let may_see = match state.db.moderation_locality(ModerationTarget::Photo(id)).await {
            Ok(locality) => viewer.can_moderate(locality),
            Err(_) => false,
        };
        if !may_see {
            return error_response(AppError::NotFound);
        }
    }
    jpeg(&state, &stem, thumb, hidden).await
}

/// `GET /media/initiatives/{id}`: an initiative's image (not while the initiative is hidden).
pub async fn initiative(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Id(id): Id,
) -> Response {
    let Ok((Some(stem), hidden, locality)) = state.db.initiative_image(id).await else {
        return error_response(AppError::NotFound);
    };
    if hidden && !(viewer.is_staff_of(locality) || viewer.can_moderate(locality)) {
        return error_response(AppError::NotFound);
    }
    jpeg(&state, &stem, false, hidden).await
}

/// `GET /media/milestones/{id}`: the photo of a civic-budget project's milestone (public, as
/// milestones are).
pub async fn milestone(State(state): State<AppState>, Id(id): Id) -> Response {
    let Ok((Some(stem), _locality)) = state.db.milestone_photo(id).await else {
        return error_response(AppError::NotFound);
    };
    jpeg(&state, &stem, false, false).await
}

/// `GET /media/proposals/{id}`: a photo of a civic-budget proposal (a draft's only to its author).
pub async fn proposal(state: State<AppState>, viewer: Extension<Viewer>, Id(id): Id) -> Response {
    serve_proposal(state, viewer, id, false).await
}

pub async fn proposal_thumb(
    state: State<AppState>,
    viewer: Extension<Viewer>,
    Id(id): Id,
) -> Response {
    serve_proposal(state, viewer, id, true).await
}

async fn serve_proposal(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    id: i64,
    thumb: bool,
) -> Response {
    let Ok(file) = state.db.proposal_photo(id).await else {
        return error_response(AppError::NotFound);
    };
    if file.draft && (file.author_id.is_none() || file.author_id != viewer.user_id()) {
        return error_response(AppError::NotFound);
    }
    jpeg(&state, &file.stem, thumb, file.draft).await
}

/// A stored JPEG, typed as such (never sniffed), cached unless it is not public.
async fn jpeg(state: &AppState, stem: &str, thumb: bool, private: bool) -> Response {
    match tokio::fs::read(state.photos.path(stem, thumb)).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (
                    header::CACHE_CONTROL,
                    if private { "private, no-store" } else { "public, max-age=3600" },
                ),
                (header::CONTENT_DISPOSITION, "inline"),
            ],
            bytes,
        )
            .into_response(),
        Err(err) => {
            tracing::error!(%err, stem, "image file missing");
            error_response(AppError::NotFound)
        }
    }
}
