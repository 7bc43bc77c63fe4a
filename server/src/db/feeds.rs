//! What the Atom feeds read that no page does: a locality's newest reports, by category and area.

use crate::db::{store_err, with_pool, Db};
use app::model::{BBox, LatLng};
use app::store::StoreResult;
use chrono::{DateTime, Utc};

/// Entries a feed carries at most.
pub const FEED_SIZE: usize = 50;

#[derive(Debug, sqlx::FromRow)]
pub struct FeedReport {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub status: String,
    pub category: String,
    pub lat: f64,
    pub lng: f64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Db {
    /// The newest visible reports of the locality, of category `category` (a slug) when given,
    /// and with a pin within `area` (centre, metres) when given.
    pub async fn feed_reports(
        &self,
        locality_id: i64,
        category: Option<&str>,
        area: Option<(LatLng, f64)>,
    ) -> StoreResult<Vec<FeedReport>> {
        let bbox = area.map(|(centre, radius)| BBox::around(centre, radius));
        // A circle is first narrowed to its box in SQL, then measured here.
        let fetch = if area.is_some() { 1000 } else { FEED_SIZE as i64 };
        let rows: Vec<FeedReport> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT r.id, r.title, r.description, r.status, c.slug AS category, r.lat, r.lng, r.created_at, \
                 r.updated_at FROM reports r JOIN categories c ON c.id = r.category_id \
                 WHERE r.locality_id = $1 AND r.hidden = FALSE AND ($2 OR c.slug = $3) \
                 AND ($4 OR (r.location_confirmed = TRUE AND r.lat BETWEEN $5 AND $6 AND r.lng BETWEEN $7 AND $8)) \
                 ORDER BY r.created_at DESC, r.id DESC LIMIT $9",
            )
            .bind(locality_id)
            .bind(category.is_none())
            .bind(category.unwrap_or_default())
            .bind(bbox.is_none())
            .bind(bbox.map_or(0.0, |b| b.min_lat))
            .bind(bbox.map_or(0.0, |b| b.max_lat))
            .bind(bbox.map_or(0.0, |b| b.min_lng))
            .bind(bbox.map_or(0.0, |b| b.max_lng))
            .bind(fetch)
            .fetch_all(pool)
            .await
        })
        .map_err(store_err)?;
        Ok(rows
            .into_iter()
            .filter(|r| match area {
                Some((centre, radius)) => {
                    centre.distance_m(LatLng { lat: r.lat, lng: r.lng }) <= radius
                }
                None => true,
            })
            .take(FEED_SIZE)
            .collect())
    }
}
