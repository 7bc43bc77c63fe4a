//! `GET /api/v1/surveys/{id}/results.csv`. Staff get every sheet, one row each, with the
//! answers in words (an anonymous survey's rows carry nothing that names a person or a time);
//! the public, once the results are published, gets the counts per answer with every figure
//! from fewer than five people left out, as the results page shows them.

use super::csv::{text_cell, to_csv};
use super::{error_response, Id};
use crate::state::AppState;
use app::error::AppError;
use app::i18n::Locale;
use app::model::survey::{for_showing, results_visible, tally, Answer, QuestionKind, Survey};
use app::model::Viewer;
use app::store::{NetworkStore, SurveyStore};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct CsvQuery {
    lang: Option<String>,
}

pub async fn results_csv(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Id(id): Id,
    Query(q): Query<CsvQuery>,
) -> Response {
    let survey = match state.db.survey(id).await {
        Ok(s) => s,
        Err(err) => return error_response(err.into()),
    };
    let staff = match runs(&state, &viewer, &survey).await {
        Ok(runs) => runs,
        Err(err) => return error_response(err),
    };
    if !results_visible(&survey, staff) {
        // Unpublished surveys and private results do not exist for the public.
        return error_response(AppError::NotFound);
    }
    let locale = q.lang.as_deref().and_then(app::locale::parse).unwrap_or(Locale::ro);
    let sheets = match state.db.sheets(id).await {
        Ok(s) => s,
        Err(err) => return error_response(err.into()),
    };
    let csv = if staff {
        every_sheet(&survey, &sheets, locale)
    } else {
        counts(&survey, &sheets, locale)
    };
    let name = if staff { "answers" } else { "results" };
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"survey-{id}-{name}.csv\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        csv,
    )
        .into_response()
}

/// Whether `viewer` runs the survey: its locality's staff, or, where the locality lets its NGOs
/// write surveys, a member of the organisation that wrote it.
async fn runs(state: &AppState, viewer: &Viewer, survey: &Survey) -> Result<bool, AppError> {
    if viewer.is_staff_of(survey.locality_id) {
        return Ok(true);
    }
    let (Some(organisation), Some(user)) = (survey.organisation_id, viewer.user_id()) else {
        return Ok(false);
    };
    if !state.db.ngo_surveys(survey.locality_id).await? {
        return Ok(false);
    }
    Ok(state.db.memberships(user).await?.iter().any(|o| o.id == organisation))
}

/// A row per sheet: its number, language, and each question's answer in words.
fn every_sheet(
    survey: &Survey,
    sheets: &[(String, app::model::survey::Sheet)],
    locale: Locale,
) -> String {
    let header_row = ["sheet", "language"]
        .into_iter()
        .map(str::to_owned)
        .chain(
            survey
                .questions
                .iter()
                .enumerate()
                .map(|(n, q)| text_cell(&format!("{}. {}", n + 1, q.prompt.get(locale)))),
        )
        .collect::<Vec<_>>();
    let rows = sheets.iter().enumerate().map(|(n, (lang, sheet))| {
        let mut row = vec![(n + 1).to_string(), lang.clone()];
        for q in &survey.questions {
            let cell = match sheet.get(&q.id) {
                None => String::new(),
                Some(Answer::Choices { options, other }) => options
                    .iter()
                    .filter_map(|o| q.options.get(*o).map(|l| l.get(locale).to_owned()))
                    .chain(other.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
                Some(Answer::Scale(n)) => n.to_string(),
                Some(Answer::Text(t)) => t.clone(),
                Some(Answer::Number(x)) => x.to_string(),
                Some(Answer::Date(d)) => d.to_string(),
            };
            row.push(text_cell(&cell));
        }
        row
    });
    to_csv(std::iter::once(header_row).chain(rows))
}

/// A row per answer of each choice and scale question: question, answer, people (empty when
/// fewer than five), and the number who answered the question.
fn counts(
    survey: &Survey,
    sheets: &[(String, app::model::survey::Sheet)],
    locale: Locale,
) -> String {
    let sheets: Vec<_> = sheets.iter().map(|(_, s)| s.clone()).collect();
    let header_row = ["question", "answer", "people", "answered"].map(str::to_owned).to_vec();
    let mut rows = vec![header_row];
    let shown = |c: Option<i64>| c.map(|c| c.to_string()).unwrap_or_else(|| "<5".to_owned());
    for (q, result) in survey.questions.iter().zip(tally(&survey.questions, &sheets)) {
        let result = for_showing(result, false);
        let mut labels: Vec<String> = match q.kind {
            QuestionKind::Scale => (1..=5).map(|n| n.to_string()).collect(),
            k if k.has_options() => q.options.iter().map(|o| o.get(locale).to_owned()).collect(),
            _ => Vec::new(),
        };
        if q.other {
            labels.push("other".to_owned());
        }
        for (label, count) in labels.into_iter().zip(result.counts) {
            rows.push(vec![
                text_cell(q.prompt.get(locale)),
                text_cell(&label),
                shown(count),
                shown(result.answered),
            ]);
        }
    }
    to_csv(rows)
}
