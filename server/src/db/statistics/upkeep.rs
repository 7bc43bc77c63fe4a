//! Keeping the statistics exact: every write that changes a report moves the report's whole
//! contribution (its count, answer, supporters and followers in `report_stats`, and its
//! response times in `report_durations`) in the same transaction, as "before: −1, after: +1".
//! A hidden report contributes nothing.

use crate::db::{store_err, with_pool, BeginWrite, Db};
use app::model::statistics::{duration_bucket, Month};
use app::store::StoreResult;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// What one report contributes to the statistics.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub(crate) struct StatsSnapshot {
    pub locality_id: i64,
    pub created_at: DateTime<Utc>,
    pub category_id: i64,
    pub department_id: Option<i64>,
    pub status: String,
    pub hidden: bool,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub supporters: i64,
    pub followers: i64,
}

/// The snapshot of report `$1` (its followers are its confirmed subscriptions).
pub(crate) const SNAPSHOT_SQL: &str =
    "SELECT r.locality_id, r.created_at, r.category_id, r.department_id, r.status, r.hidden, \
     r.first_response_at, r.resolved_at, r.supporters, \
     (SELECT COUNT(*) FROM report_subscriptions s WHERE s.report_id = r.id \
      AND s.confirmed_at IS NOT NULL) AS followers FROM reports r";

/// The rows a snapshot adds to (`delta` = 1) or takes from (−1).
pub(crate) struct Contribution {
    pub locality_id: i64,
    pub month: String,
    pub category_id: i64,
    pub department_id: i64,
    pub status: String,
    pub answered: i64,
    pub supporters: i64,
    pub followers: i64,
    /// `("answer" | "resolution", minutes)`.
    pub durations: Vec<(&'static str, i64)>,
}

impl StatsSnapshot {
    /// Its rows, or nothing while the report is hidden.
    pub fn contribution(&self) -> Option<Contribution> {
        if self.hidden {
            return None;
        }
        let since = |t: DateTime<Utc>| duration_bucket((t - self.created_at).num_seconds());
        let mut durations = Vec::new();
        if let Some(t) = self.first_response_at {
            durations.push(("answer", since(t)));
        }
        if let Some(t) = self.resolved_at {
            durations.push(("resolution", since(t)));
        }
        Some(Contribution {
            locality_id: self.locality_id,
            month: Month::of(app::format::local_date(self.created_at)).key(),
            category_id: self.category_id,
            department_id: self.department_id.unwrap_or(0),
            status: self.status.clone(),
            answered: i64::from(self.first_response_at.is_some()),
            supporters: self.supporters,
            followers: self.followers,
            durations,
        })
    }
}

/// Adds `$delta` times contribution `$c` (a `&Contribution`) inside the caller's transaction.
macro_rules! add_contribution {
    ($tx:expr, $c:expr, $delta:expr) => {
        async {
            let c: &$crate::db::statistics::upkeep::Contribution = $c;
            let delta: i64 = $delta;
            sqlx::query(
                "INSERT INTO report_stats (locality_id, month, category_id, department_id, status, \
                 reports, answered, supporters, followers) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (locality_id, month, category_id, department_id, status) DO UPDATE SET \
                 reports = report_stats.reports + excluded.reports, \
                 answered = report_stats.answered + excluded.answered, \
                 supporters = report_stats.supporters + excluded.supporters, \
                 followers = report_stats.followers + excluded.followers",
            )
            .bind(c.locality_id)
            .bind(&c.month)
            .bind(c.category_id)
            .bind(c.department_id)
            .bind(&c.status)
            .bind(delta)
            .bind(delta * c.answered)
            .bind(delta * c.supporters)
            .bind(delta * c.followers)
            .execute(&mut *$tx)
            .await?;
            for (kind, minutes) in &c.durations {
                sqlx::query(
                    "INSERT INTO report_durations (locality_id, month, category_id, department_id, kind, \
                     minutes, reports) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (locality_id, month, kind, category_id, department_id, minutes) \
                     DO UPDATE SET reports = report_durations.reports + excluded.reports",
                )
                .bind(c.locality_id)
                .bind(&c.month)
                .bind(c.category_id)
                .bind(c.department_id)
                .bind(*kind)
                .bind(*minutes)
                .bind(delta)
                .execute(&mut *$tx)
                .await?;
            }
            Ok::<(), sqlx::Error>(())
        }
    };
}
pub(crate) use add_contribution;

/// The report's statistics snapshot before a change, inside the transaction: hand it to
/// [`stats_after!`] once the change is written.
macro_rules! stats_before {
    ($tx:expr, $id:expr, $err:expr) => {{
        let sql = format!("{} WHERE r.id = $1", $crate::db::statistics::upkeep::SNAPSHOT_SQL);
        let before: Option<$crate::db::statistics::upkeep::StatsSnapshot> =
            sqlx::query_as(&sql).bind($id).fetch_optional(&mut *$tx).await.map_err($err)?;
        before
    }};
}
pub(crate) use stats_before;

/// Moves the report's statistics from `$before` to what it is now, in the same transaction.
macro_rules! stats_after {
    ($tx:expr, $id:expr, $before:expr, $err:expr) => {{
        let before: Option<$crate::db::statistics::upkeep::StatsSnapshot> = $before;
        let after = $crate::db::statistics::upkeep::stats_before!($tx, $id, $err);
        if before != after {
            if let Some(c) = before.as_ref().and_then(|s| s.contribution()) {
                $crate::db::statistics::upkeep::add_contribution!($tx, &c, -1)
                    .await
                    .map_err($err)?;
            }
            if let Some(c) = after.as_ref().and_then(|s| s.contribution()) {
                $crate::db::statistics::upkeep::add_contribution!($tx, &c, 1)
                    .await
                    .map_err($err)?;
            }
        }
    }};
}
pub(crate) use stats_after;

/// Runs `$body` (which changes report `$id` inside transaction `$tx`) between
/// [`stats_before!`] and [`stats_after!`]; `$err` converts sqlx errors to the caller's.
macro_rules! tracking_stats {
    ($tx:expr, $id:expr, $err:expr, $body:block) => {{
        let id: i64 = $id;
        let before = $crate::db::statistics::upkeep::stats_before!($tx, id, $err);
        let value = $body;
        $crate::db::statistics::upkeep::stats_after!($tx, id, before, $err);
        value
    }};
}
pub(crate) use tracking_stats;

/// Adds a new report to the statistics (`$delta` = 1), inside the transaction that filed it.
macro_rules! count_report {
    ($tx:expr, $id:expr, $err:expr) => {{
        let sql = format!("{} WHERE r.id = $1", $crate::db::statistics::upkeep::SNAPSHOT_SQL);
        let now: Option<$crate::db::statistics::upkeep::StatsSnapshot> =
            sqlx::query_as(&sql).bind($id).fetch_optional(&mut *$tx).await.map_err($err)?;
        if let Some(c) = now.as_ref().and_then(|s| s.contribution()) {
            $crate::db::statistics::upkeep::add_contribution!($tx, &c, 1).await.map_err($err)?;
        }
    }};
}
pub(crate) use count_report;

impl Db {
    /// Recomputes the statistics from the reports: after a bulk load (the benchmark), and once
    /// when the tables first appear on a database that already holds reports.
    pub async fn rebuild_statistics(&self) -> StoreResult<()> {
        let snapshots: Vec<StatsSnapshot> =
            with_pool!(self, |pool| { sqlx::query_as(SNAPSHOT_SQL).fetch_all(pool).await })
                .map_err(store_err)?;
        type StatsKey = (i64, String, i64, i64, String);
        type DurationKey = (i64, String, i64, i64, &'static str, i64);
        let mut stats: HashMap<StatsKey, [i64; 4]> = HashMap::new();
        let mut durations: HashMap<DurationKey, i64> = HashMap::new();
        for c in snapshots.iter().filter_map(StatsSnapshot::contribution) {
            let key = (c.locality_id, c.month.clone(), c.category_id, c.department_id, c.status);
            let row = stats.entry(key).or_default();
            row[0] += 1;
            row[1] += c.answered;
            row[2] += c.supporters;
            row[3] += c.followers;
            for (kind, minutes) in c.durations {
                let key =
                    (c.locality_id, c.month.clone(), c.category_id, c.department_id, kind, minutes);
                *durations.entry(key).or_default() += 1;
            }
        }
        let stats: Vec<(StatsKey, [i64; 4])> = stats.into_iter().collect();
        let durations: Vec<(DurationKey, i64)> = durations.into_iter().collect();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM report_stats").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM report_durations").execute(&mut *tx).await?;
            for chunk in stats.chunks(500) {
                let mut qb = sqlx::QueryBuilder::new(
                    "INSERT INTO report_stats (locality_id, month, category_id, department_id, status, \
                     reports, answered, supporters, followers) ",
                );
                qb.push_values(chunk, |mut b, ((l, m, c, d, s), v)| {
                    b.push_bind(*l).push_bind(m).push_bind(*c).push_bind(*d).push_bind(s);
                    b.push_bind(v[0]).push_bind(v[1]).push_bind(v[2]).push_bind(v[3]);
                });
                qb.build().execute(&mut *tx).await?;
            }
            for chunk in durations.chunks(500) {
                let mut qb = sqlx::QueryBuilder::new(
                    "INSERT INTO report_durations (locality_id, month, category_id, department_id, kind, \
                     minutes, reports) ",
                );
                qb.push_values(chunk, |mut b, ((l, m, c, d, k, minutes), n)| {
                    b.push_bind(*l).push_bind(m).push_bind(*c).push_bind(*d).push_bind(*k);
                    b.push_bind(*minutes).push_bind(*n);
                });
                qb.build().execute(&mut *tx).await?;
            }
            sqlx::query(
                "INSERT INTO meta (key, value) VALUES ('statistics_built', '1') \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        }
        .await)
        .map_err(store_err)
    }

    /// Builds the statistics the first time the tables exist on a database with reports (the
    /// migration cannot: months are counted in the city's time zone).
    pub async fn ensure_statistics(&self) -> StoreResult<()> {
        let built: Option<String> = with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT value FROM meta WHERE key = 'statistics_built'")
                .fetch_optional(pool)
                .await
        })
        .map_err(store_err)?;
        if built.is_none() {
            self.rebuild_statistics().await?;
        }
        Ok(())
    }
}
