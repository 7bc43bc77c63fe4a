//! The demo's surveys (`seed/surveys.json`): the refugees' needs questionnaire, open for
//! answers, and the civic budget's satisfaction survey with its typed-in paper sheets and
//! public results. Loaded through the store, as staff would write them.

use crate::db::Db;
use app::model::survey::{read_sheet, QuestionDraft, RawForm, Respondents, SurveyDraft};
use app::model::{Localized, Viewer};
use app::store::{StoreError, StoreResult, SurveyStore};
use chrono::{TimeDelta, Utc};
use serde::Deserialize;
use std::collections::BTreeMap;

const SURVEYS: &str = include_str!("../../../seed/surveys.json");

#[derive(Deserialize)]
struct Seed {
    surveys: Vec<DemoSurvey>,
}

#[derive(Deserialize)]
struct DemoSurvey {
    title: Localized,
    intro: Localized,
    respondents: Respondents,
    anonymous: bool,
    results_public: bool,
    opens_days_ago: i64,
    open_days: i64,
    questions: Vec<QuestionDraft>,
    sheets: Vec<DemoSheet>,
}

/// A filled-in paper sheet: the language, and the answers by question position.
#[derive(Deserialize)]
struct DemoSheet {
    lang: String,
    answers: BTreeMap<usize, Vec<String>>,
}

impl Db {
    pub(crate) async fn load_survey_demo(&self, locality_id: i64) -> StoreResult<()> {
        if !self.surveys(locality_id, true).await?.is_empty() {
            return Ok(());
        }
        let seed: Seed =
            serde_json::from_str(SURVEYS).map_err(|e| StoreError::Backend(Box::new(e)))?;
        let staff = Viewer::default();
        for s in seed.surveys {
            let opens_at = Utc::now() - TimeDelta::days(s.opens_days_ago);
            let draft = SurveyDraft {
                locality_id,
                title: s.title,
                intro: s.intro,
                opens_at,
                closes_at: opens_at + TimeDelta::days(s.open_days),
                respondents: s.respondents,
                anonymous: s.anonymous,
                organisation_id: None,
                questions: s.questions,
            };
            let problems = draft.check();
            if !problems.is_empty() {
                return Err(StoreError::Backend(format!("demo survey: {problems:?}").into()));
            }
            let id = self.save_survey(&staff, None, &draft).await?;
            self.publish_survey(&staff, id).await?;
            if s.results_public {
                self.set_results_public(&staff, id, true).await?;
            }
            let survey = self.survey(id).await?;
            for sheet in s.sheets {
                let form: RawForm = sheet
                    .answers
                    .into_iter()
                    .filter_map(|(position, values)| {
                        Some((survey.questions.get(position)?.field(), values))
                    })
                    .collect();
                let sheet_read = read_sheet(&survey.questions, &form)
                    .map_err(|p| StoreError::Backend(format!("demo sheet: {p:?}").into()))?;
                self.submit_sheet(&survey, None, &sheet.lang, &sheet_read, None).await?;
            }
        }
        Ok(())
    }
}
