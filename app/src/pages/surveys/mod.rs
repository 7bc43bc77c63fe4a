//! Surveys: the list, answering one section by section, the results, and the staff's editor.

mod answer;
mod editor;
mod fields;
mod list;
mod results;

pub use answer::SurveyAnswerPage;
pub use editor::{EditSurveyPage, NewSurveyPage};
pub use list::SurveysPage;
pub use results::SurveyResultsPage;

use crate::i18n::*;
use crate::model::survey::SurveySummary;
use chrono::{DateTime, Utc};

/// Where a survey is in its life, for its badge.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    Draft,
    Upcoming,
    Open,
    Closed,
}

impl Stage {
    pub fn of(published: bool, opens_at: DateTime<Utc>, closes_at: DateTime<Utc>) -> Self {
        let now = Utc::now();
        match () {
            _ if !published => Stage::Draft,
            _ if now < opens_at => Stage::Upcoming,
            _ if now < closes_at => Stage::Open,
            _ => Stage::Closed,
        }
    }

    pub fn of_summary(s: &SurveySummary) -> Self {
        Self::of(s.published, s.opens_at, s.closes_at)
    }

    pub fn class(self) -> &'static str {
        match self {
            Stage::Draft => "badge badge--draft",
            Stage::Upcoming => "badge badge--poll-upcoming",
            Stage::Open => "badge badge--poll-open",
            Stage::Closed => "badge badge--poll-closed",
        }
    }

    pub fn label(self, l: Locale) -> &'static str {
        match self {
            Stage::Draft => td_string!(l, surveys.draft),
            Stage::Upcoming => td_string!(l, surveys.stage_upcoming),
            Stage::Open => td_string!(l, surveys.stage_open),
            Stage::Closed => td_string!(l, surveys.stage_closed),
        }
    }
}
