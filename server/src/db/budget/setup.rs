//! Staff setting up the civic budget: editions, budgets, and budgets imported from a Pabulib
//! file. The inserts are written once here; the demo (`seed.rs`) uses them too.

use super::super::audit::{write_audit, AuditRecord};
use super::super::{now, store_err, with_pool, BeginWrite, Db};
use super::{require_phase_before, EditionRow, EDITION_SELECT};
use crate::budget::pabulib;
use app::error::{FieldError, Problem};
use app::model::budget_setup::{EditionSetup, ImportRefusal, NewBudget};
use app::model::civic_budget::{Channel, Phase};
use app::model::Viewer;
use app::store::{BudgetSetup, StoreError, StoreResult};
use async_trait::async_trait;
use rand::Rng;
use serde_json::json;

/// A random key for the identity documents' hashes of one edition.
pub(super) fn document_key() -> String {
    let mut rng = rand::rng();
    (0..32).map(|_| format!("{:02x}", rng.random::<u8>())).collect()
}

/// Inserts an edition (`$title` a `Localized`, `$dates` a `PhaseDates`); `Result<i64, _>`.
macro_rules! insert_edition {
    ($tx:expr, $locality:expr, $slug:expr, $title:expr, $phase:expr, $dates:expr, $key:expr, $min_age:expr) => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO budget_editions (locality_id, slug, title_ro, title_ru, title_uk, title_en, phase, \
             information_from, proposals_from, review_from, voting_from, results_from, implementation_from, \
             document_key, created_at, min_voter_age) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
             $12, $13, $14, $15, $16) RETURNING id",
        )
        .bind($locality)
        .bind($slug)
        .bind(&$title.ro)
        .bind(&$title.ru)
        .bind(&$title.uk)
        .bind(&$title.en)
        .bind($phase)
        .bind($dates.0[0])
        .bind($dates.0[1])
        .bind($dates.0[2])
        .bind($dates.0[3])
        .bind($dates.0[4])
        .bind($dates.0[5])
        .bind($key)
        .bind($crate::db::now())
        .bind(i64::from($min_age))
        .fetch_one(&mut *$tx)
    };
}
pub(super) use insert_edition;

/// Inserts a budget after the edition's others; `Result<i64, _>`.
macro_rules! insert_budget {
    ($tx:expr, $edition:expr, $name:expr, $amount:expr, $ballot_rule:expr, $outcome_rule:expr) => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO budget_budgets (edition_id, position, name_ro, name_ru, name_uk, name_en, amount, \
             ballot_rule, outcome_rule) VALUES ($1, (SELECT COUNT(*) FROM budget_budgets WHERE edition_id = $1), \
             $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind($edition)
        .bind(&$name.ro)
        .bind(&$name.ru)
        .bind(&$name.uk)
        .bind(&$name.en)
        .bind(i64::try_from($amount).unwrap_or(i64::MAX))
        .bind(serde_json::to_string(&$ballot_rule).unwrap_or_default())
        .bind($outcome_rule.as_str())
        .fetch_one(&mut *$tx)
    };
}
pub(super) use insert_budget;

/// A reviewed project as the demo and an import store it.
pub(super) struct ReviewedProject<'a> {
    pub budget_id: i64,
    pub lang: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub cost: u64,
    pub at: Option<app::model::LatLng>,
    pub direction: &'a str,
    pub mixed_team: bool,
    pub cohesion_actions: bool,
    /// `None`: feasible; otherwise refused with this public reason.
    pub refused: Option<&'a str>,
    pub reason: &'a str,
    pub reviewed_at: chrono::DateTime<chrono::Utc>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Inserts a [`ReviewedProject`]; `Result<i64, _>`.
macro_rules! insert_reviewed_project {
    ($tx:expr, $p:expr) => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO budget_proposals (budget_id, lang, title, description, cost, lat, lng, direction, \
             mixed_team, cohesion_actions, status, review_reason, reviewed_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
        )
        .bind($p.budget_id)
        .bind($p.lang)
        .bind($p.title)
        .bind($p.description)
        .bind(i64::try_from($p.cost).unwrap_or(i64::MAX))
        .bind($p.at.map(|l| l.lat))
        .bind($p.at.map(|l| l.lng))
        .bind($p.direction)
        .bind($p.mixed_team)
        .bind($p.cohesion_actions)
        .bind(if $p.refused.is_some() { "unfeasible" } else { "feasible" })
        .bind($p.refused.unwrap_or($p.reason))
        .bind($p.reviewed_at)
        .bind($p.created_at)
        .fetch_one(&mut *$tx)
    };
}
pub(super) use insert_reviewed_project;

/// A ballot counted as it comes (from the demo or a file), and its choices.
pub(super) struct CountedBallot {
    pub budget_id: i64,
    pub channel: Channel,
    pub sheet: Option<String>,
    pub document_hash: Option<String>,
    /// Unique: it also pairs each inserted row with its choices.
    pub code: String,
    pub total: u64,
    pub confirmed_at: chrono::DateTime<chrono::Utc>,
    pub entered_by: Option<i64>,
    pub choices: Vec<i64>,
}

/// Inserts [`CountedBallot`]s with their choices, hundreds of rows per statement (a file may
/// hold tens of thousands of ballots); `Result<(), sqlx::Error>`.
macro_rules! insert_counted_ballots {
    ($tx:expr, $ballots:expr) => {
        async {
            let ballots: &[$crate::db::budget::setup::CountedBallot] = $ballots;
            for chunk in ballots.chunks(500) {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO budget_ballots (budget_id, channel, paper_sheet, document_hash, code, \
                     total, confirmed_at, entered_by, created_at, updated_at) ",
                );
                insert.push_values(chunk, |mut row, b| {
                    row.push_bind(b.budget_id)
                        .push_bind(b.channel.as_str())
                        .push_bind(b.sheet.clone())
                        .push_bind(b.document_hash.clone())
                        .push_bind(b.code.clone())
                        .push_bind(i64::try_from(b.total).unwrap_or(i64::MAX))
                        .push_bind(b.confirmed_at)
                        .push_bind(b.entered_by)
                        .push_bind(b.confirmed_at)
                        .push_bind(b.confirmed_at);
                });
                // Rows come back in no promised order: the codes pair them with their choices.
                insert.push(" RETURNING id, code");
                let rows: Vec<(i64, String)> =
                    insert.build_query_as().fetch_all(&mut *$tx).await?;
                let ids: std::collections::HashMap<String, i64> =
                    rows.into_iter().map(|(id, code)| (code, id)).collect();
                let choices: Vec<(i64, i64)> = chunk
                    .iter()
                    .filter_map(|b| ids.get(&b.code).map(|id| (*id, &b.choices)))
                    .flat_map(|(id, chosen)| chosen.iter().map(move |p| (id, *p)))
                    .collect();
                for part in choices.chunks(2000) {
                    let mut insert = sqlx::QueryBuilder::new(
                        "INSERT INTO budget_choices (ballot_id, proposal_id) ",
                    );
                    insert.push_values(part, |mut row, (ballot, proposal)| {
                        row.push_bind(*ballot).push_bind(*proposal);
                    });
                    insert.build().execute(&mut *$tx).await?;
                }
            }
            Ok::<(), sqlx::Error>(())
        }
    };
}
pub(super) use insert_counted_ballots;

/// The edition's summary before a change, for the audit log and the phase checks.
async fn edition_summary(
    db: &Db,
    edition_id: i64,
) -> StoreResult<app::model::civic_budget::EditionSummary> {
    let row: EditionRow = with_pool!(db, |pool| {
        let sql = format!("{EDITION_SELECT} WHERE e.id = $1");
        sqlx::query_as(&sql).bind(edition_id).fetch_one(pool).await
    })
    .map_err(store_err)?;
    Ok(row.summary())
}

fn dates_json(setup: &EditionSetup) -> serde_json::Value {
    json!({
        "title": setup.title.ro,
        "dates": setup.dates.0.map(|d| d.to_rfc3339()),
        "min_voter_age": setup.min_voter_age,
    })
}

#[async_trait]
impl BudgetSetup for Db {
    async fn create_edition(
        &self,
        actor: &Viewer,
        locality_id: i64,
        setup: &EditionSetup,
    ) -> StoreResult<i64> {
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let taken: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM budget_editions WHERE locality_id = $1 AND slug = $2",
            )
            .bind(locality_id)
            .bind(&setup.slug)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_err)?;
            if taken.is_some() {
                return Err(StoreError::Invalid(FieldError::new("slug", Problem::Taken)));
            }
            let key = document_key();
            let id = insert_edition!(
                tx,
                locality_id,
                &setup.slug,
                setup.title,
                Phase::Information.as_str(),
                setup.dates,
                &key,
                setup.min_voter_age
            )
            .await
            .map_err(store_err)?;
            let record =
                AuditRecord::by(actor, "create_budget_edition", "budget_edition", Some(id))
                    .locality(Some(locality_id))
                    .change(None, Some(dates_json(setup)));
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)?;
            Ok(id)
        }
        .await)
    }

    async fn update_edition(
        &self,
        actor: &Viewer,
        edition_id: i64,
        setup: &EditionSetup,
    ) -> StoreResult<()> {
        let before = edition_summary(self, edition_id).await?;
        let was = EditionSetup {
            slug: before.slug.clone(),
            title: before.title,
            dates: before.dates,
            min_voter_age: before.min_voter_age,
        };
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            sqlx::query(
                "UPDATE budget_editions SET title_ro = $1, title_ru = $2, title_uk = $3, title_en = $4, \
                 information_from = $5, proposals_from = $6, review_from = $7, voting_from = $8, \
                 results_from = $9, implementation_from = $10, min_voter_age = $11 WHERE id = $12",
            )
            .bind(&setup.title.ro)
            .bind(&setup.title.ru)
            .bind(&setup.title.uk)
            .bind(&setup.title.en)
            .bind(setup.dates.0[0])
            .bind(setup.dates.0[1])
            .bind(setup.dates.0[2])
            .bind(setup.dates.0[3])
            .bind(setup.dates.0[4])
            .bind(setup.dates.0[5])
            .bind(i64::from(setup.min_voter_age))
            .bind(edition_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
            let record =
                AuditRecord::by(actor, "update_budget_edition", "budget_edition", Some(edition_id))
                    .locality(Some(before.locality_id))
                    .change(Some(dates_json(&was)), Some(dates_json(setup)));
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)
        }
        .await
        })
    }

    async fn add_budget(&self, actor: &Viewer, budget: &NewBudget) -> StoreResult<i64> {
        let edition = edition_summary(self, budget.edition_id).await?;
        // Proposals name their budget: one added once review began would stay empty.
        require_phase_before(&edition, Phase::Review, "edition_id")?;
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let id = insert_budget!(
                tx,
                budget.edition_id,
                budget.name,
                budget.amount,
                budget.ballot_rule,
                budget.outcome_rule
            )
            .await
            .map_err(store_err)?;
            let record = AuditRecord::by(actor, "add_budget", "budget", Some(id))
                .locality(Some(edition.locality_id))
                .change(
                    None,
                    Some(json!({
                        "edition": budget.edition_id,
                        "name": budget.name.ro,
                        "amount": budget.amount,
                        "ballot_rule": budget.ballot_rule,
                        "outcome_rule": budget.outcome_rule.as_str(),
                    })),
                );
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)?;
            Ok(id)
        }
        .await)
    }

    async fn import_pabulib(
        &self,
        actor: &Viewer,
        edition_id: i64,
        name: Option<&str>,
        file: &str,
    ) -> StoreResult<Result<i64, ImportRefusal>> {
        let edition = edition_summary(self, edition_id).await?;
        let budget = match pabulib::import(file, name) {
            Ok(budget) => budget,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let at = now();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let name = app::model::Localized { ro: budget.name.clone(), ..Default::default() };
            let budget_id = insert_budget!(
                tx,
                edition_id,
                name,
                budget.amount,
                budget.ballot_rule,
                budget.outcome_rule
            )
            .await
            .map_err(store_err)?;
            let mut ids = Vec::with_capacity(budget.projects.len());
            for p in &budget.projects {
                let project = ReviewedProject {
                    budget_id,
                    lang: budget.lang,
                    title: &p.title,
                    description: "",
                    cost: p.cost,
                    at: p.at,
                    direction: p.direction,
                    mixed_team: false,
                    cohesion_actions: false,
                    refused: None,
                    reason: "",
                    reviewed_at: at,
                    created_at: at,
                };
                ids.push(insert_reviewed_project!(tx, project).await.map_err(store_err)?);
            }
            let ballots: Vec<CountedBallot> = budget
                .ballots
                .iter()
                .enumerate()
                .map(|(n, (channel, chosen))| CountedBallot {
                    budget_id,
                    channel: *channel,
                    // The file's ballots are numbered anew: voter ids say nothing here.
                    sheet: (*channel == Channel::Paper).then(|| format!("pb-{}", n + 1)),
                    document_hash: None,
                    code: super::ballots::ballot_code(),
                    total: chosen
                        .iter()
                        .filter_map(|&i| budget.projects.get(i))
                        .map(|p| p.cost)
                        .sum(),
                    confirmed_at: at,
                    entered_by: actor.user_id(),
                    choices: chosen.iter().filter_map(|&i| ids.get(i).copied()).collect(),
                })
                .collect();
            let paper = ballots.iter().filter(|b| b.channel == Channel::Paper).count();
            insert_counted_ballots!(tx, &ballots).await.map_err(store_err)?;
            let record = AuditRecord::by(actor, "import_budget_pabulib", "budget", Some(budget_id))
                .locality(Some(edition.locality_id))
                .change(
                    None,
                    Some(json!({
                        "edition": edition_id,
                        "name": budget.name,
                        "amount": budget.amount,
                        "projects": budget.projects.len(),
                        "ballots": budget.ballots.len(),
                        "paper_ballots": paper,
                    })),
                );
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)?;
            Ok(Ok(budget_id))
        }
        .await)
    }
}
