//! The NGO network's calendar as open data:
//!
//! - `GET /api/v1/events?locality=&organisation=&past=&month=`: published events as JSON, with
//!   coordinates (upcoming by default; `past=true`, or a `month=YYYY-MM`);
//! - `GET /api/v1/events.ics?locality=&organisation=&lang=`: the calendar feed (RFC 5545) of
//!   the locality, or of one organisation (`organisation=` its slug), for phone calendars: every
//!   published event from 90 days back on, written by `icalendar`;
//! - `GET /api/v1/events/{id}.ics?lang=`: one published event, to add to a phone's calendar.

use super::site::RequestLocality;
use super::{error_response, ApiError};
use crate::state::AppState;
use app::error::{AppError, Problem};
use app::i18n::{td_string, Locale};
use app::model::network::{Event, EventQuery, EventStatus, EventWindow};
use app::model::Locality;
use app::store::NetworkStore;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use icalendar::{Calendar, Component, EventLike};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Deserialize)]
pub struct EventsQuery {
    organisation: Option<String>,
    past: Option<String>,
    month: Option<String>,
    lang: Option<String>,
}

/// How far back the calendar feed reaches: phones keep what they imported already.
const FEED_DAYS_BACK: i64 = 90;

/// The organisation named by slug, if any, checked to be the locality's.
async fn organisation_id(
    state: &AppState,
    locality: &Locality,
    slug: Option<&str>,
) -> Result<Option<i64>, ApiError> {
    match slug.map(str::trim).filter(|s| !s.is_empty()) {
        Some(slug) => Ok(Some(state.db.organisation_by_slug(locality.id, slug).await?.id)),
        None => Ok(None),
    }
}

fn event_page(base: &str, locality: &Locality, lang: Locale, id: i64) -> String {
    format!("{base}{}", app::paths::locality_page(locality, lang, &format!("/events/{id}")))
}

fn event_json(e: &Event, base: &str, locality: &Locality) -> Value {
    json!({
        "id": e.id,
        "url": event_page(base, locality, Locale::ro, e.id),
        "title": e.title,
        "description": e.description,
        "starts_at": e.starts_at,
        "ends_at": e.ends_at,
        "place": (!e.place.is_empty()).then_some(&e.place),
        "lat": e.at.map(|p| p.lat),
        "lng": e.at.map(|p| p.lng),
        "online_url": (!e.online_url.is_empty()).then_some(&e.online_url),
        "language": e.language,
        "audience": e.audience.as_str(),
        "category": e.category.as_str(),
        "organisation": {
            "slug": e.organisation.slug,
            "name": e.organisation.name,
            "website": e.organisation.website,
        },
    })
}

/// `GET /api/v1/events`: `{ "events": [...] }`, soonest first (latest first for `past`).
pub async fn list(
    State(state): State<AppState>,
    RequestLocality(locality): RequestLocality,
    Query(q): Query<EventsQuery>,
) -> Response {
    let organisation_id = match organisation_id(&state, &locality, q.organisation.as_deref()).await
    {
        Ok(id) => id,
        Err(err) => return err.into_response(),
    };
    let window = match q.month.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(month) => match app::format::city_month(month) {
            Some((from, until)) => EventWindow::Between(from, until),
            None => return error_response(AppError::invalid("month", Problem::Invalid)),
        },
        None if q.past.as_deref() == Some("true") => EventWindow::Past,
        None => EventWindow::Upcoming,
    };
    let query = EventQuery { window, organisation_id, limit: 1000 };
    match state.db.events(locality.id, &query).await {
        Ok(events) => {
            let base = &state.config.public_url;
            let items: Vec<Value> = events.iter().map(|e| event_json(e, base, &locality)).collect();
            axum::Json(json!({ "events": items })).into_response()
        }
        Err(err) => error_response(err.into()),
    }
}

/// `GET /api/v1/events.ics`: `text/calendar`, one `VEVENT` per published event, in `lang`
/// (Romanian by default; a text missing in that language falls back as on the pages).
pub async fn feed(
    State(state): State<AppState>,
    RequestLocality(locality): RequestLocality,
    Query(q): Query<EventsQuery>,
) -> Response {
    let lang = q.lang.as_deref().and_then(app::locale::parse).unwrap_or(Locale::ro);
    let organisation_id = match organisation_id(&state, &locality, q.organisation.as_deref()).await
    {
        Ok(id) => id,
        Err(err) => return err.into_response(),
    };
    let from = chrono::Utc::now() - chrono::TimeDelta::days(FEED_DAYS_BACK);
    let query = EventQuery { window: EventWindow::Since(from), organisation_id, limit: 1000 };
    let events = match state.db.events(locality.id, &query).await {
        Ok(events) => events,
        Err(err) => return error_response(err.into()),
    };
    let name = td_string!(lang, events.feed_name, locality = locality.name.get(lang));
    calendar_response(&state, &locality, lang, &name, &events, "agora-events.ics")
}

/// `GET /api/v1/events/{id}.ics`: one published event as a calendar file, to add to a phone's
/// calendar from its page (a proposal, another locality's event or an unknown one is 404).
pub async fn one(
    State(state): State<AppState>,
    RequestLocality(locality): RequestLocality,
    Path(file): Path<String>,
    Query(q): Query<EventsQuery>,
) -> Response {
    let lang = q.lang.as_deref().and_then(app::locale::parse).unwrap_or(Locale::ro);
    let Some(id) = file.strip_suffix(".ics").and_then(|id| id.parse::<i64>().ok()) else {
        return error_response(AppError::NotFound);
    };
    match state.db.event(id).await {
        Ok(e) if e.locality_id == locality.id && e.status == EventStatus::Published => {
            let (title, _) = e.title.get_in(lang);
            let title = title.to_owned();
            calendar_response(
                &state,
                &locality,
                lang,
                &title,
                &[e],
                &format!("agora-event-{id}.ics"),
            )
        }
        Ok(_) => error_response(AppError::NotFound),
        Err(err) => error_response(err.into()),
    }
}

/// A calendar named `name` with one `VEVENT` per event, as a `text/calendar` answer.
fn calendar_response(
    state: &AppState,
    locality: &Locality,
    lang: Locale,
    name: &str,
    events: &[Event],
    file_name: &str,
) -> Response {
    let base = &state.config.public_url;
    let host = base.split("://").nth(1).unwrap_or(base).trim_end_matches('/');
    let mut calendar = Calendar::new();
    calendar.name(name);
    for e in events {
        let page = event_page(base, locality, lang, e.id);
        let (title, _) = e.title.get_in(lang);
        let (description, _) = e.description.get_in(lang);
        let mut details = format!("{description}\n\n{}", e.organisation.name);
        if !e.online_url.is_empty() {
            details.push_str(&format!("\n{}", e.online_url));
        }
        details.push_str(&format!("\n{page}"));
        let mut item = icalendar::Event::new();
        item.uid(&format!("event-{}@{host}", e.id))
            .timestamp(e.updated_at)
            .created(e.created_at)
            .last_modified(e.updated_at)
            .summary(title)
            .description(&details)
            .starts(e.starts_at)
            .ends(e.ends_at)
            .url(&page)
            .status(icalendar::EventStatus::Confirmed);
        let place = match (e.place.is_empty(), e.online_url.is_empty()) {
            (false, _) => e.place.as_str(),
            (true, false) => e.online_url.as_str(),
            (true, true) => "",
        };
        if !place.is_empty() {
            item.location(place);
        }
        if let Some(at) = e.at {
            item.add_property("GEO", format!("{:.6};{:.6}", at.lat, at.lng));
        }
        calendar.push(item.done());
    }
    let body = calendar.done().to_string();
    let disposition = format!("inline; filename=\"{file_name}\"");
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CONTENT_DISPOSITION, disposition.as_str()),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}
