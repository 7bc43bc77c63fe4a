//! What citizens do with reports: file one, say "me too", comment, follow.

use super::cells::adjust_cells;
use super::invalid;
use crate::auth::token;
use crate::db::mail::enqueue_mail;
use crate::db::statistics::upkeep::{count_report, tracking_stats};
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::error::Problem;
use app::model::report::search_key;
use app::store::{MailTemplate, NewReport, ReportWrites, SavedPhoto, StoreResult};
use async_trait::async_trait;

#[async_trait]
impl ReportWrites for Db {
    async fn create_report(
        &self,
        report: NewReport,
        photos: &[SavedPhoto],
        subscribe: Option<MailTemplate>,
    ) -> StoreResult<i64> {
        let at = now();
        let search = search_key(&format!(
            "{} {} {}",
            report.title,
            report.description,
            report.address.as_deref().unwrap_or_default()
        ));
        let subscription_token = token::new_token();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO reports (locality_id, category_id, title, description, lat, lng, location_confirmed, \
                 address, status, reporter_id, reporter_name, reporter_email, show_name, created_at, updated_at, \
                 search_text, assisted_by, visitor_contact) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'new', $9, $10, $11, $12, $13, $13, $14, $15, $16) \
                 RETURNING id",
            )
            .bind(report.locality_id)
            .bind(report.category_id)
            .bind(&report.title)
            .bind(&report.description)
            .bind(report.at.lat)
            .bind(report.at.lng)
            .bind(report.location_confirmed)
            .bind(&report.address)
            .bind(report.reporter_id)
            .bind(&report.reporter_name)
            .bind(&report.reporter_email)
            .bind(report.show_name)
            .bind(at)
            .bind(&search)
            .bind(report.assisted_by)
            .bind(&report.visitor_contact)
            .fetch_one(&mut *tx)
            .await?;
            for (position, photo) in photos.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO report_photos (report_id, position, file_stem, width, height, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(position as i64)
                .bind(&photo.stem)
                .bind(i64::from(photo.width))
                .bind(i64::from(photo.height))
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            if report.location_confirmed {
                adjust_cells!(tx, report.at, report.category_id, "new", 1)?;
            }
            // Reporters follow their own report: an account at once, an e-mail address once
            // it confirms.
            if let Some(user) = report.reporter_id {
                sqlx::query(
                    "INSERT INTO report_subscriptions (report_id, user_id, token_hash, confirmed_at, created_at, lang) \
                     VALUES ($1, $2, $3, $4, $4, $5)",
                )
                .bind(id)
                .bind(user)
                .bind(token::digest(&subscription_token))
                .bind(at)
                .bind(&report.lang)
                .execute(&mut *tx)
                .await?;
            } else if let (Some(email), Some(mail)) = (&report.reporter_email, &subscribe) {
                sqlx::query(
                    "INSERT INTO report_subscriptions (report_id, email, token_hash, created_at, lang) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(email)
                .bind(token::digest(&subscription_token))
                .bind(at)
                .bind(&report.lang)
                .execute(&mut *tx)
                .await?;
                let body = mail.body.replace("{token}", &subscription_token).replace("{report}", &id.to_string());
                enqueue_mail!(tx, email, &mail.subject, &body)?;
            }
            count_report!(tx, id, std::convert::identity);
            tx.commit().await?;
            Ok::<_, sqlx::Error>(id)
        }
        .await)
        .map_err(store_err)
    }

    async fn support_report(&self, report_id: i64, user_id: i64) -> StoreResult<i64> {
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let exists: Option<i64> =
                sqlx::query_scalar("SELECT id FROM reports WHERE id = $1 AND hidden = FALSE")
                    .bind(report_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if exists.is_none() {
                return Err(sqlx::Error::RowNotFound);
            }
            tracking_stats!(tx, report_id, std::convert::identity, {
                let inserted = sqlx::query(
                    "INSERT INTO report_supports (report_id, user_id, created_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (report_id, user_id) DO NOTHING",
                )
                .bind(report_id)
                .bind(user_id)
                .bind(now())
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if inserted == 1 {
                    sqlx::query("UPDATE reports SET supporters = supporters + 1 WHERE id = $1")
                        .bind(report_id)
                        .execute(&mut *tx)
                        .await?;
                }
            });
            let count: i64 = sqlx::query_scalar("SELECT supporters FROM reports WHERE id = $1")
                .bind(report_id)
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(count)
        }
        .await)
        .map_err(store_err)
    }

    async fn add_comment(
        &self,
        report_id: i64,
        author_id: i64,
        author_name: &str,
        body: &str,
    ) -> StoreResult<i64> {
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let exists: Option<i64> =
                sqlx::query_scalar("SELECT id FROM reports WHERE id = $1 AND hidden = FALSE")
                    .bind(report_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if exists.is_none() {
                return Err(sqlx::Error::RowNotFound);
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO report_comments (report_id, author_id, author_name, body, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(report_id)
            .bind(author_id)
            .bind(author_name)
            .bind(body)
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(id)
        }
        .await)
        .map_err(store_err)
    }

    async fn subscribe(
        &self,
        report_id: i64,
        lang: &str,
        user_id: Option<i64>,
        email: Option<&str>,
        mail: Option<MailTemplate>,
    ) -> StoreResult<()> {
        let raw = token::new_token();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM reports WHERE id = $1 AND hidden = FALSE")
                .bind(report_id)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                return Err(sqlx::Error::RowNotFound);
            }
            let at = now();
            if let Some(user) = user_id {
                tracking_stats!(tx, report_id, std::convert::identity, {
                    sqlx::query(
                        "INSERT INTO report_subscriptions (report_id, user_id, token_hash, confirmed_at, created_at, lang) \
                         VALUES ($1, $2, $3, $4, $4, $5) ON CONFLICT DO NOTHING",
                    )
                    .bind(report_id)
                    .bind(user)
                    .bind(token::digest(&raw))
                    .bind(at)
                    .bind(lang)
                    .execute(&mut *tx)
                    .await?;
                });
            } else if let Some(email) = email {
                let added = sqlx::query(
                    "INSERT INTO report_subscriptions (report_id, email, token_hash, created_at, lang) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(report_id)
                .bind(email)
                .bind(token::digest(&raw))
                .bind(at)
                .bind(lang)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if let (1, Some(mail)) = (added, &mail) {
                    let body = mail.body.replace("{token}", &raw).replace("{report}", &report_id.to_string());
                    enqueue_mail!(tx, email, &mail.subject, &body)?;
                }
            }
            tx.commit().await
        }
        .await)
        .map_err(store_err)
    }

    async fn confirm_subscription(&self, raw: &str) -> StoreResult<i64> {
        let digest = token::digest(raw);
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let report: Option<i64> =
                sqlx::query_scalar("SELECT report_id FROM report_subscriptions WHERE token_hash = $1")
                    .bind(&digest)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(report) = report else { return Ok(None) };
            tracking_stats!(tx, report, std::convert::identity, {
                sqlx::query(
                    "UPDATE report_subscriptions SET confirmed_at = COALESCE(confirmed_at, $1) WHERE token_hash = $2",
                )
                .bind(now())
                .bind(&digest)
                .execute(&mut *tx)
                .await?;
            });
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Some(report))
        }
        .await)
        .map_err(store_err)?
        .ok_or_else(|| invalid("token", Problem::Invalid))
    }
}
