//! The orientation and referral directory as open data:
//!
//! `GET /api/v1/services?locality=&need=&speaks=&who=&refugee=&free=&lat=&lng=&open_at=`:
//! the locality's services as JSON, with coordinates, opening hours, whether each is open now
//! (or at `open_at`, an RFC 3339 time) and whether its entry is out of date. The optional
//! values are the finder's answers (see `docs/api.md`); with `lat`/`lng` the nearest come
//! first and each carries its distance.

use super::error_response;
use super::site::RequestLocality;
use crate::state::AppState;
use app::api::directory::FinderQuery;
use app::error::{AppError, Problem};
use app::i18n::Locale;
use app::model::directory::ServiceMatch;
use app::model::Locality;
use app::store::DirectoryStore;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Deserialize)]
pub struct ServicesQuery {
    #[serde(flatten)]
    finder: FinderQuery,
    open_at: Option<String>,
}

fn service_json(m: &ServiceMatch, base: &str, locality: &Locality, now: DateTime<Utc>) -> Value {
    let s = &m.service;
    let d = &s.draft;
    let page = app::paths::locality_page(locality, Locale::ro, &format!("/services/{}", s.id));
    json!({
        "id": s.id,
        "url": format!("{base}{page}"),
        "name": d.name,
        "description": d.description,
        "eligibility": d.eligibility,
        "provider": d.provider,
        "organisation": s.organisation_name,
        "category": d.category.as_str(),
        "audience": d.audience.as_str(),
        "address": d.address,
        "lat": d.at.map(|p| p.lat),
        "lng": d.at.map(|p| p.lng),
        "hours": d.hours.to_string(),
        "languages": d.languages,
        "free": d.free,
        "phone": d.phone,
        "email": d.email,
        "website": d.website,
        "checked_at": s.checked_at,
        "stale": s.is_stale(now),
        "open_now": m.open_now,
        "distance_m": m.distance_m,
    })
}

/// `GET /api/v1/services`: `{ "services": [...] }`, the finder's order.
pub async fn list(
    State(state): State<AppState>,
    RequestLocality(locality): RequestLocality,
    Query(q): Query<ServicesQuery>,
) -> Response {
    let now = chrono::Utc::now();
    let at = match q.open_at.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => match DateTime::parse_from_rfc3339(t) {
            Ok(t) => t.with_timezone(&Utc),
            Err(_) => return error_response(AppError::invalid("open_at", Problem::Invalid)),
        },
        None => now,
    };
    let answers = match q.finder.answers(&locality) {
        Ok(a) => a,
        Err(err) => return error_response(err),
    };
    match state.db.services(locality.id).await {
        Ok(services) => {
            let base = &state.config.public_url;
            let found = answers.find(services, at, Locale::ro);
            let items: Vec<Value> =
                found.iter().map(|m| service_json(m, base, &locality, now)).collect();
            axum::Json(json!({ "services": items })).into_response()
        }
        Err(err) => error_response(err.into()),
    }
}
