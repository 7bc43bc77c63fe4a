//! Rate limits counted in the database, so that every server process counts the same attempts
//! (used with PostgreSQL; SQLite's single process counts in memory, `security::Limits`).
//!
//! The generic cell rate algorithm, as the in-memory limiter (`governor`) runs it: each key keeps
//! a "theoretical arrival time" (`tat`); an attempt moves it on by one `interval`, and is refused
//! when that would put it more than `tolerance` (the burst) ahead of now.
//!
//! Attempts are counted in groups (`security::SharedLimits` queues them as ballots are queued):
//! one transaction reads and moves every key of the group, whatever its size, so a crowd's
//! checks cost a few statements rather than one round trip each.
//!
//! Keys name client addresses and e-mail addresses, so the table holds their SHA-256 digests,
//! never the addresses themselves.

use super::{store_err, with_pool, BeginWrite, Db};
use app::store::StoreResult;
use sqlx::postgres::PgPoolOptions;
use sqlx::QueryBuilder;
use std::collections::BTreeMap;

/// A bucket's allowance in microseconds: the cost of one attempt and the burst it may run ahead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub interval_us: i64,
    pub tolerance_us: i64,
}

/// One attempt to count: in `bucket`, against each of `keys` (every key must allow it).
#[derive(Clone, Debug)]
pub struct Attempt {
    pub bucket: &'static str,
    pub keys: Vec<String>,
    pub rate: Rate,
}

/// Microseconds since 1970, the unit of `rate_limits.tat`.
pub fn micros_now() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

/// One counter touched by a group: the attempts on it, and what it lets through.
struct Counter {
    rate: Rate,
    attempts: i64,
    granted: i64,
    tat: i64,
}

impl Counter {
    /// Lets through as many of its attempts as the allowance holds at `at`, first come first
    /// served, from the stored `tat` (`None`: a key with no count yet).
    fn settle(&mut self, stored: Option<i64>, at: i64) {
        let base = stored.unwrap_or(at).max(at);
        let room = (at + self.rate.tolerance_us - base).max(0) / self.rate.interval_us.max(1);
        self.granted = self.attempts.min(room);
        self.tat = base + self.granted * self.rate.interval_us;
    }
}

/// The counters a group touches, keyed by (bucket, key digest), in one order for every process
/// (rows are locked in it, so two processes never wait on each other in a cycle); and for each
/// attempt, its counters with its place in their queues.
type Plan = (BTreeMap<(&'static str, String), Counter>, Vec<Vec<((&'static str, String), i64)>>);

fn plan(attempts: &[Attempt]) -> Plan {
    let mut counters: BTreeMap<(&'static str, String), Counter> = BTreeMap::new();
    let mut places = Vec::with_capacity(attempts.len());
    for attempt in attempts {
        let mut keys: Vec<String> =
            attempt.keys.iter().map(|k| crate::auth::token::digest(k)).collect();
        keys.sort_unstable();
        keys.dedup();
        let mut mine = Vec::with_capacity(keys.len());
        for key in keys {
            let id = (attempt.bucket, key);
            let counter = counters.entry(id.clone()).or_insert(Counter {
                rate: attempt.rate,
                attempts: 0,
                granted: 0,
                tat: 0,
            });
            mine.push((id, counter.attempts));
            counter.attempts += 1;
        }
        places.push(mine);
    }
    (counters, places)
}

impl Db {
    /// The database to keep rate-limit counters in: for PostgreSQL, connections of their own
    /// whose commits do not wait for the disk (a counter lost in a crash only forgives a few
    /// attempts; the votes and reports behind these checks still wait); groups are counted one
    /// at a time, so two are plenty. SQLite: the same database.
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
                        .max_connections(2)
                        .acquire_timeout(std::time::Duration::from_secs(10))
                        .connect_lazy_with(options),
                )
            }
        }
    }

    /// Counts a group of attempts at `at` (microseconds), in order: an attempt is let through
    /// (`true`) when none of its keys is over its allowance. A key that refuses an attempt does
    /// not count it; the others do. One transaction for the whole group.
    pub async fn take_rates(&self, attempts: &[Attempt], at: i64) -> StoreResult<Vec<bool>> {
        let (mut counters, places) = plan(attempts);
        if !counters.is_empty() {
            self.settle_counters(&mut counters, at).await.map_err(store_err)?;
        }
        Ok(places
            .iter()
            .map(|mine| {
                mine.iter().all(|(id, place)| counters.get(id).is_some_and(|c| *place < c.granted))
            })
            .collect())
    }

    /// Reads the group's counters (locking them), settles each, and writes them back.
    async fn settle_counters(
        &self,
        counters: &mut BTreeMap<(&'static str, String), Counter>,
        at: i64,
    ) -> Result<(), sqlx::Error> {
        // Row locks, so that another process's group waits for this one's (SQLite's write
        // transaction already excludes every other writer).
        let lock = match self {
            Db::Sqlite(_) => "",
            Db::Postgres(_) => " FOR UPDATE",
        };
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            // Keys seen for the first time get a row first, so that every key can be locked.
            let mut create = QueryBuilder::new("INSERT INTO rate_limits (bucket, key, tat) ");
            create.push_values(counters.keys(), |mut row, (bucket, key)| {
                row.push_bind(*bucket).push_bind(key.as_str()).push_bind(0_i64);
            });
            create.push(" ON CONFLICT (bucket, key) DO NOTHING");
            create.build().execute(&mut *tx).await?;

            let mut read = QueryBuilder::new(
                "SELECT bucket, key, tat FROM rate_limits WHERE (bucket, key) IN (",
            );
            read.push_values(counters.keys(), |mut row, (bucket, key)| {
                row.push_bind(*bucket).push_bind(key.as_str());
            });
            read.push(") ORDER BY bucket, key").push(lock);
            let stored: Vec<(String, String, i64)> =
                read.build_query_as().fetch_all(&mut *tx).await?;
            let stored: BTreeMap<(String, String), i64> =
                stored.into_iter().map(|(b, k, tat)| ((b, k), tat)).collect();
            for ((bucket, key), counter) in counters.iter_mut() {
                // A row with `tat` 0 was made just now: no count yet.
                let tat = stored.get(&((*bucket).to_owned(), key.clone())).copied();
                counter.settle(tat.filter(|t| *t > 0), at);
            }

            let moved: Vec<_> = counters.iter().filter(|(_, c)| c.granted > 0).collect();
            if !moved.is_empty() {
                let mut write = QueryBuilder::new("INSERT INTO rate_limits (bucket, key, tat) ");
                write.push_values(moved, |mut row, ((bucket, key), counter)| {
                    row.push_bind(*bucket).push_bind(key.as_str()).push_bind(counter.tat);
                });
                write.push(" ON CONFLICT (bucket, key) DO UPDATE SET tat = excluded.tat");
                write.build().execute(&mut *tx).await?;
            }
            tx.commit().await
        }
        .await)
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

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: Rate = Rate { interval_us: 1_000_000, tolerance_us: 3_000_000 };

    #[test]
    fn a_counter_lets_through_what_its_allowance_holds() {
        let counter = |attempts| Counter { rate: RATE, attempts, granted: 0, tat: 0 };
        let at = 100_000_000;
        let mut fresh = counter(5);
        fresh.settle(None, at);
        assert_eq!((fresh.granted, fresh.tat), (3, at + 3_000_000), "the burst of three");
        let mut idle = counter(1);
        idle.settle(Some(at - 50_000_000), at);
        assert_eq!((idle.granted, idle.tat), (1, at + 1_000_000), "a past tat counts as now");
        let mut full = counter(2);
        full.settle(Some(at + 3_000_000), at);
        assert_eq!((full.granted, full.tat), (0, at + 3_000_000), "nothing left, nothing moved");
        let mut one_left = counter(4);
        one_left.settle(Some(at + 2_500_000), at);
        assert_eq!(one_left.granted, 0, "half an interval is not room for one");
        one_left.settle(Some(at + 2_000_000), at);
        assert_eq!((one_left.granted, one_left.tat), (1, at + 3_000_000));
    }

    #[test]
    fn a_plan_queues_each_attempt_behind_the_earlier_ones_on_its_keys() {
        let attempt = |bucket, keys: &[&str]| Attempt {
            bucket,
            keys: keys.iter().map(|k| (*k).to_owned()).collect(),
            rate: RATE,
        };
        let (counters, places) = plan(&[
            attempt("vote", &["a", "x"]),
            attempt("vote", &["a", "a"]),
            attempt("any", &["a"]),
            attempt("vote", &["x"]),
        ]);
        assert_eq!(counters.len(), 3, "vote/a, vote/x, any/a");
        let place = |i: usize| places[i].iter().map(|(_, p)| *p).collect::<Vec<_>>();
        assert_eq!(place(1), vec![1], "a repeated key counts once");
        assert_eq!(place(2), vec![0], "buckets count apart");
        assert_eq!(place(3), vec![1]);
        assert_eq!(counters.values().map(|c| c.attempts).sum::<i64>(), 5);
    }
}
