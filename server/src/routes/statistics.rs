//! Open statistics: the tables of the statistics pages as CSV, and the yearly activity report
//! as JSON or CSV. Per locality (`locality=` a slug, else the default one).

use super::csv::{text_cell, to_csv};
use super::error_response;
use super::site::RequestLocality;
use crate::state::AppState;
use app::error::AppError;
use app::i18n::Locale;
use app::model::statistics::{DurationSummary, Statistics, StatsFilter, YearReport};
use app::model::vote::SubjectKind;
use app::model::{Locality, ReportStatus};
use app::store::StatisticsStore;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Map, Value};

#[derive(Deserialize)]
pub struct StatsQuery {
    table: Option<String>,
    lang: Option<String>,
    from: Option<String>,
    to: Option<String>,
    category: Option<String>,
    department: Option<String>,
    status: Option<String>,
}

fn today() -> chrono::NaiveDate {
    app::format::local_date(chrono::Utc::now())
}

fn csv_response(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\"")),
        ],
        body,
    )
        .into_response()
}

fn category_name(locality: &Locality, slug: &str, l: Locale) -> String {
    locality
        .categories
        .iter()
        .find(|c| c.slug == slug)
        .map(|c| c.name.get(l).to_owned())
        .unwrap_or_else(|| slug.to_owned())
}

fn status_name(s: ReportStatus, l: Locale) -> String {
    app::components::status::status_label(l, s).to_owned()
}

fn minutes(d: Option<i64>) -> String {
    d.map(|m| m.to_string()).unwrap_or_default()
}

fn durations(d: &DurationSummary) -> [String; 3] {
    [minutes(d.median_minutes), minutes(d.p90_minutes), d.reports.to_string()]
}

/// One table of the statistics page as rows of cells (header first).
fn table(which: &str, s: &Statistics, locality: &Locality, l: Locale) -> Option<Vec<Vec<String>>> {
    let owned = |cells: &[&str]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
    let dept = |id: i64| {
        if id == 0 {
            String::new()
        } else {
            s.departments.iter().find(|d| d.id == id).map(|d| d.name.clone()).unwrap_or_default()
        }
    };
    let rows = match which {
        "status" => std::iter::once(owned(&["status", "name", "reports"]))
            .chain(s.by_status.iter().map(|(st, n)| {
                vec![st.as_str().to_owned(), text_cell(&status_name(*st, l)), n.to_string()]
            }))
            .collect(),
        "category" => std::iter::once(owned(&[
            "category",
            "name",
            "reports",
            "answered",
            "supporters",
            "followers",
        ]))
        .chain(s.by_category.iter().map(|(slug, c)| {
            vec![
                text_cell(slug),
                text_cell(&category_name(locality, slug, l)),
                c.reports.to_string(),
                c.answered.to_string(),
                c.supporters.to_string(),
                c.followers.to_string(),
            ]
        }))
        .collect(),
        "department" => {
            std::iter::once(owned(&["department_id", "department", "reports", "answered"]))
                .chain(s.by_department.iter().map(|(id, c)| {
                    vec![
                        id.to_string(),
                        text_cell(&dept(*id)),
                        c.reports.to_string(),
                        c.answered.to_string(),
                    ]
                }))
                .collect()
        }
        "month" => {
            let mut header = vec!["month".to_owned()];
            header.extend(s.by_status.iter().map(|(st, _)| st.as_str().to_owned()));
            std::iter::once(header)
                .chain(s.by_month.iter().map(|(m, parts)| {
                    std::iter::once(m.key())
                        .chain(parts.iter().map(|(_, n)| n.to_string()))
                        .collect()
                }))
                .collect()
        }
        "response" => {
            let header = owned(&[
                "category",
                "answer_median_minutes",
                "answer_p90_minutes",
                "answered",
                "resolution_median_minutes",
                "resolution_p90_minutes",
                "resolved",
            ]);
            let line = |name: String, t: &app::model::statistics::ResponseTimes| {
                let mut row = vec![name];
                row.extend(durations(&t.answer));
                row.extend(durations(&t.resolution));
                row
            };
            std::iter::once(header)
                .chain(std::iter::once(line("*".to_owned(), &s.response)))
                .chain(s.response_by_category.iter().map(|(slug, t)| line(text_cell(slug), t)))
                .collect()
        }
        "budget" => std::iter::once(owned(&[
            "edition",
            "title",
            "voting_from",
            "proposals",
            "feasible",
            "ballots_internet",
            "ballots_paper",
        ]))
        .chain(s.budget.iter().map(|e| {
            vec![
                text_cell(&e.slug),
                text_cell(e.title.get(l)),
                e.voting_from.to_rfc3339(),
                e.proposals.to_string(),
                e.feasible.to_string(),
                e.ballots_internet.to_string(),
                e.ballots_paper.to_string(),
            ]
        }))
        .collect(),
        _ => return None,
    };
    Some(rows)
}

/// `GET /api/v1/statistics.csv?table=status|category|department|month|response|budget&…`: one table
/// of the statistics page, for the same locality and filter.
pub async fn statistics_csv(
    State(state): State<AppState>,
    RequestLocality(locality): RequestLocality,
    Query(q): Query<StatsQuery>,
) -> Response {
    let l = q.lang.as_deref().and_then(app::locale::parse).unwrap_or(Locale::ro);
    let filter = StatsFilter::from_query(
        q.from.as_deref(),
        q.to.as_deref(),
        q.category.as_deref(),
        q.department.as_deref(),
        q.status.as_deref(),
    );
    let stats = match state.db.statistics(locality.id, &filter, today()).await {
        Ok(s) => s,
        Err(err) => return error_response(err.into()),
    };
    let which = q.table.as_deref().unwrap_or("status");
    match table(which, &stats, &locality, l) {
        Some(rows) => csv_response(&format!("statistics-{}-{which}", locality.slug), to_csv(rows)),
        None => error_response(AppError::invalid("table", app::error::Problem::Invalid)),
    }
}

#[derive(Deserialize)]
pub struct YearQuery {
    lang: Option<String>,
}

/// The yearly report as JSON: the published figures under stable keys.
fn year_json(report: &YearReport, locality: &Locality) -> Value {
    let s = &report.statistics;
    let by_status: Map<String, Value> =
        s.by_status.iter().map(|(st, n)| (st.as_str().to_owned(), json!(n))).collect();
    let by_category: Map<String, Value> =
        s.by_category.iter().map(|(slug, c)| (slug.clone(), json!(c.reports))).collect();
    json!({
        "locality": locality.slug,
        "year": report.year,
        "reports": {
            "total": s.totals.reports,
            "answered": s.totals.answered,
            "by_status": by_status,
            "by_category": by_category,
            "supporters": s.totals.supporters,
            "median_minutes_to_answer": s.response.answer.median_minutes,
            "median_minutes_to_resolution": s.response.resolution.median_minutes,
            "fixed_answers": { "fixed": s.fixed_confirmed, "not_fixed": s.fixed_disputed },
        },
        "initiatives": report.initiatives.iter().map(|i| json!({
            "id": i.id,
            "title": i.title,
            "lang": i.lang,
            "author": i.author,
            "created_at": i.created_at,
            "votes": i.votes,
            "level": i.level.map(|v| v.as_str()),
        })).collect::<Vec<_>>(),
        "polls": report.polls.iter().map(|p| json!({
            "id": p.id,
            "question": p.question,
            "opens_at": p.opens_at,
            "participants": p.participants,
            "options": p.options.iter().map(|(label, votes)| json!({ "label": label, "votes": votes })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "civic_budget": s.budget.iter().map(|e| json!({
            "edition": e.slug,
            "title": e.title,
            "voting_from": e.voting_from,
            "proposals": e.proposals,
            "feasible": e.feasible,
            "ballots": { "internet": e.ballots_internet, "paper": e.ballots_paper, "total": e.ballots() },
        })).collect::<Vec<_>>(),
    })
}

/// The yearly report as one CSV: a `section` column, then what the section holds.
fn year_csv(report: &YearReport, locality: &Locality, l: Locale) -> String {
    let s = &report.statistics;
    let mut rows: Vec<Vec<String>> =
        vec![vec!["section".into(), "item".into(), "name".into(), "value".into()]];
    let mut push = |section: &str, item: String, name: String, value: String| {
        rows.push(vec![section.to_owned(), item, text_cell(&name), value]);
    };
    push("reports", "total".into(), String::new(), s.totals.reports.to_string());
    push("reports", "answered".into(), String::new(), s.totals.answered.to_string());
    for (st, n) in &s.by_status {
        push("status", st.as_str().into(), status_name(*st, l), n.to_string());
    }
    for (slug, c) in &s.by_category {
        push("category", text_cell(slug), category_name(locality, slug, l), c.reports.to_string());
    }
    for i in &report.initiatives {
        let level = i.level.map(|v| v.badge()).unwrap_or_default();
        push(
            SubjectKind::Initiative.as_str(),
            i.id.to_string(),
            i.title.clone(),
            format!("{} {level}", i.votes).trim().to_owned(),
        );
    }
    for p in &report.polls {
        push(
            SubjectKind::Poll.as_str(),
            p.id.to_string(),
            p.question.get(l).to_owned(),
            p.participants.to_string(),
        );
        for (label, votes) in &p.options {
            push("poll_option", p.id.to_string(), label.get(l).to_owned(), votes.to_string());
        }
    }
    for e in &s.budget {
        let title = e.title.get(l).to_owned();
        push("budget_proposals", text_cell(&e.slug), title.clone(), e.proposals.to_string());
        push("budget_feasible", text_cell(&e.slug), title.clone(), e.feasible.to_string());
        push(
            "budget_ballots_internet",
            text_cell(&e.slug),
            title.clone(),
            e.ballots_internet.to_string(),
        );
        push("budget_ballots_paper", text_cell(&e.slug), title, e.ballots_paper.to_string());
    }
    to_csv(rows)
}

/// `GET /api/v1/statistics/year/{yyyy}` (JSON) and `/api/v1/statistics/year/{yyyy}.csv`.
pub async fn year_report(
    State(state): State<AppState>,
    RequestLocality(locality): RequestLocality,
    Path(file): Path<String>,
    Query(q): Query<YearQuery>,
) -> Response {
    let (year, as_csv) = match file.strip_suffix(".csv") {
        Some(y) => (y, true),
        None => (file.as_str(), false),
    };
    let current = chrono::Datelike::year(&today());
    let Some(year) =
        year.parse::<i32>().ok().filter(|y| app::api::statistics::is_report_year(*y, current))
    else {
        return error_response(AppError::NotFound);
    };
    let report = match state.db.year_report(locality.id, year, today()).await {
        Ok(r) => r,
        Err(err) => return error_response(err.into()),
    };
    if as_csv {
        let l = q.lang.as_deref().and_then(app::locale::parse).unwrap_or(Locale::ro);
        csv_response(&format!("activity-{}-{year}", locality.slug), year_csv(&report, &locality, l))
    } else {
        axum::Json(year_json(&report, &locality)).into_response()
    }
}
