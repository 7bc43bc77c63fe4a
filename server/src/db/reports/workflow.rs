//! The city hall's work on reports: status changes with official answers, placing a pin,
//! and moderation, each with its audit entry in the same transaction.

use super::cells::adjust_cells;
use super::rows::WorkflowRow;
use super::{invalid, parse_status};
use crate::db::audit::{write_audit, AuditRecord};
use crate::db::statistics::upkeep::{stats_after, stats_before};
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::error::Problem;
use app::model::fixed_check::{FixedAnswer, FixedCheck};
use app::model::report::transition_allowed;
use app::model::{LatLng, ReportStatus, Viewer};
use app::store::{ModerationTarget, ReportWorkflow, StatusChange, StoreError, StoreResult};
use async_trait::async_trait;
use serde_json::json;

#[async_trait]
impl ReportWorkflow for Db {
    async fn change_status(&self, actor: &Viewer, change: &StatusChange) -> StoreResult<()> {
        let at = now();
        let actor_name = actor.user.as_ref().map(|u| u.display_name.clone()).unwrap_or_default();
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let before = stats_before!(tx, change.report_id, store_err);
            let row: WorkflowRow = sqlx::query_as(
                "SELECT status, locality_id, category_id, lat, lng, location_confirmed, hidden, department_id, \
                 duplicate_of, resolved_at FROM reports WHERE id = $1",
            )
            .bind(change.report_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_err)?
            .ok_or(StoreError::NotFound)?;
            let from = parse_status(&row.status);
            let body = change.body.trim();
            let mut department = row.department_id;
            // A response that keeps the status keeps the link to the original, too.
            let mut duplicate_of = if change.to.is_none() { row.duplicate_of } else { None };
            match change.to {
                None if body.is_empty() => return Err(invalid("body", Problem::Required)),
                None => {}
                Some(to) => {
                    if !transition_allowed(from, to) {
                        return Err(invalid("status", Problem::InvalidTransition));
                    }
                    match to {
                        ReportStatus::Accepted => {
                            let Some(d) = change.department_id else {
                                return Err(invalid("department_id", Problem::Required));
                            };
                            let ok: Option<i64> = sqlx::query_scalar(
                                "SELECT id FROM departments WHERE id = $1 AND locality_id = $2 AND active = TRUE",
                            )
                            .bind(d)
                            .bind(row.locality_id)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(store_err)?;
                            if ok.is_none() {
                                return Err(invalid("department_id", Problem::Invalid));
                            }
                            department = Some(d);
                        }
                        ReportStatus::Rejected if body.is_empty() => return Err(invalid("body", Problem::Required)),
                        ReportStatus::Duplicate => {
                            let Some(original) = change.duplicate_of else {
                                return Err(invalid("duplicate_of", Problem::Required));
                            };
                            // The original must be another visible report of the same locality.
                            let ok: Option<i64> = sqlx::query_scalar(
                                "SELECT id FROM reports WHERE id = $1 AND id <> $2 AND hidden = FALSE \
                                 AND locality_id = $3",
                            )
                            .bind(original)
                            .bind(change.report_id)
                            .bind(row.locality_id)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(store_err)?;
                            if ok.is_none() {
                                return Err(invalid("duplicate_of", Problem::Invalid));
                            }
                            duplicate_of = Some(original);
                        }
                        _ => {}
                    }
                }
            }
            let to = change.to.unwrap_or(from);
            let resolved_at = match (change.to, from) {
                (Some(ReportStatus::Resolved), _) => Some(at),
                // Reopened: no longer resolved.
                (Some(ReportStatus::Accepted), _) => None,
                _ => row.resolved_at,
            };
            sqlx::query(
                "UPDATE reports SET status = $1, department_id = $2, duplicate_of = $3, updated_at = $4, \
                 first_response_at = COALESCE(first_response_at, $4), resolved_at = $5 WHERE id = $6",
            )
            .bind(to.as_str())
            .bind(department)
            .bind(duplicate_of)
            .bind(at)
            .bind(resolved_at)
            .bind(change.report_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
            sqlx::query(
                "INSERT INTO report_events (report_id, from_status, to_status, body, actor_id, actor_name, official, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7)",
            )
            .bind(change.report_id)
            .bind(change.to.map(|_| from.as_str()))
            .bind(change.to.map(ReportStatus::as_str))
            .bind(body)
            .bind(actor.user_id())
            .bind(&actor_name)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
            if to != from && row.on_map() {
                adjust_cells!(tx, row.at(), row.category_id, from.as_str(), -1).map_err(store_err)?;
                adjust_cells!(tx, row.at(), row.category_id, to.as_str(), 1).map_err(store_err)?;
            }
            let record = AuditRecord::by(actor, "change_status", "report", Some(change.report_id))
                .locality(Some(row.locality_id))
                .change(
                    Some(json!({ "status": from.as_str(), "department_id": row.department_id })),
                    Some(json!({ "status": to.as_str(), "department_id": department, "duplicate_of": duplicate_of })),
                )
                .reason((!body.is_empty()).then_some(body));
            write_audit!(tx, &record).map_err(store_err)?;
            stats_after!(tx, change.report_id, before, store_err);
            tx.commit().await.map_err(store_err)
        }
        .await
        })
    }

    async fn set_location(&self, actor: &Viewer, report_id: i64, at: LatLng) -> StoreResult<()> {
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let row: WorkflowRow = sqlx::query_as(
                "SELECT status, locality_id, category_id, lat, lng, location_confirmed, hidden, department_id, \
                 duplicate_of, resolved_at FROM reports WHERE id = $1",
            )
            .bind(report_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_err)?
            .ok_or(StoreError::NotFound)?;
            if row.on_map() {
                adjust_cells!(tx, row.at(), row.category_id, row.status.as_str(), -1).map_err(store_err)?;
            }
            sqlx::query("UPDATE reports SET lat = $1, lng = $2, location_confirmed = TRUE, updated_at = $3 WHERE id = $4")
                .bind(at.lat)
                .bind(at.lng)
                .bind(now())
                .bind(report_id)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
            if !row.hidden {
                adjust_cells!(tx, at, row.category_id, row.status.as_str(), 1).map_err(store_err)?;
            }
            let record = AuditRecord::by(actor, "set_location", "report", Some(report_id))
                .locality(Some(row.locality_id))
                .change(
                    Some(json!({ "lat": row.lat, "lng": row.lng, "confirmed": row.location_confirmed })),
                    Some(json!({ "lat": at.lat, "lng": at.lng, "confirmed": true })),
                );
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)
        }
        .await
        })
    }

    async fn moderate(
        &self,
        actor: &Viewer,
        target: ModerationTarget,
        hide: bool,
        reason: &str,
    ) -> StoreResult<i64> {
        let (table, kind, id) = match target {
            ModerationTarget::Comment(id) => ("report_comments", "comment", id),
            ModerationTarget::Photo(id) => ("report_photos", "photo", id),
            ModerationTarget::Report(id) => ("reports", "report", id),
        };
        let report_sql = match target {
            ModerationTarget::Report(_) => {
                "SELECT id, hidden FROM reports WHERE id = $1".to_owned()
            }
            _ => format!("SELECT report_id, hidden FROM {table} WHERE id = $1"),
        };
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let (report_id, was_hidden): (i64, bool) = sqlx::query_as(&report_sql)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(store_err)?
                .ok_or(StoreError::NotFound)?;
            let before = stats_before!(tx, report_id, store_err);
            let row: WorkflowRow = sqlx::query_as(
                "SELECT status, locality_id, category_id, lat, lng, location_confirmed, hidden, department_id, \
                 duplicate_of, resolved_at FROM reports WHERE id = $1",
            )
            .bind(report_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(store_err)?;
            sqlx::query(&format!("UPDATE {table} SET hidden = $1, hidden_reason = $2 WHERE id = $3"))
                .bind(hide)
                .bind(hide.then_some(reason))
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
            if matches!(target, ModerationTarget::Report(_)) && was_hidden != hide && row.location_confirmed {
                let delta = if hide { -1 } else { 1 };
                adjust_cells!(tx, row.at(), row.category_id, row.status.as_str(), delta).map_err(store_err)?;
            }
            let action = if hide { "hide" } else { "unhide" };
            let record = AuditRecord::by(actor, action, kind, Some(id))
                .locality(Some(row.locality_id))
                .change(Some(json!({ "hidden": was_hidden })), Some(json!({ "hidden": hide })))
                .reason(Some(reason));
            write_audit!(tx, &record).map_err(store_err)?;
            stats_after!(tx, report_id, before, store_err);
            tx.commit().await.map_err(store_err)?;
            Ok(report_id)
        }
        .await
        })
    }

    async fn fixed_check(&self, token: &str) -> StoreResult<FixedCheck> {
        self.fixed_check_by_token(token).await
    }

    async fn answer_fixed_check(
        &self,
        token: &str,
        answer: FixedAnswer,
        note: &str,
    ) -> StoreResult<FixedCheck> {
        self.answer_fixed(token, answer, note).await
    }

    async fn moderation_locality(&self, target: ModerationTarget) -> StoreResult<i64> {
        let sql = match target {
            ModerationTarget::Comment(_) => {
                "SELECT r.locality_id FROM report_comments x JOIN reports r ON r.id = x.report_id WHERE x.id = $1"
            }
            ModerationTarget::Photo(_) => {
                "SELECT r.locality_id FROM report_photos x JOIN reports r ON r.id = x.report_id WHERE x.id = $1"
            }
            ModerationTarget::Report(_) => "SELECT locality_id FROM reports WHERE id = $1",
        };
        let id = match target {
            ModerationTarget::Comment(id)
            | ModerationTarget::Photo(id)
            | ModerationTarget::Report(id) => id,
        };
        with_pool!(self, |pool| sqlx::query_scalar(sql).bind(id).fetch_one(pool).await)
            .map_err(store_err)
    }
}
