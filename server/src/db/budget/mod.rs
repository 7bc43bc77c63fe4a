//! The civic budget: editions, budgets and proposals (here), ballots (`ballots.rs`) and the
//! count (`results.rs`).

mod ballots;
mod inclusion;
mod proposals;
pub mod reminders;
mod results;
mod seed;
mod setup;
mod works;

use super::audit::{write_audit, AuditRecord};
use super::{now, store_err, with_pool, BeginWrite, Db};
use app::error::{FieldError, Problem};
use app::model::budget::{BallotRule, OutcomeRule};
use app::model::civic_budget::{
    BudgetInfo, EditionDetail, EditionSummary, Phase, PhaseDates, Proposal, ProposalStatus,
};
use app::model::{LatLng, Localized, Viewer};
use app::store::{
    NewProposal, PhotoChange, ProposalPhotoFile, ProposalReview, ReceiptMail, SavedPhoto,
    StoreError, StoreResult,
};
use chrono::{DateTime, Utc};
use serde_json::json;

#[derive(sqlx::FromRow)]
pub(super) struct EditionRow {
    id: i64,
    locality_id: i64,
    slug: String,
    title_ro: String,
    title_ru: String,
    title_uk: String,
    title_en: String,
    phase: String,
    information_from: DateTime<Utc>,
    proposals_from: DateTime<Utc>,
    review_from: DateTime<Utc>,
    voting_from: DateTime<Utc>,
    results_from: DateTime<Utc>,
    implementation_from: DateTime<Utc>,
    confirmed_ballots: i64,
    min_voter_age: i64,
}

impl EditionRow {
    pub(super) fn summary(self) -> EditionSummary {
        EditionSummary {
            id: self.id,
            locality_id: self.locality_id,
            slug: self.slug,
            title: Localized {
                ro: self.title_ro,
                ru: self.title_ru,
                uk: self.title_uk,
                en: self.title_en,
            },
            phase: Phase::parse(&self.phase).unwrap_or(Phase::Information),
            dates: PhaseDates([
                self.information_from,
                self.proposals_from,
                self.review_from,
                self.voting_from,
                self.results_from,
                self.implementation_from,
            ]),
            confirmed_ballots: self.confirmed_ballots,
            min_voter_age: u8::try_from(self.min_voter_age).unwrap_or(0),
        }
    }
}

pub(super) const EDITION_SELECT: &str = "SELECT e.id, e.locality_id, e.slug, e.title_ro, e.title_ru, \
    e.title_uk, e.title_en, e.phase, e.information_from, e.proposals_from, e.review_from, e.voting_from, \
    e.results_from, e.implementation_from, e.min_voter_age, (SELECT COUNT(*) FROM budget_ballots b JOIN budget_budgets g \
    ON g.id = b.budget_id WHERE g.edition_id = e.id AND b.confirmed_at IS NOT NULL) AS confirmed_ballots \
    FROM budget_editions e";

#[derive(sqlx::FromRow)]
pub(super) struct BudgetRow {
    id: i64,
    edition_id: i64,
    name_ro: String,
    name_ru: String,
    name_uk: String,
    name_en: String,
    amount: i64,
    ballot_rule: String,
    outcome_rule: String,
}

impl BudgetRow {
    pub(super) fn info(self) -> StoreResult<BudgetInfo> {
        let ballot_rule: BallotRule = serde_json::from_str(&self.ballot_rule)
            .map_err(|e| StoreError::Backend(Box::new(e)))?;
        let outcome_rule =
            OutcomeRule::parse(&self.outcome_rule).unwrap_or(OutcomeRule::EqualShares);
        Ok(BudgetInfo {
            id: self.id,
            edition_id: self.edition_id,
            name: Localized {
                ro: self.name_ro,
                ru: self.name_ru,
                uk: self.name_uk,
                en: self.name_en,
            },
            amount: u64::try_from(self.amount).unwrap_or(0),
            ballot_rule,
            outcome_rule,
        })
    }
}

pub(super) const BUDGET_SELECT: &str =
    "SELECT id, edition_id, name_ro, name_ru, name_uk, name_en, \
    amount, ballot_rule, outcome_rule FROM budget_budgets";

#[derive(sqlx::FromRow)]
pub(super) struct ProposalRow {
    id: i64,
    budget_id: i64,
    author_id: Option<i64>,
    lang: String,
    title: String,
    description: String,
    cost: i64,
    revised_cost: Option<i64>,
    lat: Option<f64>,
    lng: Option<f64>,
    direction: String,
    mixed_team: bool,
    cohesion_actions: bool,
    status: String,
    review_reason: Option<String>,
    votes: i64,
}

impl ProposalRow {
    pub(super) fn proposal(self) -> Proposal {
        let lei = |v: i64| u64::try_from(v).unwrap_or(0);
        Proposal {
            id: self.id,
            budget_id: self.budget_id,
            author_id: self.author_id,
            lang: self.lang,
            title: self.title,
            description: self.description,
            cost: lei(self.cost),
            revised_cost: self.revised_cost.map(lei),
            at: self.lat.zip(self.lng).map(|(lat, lng)| LatLng { lat, lng }),
            direction: self.direction,
            mixed_team: self.mixed_team,
            cohesion_actions: self.cohesion_actions,
            status: ProposalStatus::parse(&self.status).unwrap_or(ProposalStatus::Draft),
            review_reason: self.review_reason,
            votes: self.votes,
            work: None,
            photos: Vec::new(),
        }
    }
}

const PROPOSAL_SELECT: &str = "SELECT p.id, p.budget_id, p.author_id, p.lang, p.title, p.description, \
    p.cost, p.revised_cost, p.lat, p.lng, p.direction, p.mixed_team, p.cohesion_actions, p.status, \
    p.review_reason, (SELECT COUNT(*) FROM budget_choices c JOIN budget_ballots b ON b.id = c.ballot_id \
    WHERE c.proposal_id = p.id AND b.confirmed_at IS NOT NULL) AS votes \
    FROM budget_proposals p JOIN budget_budgets g ON g.id = p.budget_id";

/// The edition of budget `$budget` as `$exec` sees it; `Result<EditionSummary, StoreError>`.
macro_rules! edition_of_budget {
    ($exec:expr, $budget:expr) => {
        async {
            let sql = format!(
                "{} WHERE e.id = (SELECT edition_id FROM budget_budgets WHERE id = $1)",
                $crate::db::budget::EDITION_SELECT
            );
            let row: $crate::db::budget::EditionRow = sqlx::query_as(&sql)
                .bind($budget)
                .fetch_one($exec)
                .await
                .map_err($crate::db::store_err)?;
            Ok::<_, app::store::StoreError>(row.summary())
        }
    };
}
pub(super) use edition_of_budget;

/// Refuses an action outside its phase (or after the phase's deadline).
pub(super) fn require_phase(
    edition: &EditionSummary,
    phase: Phase,
    field: &str,
) -> StoreResult<()> {
    if edition.allows(phase, now()) {
        Ok(())
    } else {
        Err(StoreError::Invalid(FieldError::new(field, Problem::Closed)))
    }
}

/// Refuses a change once the edition reached `phase`.
pub(super) fn require_phase_before(
    edition: &EditionSummary,
    phase: Phase,
    field: &str,
) -> StoreResult<()> {
    if edition.phase < phase {
        Ok(())
    } else {
        Err(StoreError::Invalid(FieldError::new(field, Problem::Closed)))
    }
}

impl Db {
    async fn edition_where(&self, clause: &str, key: (i64, &str)) -> StoreResult<EditionDetail> {
        let (edition, budgets, proposals) = with_pool!(self, |pool| async {
            let sql = format!("{EDITION_SELECT} WHERE {clause}");
            let edition: EditionRow =
                sqlx::query_as(&sql).bind(key.0).bind(key.1).fetch_one(pool).await?;
            let sql = format!("{BUDGET_SELECT} WHERE edition_id = $1 ORDER BY position, id");
            let budgets: Vec<BudgetRow> =
                sqlx::query_as(&sql).bind(edition.id).fetch_all(pool).await?;
            let sql = format!("{PROPOSAL_SELECT} WHERE g.edition_id = $1 ORDER BY p.id");
            let proposals: Vec<ProposalRow> =
                sqlx::query_as(&sql).bind(edition.id).fetch_all(pool).await?;
            Ok::<_, sqlx::Error>((edition, budgets, proposals))
        }
        .await)
        .map_err(store_err)?;
        let (mut works, milestones) = self.edition_works(edition.id).await?;
        let mut photos = self.edition_photos(edition.id).await?;
        let proposals = proposals
            .into_iter()
            .map(|row| {
                let mut proposal = row.proposal();
                proposal.work = works.remove(&proposal.id);
                proposal.photos = photos.remove(&proposal.id).unwrap_or_default();
                proposal
            })
            .collect();
        Ok(EditionDetail {
            edition: edition.summary(),
            budgets: budgets.into_iter().map(BudgetRow::info).collect::<StoreResult<_>>()?,
            proposals,
            milestones,
        })
    }
}

#[async_trait::async_trait]
impl app::store::BudgetStore for Db {
    async fn editions(&self, locality_id: i64) -> StoreResult<Vec<EditionSummary>> {
        let rows: Vec<EditionRow> = with_pool!(self, |pool| {
            let sql = format!(
                "{EDITION_SELECT} WHERE e.locality_id = $1 ORDER BY e.information_from DESC, e.id DESC"
            );
            sqlx::query_as(&sql).bind(locality_id).fetch_all(pool).await
        })
        .map_err(store_err)?;
        Ok(rows.into_iter().map(EditionRow::summary).collect())
    }

    async fn edition(&self, locality_id: i64, slug: &str) -> StoreResult<EditionDetail> {
        self.edition_where("e.locality_id = $1 AND e.slug = $2", (locality_id, slug)).await
    }

    async fn edition_by_id(&self, id: i64) -> StoreResult<EditionDetail> {
        // Both queries bind an id and a slug; this one's slug is always empty.
        self.edition_where("e.id = $1 AND $2 = ''", (id, "")).await
    }

    async fn budget_edition(&self, budget_id: i64) -> StoreResult<(EditionSummary, BudgetInfo)> {
        with_pool!(self, |pool| async {
            let edition = edition_of_budget!(pool, budget_id).await?;
            let sql = format!("{BUDGET_SELECT} WHERE id = $1");
            let budget: BudgetRow =
                sqlx::query_as(&sql).bind(budget_id).fetch_one(pool).await.map_err(store_err)?;
            Ok((edition, budget.info()?))
        }
        .await)
    }

    async fn proposal_edition(&self, proposal_id: i64) -> StoreResult<EditionSummary> {
        with_pool!(self, |pool| async {
            let budget: i64 =
                sqlx::query_scalar("SELECT budget_id FROM budget_proposals WHERE id = $1")
                    .bind(proposal_id)
                    .fetch_one(pool)
                    .await
                    .map_err(store_err)?;
            edition_of_budget!(pool, budget).await
        }
        .await)
    }

    async fn create_proposal(&self, p: NewProposal, photos: &[SavedPhoto]) -> StoreResult<i64> {
        self.insert_proposal(p, photos).await
    }

    async fn update_proposal(
        &self,
        proposal_id: i64,
        p: &NewProposal,
        photos: &PhotoChange,
    ) -> StoreResult<Vec<String>> {
        self.edit_proposal(proposal_id, p, photos).await
    }

    async fn proposal_photo(&self, photo_id: i64) -> StoreResult<ProposalPhotoFile> {
        self.proposal_photo_file(photo_id).await
    }

    async fn review_proposal(&self, actor: &Viewer, review: &ProposalReview) -> StoreResult<()> {
        let edition = self.proposal_edition(review.proposal_id).await?;
        let status =
            if review.feasible { ProposalStatus::Feasible } else { ProposalStatus::Unfeasible };
        let revised = review.revised_cost.map(|c| i64::try_from(c).unwrap_or(i64::MAX));
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let (before, amount): (String, i64) = sqlx::query_as(
                "SELECT p.status, g.amount FROM budget_proposals p JOIN budget_budgets g ON g.id = p.budget_id \
                 WHERE p.id = $1",
            )
            .bind(review.proposal_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(store_err)?;
            if before == "draft" {
                return Err(StoreError::Invalid(FieldError::new(
                    "proposal_id",
                    Problem::InvalidTransition,
                )));
            }
            if revised.is_some_and(|c| c > amount) {
                return Err(StoreError::Invalid(FieldError::new("revised_cost", Problem::TooLong)));
            }
            sqlx::query(
                "UPDATE budget_proposals SET status = $1, review_reason = $2, revised_cost = $3, \
                 reviewed_by = $4, reviewed_at = $5, updated_at = $5 WHERE id = $6",
            )
            .bind(status.as_str())
            .bind(&review.reason)
            .bind(revised)
            .bind(actor.user_id())
            .bind(now())
            .bind(review.proposal_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
            let record =
                AuditRecord::by(actor, "review_budget_proposal", "budget_proposal", Some(review.proposal_id))
                    .locality(Some(edition.locality_id))
                    .change(
                        Some(json!({ "status": before })),
                        Some(json!({ "status": status.as_str(), "revised_cost": revised })),
                    )
                    .reason(Some(&review.reason));
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)
        }
        .await
        })
    }

    async fn set_phase(&self, actor: &Viewer, edition_id: i64, phase: Phase) -> StoreResult<()> {
        // Ballots no longer change once voting closed, so the count read here is the final one.
        let funded = if phase == Phase::Implementation {
            self.funded_projects(edition_id).await?
        } else {
            Vec::new()
        };
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            works::open_works!(tx, &funded).await.map_err(store_err)?;
            let (before, locality): (String, i64) =
                sqlx::query_as("SELECT phase, locality_id FROM budget_editions WHERE id = $1")
                    .bind(edition_id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(store_err)?;
            sqlx::query(
                "UPDATE budget_editions SET phase = $1, phase_changed_at = $2 WHERE id = $3",
            )
            .bind(phase.as_str())
            .bind(now())
            .bind(edition_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
            let record =
                AuditRecord::by(actor, "set_budget_phase", "budget_edition", Some(edition_id))
                    .locality(Some(locality))
                    .change(
                        Some(json!({ "phase": before })),
                        Some(json!({ "phase": phase.as_str() })),
                    );
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)
        }
        .await)
    }

    async fn my_ballots(
        &self,
        edition_id: i64,
        user_id: i64,
    ) -> StoreResult<Vec<app::model::civic_budget::BallotState>> {
        self.read_my_ballots(edition_id, user_id).await
    }

    async fn ballot_add(
        &self,
        budget_id: i64,
        user_id: i64,
        proposal_id: i64,
    ) -> StoreResult<app::model::civic_budget::BallotChange> {
        self.change_ballot(budget_id, user_id, proposal_id, true).await
    }

    async fn ballot_remove(
        &self,
        budget_id: i64,
        user_id: i64,
        proposal_id: i64,
    ) -> StoreResult<app::model::civic_budget::BallotChange> {
        self.change_ballot(budget_id, user_id, proposal_id, false).await
    }

    async fn ballot_confirm(
        &self,
        budget_id: i64,
        user_id: i64,
        document: &str,
        receipt: Option<&ReceiptMail<'_>>,
    ) -> StoreResult<app::model::civic_budget::BallotChange> {
        self.confirm_ballot(budget_id, user_id, document, receipt).await
    }

    async fn paper_ballot(
        &self,
        actor: &Viewer,
        ballot: &app::store::PaperBallot,
    ) -> StoreResult<Result<app::model::civic_budget::BallotState, app::model::budget::BallotRefusal>>
    {
        self.enter_paper_ballot(actor, ballot).await
    }

    async fn budget_results(
        &self,
        budget_id: i64,
    ) -> StoreResult<app::model::civic_budget::BudgetResults> {
        self.count_budget(budget_id).await
    }

    async fn budget_pabulib(&self, budget_id: i64) -> StoreResult<String> {
        self.pabulib_file(budget_id).await
    }
}
