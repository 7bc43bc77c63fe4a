//! Leases on background jobs: a job runs in the one process that holds its lease, however many
//! server processes share the database. `crate::jobs` schedules jobs on top of these.

use super::{now, store_err, with_pool, Db};
use app::store::StoreResult;
use chrono::TimeDelta;

impl Db {
    /// Takes the lease on `job` for `holder` until `ttl` from now, or renews it when `holder`
    /// already has it; `false` while another holder's lease runs.
    pub async fn take_lease(&self, job: &str, holder: &str, ttl: TimeDelta) -> StoreResult<bool> {
        let at = now();
        let taken: Option<String> = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "INSERT INTO job_leases (job, holder, expires_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
                 WHERE job_leases.holder = excluded.holder OR job_leases.expires_at <= $4 \
                 RETURNING holder",
            )
            .bind(job)
            .bind(holder)
            .bind(at + ttl)
            .bind(at)
            .fetch_optional(pool)
            .await
        })
        .map_err(store_err)?;
        Ok(taken.is_some())
    }

    /// Gives up `holder`'s lease on `job`, so that another process may take the job at once.
    pub async fn release_lease(&self, job: &str, holder: &str) -> StoreResult<()> {
        with_pool!(self, |pool| {
            sqlx::query("DELETE FROM job_leases WHERE job = $1 AND holder = $2")
                .bind(job)
                .bind(holder)
                .execute(pool)
                .await
                .map(|_| ())
        })
        .map_err(store_err)
    }
}
