//! Turning what happened into mail for the people who follow it. Each run takes the events
//! after a cursor (`notify_cursors`), queues one message per subscriber in the outbox, and moves
//! the cursor, all in one transaction: an event is announced once, even when two processes
//! run the job at the same moment (the second one's cursor update finds the cursor moved, and
//! its transaction is rolled back).

use crate::auth::token;
use crate::db::mail::enqueue_subscription_mail;
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::notices::WayOut;
use app::store::{MailTemplate, StoreResult};
use chrono::{DateTime, TimeDelta, Utc};

/// Events older than this are never announced (a server that was down for days, or demo data
/// loaded with its history, does not flood anyone's inbox).
pub const FRESH: TimeDelta = TimeDelta::days(2);

/// Events taken in one run.
const BATCH: i64 = 200;

/// An official event on a report's timeline: a status change, an answer, or both.
#[derive(Debug, sqlx::FromRow)]
pub struct ReportEvent {
    pub id: i64,
    pub report_id: i64,
    pub title: String,
    pub to_status: Option<String>,
    pub body: String,
    pub actor_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub hidden: bool,
}

/// Someone a message goes to because of a subscription.
#[derive(Debug, sqlx::FromRow)]
pub struct Recipient {
    pub subscription_id: i64,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub lang: String,
}

/// The links of one message: a fresh token, whose SHA-256 the caller stores.
pub fn way_out(base: &str, lang: &str) -> (String, WayOut) {
    let raw = token::new_token();
    let links = WayOut {
        unsubscribe: format!("{base}/unsubscribe/{raw}?lang={lang}"),
        manage: format!("{base}/{lang}/subscriptions?token={raw}"),
    };
    (raw, links)
}

/// Stores a message's unsubscribe token and queues the message (`$tx` is `&mut Transaction`).
macro_rules! queue_for {
    ($tx:expr, $kind:expr, $recipient:expr, $email:expr, $raw:expr, $links:expr, $mail:expr) => {{
        sqlx::query(
            "INSERT INTO unsubscribe_tokens (token_hash, kind, subscription_id, user_id, email, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token::digest($raw))
        .bind($kind)
        .bind($recipient.subscription_id)
        .bind($recipient.user_id)
        .bind($recipient.user_id.is_none().then_some($email))
        .bind(now())
        .execute(&mut *$tx)
        .await?;
        enqueue_subscription_mail!($tx, $email, $mail, &$recipient.lang, &$links.unsubscribe)?;
    }};
}
pub(crate) use queue_for;

/// Moves cursor `$name` from `$from` to `$to`; `false` when another run moved it first.
macro_rules! advance_cursor {
    ($tx:expr, $name:expr, $from:expr, $to:expr) => {
        sqlx::query("UPDATE notify_cursors SET last_id = $1 WHERE name = $2 AND last_id = $3")
            .bind($to)
            .bind($name)
            .bind($from)
            .execute(&mut *$tx)
            .await
            .map(|r| r.rows_affected() == 1)
    };
}
pub(crate) use advance_cursor;

impl Db {
    /// Mails the confirmed followers of each report about its official events since the last
    /// run (not the person who made the change); returns how many messages were queued.
    pub async fn notify_report_events<F>(&self, base: &str, render: F) -> StoreResult<usize>
    where
        F: Fn(&str, &ReportEvent, &WayOut) -> MailTemplate + Send + Sync,
    {
        let fresh_after = now() - FRESH;
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let from: i64 =
                sqlx::query_scalar("SELECT last_id FROM notify_cursors WHERE name = 'report_events'")
                    .fetch_one(&mut *tx)
                    .await?;
            let events: Vec<ReportEvent> = sqlx::query_as(
                "SELECT e.id, e.report_id, r.title, e.to_status, e.body, e.actor_id, e.created_at, r.hidden \
                 FROM report_events e JOIN reports r ON r.id = e.report_id \
                 WHERE e.id > $1 AND e.official = TRUE ORDER BY e.id LIMIT $2",
            )
            .bind(from)
            .bind(BATCH)
            .fetch_all(&mut *tx)
            .await?;
            let Some(last) = events.last().map(|e| e.id) else { return Ok(0) };
            let mut queued = 0;
            for event in events.iter().filter(|e| !e.hidden && e.created_at > fresh_after) {
                let recipients: Vec<Recipient> = sqlx::query_as(
                    "SELECT s.id AS subscription_id, s.user_id, COALESCE(u.email, s.email) AS email, s.lang \
                     FROM report_subscriptions s LEFT JOIN users u ON u.id = s.user_id \
                     WHERE s.report_id = $1 AND s.confirmed_at IS NOT NULL ORDER BY s.id",
                )
                .bind(event.report_id)
                .fetch_all(&mut *tx)
                .await?;
                for recipient in &recipients {
                    let Some(email) = recipient.email.as_deref() else { continue };
                    if recipient.user_id.is_some() && recipient.user_id == event.actor_id {
                        continue;
                    }
                    let (raw, links) = way_out(base, &recipient.lang);
                    let mail = render(&recipient.lang, event, &links);
                    queue_for!(tx, "report", recipient, email, &raw, links, mail);
                    queued += 1;
                }
            }
            if !advance_cursor!(tx, "report_events", from, last)? {
                tx.rollback().await?;
                return Ok(0);
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(queued)
        }
        .await)
        .map_err(store_err)
    }
}
