//! `GET /account/export.json`: everything Agora stores about the signed-in person.

use super::error_response;
use crate::state::AppState;
use app::error::AppError;
use app::model::Viewer;
use app::store::AccountStore;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;

pub async fn export(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Response {
    let Some(user_id) = viewer.user_id() else {
        return error_response(AppError::Unauthorized);
    };
    match state.db.export_account(user_id).await {
        Ok(data) => (
            [
                (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"agora-account.json\""),
                (header::CACHE_CONTROL, "no-store"),
            ],
            serde_json::to_string_pretty(&data).unwrap_or_default(),
        )
            .into_response(),
        Err(err) => error_response(err.into()),
    }
}
