//! The network's quarterly newsletter: writing and publishing issues, and the people who
//! receive them. Mailing a published issue is `db::notify`'s job.

use crate::auth::token;
use crate::db::audit::{write_audit, AuditRecord};
use crate::db::mail::enqueue_mail;
use crate::db::notify::{queue_for, way_out, Recipient, FRESH};
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::error::{FieldError, Problem};
use app::model::newsletter::{Newsletter, NewsletterDraft, Quarter};
use app::model::{Localized, Viewer};
use app::notices::WayOut;
use app::store::{MailTemplate, NewNewsletterSubscriber, NewsletterStore, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;

pub(crate) const NEWSLETTER_COLUMNS: &str = "id, locality_id, year, quarter, title_ro, title_ru, \
     title_uk, title_en, body_ro, body_ru, body_uk, body_en, published_at, created_at, updated_at";

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct NewsletterRow {
    id: i64,
    locality_id: i64,
    year: i64,
    quarter: i64,
    title_ro: String,
    title_ru: String,
    title_uk: String,
    title_en: String,
    body_ro: String,
    body_ru: String,
    body_uk: String,
    body_en: String,
    published_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl NewsletterRow {
    /// `None` for a row the CHECK constraints would not let in.
    pub(crate) fn into_newsletter(self) -> Option<Newsletter> {
        let quarter =
            Quarter::new(i32::try_from(self.year).ok()?, u32::try_from(self.quarter).ok()?)?;
        Some(Newsletter {
            id: self.id,
            locality_id: self.locality_id,
            quarter,
            title: Localized {
                ro: self.title_ro,
                ru: self.title_ru,
                uk: self.title_uk,
                en: self.title_en,
            },
            body: Localized {
                ro: self.body_ro,
                ru: self.body_ru,
                uk: self.body_uk,
                en: self.body_en,
            },
            published_at: self.published_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// Inserts an issue as of `at`, a draft or published (`$published`: its time); the demo's
/// loader uses it too, with `$mailed` set so that loading it mails nobody.
macro_rules! insert_newsletter {
    ($conn:expr, $d:expr, $author:expr, $at:expr, $published:expr, $mailed:expr) => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO newsletters (locality_id, year, quarter, title_ro, title_ru, title_uk, \
             title_en, body_ro, body_ru, body_uk, body_en, author_id, published_at, mailed_at, \
             created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) \
             RETURNING id",
        )
        .bind($d.locality_id)
        .bind(i64::from($d.quarter.year))
        .bind(i64::from($d.quarter.quarter))
        .bind(&$d.title.ro)
        .bind(&$d.title.ru)
        .bind(&$d.title.uk)
        .bind(&$d.title.en)
        .bind(&$d.body.ro)
        .bind(&$d.body.ru)
        .bind(&$d.body.uk)
        .bind(&$d.body.en)
        .bind($author)
        .bind($published)
        .bind($mailed)
        .bind($at)
        .fetch_one($conn)
    };
}
pub(crate) use insert_newsletter;

/// Publishes draft `$id` in transaction `$tx`, with its audit entry; published already does
/// nothing.
macro_rules! publish_in {
    ($tx:expr, $actor:expr, $id:expr, $locality:expr, $at:expr) => {
        async {
            let changed = sqlx::query(
                "UPDATE newsletters SET published_at = $1, updated_at = $1 \
                 WHERE id = $2 AND published_at IS NULL",
            )
            .bind($at)
            .bind($id)
            .execute(&mut *$tx)
            .await?
            .rows_affected();
            if changed == 1 {
                let record = AuditRecord::by($actor, "publish_newsletter", "newsletter", Some($id))
                    .locality(Some($locality));
                write_audit!($tx, &record)?;
            }
            Ok::<_, sqlx::Error>(())
        }
        .await
    };
}

/// A quarter taken by another issue, as the form shows it.
fn quarter_taken(err: StoreError) -> StoreError {
    match err {
        StoreError::Conflict(_) => StoreError::Invalid(FieldError::new("quarter", Problem::Taken)),
        other => other,
    }
}

#[async_trait]
impl NewsletterStore for Db {
    async fn save_newsletter(
        &self,
        actor: &Viewer,
        id: Option<i64>,
        d: &NewsletterDraft,
        publish: bool,
    ) -> StoreResult<i64> {
        let at = now();
        let none: Option<DateTime<Utc>> = None;
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let (id, action) = match id {
                None => {
                    let id =
                        insert_newsletter!(&mut *tx, d, actor.user_id(), at, none, none).await?;
                    (id, "create_newsletter")
                }
                Some(id) => {
                    sqlx::query(
                        "UPDATE newsletters SET year = $1, quarter = $2, title_ro = $3, \
                         title_ru = $4, title_uk = $5, title_en = $6, body_ro = $7, body_ru = $8, \
                         body_uk = $9, body_en = $10, updated_at = $11 \
                         WHERE id = $12 AND locality_id = $13",
                    )
                    .bind(i64::from(d.quarter.year))
                    .bind(i64::from(d.quarter.quarter))
                    .bind(&d.title.ro)
                    .bind(&d.title.ru)
                    .bind(&d.title.uk)
                    .bind(&d.title.en)
                    .bind(&d.body.ro)
                    .bind(&d.body.ru)
                    .bind(&d.body.uk)
                    .bind(&d.body.en)
                    .bind(at)
                    .bind(id)
                    .bind(d.locality_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    .eq(&1)
                    .then_some(())
                    .ok_or(sqlx::Error::RowNotFound)?;
                    (id, "edit_newsletter")
                }
            };
            let record = AuditRecord::by(actor, action, "newsletter", Some(id))
                .locality(Some(d.locality_id))
                .change(
                    None,
                    Some(json!({
                        "title": d.title.ro,
                        "year": d.quarter.year,
                        "quarter": d.quarter.quarter,
                    })),
                );
            write_audit!(tx, &record)?;
            if publish {
                publish_in!(tx, actor, id, d.locality_id, at)?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(id)
        }
        .await)
        .map_err(store_err)
        .map_err(quarter_taken)
    }

    async fn publish_newsletter(&self, actor: &Viewer, id: i64) -> StoreResult<()> {
        let at = now();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let locality: i64 =
                sqlx::query_scalar("SELECT locality_id FROM newsletters WHERE id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            publish_in!(tx, actor, id, locality, at)?;
            tx.commit().await
        }
        .await)
        .map_err(store_err)
    }

    async fn newsletter(&self, id: i64) -> StoreResult<Newsletter> {
        let sql = format!("SELECT {NEWSLETTER_COLUMNS} FROM newsletters WHERE id = $1");
        let row: NewsletterRow =
            with_pool!(self, |pool| { sqlx::query_as(&sql).bind(id).fetch_one(pool).await })
                .map_err(store_err)?;
        row.into_newsletter().ok_or(StoreError::NotFound)
    }

    async fn newsletters(&self, locality_id: i64, drafts: bool) -> StoreResult<Vec<Newsletter>> {
        let sql = format!(
            "SELECT {NEWSLETTER_COLUMNS} FROM newsletters \
             WHERE locality_id = $1 AND ($2 OR published_at IS NOT NULL) \
             ORDER BY year DESC, quarter DESC LIMIT 400"
        );
        let rows: Vec<NewsletterRow> = with_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(locality_id).bind(drafts).fetch_all(pool).await
        })
        .map_err(store_err)?;
        Ok(rows.into_iter().filter_map(NewsletterRow::into_newsletter).collect())
    }

    async fn subscribe_newsletter(
        &self,
        who: &NewNewsletterSubscriber,
        confirm: Option<MailTemplate>,
    ) -> StoreResult<()> {
        let raw = token::new_token();
        let at = now();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let existing: Option<(i64, Option<DateTime<Utc>>)> = sqlx::query_as(
                "SELECT id, confirmed_at FROM newsletter_subscriptions \
                 WHERE locality_id = $1 AND (user_id = $2 OR email = $3)",
            )
            .bind(who.locality_id)
            .bind(who.user_id)
            .bind(&who.email)
            .fetch_optional(&mut *tx)
            .await?;
            match existing {
                // Subscribed already: an account changes its language; an address stays as it
                // was (whoever typed it need not own it).
                Some((id, Some(_))) => {
                    sqlx::query(
                        "UPDATE newsletter_subscriptions SET lang = $1 \
                         WHERE id = $2 AND user_id IS NOT NULL",
                    )
                    .bind(&who.lang)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                }
                // Waiting for its confirmation: a fresh link (the old one may be lost).
                Some((id, None)) => {
                    sqlx::query(
                        "UPDATE newsletter_subscriptions SET lang = $1, token_hash = $2, \
                         confirmed_at = CASE WHEN user_id IS NULL THEN NULL ELSE $3 END \
                         WHERE id = $4",
                    )
                    .bind(&who.lang)
                    .bind(token::digest(&raw))
                    .bind(at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                }
                None => {
                    sqlx::query(
                        "INSERT INTO newsletter_subscriptions (locality_id, user_id, email, lang, \
                         token_hash, confirmed_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(who.locality_id)
                    .bind(who.user_id)
                    .bind(&who.email)
                    .bind(&who.lang)
                    .bind(token::digest(&raw))
                    .bind(who.user_id.map(|_| at))
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            let waiting = !matches!(existing, Some((_, Some(_))));
            if let (true, None, Some(email), Some(mail)) =
                (waiting, who.user_id, &who.email, &confirm)
            {
                let body = mail.body.replace("{token}", &raw);
                enqueue_mail!(tx, email, &mail.subject, &body)?;
            }
            tx.commit().await
        }
        .await)
        .map_err(store_err)
    }

    async fn confirm_newsletter(&self, raw: &str) -> StoreResult<()> {
        let changed = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE newsletter_subscriptions SET confirmed_at = COALESCE(confirmed_at, $1) \
                 WHERE token_hash = $2",
            )
            .bind(now())
            .bind(token::digest(raw))
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })
        .map_err(store_err)?;
        if changed == 1 {
            Ok(())
        } else {
            Err(StoreError::Invalid(FieldError::new("token", Problem::Invalid)))
        }
    }

    async fn newsletter_subscription(
        &self,
        locality_id: i64,
        user_id: i64,
    ) -> StoreResult<Option<i64>> {
        with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT id FROM newsletter_subscriptions WHERE locality_id = $1 AND user_id = $2",
            )
            .bind(locality_id)
            .bind(user_id)
            .fetch_optional(pool)
            .await
        })
        .map_err(store_err)
    }
}

impl Db {
    /// Mails each newly published issue once to the confirmed subscribers of its locality, in
    /// each one's language (an issue published before the job last ran for days is marked
    /// done without mail, as other events are); returns how many messages were queued.
    pub async fn notify_newsletters<F>(&self, base: &str, render: F) -> StoreResult<usize>
    where
        F: Fn(&str, &Newsletter, Option<&str>, &WayOut) -> MailTemplate + Send + Sync,
    {
        let at = now();
        let sql = format!(
            "SELECT {NEWSLETTER_COLUMNS} FROM newsletters \
             WHERE published_at IS NOT NULL AND mailed_at IS NULL ORDER BY id LIMIT 20"
        );
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let rows: Vec<NewsletterRow> = sqlx::query_as(&sql).fetch_all(&mut *tx).await?;
            let mut queued = 0;
            for row in rows {
                // Claimed by another run since it was read: that run mails it.
                let claimed = sqlx::query(
                    "UPDATE newsletters SET mailed_at = $1 WHERE id = $2 AND mailed_at IS NULL",
                )
                .bind(at)
                .bind(row.id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    == 1;
                if !claimed {
                    tx.rollback().await?;
                    return Ok(0);
                }
                let Some(issue) = row.into_newsletter() else { continue };
                if issue.published_at.is_none_or(|p| p < at - FRESH) {
                    continue;
                }
                let (slug, is_default): (String, bool) =
                    sqlx::query_as("SELECT slug, is_default FROM localities WHERE id = $1")
                        .bind(issue.locality_id)
                        .fetch_one(&mut *tx)
                        .await?;
                let site = (!is_default).then_some(slug.as_str());
                let recipients: Vec<Recipient> = sqlx::query_as(
                    "SELECT s.id AS subscription_id, s.user_id, COALESCE(u.email, s.email) AS email, \
                     s.lang FROM newsletter_subscriptions s LEFT JOIN users u ON u.id = s.user_id \
                     WHERE s.locality_id = $1 AND s.confirmed_at IS NOT NULL ORDER BY s.id",
                )
                .bind(issue.locality_id)
                .fetch_all(&mut *tx)
                .await?;
                for recipient in &recipients {
                    let Some(email) = recipient.email.as_deref() else { continue };
                    let (raw, links) = way_out(base, &recipient.lang);
                    let mail = render(&recipient.lang, &issue, site, &links);
                    queue_for!(tx, "newsletter", recipient, email, &raw, links, mail);
                    queued += 1;
                }
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(queued)
        }
        .await)
        .map_err(store_err)
    }
}
