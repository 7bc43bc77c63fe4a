//! The implementation of funded projects (`budget_works`) and their milestones.

use super::super::audit::{write_audit, AuditRecord};
use super::super::{now, store_err, with_pool, BeginWrite, Db};
use app::error::{FieldError, Problem};
use app::model::budget_works::{
    FundedPlace, Milestone, NewMilestone, ProjectWork, WorkStatus, WorkUpdate,
};
use app::model::LatLng;
use app::model::Viewer;
use app::store::{BudgetWorks, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::NaiveDate;
use serde_json::json;
use std::collections::HashMap;

/// The locality of a project that has an implementation.
const WORK_LOCALITY: &str = "SELECT e.locality_id FROM budget_works w \
     JOIN budget_proposals p ON p.id = w.proposal_id JOIN budget_budgets g ON g.id = p.budget_id \
     JOIN budget_editions e ON e.id = g.edition_id WHERE w.proposal_id = $1";

#[derive(sqlx::FromRow)]
struct WorkRow {
    proposal_id: i64,
    status: String,
    progress: i64,
    department_id: Option<i64>,
    department: Option<String>,
    actual_cost: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct MilestoneRow {
    id: i64,
    proposal_id: i64,
    happened_on: String,
    lang: String,
    body: String,
    has_photo: bool,
}

impl Db {
    /// The implementation of an edition's funded projects, by project, and their milestones.
    pub(super) async fn edition_works(
        &self,
        edition_id: i64,
    ) -> StoreResult<(HashMap<i64, ProjectWork>, Vec<Milestone>)> {
        let (works, milestones) = with_pool!(self, |pool| async {
            let works: Vec<WorkRow> = sqlx::query_as(
                "SELECT w.proposal_id, w.status, w.progress, w.department_id, d.name AS department, \
                 w.actual_cost FROM budget_works w \
                 JOIN budget_proposals p ON p.id = w.proposal_id \
                 JOIN budget_budgets g ON g.id = p.budget_id \
                 LEFT JOIN departments d ON d.id = w.department_id WHERE g.edition_id = $1",
            )
            .bind(edition_id)
            .fetch_all(pool)
            .await?;
            let milestones: Vec<MilestoneRow> = sqlx::query_as(
                "SELECT m.id, m.proposal_id, m.happened_on, m.lang, m.body, \
                 m.photo_stem IS NOT NULL AS has_photo FROM budget_milestones m \
                 JOIN budget_proposals p ON p.id = m.proposal_id \
                 JOIN budget_budgets g ON g.id = p.budget_id \
                 WHERE g.edition_id = $1 ORDER BY m.happened_on, m.id",
            )
            .bind(edition_id)
            .fetch_all(pool)
            .await?;
            Ok::<_, sqlx::Error>((works, milestones))
        }
        .await)
        .map_err(store_err)?;
        let works = works
            .into_iter()
            .map(|w| {
                let work = ProjectWork {
                    status: WorkStatus::parse(&w.status).unwrap_or(WorkStatus::Planned),
                    progress: u8::try_from(w.progress.clamp(0, 100)).unwrap_or(0),
                    department_id: w.department_id,
                    department: w.department,
                    actual_cost: w.actual_cost.and_then(|c| u64::try_from(c).ok()),
                };
                (w.proposal_id, work)
            })
            .collect();
        let milestones = milestones
            .into_iter()
            .filter_map(|m| {
                Some(Milestone {
                    id: m.id,
                    proposal_id: m.proposal_id,
                    on: NaiveDate::parse_from_str(&m.happened_on, "%Y-%m-%d").ok()?,
                    lang: m.lang,
                    body: m.body,
                    has_photo: m.has_photo,
                })
            })
            .collect();
        Ok((works, milestones))
    }

    /// The projects each budget of the edition funds, from its count.
    pub(crate) async fn funded_projects(&self, edition_id: i64) -> StoreResult<Vec<i64>> {
        let budgets: Vec<i64> = with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT id FROM budget_budgets WHERE edition_id = $1")
                .bind(edition_id)
                .fetch_all(pool)
                .await
        })
        .map_err(store_err)?;
        let mut funded = Vec::new();
        for budget in budgets {
            let results = self.count_budget(budget).await?;
            funded.extend(results.outcome.funded.iter().filter_map(|id| id.parse::<i64>().ok()));
        }
        Ok(funded)
    }
}

/// Gives each of `$funded` an implementation (planned, 0 %) inside transaction `$tx`; one that
/// has one keeps it.
macro_rules! open_works {
    ($tx:expr, $funded:expr) => {
        async {
            for id in $funded {
                sqlx::query(
                    "INSERT INTO budget_works (proposal_id, updated_at) VALUES ($1, $2) \
                     ON CONFLICT (proposal_id) DO NOTHING",
                )
                .bind(*id)
                .bind($crate::db::now())
                .execute(&mut *$tx)
                .await?;
            }
            Ok::<_, sqlx::Error>(())
        }
    };
}
pub(super) use open_works;

#[async_trait]
impl BudgetWorks for Db {
    async fn work_locality(&self, proposal_id: i64) -> StoreResult<i64> {
        with_pool!(self, |pool| {
            sqlx::query_scalar(WORK_LOCALITY).bind(proposal_id).fetch_one(pool).await
        })
        .map_err(store_err)
    }

    async fn update_work(&self, actor: &Viewer, update: &WorkUpdate) -> StoreResult<()> {
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let locality: i64 = sqlx::query_scalar(WORK_LOCALITY)
                .bind(update.proposal_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(store_err)?;
            if let Some(department) = update.department_id {
                let found: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM departments WHERE id = $1 AND locality_id = $2",
                )
                .bind(department)
                .bind(locality)
                .fetch_optional(&mut *tx)
                .await
                .map_err(store_err)?;
                if found.is_none() {
                    return Err(StoreError::Invalid(FieldError::new(
                        "department_id",
                        Problem::Invalid,
                    )));
                }
            }
            let (status, progress): (String, i64) =
                sqlx::query_as("SELECT status, progress FROM budget_works WHERE proposal_id = $1")
                    .bind(update.proposal_id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(store_err)?;
            sqlx::query(
                "UPDATE budget_works SET status = $1, progress = $2, department_id = $3, \
                 actual_cost = $4, updated_by = $5, updated_at = $6 WHERE proposal_id = $7",
            )
            .bind(update.status.as_str())
            .bind(i64::from(update.progress))
            .bind(update.department_id)
            .bind(update.actual_cost.and_then(|c| i64::try_from(c).ok()))
            .bind(actor.user_id())
            .bind(now())
            .bind(update.proposal_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
            let record = AuditRecord::by(
                actor,
                "update_budget_work",
                "budget_proposal",
                Some(update.proposal_id),
            )
            .locality(Some(locality))
            .change(
                Some(json!({ "status": status, "progress": progress })),
                Some(json!({
                    "status": update.status.as_str(),
                    "progress": update.progress,
                    "department_id": update.department_id,
                    "actual_cost": update.actual_cost,
                })),
            );
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)
        }
        .await)
    }

    async fn add_milestone(&self, actor: &Viewer, milestone: &NewMilestone) -> StoreResult<i64> {
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let locality: i64 = sqlx::query_scalar(WORK_LOCALITY)
                .bind(milestone.proposal_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(store_err)?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO budget_milestones (proposal_id, happened_on, lang, body, photo_stem, \
                 created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(milestone.proposal_id)
            .bind(milestone.on.format("%Y-%m-%d").to_string())
            .bind(&milestone.lang)
            .bind(&milestone.body)
            .bind(&milestone.photo_stem)
            .bind(actor.user_id())
            .bind(now())
            .fetch_one(&mut *tx)
            .await
            .map_err(store_err)?;
            let record = AuditRecord::by(
                actor,
                "add_budget_milestone",
                "budget_proposal",
                Some(milestone.proposal_id),
            )
            .locality(Some(locality))
            .change(
                None,
                Some(json!({ "milestone": id, "on": milestone.on.to_string(), "body": milestone.body })),
            );
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)?;
            Ok(id)
        }
        .await
        })
    }

    async fn milestone_photo(&self, milestone_id: i64) -> StoreResult<(Option<String>, i64)> {
        with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT m.photo_stem, e.locality_id FROM budget_milestones m \
                 JOIN budget_proposals p ON p.id = m.proposal_id \
                 JOIN budget_budgets g ON g.id = p.budget_id \
                 JOIN budget_editions e ON e.id = g.edition_id WHERE m.id = $1",
            )
            .bind(milestone_id)
            .fetch_one(pool)
            .await
        })
        .map_err(store_err)
    }

    async fn funded_places(&self, locality_id: i64) -> StoreResult<Vec<FundedPlace>> {
        let rows: Vec<PlaceRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT p.id, e.slug, p.title, p.lang, p.lat, p.lng, w.status, w.progress \
                 FROM budget_works w JOIN budget_proposals p ON p.id = w.proposal_id \
                 JOIN budget_budgets g ON g.id = p.budget_id \
                 JOIN budget_editions e ON e.id = g.edition_id \
                 WHERE e.locality_id = $1 AND e.phase = 'implementation' \
                 AND p.lat IS NOT NULL AND p.lng IS NOT NULL \
                 ORDER BY e.implementation_from DESC, p.id",
            )
            .bind(locality_id)
            .fetch_all(pool)
            .await
        })
        .map_err(store_err)?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(FundedPlace {
                    proposal_id: r.0,
                    edition_slug: r.1,
                    title: r.2,
                    lang: r.3,
                    at: LatLng::new(r.4, r.5).ok()?,
                    status: WorkStatus::parse(&r.6).unwrap_or(WorkStatus::Planned),
                    progress: u8::try_from(r.7.clamp(0, 100)).unwrap_or(0),
                })
            })
            .collect())
    }
}

/// A funded place as read: id, edition slug, title, language, latitude, longitude, status,
/// progress.
type PlaceRow = (i64, String, String, String, f64, f64, String, i64);
