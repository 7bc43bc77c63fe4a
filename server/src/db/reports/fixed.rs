//! "Is it fixed?": some days after a report is resolved (`localities.fixed_check_days`), its
//! reporter gets a mail asking whether the problem really is fixed; "no" reopens the report.
//! The question and its mail are stored in one transaction, and a resolution is asked about
//! once (`UNIQUE (report_id, resolved_at)`), however many processes run the job.

use super::cells::adjust_cells;
use super::rows::WorkflowRow;
use super::{invalid, parse_status};
use crate::auth::token;
use crate::db::audit::{write_audit, AuditRecord};
use crate::db::mail::enqueue_subscription_mail;
use crate::db::statistics::upkeep::{stats_after, stats_before};
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::error::Problem;
use app::model::fixed_check::{FixedAnswer, FixedCheck};
use app::model::{ReportStatus, Viewer};
use app::store::{MailTemplate, StoreError, StoreResult};
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;

/// How long after its day a resolution is still asked about: a server that was down for a few
/// days catches up, and years of resolved reports loaded at once do not flood anyone's inbox.
pub const ASK_WINDOW: TimeDelta = TimeDelta::days(14);

/// Questions sent in one run.
const BATCH: i64 = 200;

/// A reporter to ask, as the mail is written for them.
#[derive(Debug, sqlx::FromRow)]
pub struct FixedQuestion {
    pub report_id: i64,
    pub title: String,
    pub resolved_at: DateTime<Utc>,
    pub email: String,
    pub lang: String,
    /// The site of the report's locality: its slug, `None` for the default locality.
    #[sqlx(skip)]
    pub site: Option<String>,
}

#[derive(sqlx::FromRow)]
struct LocalityDays {
    id: i64,
    slug: String,
    is_default: bool,
    fixed_check_days: i64,
}

#[derive(sqlx::FromRow)]
struct CheckRow {
    id: i64,
    report_id: i64,
    locality_id: i64,
    title: String,
    status: String,
    resolved_at: DateTime<Utc>,
    answer: Option<String>,
}

impl CheckRow {
    fn into_check(self) -> FixedCheck {
        FixedCheck {
            report_id: self.report_id,
            locality_id: self.locality_id,
            title: self.title,
            status: parse_status(&self.status),
            resolved_at: self.resolved_at,
            answer: self.answer.as_deref().and_then(FixedAnswer::parse),
        }
    }
}

const CHECK_SQL: &str =
    "SELECT f.id, f.report_id, r.locality_id, r.title, r.status, f.resolved_at, f.answer \
     FROM fixed_checks f JOIN reports r ON r.id = f.report_id WHERE f.token_hash = $1";

/// Puts a resolved report back in progress (its department keeps it), with the reporter's note
/// in its timeline, its map cell and statistics moved, and an audit entry.
macro_rules! reopen {
    ($tx:expr, $report_id:expr, $note:expr, $at:expr) => {{
        let report_id: i64 = $report_id;
        let before = stats_before!($tx, report_id, store_err);
        let row: WorkflowRow = sqlx::query_as(
            "SELECT status, locality_id, category_id, lat, lng, location_confirmed, hidden, department_id, \
             duplicate_of, resolved_at FROM reports WHERE id = $1",
        )
        .bind(report_id)
        .fetch_one(&mut *$tx)
        .await
        .map_err(store_err)?;
        let (from, to) = (ReportStatus::Resolved, ReportStatus::Accepted);
        sqlx::query("UPDATE reports SET status = $1, resolved_at = NULL, updated_at = $2 WHERE id = $3")
            .bind(to.as_str())
            .bind($at)
            .bind(report_id)
            .execute(&mut *$tx)
            .await
            .map_err(store_err)?;
        // Not the city hall's word: the event is not official, and followers are not mailed.
        sqlx::query(
            "INSERT INTO report_events (report_id, from_status, to_status, body, actor_name, official, created_at) \
             VALUES ($1, $2, $3, $4, '', FALSE, $5)",
        )
        .bind(report_id)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind($note)
        .bind($at)
        .execute(&mut *$tx)
        .await
        .map_err(store_err)?;
        if row.on_map() {
            adjust_cells!($tx, row.at(), row.category_id, from.as_str(), -1).map_err(store_err)?;
            adjust_cells!($tx, row.at(), row.category_id, to.as_str(), 1).map_err(store_err)?;
        }
        let system = Viewer::default();
        let record = AuditRecord::by(&system, "reopen_not_fixed", "report", Some(report_id))
            .locality(Some(row.locality_id))
            .change(Some(json!({ "status": from.as_str() })), Some(json!({ "status": to.as_str() })))
            .reason((!$note.is_empty()).then_some($note));
        write_audit!($tx, &record).map_err(store_err)?;
        stats_after!($tx, report_id, before, store_err);
    }};
}

impl Db {
    /// Asks the reporters of reports resolved `fixed_check_days` ago (within [`ASK_WINDOW`])
    /// whether the problem is fixed; `render` writes the mail in the reporter's language with
    /// the link to answer. Returns how many were asked.
    pub async fn ask_fixed_checks<F>(&self, render: F) -> StoreResult<usize>
    where
        F: Fn(&FixedQuestion, &str) -> MailTemplate + Send + Sync,
    {
        let at = now();
        let localities: Vec<LocalityDays> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, slug, is_default, fixed_check_days FROM localities ORDER BY id",
            )
            .fetch_all(pool)
            .await
        })
        .map_err(store_err)?;
        let mut asked = 0;
        for locality in localities {
            let due = at - TimeDelta::days(locality.fixed_check_days.max(1));
            let site = (!locality.is_default).then_some(locality.slug);
            asked += with_pool!(self, |pool| async {
                let mut tx = pool.begin_write().await?;
                let mut questions: Vec<FixedQuestion> = sqlx::query_as(
                    "SELECT r.id AS report_id, r.title, r.resolved_at, COALESCE(u.email, r.reporter_email) AS email, \
                     COALESCE((SELECT s.lang FROM report_subscriptions s WHERE s.report_id = r.id \
                       AND (s.user_id = r.reporter_id OR s.email = r.reporter_email) ORDER BY s.id LIMIT 1), 'ro') AS lang \
                     FROM reports r LEFT JOIN users u ON u.id = r.reporter_id \
                     WHERE r.locality_id = $1 AND r.status = 'resolved' AND r.hidden = FALSE \
                     AND r.resolved_at <= $2 AND r.resolved_at > $3 \
                     AND COALESCE(u.email, r.reporter_email) IS NOT NULL \
                     AND NOT EXISTS (SELECT 1 FROM fixed_checks f WHERE f.report_id = r.id AND f.resolved_at = r.resolved_at) \
                     ORDER BY r.id LIMIT $4",
                )
                .bind(locality.id)
                .bind(due)
                .bind(due - ASK_WINDOW)
                .bind(BATCH)
                .fetch_all(&mut *tx)
                .await?;
                for question in &mut questions {
                    question.site.clone_from(&site);
                    let raw = token::new_token();
                    sqlx::query(
                        "INSERT INTO fixed_checks (report_id, resolved_at, token_hash, lang, asked_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(question.report_id)
                    .bind(question.resolved_at)
                    .bind(token::digest(&raw))
                    .bind(&question.lang)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                    let mail = render(question, &raw);
                    enqueue_subscription_mail!(tx, &question.email, mail, &question.lang, None::<&str>)?;
                }
                tx.commit().await?;
                Ok::<_, sqlx::Error>(questions.len())
            }
            .await)
            .map_err(store_err)?;
        }
        Ok(asked)
    }

    pub(super) async fn fixed_check_by_token(&self, raw: &str) -> StoreResult<FixedCheck> {
        let row: Option<CheckRow> = with_pool!(self, |pool| {
            sqlx::query_as(CHECK_SQL).bind(token::digest(raw.trim())).fetch_optional(pool).await
        })
        .map_err(store_err)?;
        row.map(CheckRow::into_check).ok_or(StoreError::NotFound)
    }

    pub(super) async fn answer_fixed(
        &self,
        raw: &str,
        answer: FixedAnswer,
        note: &str,
    ) -> StoreResult<FixedCheck> {
        let at = now();
        let note = note.trim();
        if note.chars().count() > 2000 {
            return Err(invalid("note", Problem::TooLong));
        }
        let digest = token::digest(raw.trim());
        with_pool!(self, |pool| {
            async {
                let mut tx = pool.begin_write().await.map_err(store_err)?;
                let check: CheckRow = sqlx::query_as(CHECK_SQL)
                    .bind(&digest)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(store_err)?
                    .ok_or(StoreError::NotFound)?;
                // The first answer stands.
                let recorded = sqlx::query(
                    "UPDATE fixed_checks SET answer = $1, answered_at = $2 WHERE id = $3 AND answer IS NULL",
                )
                .bind(answer.as_str())
                .bind(at)
                .bind(check.id)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?
                .rows_affected()
                    == 1;
                let still_resolved = parse_status(&check.status) == ReportStatus::Resolved;
                if recorded && answer == FixedAnswer::NotFixed && still_resolved {
                    reopen!(tx, check.report_id, note, at);
                }
                let check: CheckRow = sqlx::query_as(CHECK_SQL)
                    .bind(&digest)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(store_err)?;
                tx.commit().await.map_err(store_err)?;
                Ok(check.into_check())
            }
            .await
        })
    }
}
