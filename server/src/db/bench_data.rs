//! Bulk loaders for `make bench` (the `bench` feature): a million reports or five hundred
//! signed-in voters in seconds, bypassing the checks a real write goes through. Not part of the
//! server.

use super::{now, store_err, with_pool, BeginWrite, Db};
use crate::auth::token;
use app::store::StoreResult;
use chrono::TimeDelta;
use sqlx::QueryBuilder;

impl Db {
    /// Creates `count` confirmed citizens, each signed in, for `make bench`; returns their session
    /// tokens. Skips password hashing, which would dominate the set-up time.
    pub async fn bench_insert_voters(&self, count: usize) -> StoreResult<Vec<String>> {
        let at = now();
        let far = at + TimeDelta::days(365);
        let voters: Vec<(String, String)> = (0..count)
            .map(|i| (format!("bench-voter-{i}@example.md"), token::new_token()))
            .collect();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            for chunk in voters.chunks(500) {
                let mut users = QueryBuilder::new(
                    "INSERT INTO users (email, display_name, locale, created_at, email_confirmed_at) ",
                );
                users.push_values(chunk, |mut b, (email, _)| {
                    b.push_bind(email).push_bind("Bench voter").push_bind("ro").push_bind(at).push_bind(at);
                });
                users.build().execute(&mut *tx).await?;
                for (email, raw) in chunk {
                    sqlx::query(
                        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) \
                         SELECT $1, id, $2, $3, $2 FROM users WHERE email = $4",
                    )
                    .bind(token::digest(raw))
                    .bind(at)
                    .bind(far)
                    .bind(email)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await
        }
        .await)
        .map_err(store_err)?;
        Ok(voters.into_iter().map(|(_, raw)| raw).collect())
    }

    /// Signs in the existing account `email` for `make bench` (the staff pages); returns the
    /// session token.
    pub async fn bench_session(&self, email: &str) -> StoreResult<String> {
        let at = now();
        let raw = token::new_token();
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) \
                 SELECT $1, id, $2, $3, $2 FROM users WHERE email = $4",
            )
            .bind(token::digest(&raw))
            .bind(at)
            .bind(at + TimeDelta::days(1))
            .bind(email)
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(store_err)?;
        Ok(raw)
    }

    /// Refreshes the query planner's statistics after a bulk load, as autovacuum would have done
    /// in a database that grew to this size over years.
    pub async fn bench_analyze(&self) -> StoreResult<()> {
        with_pool!(self, |pool| sqlx::query("ANALYZE").execute(pool).await.map(|_| ()))
            .map_err(store_err)
    }

    /// Bulk-inserts generated reports `(lat, lng, category_id, status)`.
    pub async fn bench_insert_reports(&self, rows: &[(f64, f64, i64, &str)]) -> StoreResult<()> {
        let at = now();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let mut qb = QueryBuilder::new(
                "INSERT INTO reports (locality_id, category_id, title, description, lat, lng, status, \
                 created_at, updated_at, search_text) ",
            );
            qb.push_values(rows, |mut b, (lat, lng, category, status)| {
                b.push("(SELECT id FROM localities WHERE is_default)")
                    .push_bind(*category)
                    .push_bind("Generated report")
                    .push_bind("Generated for the benchmark.")
                    .push_bind(*lat)
                    .push_bind(*lng)
                    .push_bind(*status)
                    .push_bind(at)
                    .push_bind(at)
                    .push_bind("generated report");
            });
            qb.build().execute(&mut *tx).await?;
            tx.commit().await
        }
        .await)
        .map_err(store_err)
    }
}
