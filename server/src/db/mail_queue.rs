//! The outbox as the mail sender sees it: claiming messages, and marking them sent or failed.
//!
//! Every server process may run a sender. A sender first claims the messages it will send, so
//! that each goes out once however many processes run; a claim lapses after [`CLAIM`], so the
//! messages of a sender that crashed mid-way are taken up again by another.

use super::{now, store_err, with_pool, Db};
use app::store::StoreResult;
use chrono::TimeDelta;

/// A message waiting to be sent.
#[derive(Debug, sqlx::FromRow)]
pub struct QueuedMail {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    /// The recipient's language, for `Content-Language`.
    pub lang: Option<String>,
    /// For mail sent because of a subscription: the one-click unsubscribe address.
    pub unsubscribe_url: Option<String>,
}

/// After this many failed attempts a message is left for an operator to look at.
pub const MAX_ATTEMPTS: i64 = 5;

/// How long a claim lasts: longer than sending a claimed batch can take (each message gives up
/// after 20 s).
pub const CLAIM: TimeDelta = TimeDelta::minutes(10);

impl Db {
    /// Claims for `sender` up to `limit` of the oldest unsent messages that no other sender
    /// holds, oldest first.
    pub async fn claim_mail(&self, sender: &str, limit: i64) -> StoreResult<Vec<QueuedMail>> {
        let at = now();
        // PostgreSQL skips rows that another sender is claiming at this moment instead of
        // waiting for them; SQLite has one writer at a time, so its UPDATE is atomic as it is.
        let skip_locked = match self {
            Db::Sqlite(_) => "",
            Db::Postgres(_) => " FOR UPDATE SKIP LOCKED",
        };
        let sql = format!(
            "UPDATE outbox SET claimed_by = $1, claimed_until = $2 WHERE id IN (\
             SELECT id FROM outbox WHERE sent_at IS NULL AND attempts < $3 \
             AND (claimed_until IS NULL OR claimed_until < $4) ORDER BY id LIMIT $5{skip_locked}) \
             RETURNING id, to_address, subject, body, lang, unsubscribe_url"
        );
        let mut claimed: Vec<QueuedMail> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(sender)
                .bind(at + CLAIM)
                .bind(MAX_ATTEMPTS)
                .bind(at)
                .bind(limit)
                .fetch_all(pool)
                .await
        })
        .map_err(store_err)?;
        claimed.sort_by_key(|m| m.id);
        Ok(claimed)
    }

    pub async fn mark_mail_sent(&self, id: i64) -> StoreResult<()> {
        with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET sent_at = $1, attempts = attempts + 1, last_error = NULL, \
                 claimed_by = NULL, claimed_until = NULL WHERE id = $2",
            )
            .bind(now())
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(store_err)
    }

    /// Records a failed attempt and gives the claim up, so the next round tries again.
    pub async fn mark_mail_failed(&self, id: i64, error: &str) -> StoreResult<()> {
        with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, last_error = $1, claimed_by = NULL, \
                 claimed_until = NULL WHERE id = $2",
            )
            .bind(error.chars().take(500).collect::<String>())
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(store_err)
    }
}
