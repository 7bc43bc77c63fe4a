//! Whole datasets as files: reports (CSV, GeoJSON), initiatives (CSV) and polls with their
//! results (CSV), for one locality (`locality=` a slug, else the default one). Each streams from
//! the database a page at a time in key order, so memory stays flat at a million rows.

use super::csv::{text_cell, to_csv};
use super::locality;
use crate::db::open_data::{InitiativeExportRow, PollOptionExportRow, ReportExportRow};
use crate::db::Db;
use crate::state::AppState;
use app::model::vote::Level;
use app::store::StoreResult;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use futures_util::{stream, Stream, StreamExt};
use serde::Deserialize;
use serde_json::json;
use std::future::Future;

/// Rows read per query: large enough that a million rows take 2,000 queries, small enough that
/// a page is a few hundred kilobytes.
pub const PAGE_ROWS: i64 = 500;

#[derive(Deserialize)]
pub struct ExportQuery {
    locality: Option<String>,
}

/// The pages of a dataset, one query each, starting after `start`; a short page is the last.
/// A failed query ends the stream with an error, so the client sees a broken transfer rather
/// than a file that looks complete.
fn pages<K, R, F, Fut>(
    start: K,
    fetch: F,
    key_of: fn(&R) -> K,
) -> impl Stream<Item = StoreResult<Vec<R>>> + Send + 'static
where
    K: Send + 'static,
    R: Send + 'static,
    F: Fn(K) -> Fut + Send + 'static,
    Fut: Future<Output = StoreResult<Vec<R>>> + Send,
{
    stream::unfold((Some(start), fetch), move |(key, fetch)| async move {
        let key = key?;
        match fetch(key).await {
            Ok(rows) if rows.is_empty() => None,
            Ok(rows) => {
                let next = (rows.len() as i64 >= PAGE_ROWS).then(|| rows.last().map(key_of));
                Some((Ok(rows), (next.flatten(), fetch)))
            }
            Err(err) => Some((Err(err), (None, fetch))),
        }
    })
}

/// A streamed download: `head`, each page rendered by `render` (told whether it is the first
/// page), then `tail`.
fn download<R: Send + 'static>(
    content_type: &'static str,
    file_name: String,
    head: String,
    pages: impl Stream<Item = StoreResult<Vec<R>>> + Send + 'static,
    render: impl Fn(Vec<R>, bool) -> String + Send + 'static,
    tail: &'static str,
) -> Response {
    let body = pages.enumerate().map(move |(i, page)| match page {
        Ok(rows) => Ok(Bytes::from(render(rows, i == 0))),
        Err(err) => {
            tracing::error!(error = %err, "an export stopped part-way");
            Err(std::io::Error::other("export interrupted"))
        }
    });
    let body = stream::once(async move { Ok(Bytes::from(head)) })
        .chain(body)
        .chain(stream::once(async move { Ok(Bytes::from_static(tail.as_bytes())) }));
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn maybe_time(t: Option<DateTime<Utc>>) -> String {
    t.map(time).unwrap_or_default()
}

/// The columns of the reports CSV, in order.
pub const REPORT_COLUMNS: [&str; 16] = [
    "id",
    "url",
    "created_at",
    "updated_at",
    "status",
    "category",
    "title",
    "description",
    "lat",
    "lng",
    "location_confirmed",
    "address",
    "reporter",
    "supporters",
    "first_response_at",
    "resolved_at",
];

fn report_cells(r: &ReportExportRow, base: &str) -> Vec<String> {
    vec![
        r.id.to_string(),
        format!("{base}/ro/reports/{}", r.id),
        time(r.created_at),
        time(r.updated_at),
        r.status.clone(),
        text_cell(&r.category),
        text_cell(&r.title),
        text_cell(&r.description),
        r.lat.to_string(),
        r.lng.to_string(),
        r.location_confirmed.to_string(),
        text_cell(r.address.as_deref().unwrap_or("")),
        text_cell(r.reporter.as_deref().unwrap_or("")),
        r.supporters.to_string(),
        maybe_time(r.first_response_at),
        maybe_time(r.resolved_at),
    ]
}

fn header_row(columns: &[&str]) -> String {
    to_csv([columns.iter().map(|c| (*c).to_owned())])
}

fn report_pages(db: Db, locality_id: i64) -> impl Stream<Item = StoreResult<Vec<ReportExportRow>>> {
    pages(
        0,
        move |after| {
            let db = db.clone();
            async move { db.export_reports_page(locality_id, after, PAGE_ROWS).await }
        },
        |r: &ReportExportRow| r.id,
    )
}

/// `GET /api/v1/export/reports.csv`: every public report, oldest first.
pub async fn reports_csv(State(state): State<AppState>, Query(q): Query<ExportQuery>) -> Response {
    let locality = match locality(&state, q.locality.as_deref()).await {
        Ok(l) => l,
        Err(err) => return err.into_response(),
    };
    let base = state.config.public_url.clone();
    download(
        "text/csv; charset=utf-8",
        format!("{}-reports.csv", locality.slug),
        header_row(&REPORT_COLUMNS),
        report_pages(state.db.clone(), locality.id),
        move |rows, _| to_csv(rows.iter().map(|r| report_cells(r, &base))),
        "",
    )
}

/// `GET /api/v1/export/reports.geojson`: every public report as a GeoJSON (RFC 7946) point.
pub async fn reports_geojson(
    State(state): State<AppState>,
    Query(q): Query<ExportQuery>,
) -> Response {
    let locality = match locality(&state, q.locality.as_deref()).await {
        Ok(l) => l,
        Err(err) => return err.into_response(),
    };
    let base = state.config.public_url.clone();
    let render = move |rows: Vec<ReportExportRow>, first: bool| {
        let mut out = String::with_capacity(rows.len() * 400);
        for (i, r) in rows.iter().enumerate() {
            if !(first && i == 0) {
                out.push(',');
            }
            let feature = json!({
                "type": "Feature",
                "id": r.id,
                "geometry": { "type": "Point", "coordinates": [r.lng, r.lat] },
                "properties": {
                    "id": r.id,
                    "url": format!("{base}/ro/reports/{}", r.id),
                    "created_at": time(r.created_at),
                    "updated_at": time(r.updated_at),
                    "status": r.status,
                    "category": r.category,
                    "title": r.title,
                    "description": r.description,
                    "location_confirmed": r.location_confirmed,
                    "address": r.address,
                    "reporter": r.reporter,
                    "supporters": r.supporters,
                    "first_response_at": r.first_response_at.map(time),
                    "resolved_at": r.resolved_at.map(time),
                },
            });
            out.push('\n');
            out.push_str(&feature.to_string());
        }
        out
    };
    download(
        "application/geo+json",
        format!("{}-reports.geojson", locality.slug),
        r#"{"type":"FeatureCollection","features":["#.to_owned(),
        report_pages(state.db.clone(), locality.id),
        render,
        "\n]}\n",
    )
}

/// The columns of the initiatives CSV, in order.
pub const INITIATIVE_COLUMNS: [&str; 11] = [
    "id",
    "url",
    "created_at",
    "closes_at",
    "title",
    "lang",
    "category",
    "author",
    "votes",
    "level",
    "answered_at",
];

fn initiative_cells(i: &InitiativeExportRow, base: &str) -> Vec<String> {
    let level = usize::try_from(i.levels - 1).ok().and_then(|n| Level::ALL.get(n));
    vec![
        i.id.to_string(),
        format!("{base}/ro/initiatives/{}", i.id),
        time(i.created_at),
        maybe_time(i.closes_at),
        text_cell(&i.title),
        i.lang.clone(),
        text_cell(i.category.as_deref().unwrap_or("")),
        text_cell(&i.author),
        i.votes.to_string(),
        level.map(|l| l.as_str()).unwrap_or("").to_owned(),
        maybe_time(i.answered_at),
    ]
}

/// `GET /api/v1/export/initiatives.csv`: every public initiative with its votes and badge level.
pub async fn initiatives_csv(
    State(state): State<AppState>,
    Query(q): Query<ExportQuery>,
) -> Response {
    let locality = match locality(&state, q.locality.as_deref()).await {
        Ok(l) => l,
        Err(err) => return err.into_response(),
    };
    let base = state.config.public_url.clone();
    let db = state.db.clone();
    let locality_id = locality.id;
    download(
        "text/csv; charset=utf-8",
        format!("{}-initiatives.csv", locality.slug),
        header_row(&INITIATIVE_COLUMNS),
        pages(
            0,
            move |after| {
                let db = db.clone();
                async move { db.export_initiatives_page(locality_id, after, PAGE_ROWS).await }
            },
            |i: &InitiativeExportRow| i.id,
        ),
        move |rows, _| to_csv(rows.iter().map(|i| initiative_cells(i, &base))),
        "",
    )
}

/// The columns of the polls CSV, in order: one row per option.
pub const POLL_COLUMNS: [&str; 10] = [
    "poll_id",
    "url",
    "question",
    "opens_at",
    "closes_at",
    "max_choices",
    "participants",
    "option_position",
    "option",
    "votes",
];

fn poll_cells(p: &PollOptionExportRow, base: &str) -> Vec<String> {
    vec![
        p.poll_id.to_string(),
        format!("{base}/ro/polls/{}", p.poll_id),
        text_cell(&p.question_ro),
        time(p.opens_at),
        time(p.closes_at),
        p.max_choices.to_string(),
        p.participants.to_string(),
        p.position.to_string(),
        text_cell(&p.label_ro),
        p.votes.map(|v| v.to_string()).unwrap_or_default(),
    ]
}

/// `GET /api/v1/export/polls.csv`: every poll's options with their votes (empty while a poll keeps
/// its results until people have voted).
pub async fn polls_csv(State(state): State<AppState>, Query(q): Query<ExportQuery>) -> Response {
    let locality = match locality(&state, q.locality.as_deref()).await {
        Ok(l) => l,
        Err(err) => return err.into_response(),
    };
    let base = state.config.public_url.clone();
    let db = state.db.clone();
    let locality_id = locality.id;
    let now = crate::db::now();
    download(
        "text/csv; charset=utf-8",
        format!("{}-polls.csv", locality.slug),
        header_row(&POLL_COLUMNS),
        pages(
            (0, 0),
            move |after| {
                let db = db.clone();
                async move { db.export_poll_options_page(locality_id, after, PAGE_ROWS, now).await }
            },
            |p: &PollOptionExportRow| (p.poll_id, p.position),
        ),
        move |rows, _| to_csv(rows.iter().map(|p| poll_cells(p, &base))),
        "",
    )
}
