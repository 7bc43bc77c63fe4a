//! Proposals as their authors write them: sent (or kept as drafts) and changed until the
//! proposals phase ends or staff review them. Staff's review is in `mod.rs`.

use super::super::{now, store_err, with_pool, BeginWrite, Db};
use super::require_phase;
use app::error::{FieldError, Problem};
use app::model::civic_budget::{Phase, ProposalStatus};
use app::store::{BudgetStore, NewProposal, StoreError, StoreResult};

impl Db {
    pub(super) async fn insert_proposal(&self, p: NewProposal) -> StoreResult<i64> {
        let (edition, budget) = self.budget_edition(p.budget_id).await?;
        require_phase(&edition, Phase::Proposals, "budget_id")?;
        if p.cost > budget.amount {
            return Err(StoreError::Invalid(FieldError::new("cost", Problem::TooLong)));
        }
        let status = if p.draft { ProposalStatus::Draft } else { ProposalStatus::Submitted };
        let at = now();
        with_pool!(self, |pool| async {
            sqlx::query_scalar(
                "INSERT INTO budget_proposals (budget_id, author_id, lang, title, description, cost, lat, lng, \
                 direction, mixed_team, cohesion_actions, status, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
            )
            .bind(p.budget_id)
            .bind(p.author_id)
            .bind(&p.lang)
            .bind(&p.title)
            .bind(&p.description)
            .bind(i64::try_from(p.cost).unwrap_or(i64::MAX))
            .bind(p.at.map(|l| l.lat))
            .bind(p.at.map(|l| l.lng))
            .bind(&p.direction)
            .bind(p.mixed_team)
            .bind(p.cohesion_actions)
            .bind(status.as_str())
            .bind(at)
            .fetch_one(pool)
            .await
        }
        .await)
        .map_err(store_err)
    }

    /// The author's changes to a proposal not yet reviewed, while proposals are taken: its
    /// text, cost, place, direction and team, and whether it is still a draft (a submitted
    /// proposal cannot go back to being one).
    pub(super) async fn edit_proposal(&self, proposal_id: i64, p: &NewProposal) -> StoreResult<()> {
        let (edition, budget) = self.budget_edition(p.budget_id).await?;
        require_phase(&edition, Phase::Proposals, "proposal_id")?;
        if p.cost > budget.amount {
            return Err(StoreError::Invalid(FieldError::new("cost", Problem::TooLong)));
        }
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let (author, status): (Option<i64>, String) = sqlx::query_as(
                "SELECT author_id, status FROM budget_proposals WHERE id = $1 AND budget_id = $2",
            )
            .bind(proposal_id)
            .bind(p.budget_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(store_err)?;
            if author != Some(p.author_id) {
                return Err(StoreError::NotFound);
            }
            let status = match (ProposalStatus::parse(&status), p.draft) {
                (Some(ProposalStatus::Draft), true) => ProposalStatus::Draft,
                (Some(ProposalStatus::Draft | ProposalStatus::Submitted), _) => ProposalStatus::Submitted,
                _ => {
                    return Err(StoreError::Invalid(FieldError::new(
                        "proposal_id",
                        Problem::InvalidTransition,
                    )))
                }
            };
            sqlx::query(
                "UPDATE budget_proposals SET lang = $1, title = $2, description = $3, cost = $4, lat = $5, \
                 lng = $6, direction = $7, mixed_team = $8, cohesion_actions = $9, status = $10, \
                 updated_at = $11 WHERE id = $12",
            )
            .bind(&p.lang)
            .bind(&p.title)
            .bind(&p.description)
            .bind(i64::try_from(p.cost).unwrap_or(i64::MAX))
            .bind(p.at.map(|l| l.lat))
            .bind(p.at.map(|l| l.lng))
            .bind(&p.direction)
            .bind(p.mixed_team)
            .bind(p.cohesion_actions)
            .bind(status.as_str())
            .bind(now())
            .bind(proposal_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
            tx.commit().await.map_err(store_err)
        }
        .await
        })
    }
}
