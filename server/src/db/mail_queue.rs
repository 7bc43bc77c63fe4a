//! Reading and marking the outbox for the mail sender.

use super::{now, store_err, with_pool, Db};
use app::store::StoreResult;

/// A message waiting to be sent.
#[derive(Debug, sqlx::FromRow)]
pub struct QueuedMail {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body: String,
}

/// After this many failed attempts a message is left for an operator to look at.
pub const MAX_ATTEMPTS: i64 = 5;

impl Db {
    /// The oldest unsent messages that have not failed too often.
    pub async fn unsent_mail(&self, limit: i64) -> StoreResult<Vec<QueuedMail>> {
        with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, to_address, subject, body FROM outbox WHERE sent_at IS NULL AND attempts < $1 \
                 ORDER BY id LIMIT $2",
            )
            .bind(MAX_ATTEMPTS)
            .bind(limit)
            .fetch_all(pool)
            .await
        })
        .map_err(store_err)
    }

    pub async fn mark_mail_sent(&self, id: i64) -> StoreResult<()> {
        with_pool!(self, |pool| {
            sqlx::query("UPDATE outbox SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2")
                .bind(now())
                .bind(id)
                .execute(pool)
                .await
                .map(|_| ())
        })
        .map_err(store_err)
    }

    pub async fn mark_mail_failed(&self, id: i64, error: &str) -> StoreResult<()> {
        with_pool!(self, |pool| {
            sqlx::query("UPDATE outbox SET attempts = attempts + 1, last_error = $1 WHERE id = $2")
                .bind(error.chars().take(500).collect::<String>())
                .bind(id)
                .execute(pool)
                .await
                .map(|_| ())
        })
        .map_err(store_err)
    }
}
