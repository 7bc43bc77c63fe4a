//! The answers kept for requests sent with an `Idempotency-Key` (see `crate::idempotency`).

use super::{now, store_err, with_pool, Db};
use app::store::StoreResult;
use chrono::{DateTime, TimeDelta, Utc};

/// How long an answer is kept for a repeat.
const KEPT: TimeDelta = TimeDelta::hours(24);
/// A first request still unanswered after this long is taken to have died with its server.
const ABANDONED: TimeDelta = TimeDelta::seconds(60);

/// A kept answer.
pub struct StoredAnswer {
    pub status: u16,
    pub content_type: String,
    pub location: String,
    pub body: Vec<u8>,
}

/// What a request with a key may do.
pub enum Claim {
    /// The first with this key: handle it, then keep its answer.
    First,
    /// A repeat of an answered request.
    Answered(StoredAnswer),
    /// A repeat while the first is still being handled.
    InProgress,
}

impl Db {
    /// Claims `key_hash` for a request, or finds what became of the first request with it.
    pub async fn claim_idempotency_key(&self, key_hash: &str) -> StoreResult<Claim> {
        let at = now();
        type Row = (i32, String, String, Option<Vec<u8>>, DateTime<Utc>);
        with_pool!(self, |pool| async {
            sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
                .bind(at - KEPT)
                .execute(pool)
                .await?;
            let claimed = sqlx::query(
                "INSERT INTO idempotency_keys (key_hash, created_at) VALUES ($1, $2) \
                 ON CONFLICT (key_hash) DO NOTHING",
            )
            .bind(key_hash)
            .bind(at)
            .execute(pool)
            .await?
            .rows_affected()
                == 1;
            if claimed {
                return Ok(Claim::First);
            }
            let row: Option<Row> = sqlx::query_as(
                "SELECT status, content_type, location, body, created_at FROM idempotency_keys \
                 WHERE key_hash = $1",
            )
            .bind(key_hash)
            .fetch_optional(pool)
            .await?;
            Ok(match row {
                Some((status, content_type, location, body, _)) if status > 0 => {
                    Claim::Answered(StoredAnswer {
                        status: u16::try_from(status).unwrap_or(500),
                        content_type,
                        location,
                        body: body.unwrap_or_default(),
                    })
                }
                // The first died before answering: this one takes over, once.
                Some((_, _, _, _, created)) if at - created > ABANDONED => {
                    let taken = sqlx::query(
                        "UPDATE idempotency_keys SET created_at = $1 \
                         WHERE key_hash = $2 AND status = 0 AND created_at = $3",
                    )
                    .bind(at)
                    .bind(key_hash)
                    .bind(created)
                    .execute(pool)
                    .await?
                    .rows_affected()
                        == 1;
                    if taken {
                        Claim::First
                    } else {
                        Claim::InProgress
                    }
                }
                _ => Claim::InProgress,
            })
        }
        .await)
        .map_err(store_err)
    }

    /// Keeps the answer of the first request with `key_hash`.
    pub async fn keep_idempotent_answer(
        &self,
        key_hash: &str,
        answer: &StoredAnswer,
    ) -> StoreResult<()> {
        with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE idempotency_keys SET status = $1, content_type = $2, location = $3, body = $4 \
                 WHERE key_hash = $5",
            )
            .bind(i32::from(answer.status))
            .bind(&answer.content_type)
            .bind(&answer.location)
            .bind(&answer.body)
            .bind(key_hash)
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(store_err)
    }

    /// Forgets a claim whose request failed on the server's side, so that a retry runs again.
    pub async fn release_idempotency_key(&self, key_hash: &str) -> StoreResult<()> {
        with_pool!(self, |pool| {
            sqlx::query("DELETE FROM idempotency_keys WHERE key_hash = $1 AND status = 0")
                .bind(key_hash)
                .execute(pool)
                .await
                .map(|_| ())
        })
        .map_err(store_err)
    }
}
