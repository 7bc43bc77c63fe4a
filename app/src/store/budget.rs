//! The civic budget and its inclusion indicators.

use super::{MailTemplate, StoreResult};
use crate::model::account::Viewer;
use crate::model::budget_setup::{EditionSetup, ImportRefusal, NewBudget};
use crate::model::budget_works::{NewMilestone, WorkUpdate};
use crate::model::civic_budget::{
    BallotChange, BallotState, BudgetInfo, BudgetResults, EditionDetail, EditionSummary, Phase,
};
use crate::model::LatLng;
use async_trait::async_trait;

/// Writes the receipt of a ballot just confirmed.
pub type ReceiptMail<'a> = dyn Fn(&BallotState) -> MailTemplate + Send + Sync + 'a;

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

/// The author's changes to a proposal's photos: new ones (stored already) and the ids of old
/// ones to remove.
#[derive(Clone, Debug, Default)]
pub struct PhotoChange {
    pub added: Vec<super::SavedPhoto>,
    pub removed: Vec<i64>,
}

/// A proposal's photo file and who may see it: everyone, or only the author of a draft.
#[derive(Clone, Debug)]
pub struct ProposalPhotoFile {
    pub stem: String,
    pub draft: bool,
    pub author_id: Option<i64>,
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
    /// Stores a proposal and its photos, in one transaction, while the edition is in its
    /// proposals phase.
    async fn create_proposal(
        &self,
        proposal: NewProposal,
        photos: &[super::SavedPhoto],
    ) -> StoreResult<i64>;
    /// The author's changes to their proposal (`NotFound` for anyone else's) while the
    /// proposals phase lasts and until staff review it; a draft is submitted by a change
    /// without `draft`. More than `MAX_PROPOSAL_PHOTOS` in all is refused (`photos`). Answers
    /// the file stems of the photos removed, for the caller to delete once this is saved.
    async fn update_proposal(
        &self,
        proposal_id: i64,
        proposal: &NewProposal,
        photos: &PhotoChange,
    ) -> StoreResult<Vec<String>>;
    /// A proposal photo's file and who may see it.
    async fn proposal_photo(&self, photo_id: i64) -> StoreResult<ProposalPhotoFile>;
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
    /// identity document, refused when it voted on paper (or from another account). When the
    /// ballot was not confirmed before, `receipt` writes the message that is queued to the voter
    /// in the same transaction.
    async fn ballot_confirm(
        &self,
        budget_id: i64,
        user_id: i64,
        document: &str,
        receipt: Option<&ReceiptMail<'_>>,
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

/// The implementation of funded projects. Moving an edition to its implementation phase gives
/// each funded project its implementation (planned, 0 %); staff keep it up to date from then.
#[async_trait]
pub trait BudgetWorks: Send + Sync {
    /// The locality of a project that has an implementation; `NotFound` for any other.
    async fn work_locality(&self, proposal_id: i64) -> StoreResult<i64>;
    /// Staff's update, in the audit log. The department must be one of the locality's.
    async fn update_work(&self, actor: &Viewer, update: &WorkUpdate) -> StoreResult<()>;
    /// Adds a dated milestone, in the audit log.
    async fn add_milestone(&self, actor: &Viewer, milestone: &NewMilestone) -> StoreResult<i64>;
    /// A milestone's photo (its file stem) and the locality it belongs to.
    async fn milestone_photo(&self, milestone_id: i64) -> StoreResult<(Option<String>, i64)>;
    /// The funded projects with a place of the locality's editions being implemented, newest
    /// edition first.
    async fn funded_places(
        &self,
        locality_id: i64,
    ) -> StoreResult<Vec<crate::model::budget_works::FundedPlace>>;
}

/// Staff setting up the civic budget: editions, their budgets, and budgets imported from a
/// Pabulib file. Every change is in the audit log.
#[async_trait]
pub trait BudgetSetup: Send + Sync {
    /// A new edition of `locality_id`, in its information phase; a slug the locality uses
    /// already is refused (`slug`, `Taken`).
    async fn create_edition(
        &self,
        actor: &Viewer,
        locality_id: i64,
        setup: &EditionSetup,
    ) -> StoreResult<i64>;
    /// New titles and dates for an edition (its slug, its address, stays).
    async fn update_edition(
        &self,
        actor: &Viewer,
        edition_id: i64,
        setup: &EditionSetup,
    ) -> StoreResult<()>;
    /// Adds a budget to an edition still taking proposals (before its review phase).
    async fn add_budget(&self, actor: &Viewer, budget: &NewBudget) -> StoreResult<i64>;
    /// Adds a budget read from a Pabulib file: its projects (on the ballot) and its ballots
    /// (confirmed, by the channel the file gives, paper when it gives none), all in one
    /// transaction; the count is Agora's own, whatever the file says was funded. `name` names
    /// the budget instead of the file's description.
    async fn import_pabulib(
        &self,
        actor: &Viewer,
        edition_id: i64,
        name: Option<&str>,
        file: &str,
    ) -> StoreResult<Result<i64, ImportRefusal>>;
}
