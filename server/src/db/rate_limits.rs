//! Rate limits counted in the database, so that every server process counts the same attempts
//! (used with PostgreSQL; SQLite's single process counts in memory, `security::Limits`).
//!
//! The generic cell rate algorithm, as the in-memory limiter (`governor`) runs it: each key keeps
//! a "theoretical arrival time" (`tat`); an attempt moves it on by one `interval`, and is refused
//! when that would put it more than `tolerance` (the burst) ahead of now. One upsert per check.
//!
//! Keys name client addresses and e-mail addresses, so the table holds their SHA-256 digests,
//! never the addresses themselves.

use super::{store_err, with_pool, Db};
use app::store::StoreResult;
use sqlx::postgres::PgPoolOptions;
use sqlx::QueryBuilder;

/// A bucket's allowance in microseconds: the cost of one attempt and the burst it may run ahead.
#[derive(Clone, Copy, Debug)]
pub struct Rate {
    pub interval_us: i64,
    pub tolerance_us: i64,
}

/// Microseconds since 1970, the unit of `rate_limits.tat`.
pub fn micros_now() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

impl Db {
    /// The database to keep rate-limit counters in: for PostgreSQL, a few connections of their
    /// own whose commits do not wait for the disk (a counter lost in a crash only forgives a
    /// few attempts; the votes and reports behind these checks still wait). SQLite: the same.
    pub fn for_counters(&self) -> Db {
        match self {
            Db::Sqlite(_) => self.clone(),
            Db::Postgres(pool) => {
                let options = pool
                    .connect_options()
                    .as_ref()
                    .clone()
                    .options([("synchronous_commit", "off")]);
                Db::Postgres(
                    PgPoolOptions::new()
                        .max_connections(8)
                        .acquire_timeout(std::time::Duration::from_secs(10))
                        .connect_lazy_with(options),
                )
            }
        }
    }

    /// Counts one attempt in `bucket` for each of `keys` at `at` (microseconds); `true` when none
    /// of them is over its allowance. A key that refuses the attempt does not count it.
    pub async fn take_rate(
        &self,
        bucket: &str,
        keys: &[String],
        rate: Rate,
        at: i64,
    ) -> StoreResult<bool> {
        let mut keys: Vec<String> = keys.iter().map(|k| crate::auth::token::digest(k)).collect();
        keys.sort_unstable();
        keys.dedup();
        if keys.is_empty() {
            return Ok(true);
        }
        let greatest = match self {
            Db::Sqlite(_) => "MAX",
            Db::Postgres(_) => "GREATEST",
        };
        // One statement, so one round trip: it is its own transaction.
        let counted: Vec<String> = with_pool!(self, |pool| {
            let mut upsert = QueryBuilder::new("INSERT INTO rate_limits (bucket, key, tat) ");
            upsert.push_values(&keys, |mut row, key| {
                row.push_bind(bucket).push_bind(key).push_bind(at + rate.interval_us);
            });
            upsert
                .push(format!(
                    " ON CONFLICT (bucket, key) DO UPDATE SET tat = {greatest}(rate_limits.tat, "
                ))
                .push_bind(at)
                .push(") + ")
                .push_bind(rate.interval_us)
                .push(format!(" WHERE {greatest}(rate_limits.tat, "))
                .push_bind(at)
                .push(") + ")
                .push_bind(rate.interval_us)
                .push(" <= ")
                .push_bind(at + rate.tolerance_us)
                .push(" RETURNING key");
            upsert.build_query_scalar().fetch_all(pool).await
        })
        .map_err(store_err)?;
        Ok(counted.len() == keys.len())
    }

    /// Deletes the counters that have run down to nothing (a key whose `tat` is past counts as
    /// new); returns how many.
    pub async fn forget_idle_rate_limits(&self, at: i64) -> StoreResult<u64> {
        with_pool!(self, |pool| {
            sqlx::query("DELETE FROM rate_limits WHERE tat < $1")
                .bind(at)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })
        .map_err(store_err)
    }
}
