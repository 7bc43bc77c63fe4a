//! Open data about participation: polls (with their live results) and initiatives.

use super::csv::{text_cell, to_csv};
use super::site::RequestLocality;
use super::{error_response, Id};
use crate::live::Snapshot;
use crate::state::AppState;
use app::error::AppError;
use app::model::vote::{InitiativeQuery, PollDetail, PollResults};
use app::model::Viewer;
use app::store::{InitiativeStore, PollStore, Topic};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::{json, Value};
use std::convert::Infallible;
use tokio_stream::wrappers::BroadcastStream;

fn poll_json(poll: &PollDetail, base: &str, visible: bool) -> Value {
    let results = poll.results.clone().unwrap_or_default();
    json!({
        "id": poll.summary.id,
        "url": format!("{base}/ro/polls/{}", poll.summary.id),
        "question": poll.summary.question,
        "description": poll.description,
        "status": poll.summary.status.as_str(),
        "opens_at": poll.summary.opens_at,
        "closes_at": poll.summary.closes_at,
        "max_choices": poll.max_choices,
        "participants": results.participants,
        "options": poll.options.iter().map(|o| json!({
            "id": o.id,
            "label": o.label,
            "link": o.link,
            "votes": visible.then(|| results.votes_for(o.id)),
        })).collect::<Vec<_>>(),
    })
}

/// `GET /api/v1/polls[?locality=slug]`: every poll of the locality (the default one unless
/// named), the latest closing first.
pub async fn polls(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    RequestLocality(locality): RequestLocality,
) -> Response {
    let list = match state.db.polls(locality.id).await {
        Ok(list) => list,
        Err(err) => return error_response(err.into()),
    };
    let mut out = Vec::with_capacity(list.len());
    for summary in list {
        if let Ok(poll) = state.db.poll(summary.id, viewer.user_id()).await {
            out.push(poll_json(&poll, &state.config.public_url, poll.results_visible_to(&viewer)));
        }
    }
    axum::Json(json!({ "polls": out })).into_response()
}

/// `GET /api/v1/polls/{id}`: the question, options with `votes`, `participants`, status, dates.
pub async fn poll(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Id(id): Id,
) -> Response {
    match state.db.poll(id, viewer.user_id()).await {
        Ok(p) => axum::Json(poll_json(&p, &state.config.public_url, p.results_visible_to(&viewer)))
            .into_response(),
        Err(err) => error_response(err.into()),
    }
}

/// `GET /api/v1/polls/{id}/events`: server-sent events named `results` with the counts, first
/// at once and then after every vote (coalesced); keep-alive comments in between.
pub async fn poll_events(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Id(id): Id,
) -> Response {
    // Subscribe before reading, so that no vote falls between the first counts and the updates.
    let updates = BroadcastStream::new(state.live.subscribe(Topic::Poll(id)))
        .filter_map(|r| async move { r.ok().and_then(Snapshot::poll) });
    let poll = match state.db.poll(id, viewer.user_id()).await {
        Ok(poll) => poll,
        Err(err) => return error_response(err.into()),
    };
    let visible = poll.results_visible_to(&viewer);
    let shown = move |r: PollResults| {
        let r = if visible {
            r
        } else {
            PollResults { poll_id: r.poll_id, participants: r.participants, votes: Vec::new() }
        };
        Ok::<_, Infallible>(Event::default().event("results").json_data(&r).unwrap_or_default())
    };
    let first = futures_util::stream::iter(poll.results.clone());
    let stream = first.chain(updates).map(shown);
    Sse::new(stream).keep_alive(KeepAlive::default()).into_response()
}

#[derive(Deserialize)]
pub struct CsvQuery {
    lang: Option<String>,
}

/// `GET /api/v1/polls/{id}/results.csv`: one row per option, then the participants.
pub async fn poll_csv(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Id(id): Id,
    Query(q): Query<CsvQuery>,
) -> Response {
    let poll = match state.db.poll(id, viewer.user_id()).await {
        Ok(poll) => poll,
        Err(err) => return error_response(err.into()),
    };
    if !poll.results_visible_to(&viewer) {
        // The results are shown after voting or closing.
        return error_response(AppError::Forbidden);
    }
    let locale = q.lang.as_deref().and_then(app::locale::parse).unwrap_or(app::i18n::Locale::ro);
    let results = poll.results.clone().unwrap_or_default();
    let header_row = ["option", "votes", "percent"].map(str::to_owned).to_vec();
    let option_rows = poll.options.iter().map(|o| {
        vec![
            text_cell(o.label.get(locale)),
            results.votes_for(o.id).to_string(),
            format!("{:.2}", results.share(o.id) * 100.0),
        ]
    });
    let participants =
        vec!["participants".to_owned(), results.participants.to_string(), String::new()];
    let csv = to_csv(std::iter::once(header_row).chain(option_rows).chain([participants]));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"poll-{id}-results.csv\""),
            ),
        ],
        csv,
    )
        .into_response()
}

/// `GET /api/v1/initiatives[?locality=slug]`: the locality's initiatives with `votes` and `level`.
pub async fn initiatives(
    State(state): State<AppState>,
    RequestLocality(locality): RequestLocality,
) -> Response {
    let query = InitiativeQuery { locality_id: locality.id, per_page: 100, ..Default::default() };
    let mut all = Vec::new();
    let mut page = 0;
    loop {
        let p = match state.db.initiatives(&InitiativeQuery { page, ..query.clone() }).await {
            Ok(p) => p,
            Err(err) => return error_response(err.into()),
        };
        let done = p.items.len() < 100;
        all.extend(p.items);
        if done {
            break;
        }
        page += 1;
    }
    let base = &state.config.public_url;
    let out: Vec<Value> = all
        .into_iter()
        .map(|i| {
            json!({
                "id": i.id,
                "url": format!("{base}/ro/initiatives/{}", i.id),
                "title": i.title,
                "lang": i.lang,
                "category": i.category,
                "author": i.author,
                "created_at": i.created_at,
                "closes_at": i.closes_at,
                "votes": i.votes,
                "level": i.level.map(|l| l.as_str()),
                "location": i.at.map(|p| json!({ "lat": p.lat, "lng": p.lng })),
                "answered": i.answered,
            })
        })
        .collect();
    axum::Json(json!({ "initiatives": out })).into_response()
}
