//! Proposals as their authors write them: sent (or kept as drafts) with their photos, and
//! changed until the proposals phase ends or staff review them. Staff's review is in `mod.rs`.

use super::super::{now, store_err, with_pool, BeginWrite, Db};
use super::require_phase;
use app::error::{FieldError, Problem};
use app::model::civic_budget::{Phase, ProposalPhoto, ProposalStatus, MAX_PROPOSAL_PHOTOS};
use app::store::{
    BudgetStore, NewProposal, PhotoChange, ProposalPhotoFile, SavedPhoto, StoreError, StoreResult,
};
use std::collections::HashMap;

/// Adds `$photos` to proposal `$proposal` after its others; `Result<(), sqlx::Error>`.
macro_rules! insert_photos {
    ($tx:expr, $proposal:expr, $photos:expr) => {
        async {
            for photo in $photos {
                sqlx::query(
                    "INSERT INTO budget_proposal_photos (proposal_id, position, file_stem, width, height, \
                     created_at) VALUES ($1, (SELECT COALESCE(MAX(position) + 1, 0) FROM \
                     budget_proposal_photos WHERE proposal_id = $1), $2, $3, $4, $5)",
                )
                .bind($proposal)
                .bind(&photo.stem)
                .bind(i64::from(photo.width))
                .bind(i64::from(photo.height))
                .bind(now())
                .execute(&mut *$tx)
                .await?;
            }
            Ok::<_, sqlx::Error>(())
        }
    };
}

/// Binds what the author writes of proposal `$p`, in the order both the insert and the update
/// name it: lang, title, description, cost, lat, lng, direction, mixed_team, cohesion_actions.
macro_rules! bind_proposal_fields {
    ($query:expr, $p:expr) => {
        $query
            .bind(&$p.lang)
            .bind(&$p.title)
            .bind(&$p.description)
            .bind(i64::try_from($p.cost).unwrap_or(i64::MAX))
            .bind($p.at.map(|l| l.lat))
            .bind($p.at.map(|l| l.lng))
            .bind(&$p.direction)
            .bind($p.mixed_team)
            .bind($p.cohesion_actions)
    };
}

/// A proposal's photo as read for its page.
#[derive(sqlx::FromRow)]
struct PhotoRow {
    proposal_id: i64,
    id: i64,
    width: i64,
    height: i64,
}

impl Db {
    pub(super) async fn insert_proposal(
        &self,
        p: NewProposal,
        photos: &[SavedPhoto],
    ) -> StoreResult<i64> {
        let (edition, budget) = self.budget_edition(p.budget_id).await?;
        require_phase(&edition, Phase::Proposals, "budget_id")?;
        if p.cost > budget.amount {
            return Err(StoreError::Invalid(FieldError::new("cost", Problem::TooLong)));
        }
        if photos.len() > MAX_PROPOSAL_PHOTOS {
            return Err(StoreError::Invalid(FieldError::new("photos", Problem::TooManyImages)));
        }
        let status = if p.draft { ProposalStatus::Draft } else { ProposalStatus::Submitted };
        let at = now();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let query = sqlx::query_scalar(
                "INSERT INTO budget_proposals (budget_id, author_id, lang, title, description, cost, lat, lng, \
                 direction, mixed_team, cohesion_actions, status, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
            )
            .bind(p.budget_id)
            .bind(p.author_id);
            let id: i64 = bind_proposal_fields!(query, p)
                .bind(status.as_str())
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            insert_photos!(tx, id, photos).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(id)
        }
        .await)
        .map_err(store_err)
    }

    /// The author's changes to a proposal not yet reviewed, while proposals are taken: its
    /// text, cost, place, direction, team and photos, and whether it is still a draft (a
    /// submitted proposal cannot go back to being one). Answers the removed photos' stems.
    pub(super) async fn edit_proposal(
        &self,
        proposal_id: i64,
        p: &NewProposal,
        photos: &PhotoChange,
    ) -> StoreResult<Vec<String>> {
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
            // Only this proposal's own photos are removed, whatever ids the form named.
            let old: Vec<(i64, String)> = sqlx::query_as(
                "SELECT id, file_stem FROM budget_proposal_photos WHERE proposal_id = $1",
            )
            .bind(proposal_id)
            .fetch_all(&mut *tx)
            .await
            .map_err(store_err)?;
            let (gone, kept): (Vec<_>, Vec<_>) =
                old.into_iter().partition(|(id, _)| photos.removed.contains(id));
            if kept.len() + photos.added.len() > MAX_PROPOSAL_PHOTOS {
                return Err(StoreError::Invalid(FieldError::new("photos", Problem::TooManyImages)));
            }
            for (id, _) in &gone {
                sqlx::query("DELETE FROM budget_proposal_photos WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_err)?;
            }
            insert_photos!(tx, proposal_id, &photos.added).await.map_err(store_err)?;
            let query = sqlx::query(
                "UPDATE budget_proposals SET lang = $1, title = $2, description = $3, cost = $4, lat = $5, \
                 lng = $6, direction = $7, mixed_team = $8, cohesion_actions = $9, status = $10, \
                 updated_at = $11 WHERE id = $12",
            );
            bind_proposal_fields!(query, p)
                .bind(status.as_str())
                .bind(now())
                .bind(proposal_id)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
            tx.commit().await.map_err(store_err)?;
            Ok(gone.into_iter().map(|(_, stem)| stem).collect())
        }
        .await
        })
    }

    /// The photos of an edition's proposals, by proposal, in their order.
    pub(super) async fn edition_photos(
        &self,
        edition_id: i64,
    ) -> StoreResult<HashMap<i64, Vec<ProposalPhoto>>> {
        let rows: Vec<PhotoRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT ph.proposal_id, ph.id, ph.width, ph.height FROM budget_proposal_photos ph \
                 JOIN budget_proposals p ON p.id = ph.proposal_id \
                 JOIN budget_budgets g ON g.id = p.budget_id \
                 WHERE g.edition_id = $1 ORDER BY ph.proposal_id, ph.position, ph.id",
            )
            .bind(edition_id)
            .fetch_all(pool)
            .await
        })
        .map_err(store_err)?;
        let mut photos: HashMap<i64, Vec<ProposalPhoto>> = HashMap::new();
        for row in rows {
            photos.entry(row.proposal_id).or_default().push(ProposalPhoto {
                id: row.id,
                width: u32::try_from(row.width).unwrap_or(0),
                height: u32::try_from(row.height).unwrap_or(0),
            });
        }
        Ok(photos)
    }

    pub(super) async fn proposal_photo_file(
        &self,
        photo_id: i64,
    ) -> StoreResult<ProposalPhotoFile> {
        let (stem, status, author_id): (String, String, Option<i64>) = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT ph.file_stem, p.status, p.author_id FROM budget_proposal_photos ph \
                 JOIN budget_proposals p ON p.id = ph.proposal_id WHERE ph.id = $1",
            )
            .bind(photo_id)
            .fetch_one(pool)
            .await
        })
        .map_err(store_err)?;
        Ok(ProposalPhotoFile {
            stem,
            draft: ProposalStatus::parse(&status) == Some(ProposalStatus::Draft),
            author_id,
        })
    }
}
