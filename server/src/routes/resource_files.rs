//! `GET /media/resources/{id}`: the file of an educational resource of the NGO network, as a
//! download (never shown inline on this site's origin). A resource not published yet is
//! served only to the network's secretariat and to members of its organisation.

use super::{error_response, Id};
use crate::state::AppState;
use app::error::AppError;
use app::model::network::EventStatus;
use app::model::Viewer;
use app::store::NetworkStore;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

pub async fn resource_file(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Id(id): Id,
) -> Response {
    match serve(&state, &viewer, id).await {
        Ok(response) => response,
        Err(err) => error_response(err),
    }
}

async fn serve(state: &AppState, viewer: &Viewer, id: i64) -> Result<Response, AppError> {
    let resource = state.db.resource(id).await?;
    let published = resource.status == EventStatus::Published;
    if !published && !may_see_proposal(state, viewer, &resource).await? {
        return Err(AppError::NotFound);
    }
    let (name, media_type, bytes) = state.db.resource_file(id).await?;
    // RFC 6266: an ASCII fallback name, and the real one percent-encoded.
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        utf8_percent_encode(&name, NON_ALPHANUMERIC)
    );
    let cache = if published { "public, max-age=3600" } else { "private, no-store" };
    Ok((
        [
            (header::CONTENT_TYPE, media_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, cache.to_owned()),
            (header::CONTENT_SECURITY_POLICY, "sandbox".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// The secretariat of the resource's locality, or a member of its organisation.
async fn may_see_proposal(
    state: &AppState,
    viewer: &Viewer,
    resource: &app::model::resources::Resource,
) -> Result<bool, AppError> {
    let locality = resource.locality_id;
    if viewer.is_staff_of(locality) {
        let departments = state.db.secretariat_departments(locality).await?;
        if viewer.is_network_secretariat(locality, &departments) {
            return Ok(true);
        }
    }
    let Some(user) = viewer.user_id() else { return Ok(false) };
    Ok(state.db.memberships(user).await?.iter().any(|o| o.id == resource.organisation.id))
}
