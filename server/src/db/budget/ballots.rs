//! Civic-budget ballots: built one project at a time, confirmed, or entered from paper.
//!
//! Every change runs in one write transaction that first takes the ballot's row (an `UPDATE`,
//! which locks it on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already serialises writers), then
//! re-reads the choices and checks the ballot rule: two quick clicks or two tabs are applied
//! one after the other, and the second sees the first.

use super::{edition_of_budget, require_phase, BudgetRow, BUDGET_SELECT};
use crate::db::audit::{write_audit, AuditRecord};
use crate::db::mail::enqueue_mail;
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::error::{FieldError, Problem};
use app::model::budget::{chosen_costs, BallotRefusal};
use app::model::civic_budget::{BallotChange, BallotState, Channel, Phase};
use app::model::Viewer;
use app::store::{BudgetStore, PaperBallot, ReceiptMail, StoreError, StoreResult};
use chrono::{DateTime, Utc};
use rand::Rng;
use serde_json::json;
use sha2::{Digest, Sha256};

/// A receipt code: ten letters and digits that cannot be mistaken for one another.
pub(super) fn ballot_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..10).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect()
}

/// An identity document number as people type it: without spaces, dashes or case.
pub fn normalise_document(raw: &str) -> String {
    raw.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

/// The keyed hash of a document number: the number itself is never stored.
pub(super) fn document_hash(key: &str, document: &str) -> String {
    let digest = Sha256::digest(format!("{key}\n{document}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(sqlx::FromRow)]
struct BallotRow {
    id: i64,
    budget_id: i64,
    code: String,
    channel: String,
    total: i64,
    confirmed_at: Option<DateTime<Utc>>,
}

impl BallotRow {
    fn state(self, choices: Vec<i64>) -> BallotState {
        BallotState {
            id: self.id,
            budget_id: self.budget_id,
            code: self.code,
            channel: Channel::parse(&self.channel).unwrap_or(Channel::Internet),
            choices,
            total: u64::try_from(self.total).unwrap_or(0),
            confirmed_at: self.confirmed_at,
        }
    }
}

/// The chosen projects of ballot `$ballot` with their ballot costs; `Vec<(i64, i64)>`.
macro_rules! choices_of {
    ($exec:expr, $ballot:expr) => {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT p.id, COALESCE(p.revised_cost, p.cost) FROM budget_choices c \
             JOIN budget_proposals p ON p.id = c.proposal_id WHERE c.ballot_id = $1 ORDER BY p.id",
        )
        .bind($ballot)
        .fetch_all($exec)
    };
}

/// Creates the person's ballot if needed and takes its row for the rest of the transaction.
macro_rules! take_ballot {
    ($tx:expr, $budget:expr, $user:expr) => {
        async {
            let at = now();
            sqlx::query(
                "INSERT INTO budget_ballots (budget_id, voter_id, channel, code, total, created_at, updated_at) \
                 VALUES ($1, $2, 'internet', $3, 0, $4, $4) ON CONFLICT (budget_id, voter_id) DO NOTHING",
            )
            .bind($budget)
            .bind($user)
            .bind(ballot_code())
            .bind(at)
            .execute(&mut *$tx)
            .await?;
            sqlx::query_as::<_, BallotRow>(
                "UPDATE budget_ballots SET updated_at = $1 WHERE budget_id = $2 AND voter_id = $3 \
                 RETURNING id, budget_id, code, channel, total, confirmed_at",
            )
            .bind(at)
            .bind($budget)
            .bind($user)
            .fetch_one(&mut *$tx)
            .await
        }
    };
}

/// The projects on a budget's ballot with their costs.
macro_rules! offered {
    ($exec:expr, $budget:expr) => {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT id, COALESCE(revised_cost, cost) FROM budget_proposals \
             WHERE budget_id = $1 AND status = 'feasible' ORDER BY id",
        )
        .bind($budget)
        .fetch_all($exec)
    };
}

fn lei(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn as_lei(pairs: &[(i64, i64)]) -> Vec<(i64, u64)> {
    pairs.iter().map(|&(id, cost)| (id, lei(cost))).collect()
}

impl Db {
    pub(super) async fn read_my_ballots(
        &self,
        edition_id: i64,
        user_id: i64,
    ) -> StoreResult<Vec<BallotState>> {
        with_pool!(self, |pool| async {
            let rows: Vec<BallotRow> = sqlx::query_as(
                "SELECT b.id, b.budget_id, b.code, b.channel, b.total, b.confirmed_at FROM budget_ballots b \
                 JOIN budget_budgets g ON g.id = b.budget_id WHERE g.edition_id = $1 AND b.voter_id = $2 \
                 ORDER BY g.position, g.id",
            )
            .bind(edition_id)
            .bind(user_id)
            .fetch_all(pool)
            .await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let choices = choices_of!(pool, row.id).await?;
                out.push(row.state(choices.into_iter().map(|(id, _)| id).collect()));
            }
            Ok::<_, sqlx::Error>(out)
        }
        .await)
        .map_err(store_err)
    }

    /// Adds (`add`) or removes a project; see [`app::store::BudgetStore::ballot_add`].
    pub(super) async fn change_ballot(
        &self,
        budget_id: i64,
        user_id: i64,
        proposal_id: i64,
        add: bool,
    ) -> StoreResult<BallotChange> {
        let (edition, budget) = self.budget_edition(budget_id).await?;
        require_phase(&edition, Phase::Voting, "budget_id")?;
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let row = take_ballot!(tx, budget_id, user_id).await.map_err(store_err)?;
            let chosen = choices_of!(&mut *tx, row.id).await.map_err(store_err)?;
            let ids: Vec<i64> = chosen.iter().map(|(id, _)| *id).collect();
            if add == ids.contains(&proposal_id) {
                // Already so: a retried or repeated click changes nothing.
                tx.commit().await.map_err(store_err)?;
                return Ok(BallotChange { ballot: row.state(ids), refusal: None });
            }
            let cost = if add {
                let offered = offered!(&mut *tx, budget_id).await.map_err(store_err)?;
                let Some(&(_, cost)) = offered.iter().find(|(id, _)| *id == proposal_id) else {
                    let refusal =
                        BallotRefusal::UnknownProject { project: proposal_id.to_string() };
                    return Ok(BallotChange { ballot: row.state(ids), refusal: Some(refusal) });
                };
                let costs: Vec<u64> = chosen.iter().map(|(_, c)| lei(*c)).collect();
                if let Err(refusal) =
                    budget.ballot_rule.check_addition(budget.amount, &costs, lei(cost))
                {
                    // Nothing changed; the transaction ends without a write.
                    return Ok(BallotChange { ballot: row.state(ids), refusal: Some(refusal) });
                }
                sqlx::query("INSERT INTO budget_choices (ballot_id, proposal_id) VALUES ($1, $2)")
                    .bind(row.id)
                    .bind(proposal_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_err)?;
                cost
            } else {
                sqlx::query("DELETE FROM budget_choices WHERE ballot_id = $1 AND proposal_id = $2")
                    .bind(row.id)
                    .bind(proposal_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_err)?;
                -chosen.iter().find(|(id, _)| *id == proposal_id).map_or(0, |(_, c)| *c)
            };
            // A changed ballot counts again only once confirmed again.
            let row: BallotRow = sqlx::query_as(
                "UPDATE budget_ballots SET total = total + $1, confirmed_at = NULL WHERE id = $2 \
                 RETURNING id, budget_id, code, channel, total, confirmed_at",
            )
            .bind(cost)
            .bind(row.id)
            .fetch_one(&mut *tx)
            .await
            .map_err(store_err)?;
            let chosen = choices_of!(&mut *tx, row.id).await.map_err(store_err)?;
            tx.commit().await.map_err(store_err)?;
            Ok(BallotChange {
                ballot: row.state(chosen.into_iter().map(|(id, _)| id).collect()),
                refusal: None,
            })
        }
        .await)
    }

    pub(super) async fn confirm_ballot(
        &self,
        budget_id: i64,
        user_id: i64,
        document: &str,
        receipt: Option<&ReceiptMail<'_>>,
    ) -> StoreResult<BallotChange> {
        let (edition, budget) = self.budget_edition(budget_id).await?;
        require_phase(&edition, Phase::Voting, "budget_id")?;
        let document = normalise_document(document);
        if document.len() < 5 || document.len() > 20 {
            return Err(StoreError::Invalid(FieldError::new("document", Problem::Invalid)));
        }
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let key: String =
                sqlx::query_scalar("SELECT document_key FROM budget_editions WHERE id = $1")
                    .bind(edition.id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(store_err)?;
            let hash = document_hash(&key, &document);
            let row = take_ballot!(tx, budget_id, user_id).await.map_err(store_err)?;
            let chosen = choices_of!(&mut *tx, row.id).await.map_err(store_err)?;
            let ids: Vec<i64> = chosen.iter().map(|(id, _)| *id).collect();
            let costs: Vec<u64> = chosen.iter().map(|(_, c)| lei(*c)).collect();
            if let Err(refusal) = budget.ballot_rule.check(budget.amount, &costs) {
                return Ok(BallotChange { ballot: row.state(ids), refusal: Some(refusal) });
            }
            let used: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM budget_ballots WHERE budget_id = $1 AND document_hash = $2 AND id <> $3",
            )
            .bind(budget_id)
            .bind(&hash)
            .bind(row.id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_err)?;
            if used.is_some() {
                return Err(StoreError::Invalid(FieldError::new("document", Problem::AlreadyUsed)));
            }
            let newly_confirmed = row.confirmed_at.is_none();
            let row: BallotRow = sqlx::query_as(
                "UPDATE budget_ballots SET confirmed_at = COALESCE(confirmed_at, $1), document_hash = $2 \
                 WHERE id = $3 RETURNING id, budget_id, code, channel, total, confirmed_at",
            )
            .bind(now())
            .bind(&hash)
            .bind(row.id)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| match store_err(e) {
                StoreError::Conflict(_) => {
                    StoreError::Invalid(FieldError::new("document", Problem::AlreadyUsed))
                }
                other => other,
            })?;
            let ballot = row.state(ids);
            if let (true, Some(receipt)) = (newly_confirmed, receipt) {
                let email: Option<String> = sqlx::query_scalar(
                    "SELECT email FROM users WHERE id = $1 AND deleted_at IS NULL",
                )
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(store_err)?
                .flatten();
                if let Some(email) = email {
                    let mail = receipt(&ballot);
                    enqueue_mail!(tx, &email, &mail.subject, &mail.body).map_err(store_err)?;
                }
            }
            tx.commit().await.map_err(store_err)?;
            Ok(BallotChange { ballot, refusal: None })
        }
        .await
        })
    }

    pub(super) async fn enter_paper_ballot(
        &self,
        actor: &Viewer,
        paper: &PaperBallot,
    ) -> StoreResult<Result<BallotState, BallotRefusal>> {
        let budget_id = paper.budget_id;
        let document = normalise_document(&paper.document);
        if document.len() < 5 || document.len() > 20 {
            return Err(StoreError::Invalid(FieldError::new("document", Problem::Invalid)));
        }
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let edition = edition_of_budget!(&mut *tx, budget_id).await?;
            require_phase(&edition, Phase::Voting, "budget_id")?;
            let sql = format!("{BUDGET_SELECT} WHERE id = $1");
            let budget: BudgetRow =
                sqlx::query_as(&sql).bind(budget_id).fetch_one(&mut *tx).await.map_err(store_err)?;
            let budget = budget.info()?;
            let offered = offered!(&mut *tx, budget_id).await.map_err(store_err)?;
            let checked = chosen_costs(&as_lei(&offered), &paper.choices)
                .and_then(|costs| budget.ballot_rule.check(budget.amount, &costs).map(|()| costs));
            let costs = match checked {
                Ok(costs) => costs,
                Err(refusal) => return Ok(Err(refusal)),
            };
            let key: String =
                sqlx::query_scalar("SELECT document_key FROM budget_editions WHERE id = $1")
                    .bind(edition.id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(store_err)?;
            let hash = document_hash(&key, &document);
            let clash: Option<(Option<String>, Option<String>)> = sqlx::query_as(
                "SELECT document_hash, paper_sheet FROM budget_ballots WHERE budget_id = $1 \
                 AND (document_hash = $2 OR paper_sheet = $3) LIMIT 1",
            )
            .bind(budget_id)
            .bind(&hash)
            .bind(&paper.sheet)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_err)?;
            if let Some((h, _)) = clash {
                let field = if h.as_deref() == Some(hash.as_str()) { "document" } else { "sheet" };
                return Err(StoreError::Invalid(FieldError::new(field, Problem::AlreadyUsed)));
            }
            let total = i64::try_from(costs.iter().sum::<u64>()).unwrap_or(i64::MAX);
            let at = now();
            let row: BallotRow = sqlx::query_as(
                "INSERT INTO budget_ballots (budget_id, channel, paper_sheet, document_hash, code, total, \
                 confirmed_at, entered_by, created_at, updated_at) VALUES ($1, 'paper', $2, $3, $4, $5, $6, $7, $6, $6) \
                 RETURNING id, budget_id, code, channel, total, confirmed_at",
            )
            .bind(budget_id)
            .bind(&paper.sheet)
            .bind(&hash)
            .bind(ballot_code())
            .bind(total)
            .bind(at)
            .bind(actor.user_id())
            .fetch_one(&mut *tx)
            .await
            .map_err(store_err)?;
            for p in &paper.choices {
                sqlx::query("INSERT INTO budget_choices (ballot_id, proposal_id) VALUES ($1, $2)")
                    .bind(row.id)
                    .bind(p)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_err)?;
            }
            let record = AuditRecord::by(actor, "enter_paper_ballot", "budget_ballot", Some(row.id))
                .locality(Some(edition.locality_id))
                .change(None, Some(json!({ "budget": budget_id, "sheet": paper.sheet })));
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)?;
            let mut choices = paper.choices.clone();
            choices.sort_unstable();
            Ok(Ok(row.state(choices)))
        }
        .await
        })
    }
}

impl Db {
    /// The confirmed ballots of an edition, over all its budgets (its pages show them live).
    pub async fn confirmed_ballots(&self, edition_id: i64) -> StoreResult<i64> {
        with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM budget_ballots b JOIN budget_budgets g ON g.id = b.budget_id \
                 WHERE g.edition_id = $1 AND b.confirmed_at IS NOT NULL",
            )
            .bind(edition_id)
            .fetch_one(pool)
            .await
        })
        .map_err(store_err)
    }
}
