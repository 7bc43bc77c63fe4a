//! Atom feeds (RFC 4287), written by `atom_syndication`:
//!
//! - `GET /feeds/reports.atom?locality=&category=&lat=&lng=&radius=&lang=`: a locality's newest
//!   reports, optionally of one category and within a circle;
//! - `GET /feeds/reports/{id}.atom?lang=`: one report's official updates;
//! - `GET /feeds/announcements.atom?locality=&lang=`: the locality's announcements;
//! - `GET /feeds/newsletters.atom?locality=&lang=`: the NGO network's published newsletters.
//!
//! Entry links point at the pages in `lang` (Romanian by default).

use super::ApiError;
use crate::state::AppState;
use app::components::status::status_label;
use app::error::{AppError, Problem};
use app::i18n::{td_string, Locale};
use app::model::{LatLng, ReportStatus};
use app::store::{AnnouncementStore, NewsletterStore, ReportReads};
use atom_syndication::{Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct FeedQuery {
    locality: Option<String>,
    category: Option<String>,
    lat: Option<String>,
    lng: Option<String>,
    radius: Option<String>,
    lang: Option<String>,
}

/// The largest circle a feed may ask for, in metres.
const MAX_RADIUS_M: f64 = 20_000.0;

fn bad(field: &str, problem: Problem) -> ApiError {
    ApiError(AppError::invalid(field, problem))
}

fn fixed(t: DateTime<Utc>) -> FixedDateTime {
    t.fixed_offset()
}

fn link(href: String, rel: &str) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel);
    l
}

fn entry(
    id: String,
    title: String,
    updated: DateTime<Utc>,
    href: String,
    summary: String,
) -> Entry {
    let mut e = Entry::default();
    e.set_id(id);
    e.set_title(Text::plain(title));
    e.set_updated(fixed(updated));
    e.set_published(Some(fixed(updated)));
    e.set_links(vec![link(href, "alternate")]);
    e.set_summary(Some(Text::plain(summary)));
    e
}

/// A feed with its self link and author; `updated` is its newest entry's (or `fallback`).
fn feed(
    state: &AppState,
    self_path: String,
    page_path: String,
    title: String,
    entries: Vec<Entry>,
    fallback: DateTime<Utc>,
) -> Response {
    let base = &state.config.public_url;
    let mut f = Feed::default();
    f.set_id(format!("{base}{self_path}"));
    f.set_title(Text::plain(title));
    f.set_updated(entries.iter().map(|e| *e.updated()).max().unwrap_or_else(|| fixed(fallback)));
    let mut author = Person::default();
    author.set_name("Agora");
    author.set_uri(Some(base.clone()));
    f.set_authors(vec![author]);
    f.set_links(vec![
        link(format!("{base}{self_path}"), "self"),
        link(format!("{base}{page_path}"), "alternate"),
    ]);
    f.set_entries(entries);
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        f.to_string(),
    )
        .into_response()
}

fn locale_of(q: &FeedQuery) -> Locale {
    q.lang.as_deref().and_then(app::locale::parse).unwrap_or(Locale::ro)
}

/// The circle of `lat`, `lng` and `radius` (all three or none).
fn area_of(q: &FeedQuery) -> Result<Option<(LatLng, f64)>, ApiError> {
    match (q.lat.as_deref(), q.lng.as_deref(), q.radius.as_deref()) {
        (None, None, None) => Ok(None),
        (Some(lat), Some(lng), Some(radius)) => {
            let centre = app::model::input::position(lat, lng, &Default::default())
                .ok()
                .flatten()
                .ok_or_else(|| bad("location", Problem::Invalid))?;
            let radius = radius
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|r| *r > 0.0 && *r <= MAX_RADIUS_M)
                .ok_or_else(|| bad("radius", Problem::Invalid))?;
            Ok(Some((centre, radius)))
        }
        _ => Err(bad("location", Problem::Required)),
    }
}

pub async fn reports(
    State(state): State<AppState>,
    Query(q): Query<FeedQuery>,
) -> Result<Response, ApiError> {
    let locale = locale_of(&q);
    let locality = super::locality(&state, q.locality.as_deref()).await?;
    let category = q.category.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let category = match category {
        Some(slug) => Some(
            locality
                .categories
                .iter()
                .find(|c| c.slug == slug)
                .ok_or_else(|| bad("category", Problem::Invalid))?,
        ),
        None => None,
    };
    let area = area_of(&q)?;
    let rows = state.db.feed_reports(locality.id, category.map(|c| c.slug.as_str()), area).await?;
    let base = &state.config.public_url;
    let entries = rows
        .into_iter()
        .map(|r| {
            let status = ReportStatus::parse(&r.status).map(|s| status_label(locale, s));
            let summary = match status {
                Some(s) => format!("{s}. {}", r.description),
                None => r.description,
            };
            entry(
                format!("{base}/reports/{}", r.id),
                r.title,
                r.created_at,
                format!("{base}/{locale}/reports/{}", r.id),
                summary,
            )
        })
        .collect();
    let name = locality.name.get(locale);
    let title = match category {
        Some(c) => format!(
            "{} — {}",
            td_string!(locale, alerts.feed_reports_title, locality = name),
            c.name.get(locale)
        ),
        None => td_string!(locale, alerts.feed_reports_title, locality = name).to_string(),
    };
    let self_path = format!("/feeds/reports.atom?locality={}&lang={locale}", locality.slug);
    Ok(feed(&state, self_path, format!("/{locale}"), title, entries, locality_epoch()))
}

/// When a feed with no entries says it was updated: a fixed moment, so that it does not seem
/// to change on every request.
fn locality_epoch() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

pub async fn report(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<FeedQuery>,
) -> Result<Response, ApiError> {
    let locale = locale_of(&q);
    let id = file
        .strip_suffix(".atom")
        .and_then(|id| id.parse::<i64>().ok())
        .ok_or(ApiError(AppError::NotFound))?;
    let report = state.db.report(id, None).await?;
    let base = &state.config.public_url;
    let page = format!("{base}/{locale}/reports/{id}");
    let entries = report
        .timeline
        .iter()
        .enumerate()
        .filter(|(_, e)| e.official)
        .map(|(i, e)| {
            let title = match e.to {
                Some(to) => status_label(locale, to).to_owned(),
                None => td_string!(locale, alerts.feed_answer).to_owned(),
            };
            entry(
                format!("{base}/reports/{id}/updates/{i}"),
                title,
                e.at,
                page.clone(),
                e.body.clone(),
            )
        })
        .collect();
    let title =
        td_string!(locale, alerts.feed_report_title, id = id, title = report.title.as_str())
            .to_string();
    let self_path = format!("/feeds/reports/{id}.atom?lang={locale}");
    Ok(feed(
        &state,
        self_path,
        format!("/{locale}/reports/{id}"),
        title,
        entries,
        report.created_at,
    ))
}

pub async fn announcements(
    State(state): State<AppState>,
    Query(q): Query<FeedQuery>,
) -> Result<Response, ApiError> {
    let locale = locale_of(&q);
    let locality = super::locality(&state, q.locality.as_deref()).await?;
    let base = &state.config.public_url;
    let items = state.db.announcements(locality.id, None).await?;
    let entries = items
        .into_iter()
        .map(|a| {
            entry(
                format!("{base}/announcements/{}", a.id),
                a.title.get(locale).to_owned(),
                a.created_at,
                format!("{base}/{locale}/announcements#announcement-{}", a.id),
                a.body.get(locale).to_owned(),
            )
        })
        .collect();
    let title =
        td_string!(locale, alerts.feed_announcements_title, locality = locality.name.get(locale))
            .to_string();
    let self_path = format!("/feeds/announcements.atom?locality={}&lang={locale}", locality.slug);
    Ok(feed(
        &state,
        self_path,
        format!("/{locale}/announcements"),
        title,
        entries,
        locality_epoch(),
    ))
}

pub async fn newsletters(
    State(state): State<AppState>,
    Query(q): Query<FeedQuery>,
) -> Result<Response, ApiError> {
    let locale = locale_of(&q);
    let locality = super::locality(&state, q.locality.as_deref()).await?;
    let base = &state.config.public_url;
    let site = (!locality.is_default).then_some(locality.slug.as_str());
    let issues = state.db.newsletters(locality.id, false).await?;
    let entries = issues
        .into_iter()
        .filter_map(|n| {
            let published = n.published_at?;
            let page = app::paths::site_page(site, locale, &format!("/newsletters/{}", n.id));
            let mut e = entry(
                format!("{base}/newsletters/{}", n.id),
                n.title.get(locale).to_owned(),
                published,
                format!("{base}{page}"),
                n.body.get(locale).to_owned(),
            );
            // A corrected issue is the same entry, updated.
            e.set_updated(fixed(n.updated_at.max(published)));
            Some(e)
        })
        .collect();
    let title = td_string!(locale, newsletters.feed_title, locality = locality.name.get(locale))
        .to_string();
    let self_path = format!("/feeds/newsletters.atom?locality={}&lang={locale}", locality.slug);
    Ok(feed(
        &state,
        self_path,
        app::paths::site_page(site, locale, "/newsletters"),
        title,
        entries,
        locality_epoch(),
    ))
}
