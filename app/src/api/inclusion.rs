//! Inclusion in the civic budget: a participant says (if they wish) who they are and how they
//! found the process; every edition's indicators are public. Answers are only ever counted.

// A server function mirrors its HTML form, one argument per field.
#![allow(clippy::too_many_arguments)]
use crate::error::AppError;
use crate::model::civic_budget::EditionSummary;
use crate::model::inclusion::{InclusionCounts, ParticipantAnswers};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    api::auth::{current_viewer, require_user},
    api::budget::{budget_locality, edition_page},
    error::{FieldError, Problem},
    model::inclusion::{choice, AGE_BANDS, GENDERS, LANGUAGES, STATUSES},
    store::services,
};

/// The viewer's own answers in an edition, and whether they may give them (only people who
/// voted or proposed in it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MyAnswers {
    pub may_answer: bool,
    pub answers: Option<ParticipantAnswers>,
}

#[server(prefix = "/api", endpoint = "budget/about-me", input = GetUrl)]
pub async fn get_my_answers(slug: String) -> Result<MyAnswers, AppError> {
    super::reply(
        async {
            let Some(user_id) = current_viewer().user_id() else {
                return Ok(MyAnswers::default());
            };
            let store = services()?.store;
            let edition = store.edition(budget_locality().await?, &slug).await?.edition;
            Ok(MyAnswers {
                may_answer: store.takes_part(edition.id, user_id).await?,
                answers: store.participant_answers(edition.id, user_id).await?,
            })
        }
        .await,
    )
}

/// Reads the form: every part optional, anything outside the offered choices refused.
#[cfg(feature = "ssr")]
fn read_answers(
    age_band: Option<&str>,
    gender: Option<&str>,
    status: Option<&str>,
    language: Option<&str>,
    satisfaction: Option<&str>,
    trust: Option<&str>,
) -> Result<ParticipantAnswers, AppError> {
    let mut problems = Vec::new();
    let mut pick = |field: &str, value: Option<&str>, allowed: &[&str]| {
        choice(value, allowed).unwrap_or_else(|_| {
            problems.push(FieldError::new(field, Problem::Invalid));
            None
        })
    };
    let answers = ParticipantAnswers {
        age_band: pick("age_band", age_band, &AGE_BANDS),
        gender: pick("gender", gender, &GENDERS),
        status: pick("status", status, &STATUSES),
        language: pick("language", language, &LANGUAGES),
        satisfaction: pick("satisfaction", satisfaction, &["1", "2", "3", "4", "5"])
            .and_then(|s| s.parse().ok()),
        trust: pick("trust", trust, &["yes", "no"]).map(|t| t == "yes"),
    };
    if problems.is_empty() {
        Ok(answers)
    } else {
        Err(AppError::Validation(problems))
    }
}

/// Saves what a participant of the edition chose to say; they may change it later.
#[server(prefix = "/api", endpoint = "budget/about-me/save")]
pub async fn save_my_answers(
    edition: String,
    age_band: Option<String>,
    gender: Option<String>,
    status: Option<String>,
    language: Option<String>,
    satisfaction: Option<String>,
    trust: Option<String>,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (_, user_id) = require_user()?;
            let store = services()?.store;
            let summary = store.edition(budget_locality().await?, &edition).await?.edition;
            let answers = read_answers(
                age_band.as_deref(),
                gender.as_deref(),
                status.as_deref(),
                language.as_deref(),
                satisfaction.as_deref(),
                trust.as_deref(),
            )?;
            if !store.takes_part(summary.id, user_id).await? {
                return Err(AppError::Forbidden);
            }
            let page = edition_page(&lang, &summary).await?;
            store.save_participant_answers(summary.id, user_id, &answers).await?;
            super::redirect(&format!("{page}/indicators?answered=1"));
            Ok(())
        }
        .await,
    )
}

/// An edition's inclusion indicators: public, built only from counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditionIndicators {
    pub edition: EditionSummary,
    pub counts: InclusionCounts,
}

#[server(prefix = "/api", endpoint = "budget/indicators", input = GetUrl)]
pub async fn get_indicators(slug: String) -> Result<EditionIndicators, AppError> {
    super::reply(
        async {
            let store = services()?.store;
            let edition = store.edition(budget_locality().await?, &slug).await?.edition;
            let counts = store.inclusion_counts(edition.id).await?;
            Ok(EditionIndicators { edition, counts })
        }
        .await,
    )
}
