//! Surveys: writing them, answer sheets, and reading the sheets back for the results.

use super::StoreResult;
use crate::model::survey::{RawForm, Sheet, Survey, SurveyDraft, SurveySummary};
use crate::model::Viewer;
use async_trait::async_trait;

#[async_trait]
pub trait SurveyStore: Send + Sync {
    /// The locality's surveys, latest opening first: the published ones, and drafts too when
    /// `drafts`.
    async fn surveys(&self, locality_id: i64, drafts: bool) -> StoreResult<Vec<SurveySummary>>;
    /// A survey with its questions in order (callers decide who may see a draft).
    async fn survey(&self, id: i64) -> StoreResult<Survey>;
    /// Stores a new survey (`id` None) or replaces survey `id` of the draft's locality, its
    /// questions included, with the audit entry, in one transaction. Once a survey has
    /// answers its questions stay as they are: a change to them is `Conflict("answered")`.
    async fn save_survey(
        &self,
        actor: &Viewer,
        id: Option<i64>,
        draft: &SurveyDraft,
    ) -> StoreResult<i64>;
    /// Publishes a draft (published already is as good as done), or shows or hides its results
    /// to the public.
    async fn publish_survey(&self, actor: &Viewer, id: i64) -> StoreResult<()>;
    async fn set_results_public(&self, actor: &Viewer, id: i64, public: bool) -> StoreResult<()>;
    /// Stores a checked sheet. `user` is the person answering, if signed in: kept with the
    /// sheet unless the survey is anonymous; in a once-per-person survey a second sheet of the
    /// same person is `Conflict("answered")` and nothing is stored. The draft kept under
    /// `draft` (a browser's token) goes with the same transaction.
    async fn submit_sheet(
        &self,
        survey: &Survey,
        user: Option<i64>,
        lang: &str,
        sheet: &Sheet,
        draft: Option<&str>,
    ) -> StoreResult<i64>;
    /// What was answered so far under the browser's `token`, if anything.
    async fn survey_draft(&self, survey_id: i64, token: &str) -> StoreResult<Option<RawForm>>;
    /// Keeps what was answered so far under `token` (a new token when it is None or unfit),
    /// and returns the token the browser keeps.
    async fn keep_survey_draft(
        &self,
        survey_id: i64,
        token: Option<&str>,
        answers: &RawForm,
    ) -> StoreResult<String>;
    /// Whether the locality lets its NGO network's organisations write surveys, and its
    /// administrators' switch for it (audited).
    async fn ngo_surveys(&self, locality_id: i64) -> StoreResult<bool>;
    async fn set_ngo_surveys(
        &self,
        actor: &Viewer,
        locality_id: i64,
        allowed: bool,
    ) -> StoreResult<()>;
    /// Whether `user` has answered the survey (once-per-person surveys).
    async fn has_answered(&self, survey_id: i64, user: i64) -> StoreResult<bool>;
    /// Every sheet of the survey, oldest first, with the language each was filled in.
    async fn sheets(&self, survey_id: i64) -> StoreResult<Vec<(String, Sheet)>>;
}
