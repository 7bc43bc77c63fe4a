//! Background jobs that run once across every server process sharing the database.
//!
//! ```ignore
//! let jobs = Jobs::new(db.clone());
//! jobs.every("reminders", Duration::from_secs(3600), |db| async move { /* … */ });
//! ```
//!
//! Every process schedules the same jobs. At each tick a process tries to take the job's lease
//! (`job_leases`); the one that holds it renews it and runs the job, the others skip the tick.
//! The lease lasts two periods, so when its holder stops another process takes the job over
//! within two periods. A job must finish within its period, and must tolerate running once
//! more after a crash (a holder killed mid-run is not known to have finished).

use crate::db::Db;
use chrono::TimeDelta;
use std::future::Future;
use std::time::Duration;
use tokio::task::JoinHandle;

/// A name for this process among the ones sharing the database: its process id and a random
/// part (process ids repeat across machines and restarts).
pub fn process_name() -> String {
    format!("pid{}-{:08x}", std::process::id(), rand::random::<u32>())
}

/// Schedules jobs for one process.
pub struct Jobs {
    db: Db,
    holder: String,
}

impl Jobs {
    pub fn new(db: Db) -> Self {
        Self { db, holder: process_name() }
    }

    /// The name this process holds leases under.
    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// Runs `job` every `period` in whichever process holds the lease named `name`.
    pub fn every<F, Fut>(&self, name: &'static str, period: Duration, job: F) -> JoinHandle<()>
    where
        F: Fn(Db) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send,
    {
        let db = self.db.clone();
        let holder = self.holder.clone();
        let ttl = TimeDelta::from_std(period * 2).unwrap_or(TimeDelta::MAX);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match db.take_lease(name, &holder, ttl).await {
                    Ok(true) => job(db.clone()).await,
                    Ok(false) => {}
                    Err(err) => {
                        tracing::warn!(job = name, error = %err, "could not take the lease")
                    }
                }
            }
        })
    }
}
