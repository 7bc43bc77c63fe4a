//! City announcements: publishing (with the audit entry) and reading them.

use crate::db::audit::{write_audit, AuditRecord};
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::model::announcement::{Announcement, NewAnnouncement};
use app::model::{LatLng, Localized, Viewer};
use app::store::{AnnouncementStore, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;

#[derive(Debug, sqlx::FromRow)]
pub struct AnnouncementRow {
    pub id: i64,
    pub locality_id: i64,
    pub title_ro: String,
    pub title_ru: String,
    pub title_uk: String,
    pub title_en: String,
    pub body_ro: String,
    pub body_ru: String,
    pub body_uk: String,
    pub body_en: String,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub radius_m: Option<i64>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

pub const ANNOUNCEMENT_COLUMNS: &str = "id, locality_id, title_ro, title_ru, title_uk, title_en, \
     body_ro, body_ru, body_uk, body_en, lat, lng, radius_m, valid_from, valid_until, created_at";

impl From<AnnouncementRow> for Announcement {
    fn from(r: AnnouncementRow) -> Self {
        Announcement {
            id: r.id,
            locality_id: r.locality_id,
            title: Localized { ro: r.title_ro, ru: r.title_ru, uk: r.title_uk, en: r.title_en },
            body: Localized { ro: r.body_ro, ru: r.body_ru, uk: r.body_uk, en: r.body_en },
            centre: r.lat.zip(r.lng).map(|(lat, lng)| LatLng { lat, lng }),
            radius_m: r.radius_m,
            valid_from: r.valid_from,
            valid_until: r.valid_until,
            created_at: r.created_at,
        }
    }
}

#[async_trait]
impl AnnouncementStore for Db {
    async fn publish_announcement(&self, actor: &Viewer, a: &NewAnnouncement) -> StoreResult<i64> {
        let at = now();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO announcements (locality_id, title_ro, title_ru, title_uk, title_en, body_ro, body_ru, \
                 body_uk, body_en, lat, lng, radius_m, valid_from, valid_until, author_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
            )
            .bind(a.locality_id)
            .bind(&a.title.ro)
            .bind(&a.title.ru)
            .bind(&a.title.uk)
            .bind(&a.title.en)
            .bind(&a.body.ro)
            .bind(&a.body.ru)
            .bind(&a.body.uk)
            .bind(&a.body.en)
            .bind(a.centre.map(|c| c.lat))
            .bind(a.centre.map(|c| c.lng))
            .bind(a.radius_m)
            .bind(a.valid_from)
            .bind(a.valid_until)
            .bind(actor.user_id())
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            let record = AuditRecord::by(actor, "publish_announcement", "announcement", Some(id))
                .locality(Some(a.locality_id))
                .change(
                    None,
                    Some(json!({
                        "title": a.title.ro,
                        "valid_from": a.valid_from,
                        "valid_until": a.valid_until,
                        "radius_m": a.radius_m,
                    })),
                );
            write_audit!(tx, &record)?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(id)
        }
        .await)
        .map_err(store_err)
    }

    async fn announcements(
        &self,
        locality_id: i64,
        valid_at: Option<DateTime<Utc>>,
    ) -> StoreResult<Vec<Announcement>> {
        let sql = format!(
            "SELECT {ANNOUNCEMENT_COLUMNS} FROM announcements WHERE locality_id = $1 \
             AND ($2 OR (valid_from <= $3 AND valid_until > $3)) ORDER BY valid_from DESC, id DESC LIMIT 100"
        );
        let rows: Vec<AnnouncementRow> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(locality_id)
                .bind(valid_at.is_none())
                .bind(valid_at.unwrap_or_else(now))
                .fetch_all(pool)
                .await
        })
        .map_err(store_err)?;
        Ok(rows.into_iter().map(Announcement::from).collect())
    }
}
