//! The ports through which server functions reach persistence. `server/src/db` implements them
//! once for SQLite and PostgreSQL; the app never sees SQL.

use crate::error::{AppError, FieldError};
use crate::model::account::{CivicGroup, Profile, Role, Viewer};
use crate::model::admin::{AuditEntry, Department, OutboxMessage, StaffGrant};
use crate::model::civic_budget::{
    BallotChange, BallotState, BudgetInfo, BudgetResults, EditionDetail, EditionSummary, Phase,
};
use crate::model::vote::{
    InitiativeDetail, InitiativeQuery, InitiativeSummary, MyVote, PollDetail, PollResults,
    PollSummary, Tally, VoteOutcome,
};
use crate::model::{
    BBox, LatLng, Locality, MapFeatures, Page, ReportDetail, ReportFilter, ReportQuery,
    ReportSummary,
};
use async_trait::async_trait;
use leptos::prelude::use_context;
use std::sync::Arc;

/// What the data layer can fail with; every other cause is a `Backend` error, logged and hidden.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness or state rule in the database refused the write.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// Wrong e-mail or password (never says which).
    #[error("unauthorized")]
    Unauthorized,
    /// Too many recent failures: try again after this many seconds.
    #[error("throttled for {0} s")]
    Throttled(u64),
    /// The request was understood but one of its values cannot be accepted.
    #[error("invalid {}: {:?}", .0.field, .0.problem)]
    Invalid(FieldError),
    #[error(transparent)]
    Backend(Box<dyn std::error::Error + Send + Sync>),
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(_) => AppError::Conflict,
            StoreError::Unauthorized => AppError::Unauthorized,
            StoreError::Throttled(_) => AppError::RateLimited,
            StoreError::Invalid(field) => AppError::Validation(vec![field]),
            StoreError::Backend(cause) => {
                tracing::error!(error = %cause, "data layer failure");
                AppError::Internal
            }
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Localities and their categories.
#[async_trait]
pub trait LocalityStore: Send + Sync {
    /// The locality a visitor sees when the address names none (Bălți in the demo).
    async fn default_locality(&self) -> StoreResult<Locality>;
    async fn locality_by_slug(&self, slug: &str) -> StoreResult<Locality>;
    async fn locality(&self, id: i64) -> StoreResult<Locality>;
    /// Every locality, the default one first, then by Romanian name.
    async fn public_localities(&self) -> StoreResult<Vec<crate::model::LocalityInfo>>;
}

/// A report as the form sends it, once parsed and checked.
#[derive(Clone, Debug)]
pub struct NewReport {
    pub locality_id: i64,
    pub category_id: i64,
    pub title: String,
    pub description: String,
    pub at: crate::model::LatLng,
    /// False when the citizen gave no coordinates (the pin waits for staff).
    pub location_confirmed: bool,
    pub address: Option<String>,
    pub reporter_id: Option<i64>,
    pub reporter_name: Option<String>,
    pub reporter_email: Option<String>,
    pub show_name: bool,
    /// The reporter's language: the mail about their report is written in it.
    pub lang: String,
}

/// A processed photo, already written to disk under its random file stem.
#[derive(Clone, Debug)]
pub struct SavedPhoto {
    pub stem: String,
    pub width: u32,
    pub height: u32,
}

/// A status change as staff ask for it.
#[derive(Clone, Debug)]
pub struct StatusChange {
    pub report_id: i64,
    /// `None` for an official response that keeps the status.
    pub to: Option<crate::model::ReportStatus>,
    pub department_id: Option<i64>,
    pub duplicate_of: Option<i64>,
    /// The public comment or response.
    pub body: String,
}

/// What permission checks need to know about a report.
#[derive(Clone, Debug)]
pub struct ReportAccess {
    pub locality_id: i64,
    /// The departments that handle the report's category.
    pub departments: Vec<i64>,
}

/// The map: pins, or clusters where there are many.
#[async_trait]
pub trait ReportMap: Send + Sync {
    /// Pins, or clusters where `zoom` calls for them, inside `bbox`.
    async fn map_features(
        &self,
        bbox: BBox,
        zoom: Option<u8>,
        filter: &ReportFilter,
    ) -> StoreResult<MapFeatures>;
}

/// Reading reports: the lists, one report with its timeline, who may act on it.
#[async_trait]
pub trait ReportReads: Send + Sync {
    /// One page of a list.
    async fn list_reports(&self, query: &ReportQuery) -> StoreResult<Page<ReportSummary>>;
    /// A report with its photos, timeline and comments (hidden ones included; the caller
    /// decides what the viewer may see). `viewer` marks their own support and subscription.
    async fn report(&self, id: i64, viewer: Option<i64>) -> StoreResult<ReportDetail>;
    async fn report_access(&self, id: i64) -> StoreResult<ReportAccess>;
    /// Open reports of `category_id` within `radius_m` of `at`, nearest first.
    async fn nearby_open_reports(
        &self,
        at: LatLng,
        category_id: i64,
        radius_m: f64,
    ) -> StoreResult<Vec<ReportSummary>>;
    /// The file stem of a photo and whether it is hidden.
    async fn photo_file(&self, photo_id: i64) -> StoreResult<(String, bool)>;
}

/// What citizens do with reports: file one, support it, comment, follow it.
#[async_trait]
pub trait ReportWrites: Send + Sync {
    /// Stores a report and its photos in one transaction; `subscribe` (the reporter's e-mail)
    /// gets a confirmation mail.
    async fn create_report(
        &self,
        report: NewReport,
        photos: &[SavedPhoto],
        subscribe: Option<MailTemplate>,
    ) -> StoreResult<i64>;
    /// "I have this problem too"; idempotent. Returns the new count.
    async fn support_report(&self, report_id: i64, user_id: i64) -> StoreResult<i64>;
    async fn add_comment(
        &self,
        report_id: i64,
        author_id: i64,
        author_name: &str,
        body: &str,
    ) -> StoreResult<i64>;
    /// Follows a report as an account, or as an e-mail address that must confirm by `mail`.
    async fn subscribe(
        &self,
        report_id: i64,
        lang: &str,
        user_id: Option<i64>,
        email: Option<&str>,
        mail: Option<MailTemplate>,
    ) -> StoreResult<()>;
    async fn confirm_subscription(&self, token: &str) -> StoreResult<i64>;
}

/// The city hall's work on reports: status changes, pins, moderation.
#[async_trait]
pub trait ReportWorkflow: Send + Sync {
    /// Applies a status change (the workflow is checked again inside the transaction), writes
    /// the timeline and the audit log, and records first-response and resolution times.
    async fn change_status(&self, actor: &Viewer, change: &StatusChange) -> StoreResult<()>;
    /// Places the pin of a report (staff), e.g. one sent without coordinates.
    async fn set_location(&self, actor: &Viewer, report_id: i64, at: LatLng) -> StoreResult<()>;
    /// Hides (or shows again) a comment, photo or report, with a reason, in the audit log.
    async fn moderate(
        &self,
        actor: &Viewer,
        target: ModerationTarget,
        hide: bool,
        reason: &str,
    ) -> StoreResult<i64>;
    /// The locality that a comment or photo's report belongs to.
    async fn moderation_locality(&self, target: ModerationTarget) -> StoreResult<i64>;
    /// The "is it fixed?" question that a mailed `token` opens (`NotFound` for any other).
    async fn fixed_check(&self, token: &str) -> StoreResult<crate::model::fixed_check::FixedCheck>;
    /// Records the reporter's answer. "Not fixed" reopens a report that is still resolved: back
    /// in progress with its department, in the staff queue, with the reporter's note in its
    /// timeline. The first answer stands; a second one changes nothing.
    async fn answer_fixed_check(
        &self,
        token: &str,
        answer: crate::model::fixed_check::FixedAnswer,
        note: &str,
    ) -> StoreResult<crate::model::fixed_check::FixedCheck>;
}

/// Everything about reports.
pub trait ReportStore: ReportMap + ReportReads + ReportWrites + ReportWorkflow {}
impl<T: ReportMap + ReportReads + ReportWrites + ReportWorkflow> ReportStore for T {}

/// What a moderator can hide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum ModerationTarget {
    Comment(i64),
    Photo(i64),
    Report(i64),
}

/// Photo handling: decoding, stripping metadata, resizing and storing files.
#[async_trait]
pub trait Media: Send + Sync {
    /// Checks and stores one uploaded photo; refuses anything that is not a sound JPEG, PNG or
    /// WebP within the size limits.
    async fn save_photo(&self, bytes: Vec<u8>) -> Result<SavedPhoto, crate::error::Problem>;
    /// Removes the files of photos whose report was not stored after all.
    async fn discard(&self, stems: &[String]);
    /// The largest accepted upload, in bytes.
    fn max_photo_bytes(&self) -> usize;
}

/// A message in the recipient's language; the store puts the link in place of `{link}`.
#[derive(Clone, Debug)]
pub struct MailTemplate {
    pub subject: String,
    pub body: String,
}

/// What a sign-up form carries once parsed.
#[derive(Clone, Debug)]
pub struct NewAccount {
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub locale: String,
}

/// A session just opened: the tokens go into cookies, never into the database.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub token: String,
    pub user_id: i64,
    /// The browser's device token: the one it brought when that was this account's, else new.
    pub device: String,
}

/// A sign-in as the form sends it.
#[derive(Clone, Copy, Debug)]
pub struct SignInAttempt<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub user_agent: &'a str,
    /// The device cookie the browser sent, if any.
    pub device: Option<&'a str>,
}

/// Accounts: creating, confirming, the profile, export and erasure.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates an unconfirmed account and mails `confirm`; for an address that already has an
    /// account it mails `existing` instead, so the answer never tells the two apart.
    async fn sign_up(
        &self,
        account: NewAccount,
        confirm: MailTemplate,
        existing: MailTemplate,
    ) -> StoreResult<()>;
    /// Uses a confirmation link.
    async fn confirm_email(&self, token: &str) -> StoreResult<()>;
    async fn profile(&self, user_id: i64) -> StoreResult<Profile>;
    async fn update_profile(
        &self,
        user_id: i64,
        display_name: &str,
        locale: &str,
        group: CivicGroup,
    ) -> StoreResult<()>;
    /// Everything stored about a person, as JSON.
    async fn export_account(&self, user_id: i64) -> StoreResult<serde_json::Value>;
    /// Removes personal data; public contributions stay, anonymised.
    async fn delete_account(&self, user_id: i64) -> StoreResult<()>;
}

/// Signing in and out, sessions, and the credentials behind them.
///
/// Wrong passwords never lock an account: after a few, further attempts for that address wait
/// a growing delay (`Throttled`), except from a browser that signed in to the account before;
/// and a sign-in link by e-mail always lets the owner in.
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Checks the password and opens a session; an unconfirmed account gets `confirm` mailed
    /// again and an `Invalid(email, Unconfirmed)` answer.
    async fn sign_in(
        &self,
        attempt: SignInAttempt<'_>,
        confirm: MailTemplate,
    ) -> StoreResult<NewSession>;
    /// Mails a single-use sign-in link when the address has an account; silent otherwise.
    async fn request_sign_in_link(&self, email: &str, mail: MailTemplate) -> StoreResult<()>;
    /// Uses a sign-in link: opens a session and forgets the address's failed attempts.
    async fn sign_in_with_link(
        &self,
        token: &str,
        user_agent: &str,
        device: Option<&str>,
    ) -> StoreResult<NewSession>;
    /// Whether `password` is the account's (re-authentication before a grave step).
    async fn check_password(&self, user_id: i64, password: &str) -> StoreResult<bool>;
    /// The person behind a session cookie, if the session is alive.
    async fn session_viewer(&self, token: &str) -> StoreResult<Option<Viewer>>;
    async fn end_session(&self, token: &str) -> StoreResult<()>;
    /// Signs a person out on every device.
    async fn end_all_sessions(&self, user_id: i64) -> StoreResult<()>;
    /// Mails a single-use reset link when the address has an account; silent otherwise.
    async fn request_password_reset(&self, email: &str, mail: MailTemplate) -> StoreResult<()>;
    /// Uses a reset link: sets the password, and ends every session and every other link of
    /// the account.
    async fn reset_password(&self, token: &str, new_password: &str) -> StoreResult<()>;
    /// Changes the password of a signed-in person who knows the current one; every other
    /// session and every outstanding link of the account ends, `keep_session` stays.
    async fn change_password(
        &self,
        user_id: i64,
        current: &str,
        new_password: &str,
        keep_session: &str,
    ) -> StoreResult<()>;
}

/// Staff, departments, the audit log and the outbox: what administrators and operators manage.
#[async_trait]
pub trait AdminStore: Send + Sync {
    async fn staff(&self, locality_id: i64) -> StoreResult<Vec<StaffGrant>>;
    /// Grants `role` to the account with `email`; `NotFound` when there is none.
    async fn grant_role(
        &self,
        actor: &Viewer,
        email: &str,
        role: Role,
        locality_id: Option<i64>,
        department_id: Option<i64>,
    ) -> StoreResult<()>;
    async fn revoke_role(&self, actor: &Viewer, grant_id: i64) -> StoreResult<()>;
    /// The locality a grant belongs to (None for operators), to check who may revoke it.
    async fn grant_locality(&self, grant_id: i64) -> StoreResult<Option<i64>>;
    async fn departments(&self, locality_id: i64) -> StoreResult<Vec<Department>>;
    async fn save_department(
        &self,
        actor: &Viewer,
        locality_id: i64,
        id: Option<i64>,
        name: &str,
        category_ids: &[i64],
    ) -> StoreResult<i64>;
    async fn audit_log(
        &self,
        locality_id: Option<i64>,
        action: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>>;
    async fn outbox(&self, limit: u32) -> StoreResult<Vec<OutboxMessage>>;
    /// Creates or edits a category of a locality (`id` None creates).
    async fn save_category(
        &self,
        actor: &Viewer,
        locality_id: i64,
        category: &CategoryEdit,
    ) -> StoreResult<i64>;
    /// Adds or updates a locality from its JSON description (operators).
    async fn import_locality(&self, actor: &Viewer, json: &str) -> StoreResult<i64>;
    /// Every locality, for operators.
    async fn localities(&self) -> StoreResult<Vec<(i64, String, String)>>;
    /// A locality's categories, the inactive ones too (with their state).
    async fn all_categories(
        &self,
        locality_id: i64,
    ) -> StoreResult<Vec<(crate::model::Category, bool)>>;
}

/// A category as the administrator's form sends it.
#[derive(Clone, Debug)]
pub struct CategoryEdit {
    pub id: Option<i64>,
    pub slug: String,
    pub name: crate::model::Localized,
    pub icon: String,
    pub color: String,
    pub active: bool,
}

/// An initiative as its author sends it, once checked.
#[derive(Clone, Debug)]
pub struct NewInitiative {
    pub locality_id: i64,
    pub category_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub lang: String,
    pub author_id: i64,
    pub author_name: String,
    pub at: Option<LatLng>,
    pub image: Option<SavedPhoto>,
}

/// A poll as staff create it, once checked.
#[derive(Clone, Debug)]
pub struct NewPoll {
    pub locality_id: i64,
    pub question: crate::model::Localized,
    pub description: crate::model::Localized,
    /// Labels (and an optional link) in the options' order.
    pub options: Vec<(crate::model::Localized, Option<String>)>,
    pub max_choices: i64,
    pub opens_at: chrono::DateTime<chrono::Utc>,
    pub closes_at: chrono::DateTime<chrono::Utc>,
    pub results_before_vote: bool,
}

/// Initiatives: launching, reading, answering and moderating them. Supporting one is a ballot
/// ([`BallotBox`]).
#[async_trait]
pub trait InitiativeStore: Send + Sync {
    async fn initiatives(&self, query: &InitiativeQuery) -> StoreResult<Page<InitiativeSummary>>;
    async fn initiative(&self, id: i64, viewer: Option<i64>) -> StoreResult<InitiativeDetail>;
    /// Stores an initiative with its author's own vote.
    async fn create_initiative(&self, initiative: NewInitiative) -> StoreResult<i64>;
    async fn answer_initiative(&self, actor: &Viewer, id: i64, answer: &str) -> StoreResult<()>;
    async fn moderate_initiative(
        &self,
        actor: &Viewer,
        id: i64,
        hide: bool,
        reason: &str,
    ) -> StoreResult<()>;
    async fn initiative_locality(&self, id: i64) -> StoreResult<i64>;
}

/// Polls: creating and reading them and their results. Voting is a ballot ([`BallotBox`]).
#[async_trait]
pub trait PollStore: Send + Sync {
    async fn polls(&self, locality_id: i64) -> StoreResult<Vec<PollSummary>>;
    /// A poll with its results (the caller decides whether the viewer may see them).
    async fn poll(&self, id: i64, viewer: Option<i64>) -> StoreResult<PollDetail>;
    async fn create_poll(&self, actor: &Viewer, poll: &NewPoll) -> StoreResult<i64>;
    async fn poll_results(&self, id: i64) -> StoreResult<PollResults>;
}

/// The one voting mechanism behind initiatives and polls: one ballot per voter per thing,
/// enforced by a unique constraint; counts are always derived from the ballots. The server
/// commits ballots in groups (one transaction for every ballot that arrived meanwhile); each
/// call returns once its own ballot is committed.
#[async_trait]
pub trait BallotBox: Send + Sync {
    /// One ballot per account; checks the poll is open and the choices belong to it and fit
    /// its maximum. Returns the results as they stand with this ballot counted.
    async fn cast_poll_vote(&self, id: i64, user_id: i64, choices: &[i64])
        -> StoreResult<PollVote>;
    /// One vote per account; voting again changes nothing. Refuses hidden or closed initiatives.
    async fn support_initiative(&self, id: i64, user_id: i64) -> StoreResult<Tally>;
    /// Takes a vote back while the initiative is open; withdrawing twice changes nothing.
    async fn withdraw_support(&self, id: i64, user_id: i64) -> StoreResult<Tally>;
    /// A person's votes, latest first.
    async fn my_votes(&self, user_id: i64) -> StoreResult<Vec<MyVote>>;
}

/// A proposal as its author sends it, once checked.
#[derive(Clone, Debug)]
pub struct NewProposal {
    pub budget_id: i64,
    pub author_id: i64,
    pub lang: String,
    pub title: String,
    pub description: String,
    pub cost: u64,
    pub at: Option<LatLng>,
    pub direction: String,
    pub mixed_team: bool,
    pub cohesion_actions: bool,
    /// Kept as a draft (not yet submitted for review).
    pub draft: bool,
}

/// Staff's review of a proposal.
#[derive(Clone, Debug)]
pub struct ProposalReview {
    pub proposal_id: i64,
    pub feasible: bool,
    /// Public.
    pub reason: String,
    pub revised_cost: Option<u64>,
}

/// A paper ballot as staff enter it at the information centre.
#[derive(Clone, Debug)]
pub struct PaperBallot {
    pub budget_id: i64,
    pub sheet: String,
    /// The voter's identity document number, normalised (only its keyed hash is kept).
    pub document: String,
    pub choices: Vec<i64>,
}

/// The civic budget: editions, proposals and their review, ballots and results. A ballot is
/// one row per person per budget (a unique key); every change to it runs in one transaction
/// that re-checks the phase and the ballot rule, so fast clicks or two tabs never put it over
/// the amount, and a retried request changes nothing twice.
#[async_trait]
pub trait BudgetStore: Send + Sync {
    async fn editions(&self, locality_id: i64) -> StoreResult<Vec<EditionSummary>>;
    /// An edition with its budgets and every proposal, whatever its status.
    async fn edition(&self, locality_id: i64, slug: &str) -> StoreResult<EditionDetail>;
    async fn edition_by_id(&self, id: i64) -> StoreResult<EditionDetail>;
    /// The edition a budget belongs to (without proposals), and the budget.
    async fn budget_edition(&self, budget_id: i64) -> StoreResult<(EditionSummary, BudgetInfo)>;
    /// The edition a proposal belongs to.
    async fn proposal_edition(&self, proposal_id: i64) -> StoreResult<EditionSummary>;
    /// Stores a proposal while the edition is in its proposals phase.
    async fn create_proposal(&self, proposal: NewProposal) -> StoreResult<i64>;
    /// Marks a proposal feasible or not, in the audit log.
    async fn review_proposal(&self, actor: &Viewer, review: &ProposalReview) -> StoreResult<()>;
    /// Moves an edition to `phase`, in the audit log.
    async fn set_phase(&self, actor: &Viewer, edition_id: i64, phase: Phase) -> StoreResult<()>;
    /// The person's ballots in the budgets of an edition.
    async fn my_ballots(&self, edition_id: i64, user_id: i64) -> StoreResult<Vec<BallotState>>;
    /// Adds a project to the person's ballot (creating the ballot); adding it twice changes
    /// nothing. A change to a confirmed ballot leaves it unconfirmed until confirmed again.
    async fn ballot_add(
        &self,
        budget_id: i64,
        user_id: i64,
        proposal_id: i64,
    ) -> StoreResult<BallotChange>;
    async fn ballot_remove(
        &self,
        budget_id: i64,
        user_id: i64,
        proposal_id: i64,
    ) -> StoreResult<BallotChange>;
    /// Confirms the ballot as saved, checking the whole rule; `document` is the voter's
    /// identity document, refused when it voted on paper (or from another account).
    async fn ballot_confirm(
        &self,
        budget_id: i64,
        user_id: i64,
        document: &str,
    ) -> StoreResult<BallotChange>;
    /// Stores a confirmed paper ballot; refused when the document voted already.
    async fn paper_ballot(
        &self,
        actor: &Viewer,
        ballot: &PaperBallot,
    ) -> StoreResult<Result<BallotState, crate::model::budget::BallotRefusal>>;
    /// Counts a budget's confirmed ballots with its outcome rule.
    async fn budget_results(&self, budget_id: i64) -> StoreResult<BudgetResults>;
    /// The budget's count as a Pabulib file.
    async fn budget_pabulib(&self, budget_id: i64) -> StoreResult<String>;
}

/// Inclusion in the civic budget: what participants say about themselves (only ever counted)
/// and the counts behind an edition's indicators.
#[async_trait]
pub trait InclusionStore: Send + Sync {
    /// Whether `user_id` took part in the edition: a confirmed ballot, or a proposal sent for
    /// review.
    async fn takes_part(&self, edition_id: i64, user_id: i64) -> StoreResult<bool>;
    async fn participant_answers(
        &self,
        edition_id: i64,
        user_id: i64,
    ) -> StoreResult<Option<crate::model::inclusion::ParticipantAnswers>>;
    /// Keeps what a participant said, replacing what they said before.
    async fn save_participant_answers(
        &self,
        edition_id: i64,
        user_id: i64,
        answers: &crate::model::inclusion::ParticipantAnswers,
    ) -> StoreResult<()>;
    async fn inclusion_counts(
        &self,
        edition_id: i64,
    ) -> StoreResult<crate::model::inclusion::InclusionCounts>;
}

/// Statistics per locality, exact at every moment (the writes keep their aggregates).
#[async_trait]
pub trait StatisticsStore: Send + Sync {
    /// The figures of a statistics page; `today` (city date) decides the fix rate's window.
    async fn statistics(
        &self,
        locality_id: i64,
        filter: &crate::model::statistics::StatsFilter,
        today: chrono::NaiveDate,
    ) -> StoreResult<crate::model::statistics::Statistics>;
    /// The yearly activity report.
    async fn year_report(
        &self,
        locality_id: i64,
        year: i32,
        today: chrono::NaiveDate,
    ) -> StoreResult<crate::model::statistics::YearReport>;
}

/// Open data: the facts the open-data page lists, and the API keys of Open311 clients.
#[async_trait]
pub trait OpenDataStore: Send + Sync {
    /// Row counts and last changes of a locality's public datasets.
    async fn open_data_facts(
        &self,
        locality_id: i64,
    ) -> StoreResult<crate::model::open_data::OpenDataFacts>;
    /// A locality's API keys, the newest first, revoked ones included.
    async fn api_keys(
        &self,
        locality_id: i64,
    ) -> StoreResult<Vec<crate::model::open_data::ApiKeyInfo>>;
    /// Issues a new random key named `name`, keeping only its digest and prefix; audited.
    async fn create_api_key(
        &self,
        actor: &Viewer,
        locality_id: i64,
        name: &str,
    ) -> StoreResult<crate::model::open_data::IssuedApiKey>;
    /// Revokes a key of `locality_id`, audited; `NotFound` for a key of another locality.
    async fn revoke_api_key(&self, actor: &Viewer, locality_id: i64, id: i64) -> StoreResult<()>;
}

/// What a poll vote did, and the results with it counted.
#[derive(Clone, Debug, PartialEq)]
pub struct PollVote {
    pub outcome: VoteOutcome,
    pub results: PollResults,
}

/// Something browsers follow live (server-sent events).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    /// A poll's counts.
    Poll(i64),
}

/// Tells the browsers that follow a topic, whichever server process they are connected to,
/// that it changed; the server pushes its new state to them.
pub trait LiveUpdates: Send + Sync {
    fn changed(&self, topic: Topic);

    fn poll_changed(&self, poll_id: i64) {
        self.changed(Topic::Poll(poll_id));
    }
}

/// Everything the data layer offers but ballots.
pub trait Store:
    LocalityStore
    + SubscriptionStore
    + AnnouncementStore
    + ReportStore
    + AccountStore
    + SessionStore
    + AdminStore
    + InitiativeStore
    + PollStore
    + StatisticsStore
    + OpenDataStore
    + BudgetStore
    + InclusionStore
{
}
impl<T> Store for T where
    T: LocalityStore
        + SubscriptionStore
        + AnnouncementStore
        + ReportStore
        + AccountStore
        + SessionStore
        + AdminStore
        + InitiativeStore
        + PollStore
        + StatisticsStore
        + OpenDataStore
        + BudgetStore
        + InclusionStore
{
}

/// Whose subscriptions a request concerns: a signed-in account, or the address a mailed
/// unsubscribe token was sent to.
#[derive(Clone, Debug)]
pub enum Subscriber {
    User(i64),
    Token(String),
}

/// Subscriptions beyond following one report: listing and ending them.
#[async_trait]
pub trait SubscriptionStore: Send + Sync {
    /// Every subscription of the subscriber's address (or account); an unknown token is
    /// `Invalid("token")`.
    async fn subscriptions(
        &self,
        who: &Subscriber,
    ) -> StoreResult<Vec<crate::model::subscription::Subscription>>;
    /// Ends one subscription of the subscriber; `NotFound` when it is not theirs.
    async fn unsubscribe(
        &self,
        who: &Subscriber,
        kind: crate::model::subscription::SubscriptionKind,
        id: i64,
    ) -> StoreResult<()>;
    /// One-click unsubscribe (RFC 8058): ends the subscription the token's message was sent for.
    async fn unsubscribe_by_token(&self, token: &str) -> StoreResult<()>;
    /// Stores an area alert: an account's at once, an e-mail address's once it confirms by the
    /// link in `confirm` (`{token}` marks where the link's token goes).
    async fn create_area_alert(
        &self,
        alert: &NewAreaAlert,
        confirm: Option<MailTemplate>,
    ) -> StoreResult<()>;
    /// Confirms an e-mailed area alert; an unknown token is `Invalid("token")`.
    async fn confirm_area_alert(&self, token: &str) -> StoreResult<()>;
}

/// City announcements.
#[async_trait]
pub trait AnnouncementStore: Send + Sync {
    /// Stores an announcement with its audit entry; the notification job mails it.
    async fn publish_announcement(
        &self,
        actor: &Viewer,
        announcement: &crate::model::announcement::NewAnnouncement,
    ) -> StoreResult<i64>;
    /// The locality's announcements, newest first: those valid at `valid_at`, or all of them.
    async fn announcements(
        &self,
        locality_id: i64,
        valid_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> StoreResult<Vec<crate::model::announcement::Announcement>>;
}

/// An area alert as the form sends it, once parsed and checked.
#[derive(Clone, Debug)]
pub struct NewAreaAlert {
    pub locality_id: i64,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub centre: LatLng,
    pub radius_m: i64,
    /// Category ids; empty means every category.
    pub categories: Vec<i64>,
    /// A daily digest instead of a message per report.
    pub digest: bool,
    pub lang: String,
}

/// The buckets of the rate limits: each counts one kind of action, per client address and per
/// account (or e-mail address).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Limit {
    /// Any state-changing request: a flood guard per client address.
    AnyWrite,
    /// Password sign-in attempts, per client address.
    SignIn,
    /// Sign-in links mailed, per address and per e-mail address.
    SignInLink,
    SignUp,
    PasswordReset,
    CreateReport,
    LaunchInitiative,
    Comment,
    /// Following a report by e-mail (each one mails a confirmation link).
    FollowByEmail,
    /// "I have this problem too".
    SupportReport,
    /// Supporting an initiative, or taking the support back.
    SupportInitiative,
    VotePoll,
    /// Requests made with one Open311 API key.
    ApiKey,
}

impl Limit {
    pub const ALL: [Limit; 13] = [
        Limit::AnyWrite,
        Limit::SignIn,
        Limit::SignInLink,
        Limit::SignUp,
        Limit::PasswordReset,
        Limit::CreateReport,
        Limit::LaunchInitiative,
        Limit::Comment,
        Limit::FollowByEmail,
        Limit::SupportReport,
        Limit::SupportInitiative,
        Limit::VotePoll,
        Limit::ApiKey,
    ];

    /// The bucket's name where limits are counted in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Limit::AnyWrite => "any_write",
            Limit::SignIn => "sign_in",
            Limit::SignInLink => "sign_in_link",
            Limit::SignUp => "sign_up",
            Limit::PasswordReset => "password_reset",
            Limit::CreateReport => "create_report",
            Limit::LaunchInitiative => "launch_initiative",
            Limit::Comment => "comment",
            Limit::FollowByEmail => "follow_by_email",
            Limit::SupportReport => "support_report",
            Limit::SupportInitiative => "support_initiative",
            Limit::VotePoll => "vote_poll",
            Limit::ApiKey => "api_key",
        }
    }
}

/// Counts attempts at `limit`, once for each of `keys`; `false` means that at least one key has
/// made too many: refuse. Counted in the database when several server processes share it.
#[async_trait]
pub trait RateLimiter: Send + Sync {
    async fn allow(&self, limit: Limit, keys: &[String]) -> bool;
}

/// The client's address as the server determined it (request extension).
#[derive(Clone, Debug)]
pub struct ClientAddr(pub String);

/// What the server hands to every server function through Leptos context.
#[derive(Clone)]
pub struct Services {
    pub store: Arc<dyn Store>,
    pub ballots: Arc<dyn BallotBox>,
    pub media: Arc<dyn Media>,
    pub live: Arc<dyn LiveUpdates>,
    pub limiter: Arc<dyn RateLimiter>,
    pub site: Arc<crate::model::SiteSettings>,
}

/// Refuses the request with `RateLimited` when the client address, or the account or e-mail
/// address named by `account`, has made too many attempts at `limit`.
pub async fn check_rate(limit: Limit, account: Option<&str>) -> Result<(), AppError> {
    let services = services()?;
    let addr = use_context::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<ClientAddr>().map(|a| a.0.clone()))
        .unwrap_or_else(|| "unknown".to_owned());
    let mut keys = vec![format!("addr:{addr}")];
    keys.extend(account.map(|a| format!("account:{a}")));
    if services.limiter.allow(limit, &keys).await {
        Ok(())
    } else {
        Err(AppError::RateLimited)
    }
}

/// The services of the current request; missing only if the server was wired wrongly.
pub fn services() -> Result<Services, AppError> {
    use_context::<Services>().ok_or_else(|| {
        tracing::error!("Services missing from the Leptos context");
        AppError::Internal
    })
}

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "agora_session";

/// The raw session token sent by the browser (request extension, set by the server).
#[derive(Clone, Debug)]
pub struct SessionToken(pub String);

/// The name of the cookie that marks a browser which signed in before.
pub const DEVICE_COOKIE: &str = "agora_device";

/// The device cookie the browser sent (request extension, set by the server).
#[derive(Clone, Debug)]
pub struct DeviceToken(pub String);

/// A `Set-Cookie` value for a device token: kept a year, HttpOnly, sent only to this site.
pub fn device_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{DEVICE_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000{secure}")
}

/// A `Set-Cookie` value for a session: HttpOnly, SameSite=Lax, Secure when the site is HTTPS.
/// An empty token clears the cookie.
pub fn session_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    if token.is_empty() {
        format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
    } else {
        format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000{secure}")
    }
}

/// The locality whose public site a request is for (request extension, set by the server for
/// `/{lang}/{slug}/…` and for a host name mapped to a locality). Absent: the default locality.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteLocality(pub String);

/// The slug of the locality whose site this request is for; `None` on the default site.
pub fn site_slug() -> Option<String> {
    use_context::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<SiteLocality>().map(|s| s.0.clone()))
}

/// The locality of this request, for every server function: the one named by `explicit` (a
/// form's hidden `locality` field, or `locality=` in an API call), else the one whose site the
/// page is on, else the default one. An unknown slug is `NotFound`.
pub async fn request_locality(explicit: Option<&str>) -> Result<Locality, AppError> {
    let store = services()?.store;
    let named = explicit.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    Ok(match named.or_else(site_slug) {
        Some(slug) => store.locality_by_slug(&slug).await?,
        None => store.default_locality().await?,
    })
}
