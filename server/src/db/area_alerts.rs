//! Area alerts: storing and confirming them. Mail about new reports is in `db::notify`.

use crate::auth::token;
use crate::db::mail::enqueue_mail;
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::error::{FieldError, Problem};
use app::store::{MailTemplate, NewAreaAlert, StoreError, StoreResult};

/// Category ids as the `categories` column keeps them: `3,7` (empty: every category).
pub fn categories_column(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Whether an alert kept as `column` covers `category`.
pub fn covers(column: &str, category: i64) -> bool {
    column.trim().is_empty() || column.split(',').any(|c| c.trim().parse() == Ok(category))
}

impl Db {
    pub(crate) async fn insert_area_alert(
        &self,
        alert: &NewAreaAlert,
        confirm: Option<MailTemplate>,
    ) -> StoreResult<()> {
        let raw = token::new_token();
        let at = now();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO area_alerts (locality_id, user_id, email, lat, lng, radius_m, categories, digest, \
                 lang, token_hash, confirmed_at, digest_since, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
            )
            .bind(alert.locality_id)
            .bind(alert.user_id)
            .bind(&alert.email)
            .bind(alert.centre.lat)
            .bind(alert.centre.lng)
            .bind(alert.radius_m)
            .bind(categories_column(&alert.categories))
            .bind(alert.digest)
            .bind(&alert.lang)
            .bind(token::digest(&raw))
            .bind(alert.user_id.map(|_| at))
            .bind(at)
            .execute(&mut *tx)
            .await?;
            if let (Some(email), Some(mail)) = (&alert.email, &confirm) {
                let body = mail.body.replace("{token}", &raw);
                enqueue_mail!(tx, email, &mail.subject, &body)?;
            }
            tx.commit().await
        }
        .await)
        .map_err(store_err)
    }

    pub(crate) async fn confirm_area_alert_token(&self, raw: &str) -> StoreResult<()> {
        let changed = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE area_alerts SET confirmed_at = COALESCE(confirmed_at, $1), \
                 digest_since = CASE WHEN confirmed_at IS NULL THEN $1 ELSE digest_since END \
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_list_covers_every_category() {
        assert!(covers("", 4));
        assert!(covers("3,4", 4));
        assert!(!covers("3,14", 4));
        assert_eq!(categories_column(&[3, 14]), "3,14");
    }
}
