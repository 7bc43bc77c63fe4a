//! `Idempotency-Key`: a create or vote request sent twice (a phone retrying what it sent
//! offline, a flaky network) is done once. The first request's answer is kept a day and given
//! again, marked `Idempotent-Replayed: true`, to a repeat with the same key from the same
//! person (or, without an account, the same address) to the same endpoint; a repeat while the
//! first is still running is told 409. Answers of 5xx and 429 are not kept, so a retry runs.
//!
//! The answer is kept right after the write's own transaction; should the server die between
//! the two, a retry more than a minute later runs again (the endpoints' own rules, such as one
//! vote per person, still hold).

use crate::auth::token::digest;
use crate::db::idempotency::{Claim, StoredAnswer};
use crate::routes::error_response;
use crate::state::AppState;
use app::error::{AppError, Problem};
use app::model::Viewer;
use app::store::ClientAddr;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The header, as clients send it.
pub const HEADER: &str = "idempotency-key";

/// The endpoints that create something or cast a vote.
const ENDPOINTS: &[&str] = &[
    "/api/reports/create",
    "/api/reports/support",
    "/api/reports/comment",
    "/api/initiatives/create",
    "/api/initiatives/support",
    "/api/polls/vote",
    "/api/alerts/create",
    "/api/budget/propose",
    "/api/budget/ballot/confirm",
    "/api/surveys/answer",
    "/open311/v2/requests.json",
    "/open311/v2/requests.xml",
];

/// The largest answer kept (the endpoints answer an id or a short JSON).
const MAX_KEPT_BYTES: usize = 64 * 1024;

pub async fn replay(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if req.method() != Method::POST || !ENDPOINTS.contains(&path.as_str()) {
        return next.run(req).await;
    }
    let Some(key) = req.headers().get(HEADER) else { return next.run(req).await };
    // A key is what clients make of a UUID or a random string: visible ASCII, at most 255.
    let key = match key.to_str() {
        Ok(k) if (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => {
            k.to_owned()
        }
        _ => return error_response(AppError::invalid("idempotency_key", Problem::Invalid)),
    };
    let who = match req.extensions().get::<Viewer>().and_then(Viewer::user_id) {
        Some(user) => format!("user:{user}"),
        None => {
            let addr = req.extensions().get::<ClientAddr>().map(|a| a.0.clone());
            format!("addr:{}", addr.unwrap_or_default())
        }
    };
    let key_hash = digest(&format!("{who}\n{path}\n{key}"));
    match state.db.claim_idempotency_key(&key_hash).await {
        Err(err) => return error_response(err.into()),
        Ok(Claim::Answered(answer)) => return replayed(answer),
        Ok(Claim::InProgress) => return error_response(AppError::Conflict),
        Ok(Claim::First) => {}
    }
    // Kept as plain bytes, so that a repeat may be answered whatever it accepts.
    req.headers_mut().remove(header::ACCEPT_ENCODING);
    let response = next.run(req).await;
    let status = response.status();
    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        release(&state, &key_hash).await;
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_KEPT_BYTES).await else {
        release(&state, &key_hash).await;
        return error_response(AppError::Internal);
    };
    let text = |name: header::HeaderName| {
        parts.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    };
    let answer = StoredAnswer {
        status: status.as_u16(),
        content_type: text(header::CONTENT_TYPE),
        location: text(header::LOCATION),
        body: bytes.to_vec(),
    };
    if let Err(err) = state.db.keep_idempotent_answer(&key_hash, &answer).await {
        // The write is done and answered; only a repeat would run it again.
        tracing::error!(error = %err, "could not keep an idempotent answer");
    }
    Response::from_parts(parts, Body::from(bytes))
}

async fn release(state: &AppState, key_hash: &str) {
    if let Err(err) = state.db.release_idempotency_key(key_hash).await {
        tracing::error!(error = %err, "could not release an idempotency key");
    }
}

fn replayed(answer: StoredAnswer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut response = (status, answer.body).into_response();
    let headers = response.headers_mut();
    for (name, value) in
        [(header::CONTENT_TYPE, answer.content_type), (header::LOCATION, answer.location)]
    {
        if let Ok(value) = HeaderValue::from_str(&value) {
            if !value.is_empty() {
                headers.insert(name, value);
            }
        }
    }
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}
