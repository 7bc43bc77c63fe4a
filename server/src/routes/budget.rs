//! Open data of the civic budget: editions with their budgets and projects, and each budget's
//! count as CSV and as a Pabulib `.pb` file. Votes and counts are public once an edition has
//! reached its results phase (staff of the locality see them before).

use super::csv::{text_cell, to_csv};
use super::site::RequestLocality;
use super::{error_response, Id};
use crate::state::AppState;
use app::error::AppError;
use app::model::budget::ProjectStatus;
use app::model::civic_budget::{EditionDetail, EditionSummary, Phase, ProposalStatus};
use app::model::Viewer;
use app::store::BudgetStore;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::{json, Value};

fn edition_json(e: &EditionSummary, base: &str) -> Value {
    json!({
        "id": e.id,
        "slug": e.slug,
        "url": format!("{base}/ro/budget/{}", e.slug),
        "title": e.title,
        "phase": e.phase.as_str(),
        "phases": Phase::ALL.iter().map(|p| json!({
            "phase": p.as_str(),
            "starts_at": e.dates.start(*p),
            "ends_at": e.dates.end(*p),
        })).collect::<Vec<_>>(),
        "confirmed_ballots": e.confirmed_ballots,
    })
}

fn counts_visible(e: &EditionSummary, viewer: &Viewer) -> bool {
    e.phase >= Phase::Results || viewer.is_staff_of(e.locality_id)
}

/// `GET /api/v1/budget/editions[?locality=slug]`: the locality's editions, newest first.
pub async fn editions(
    State(state): State<AppState>,
    RequestLocality(locality): RequestLocality,
) -> Response {
    match state.db.editions(locality.id).await {
        Ok(list) => {
            let base = &state.config.public_url;
            let out: Vec<Value> = list.iter().map(|e| edition_json(e, base)).collect();
            axum::Json(json!({ "editions": out })).into_response()
        }
        Err(err) => error_response(err.into()),
    }
}

/// `GET /api/v1/budget/editions/{id}`: the edition, its budgets, and the projects (submitted,
/// feasible or not) with cost, and once the results are out, votes and whether funded.
pub async fn edition(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Id(id): Id,
) -> Response {
    let detail: EditionDetail = match state.db.edition_by_id(id).await {
        Ok(d) => d,
        Err(err) => return error_response(err.into()),
    };
    let visible = counts_visible(&detail.edition, &viewer);
    let base = &state.config.public_url;
    let mut budgets = Vec::with_capacity(detail.budgets.len());
    for b in &detail.budgets {
        let outcome = if visible {
            match state.db.budget_results(b.id).await {
                Ok(r) => Some(r.outcome),
                Err(err) => return error_response(err.into()),
            }
        } else {
            None
        };
        let projects: Vec<Value> = detail
            .proposals
            .iter()
            .filter(|p| p.budget_id == b.id && p.status != ProposalStatus::Draft)
            .map(|p| {
                json!({
                    "id": p.id,
                    "title": p.title,
                    "lang": p.lang,
                    "status": p.status.as_str(),
                    "cost": p.ballot_cost(),
                    "estimated_cost": p.cost,
                    "direction": p.direction,
                    "position": p.at.map(|at| [at.lat, at.lng]),
                    "mixed_team": p.mixed_team,
                    "cohesion_actions": p.cohesion_actions,
                    "review_reason": p.review_reason,
                    "photos": p.photos.iter().map(|ph| format!("{base}/media/proposals/{}", ph.id)).collect::<Vec<_>>(),
                    "votes": visible.then_some(p.votes),
                    "funded": outcome.as_ref().map(|o| o.is_funded(&p.id.to_string())),
                })
            })
            .collect();
        budgets.push(json!({
            "id": b.id,
            "name": b.name,
            "amount": b.amount,
            "ballot_rule": b.ballot_rule,
            "outcome_rule": b.outcome_rule,
            "spent": outcome.as_ref().map(|o| o.spent),
            "voters": outcome.as_ref().map(|o| o.voters),
            "projects": projects,
        }));
    }
    let mut out = edition_json(&detail.edition, &state.config.public_url);
    out["budgets"] = Value::Array(budgets);
    axum::Json(out).into_response()
}

/// The edition of a budget, when its counts are visible to `viewer`.
async fn visible_budget(state: &AppState, viewer: &Viewer, id: i64) -> Result<(), AppError> {
    let (edition, _) = state.db.budget_edition(id).await?;
    if counts_visible(&edition, viewer) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// `GET /api/v1/budget/budgets/{id}/results.csv`: one row per project, in the outcome's order.
pub async fn results_csv(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Id(id): Id,
) -> Response {
    if let Err(err) = visible_budget(&state, &viewer, id).await {
        return error_response(err);
    }
    let results = match state.db.budget_results(id).await {
        Ok(r) => r,
        Err(err) => return error_response(err.into()),
    };
    let header_row =
        ["project_id", "title", "cost", "votes", "funded", "reason"].map(str::to_owned).to_vec();
    let rows = results.outcome.projects.iter().map(|p| {
        let reason = match p.status {
            ProjectStatus::Funded => String::new(),
            ProjectStatus::NoVotes => "no_votes".to_owned(),
            ProjectStatus::DidNotFit { left } => format!("did_not_fit:{left}"),
            ProjectStatus::NotEnoughSupport => "not_enough_support".to_owned(),
        };
        vec![
            p.id.clone(),
            text_cell(results.title_of(&p.id)),
            p.cost.to_string(),
            p.votes.to_string(),
            matches!(p.status, ProjectStatus::Funded).to_string(),
            reason,
        ]
    });
    let csv = to_csv(std::iter::once(header_row).chain(rows));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"budget-{id}-results.csv\""),
            ),
        ],
        csv,
    )
        .into_response()
}

/// `GET /api/v1/budget/budgets/{id}/results.pb`: the count as a Pabulib file, voters numbered
/// anew, with the channel of each ballot.
pub async fn results_pb(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Id(id): Id,
) -> Response {
    if let Err(err) = visible_budget(&state, &viewer, id).await {
        return error_response(err);
    }
    match state.db.budget_pabulib(id).await {
        Ok(file) => (
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"budget-{id}.pb\"")),
            ],
            file,
        )
            .into_response(),
        Err(err) => error_response(err.into()),
    }
}

/// `GET /api/v1/budget/editions/{id}/events`: server-sent `count` events with the edition's
/// confirmed ballots, the current number first, then each change (public, as the number is on
/// the edition's page).
pub async fn edition_events(State(state): State<AppState>, Id(id): Id) -> Response {
    use crate::live::Snapshot;
    use axum::response::sse::{Event, KeepAlive, Sse};
    use futures_util::StreamExt;
    use tokio_stream::wrappers::BroadcastStream;
    // Subscribe before reading, so that no ballot falls between the first count and the updates.
    let updates = BroadcastStream::new(state.live.subscribe(app::store::Topic::Edition(id)))
        .filter_map(|r| async move { r.ok().and_then(Snapshot::confirmed_ballots) });
    if let Err(err) = state.db.edition_by_id(id).await {
        return error_response(err.into());
    }
    let first = match state.db.confirmed_ballots(id).await {
        Ok(n) => n,
        Err(err) => return error_response(err.into()),
    };
    let stream = futures_util::stream::iter([first]).chain(updates).map(|n| {
        Ok::<_, std::convert::Infallible>(Event::default().event("count").data(n.to_string()))
    });
    Sse::new(stream).keep_alive(KeepAlive::default()).into_response()
}
