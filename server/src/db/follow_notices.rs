//! What happened to followed initiatives, polls and projects, and the mail to their followers.
//! Each happening is found from the state it left (a level reached, an answer given, a poll's
//! closing time passed, a review, an edition's results published) and announced once: the
//! transaction that queues the followers' mail also records it in `follow_notices`, whose key
//! makes a second process's attempt change nothing.

use crate::db::notify::{queue_for, way_out, Recipient, FRESH};
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::notices::WayOut;
use app::store::{MailTemplate, StoreResult};
use chrono::{DateTime, Utc};

/// Happenings taken in one run.
const BATCH: i64 = 200;

/// Something that happened to a followed thing: `event` is `level:go`, `answer`, `closed`,
/// `review:feasible`, `review:unfeasible`, `results` or `milestone:{id}`.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Happening {
    pub kind: String,
    pub target_id: i64,
    pub event: String,
    pub happened_at: DateTime<Utc>,
}

/// Every happening since `$1` (and, for polls, closed by `$2`) that someone who followed the
/// thing before it happened has not been told of.
const HAPPENINGS_SQL: &str = "\
    SELECT h.kind, h.target_id, h.event, h.happened_at FROM ( \
      SELECT 'initiative' AS kind, l.initiative_id AS target_id, 'level:' || l.level AS event, \
             l.reached_at AS happened_at \
      FROM initiative_levels l JOIN initiatives i ON i.id = l.initiative_id \
      WHERE i.hidden = FALSE AND l.reached_at > $1 \
      UNION ALL \
      SELECT 'initiative', i.id, 'answer', i.answered_at FROM initiatives i \
      WHERE i.hidden = FALSE AND i.answered_at > $1 \
      UNION ALL \
      SELECT 'poll', p.id, 'closed', p.closes_at FROM polls p \
      WHERE p.closes_at > $1 AND p.closes_at <= $2 \
      UNION ALL \
      SELECT 'project', p.id, 'review:' || p.status, p.reviewed_at FROM budget_proposals p \
      WHERE p.status IN ('feasible', 'unfeasible') AND p.reviewed_at > $1 \
      UNION ALL \
      SELECT 'project', p.id, 'results', e.phase_changed_at FROM budget_proposals p \
      JOIN budget_budgets b ON b.id = p.budget_id JOIN budget_editions e ON e.id = b.edition_id \
      WHERE p.status = 'feasible' AND e.phase IN ('results', 'implementation') \
      AND e.phase_changed_at > $1 \
      UNION ALL \
      SELECT 'project', m.proposal_id, 'milestone:' || m.id, m.created_at FROM budget_milestones m \
      WHERE m.created_at > $1 \
    ) h \
    WHERE EXISTS (SELECT 1 FROM follows f WHERE f.kind = h.kind AND f.target_id = h.target_id \
                  AND f.created_at < h.happened_at) \
    AND NOT EXISTS (SELECT 1 FROM follow_notices n WHERE n.kind = h.kind \
                    AND n.target_id = h.target_id AND n.event = h.event) \
    ORDER BY h.happened_at, h.kind, h.target_id LIMIT $3";

impl Db {
    /// Happenings of the last [`FRESH`] days not announced yet, oldest first.
    pub async fn follow_happenings(&self) -> StoreResult<Vec<Happening>> {
        let at = now();
        with_pool!(self, |pool| {
            sqlx::query_as(HAPPENINGS_SQL)
                .bind(at - FRESH)
                .bind(at)
                .bind(BATCH)
                .fetch_all(pool)
                .await
        })
        .map_err(store_err)
    }

    /// Mails `happening` to the followers who followed before it, each in their language;
    /// returns how many messages were queued (none when another run announced it first).
    pub async fn announce_follow<F>(
        &self,
        base: &str,
        happening: &Happening,
        render: F,
    ) -> StoreResult<usize>
    where
        F: Fn(&str, &WayOut) -> MailTemplate + Send + Sync,
    {
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let first = sqlx::query(
                "INSERT INTO follow_notices (kind, target_id, event, sent_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (kind, target_id, event) DO NOTHING",
            )
            .bind(&happening.kind)
            .bind(happening.target_id)
            .bind(&happening.event)
            .bind(now())
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if !first {
                tx.rollback().await?;
                return Ok(0);
            }
            let recipients: Vec<Recipient> = sqlx::query_as(
                "SELECT f.id AS subscription_id, f.user_id, u.email, f.lang \
                 FROM follows f JOIN users u ON u.id = f.user_id \
                 WHERE f.kind = $1 AND f.target_id = $2 AND f.created_at < $3 ORDER BY f.id",
            )
            .bind(&happening.kind)
            .bind(happening.target_id)
            .bind(happening.happened_at)
            .fetch_all(&mut *tx)
            .await?;
            let mut queued = 0;
            for recipient in &recipients {
                let Some(email) = recipient.email.as_deref() else { continue };
                let (raw, links) = way_out(base, &recipient.lang);
                let mail = render(&recipient.lang, &links);
                queue_for!(tx, happening.kind.as_str(), recipient, email, &raw, links, mail);
                queued += 1;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(queued)
        }
        .await)
        .map_err(store_err)
    }
}
