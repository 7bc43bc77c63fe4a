//! The map's grid: cells at each zoom level, and the per-cell counts kept in `report_cells`
//! so that a city-wide screen reads a few hundred rows, not a million reports.

use crate::db::{store_err, with_pool, BeginWrite, Db};
use app::model::{BBox, LatLng};
use app::store::StoreResult;
use sqlx::QueryBuilder;
use std::collections::HashMap;
use std::ops::RangeInclusive;

/// The most pins one screen receives; beyond it the map shows clusters.
pub const PIN_LIMIT: i64 = 500;

/// Zoom levels served from the pre-counted `report_cells`.
pub const CELL_LEVELS: RangeInclusive<u8> = 10..=15;

/// A pre-counted cell: level, x, y, category, status.
type CellKey = (u8, i64, i64, i64, String);
/// Its count and the sums of its latitudes and longitudes.
type CellSum = (i64, f64, f64);

/// Side of a grid cell at `zoom`, in degrees: a quarter of a 256-pixel tile, about 64 pixels.
pub fn cell_size(zoom: u8) -> f64 {
    360.0 / f64::from(1u32 << zoom.min(24)) / 4.0
}

/// The grid cell holding `at` at `zoom`.
pub fn cell_of(zoom: u8, at: LatLng) -> (i64, i64) {
    let size = cell_size(zoom);
    (((at.lng + 180.0) / size).floor() as i64, ((at.lat + 90.0) / size).floor() as i64)
}

/// The zoom a map showing `bbox` has, assuming a screen about a thousand pixels wide.
pub fn zoom_for(bbox: &BBox) -> u8 {
    let width = (bbox.max_lng - bbox.min_lng).max(1e-9);
    (360.0 * 4.0 / width).log2().floor().clamp(0.0, 22.0) as u8
}

/// Adds `$delta` (±1) reports at `$at` of `$category`/`$status` to every pre-counted level,
/// inside the caller's transaction.
macro_rules! adjust_cells {
    ($tx:expr, $at:expr, $category:expr, $status:expr, $delta:expr) => {{
        let at: app::model::LatLng = $at;
        let delta: i64 = $delta;
        let mut result = Ok(());
        for level in $crate::db::reports::CELL_LEVELS {
            let (cx, cy) = $crate::db::reports::cell_of(level, at);
            let r = sqlx::query(
                "INSERT INTO report_cells (level, cx, cy, category_id, status, n, sum_lat, sum_lng) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (level, cx, cy, category_id, status) DO UPDATE SET \
                 n = report_cells.n + excluded.n, sum_lat = report_cells.sum_lat + excluded.sum_lat, \
                 sum_lng = report_cells.sum_lng + excluded.sum_lng",
            )
            .bind(i64::from(level))
            .bind(cx)
            .bind(cy)
            .bind($category)
            .bind($status)
            .bind(delta)
            .bind(at.lat * delta as f64)
            .bind(at.lng * delta as f64)
            .execute(&mut *$tx)
            .await;
            if let Err(e) = r {
                result = Err(e);
                break;
            }
        }
        result
    }};
}
pub(crate) use adjust_cells;

impl Db {
    /// Recomputes `report_cells` from the reports (after a bulk load, or to repair).
    pub async fn rebuild_cells(&self) -> StoreResult<()> {
        let rows: Vec<(f64, f64, i64, String)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT lat, lng, category_id, status FROM reports WHERE hidden = FALSE AND location_confirmed = TRUE",
            )
            .fetch_all(pool)
            .await
        })
        .map_err(store_err)?;
        let mut cells: HashMap<CellKey, CellSum> = HashMap::new();
        for (lat, lng, category, status) in rows {
            for level in CELL_LEVELS {
                let (cx, cy) = cell_of(level, LatLng { lat, lng });
                let e = cells.entry((level, cx, cy, category, status.clone())).or_default();
                e.0 += 1;
                e.1 += lat;
                e.2 += lng;
            }
        }
        let cells: Vec<_> = cells.into_iter().collect();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM report_cells").execute(&mut *tx).await?;
            for chunk in cells.chunks(1000) {
                let mut qb = QueryBuilder::new(
                    "INSERT INTO report_cells (level, cx, cy, category_id, status, n, sum_lat, sum_lng) ",
                );
                qb.push_values(chunk, |mut b, ((level, cx, cy, category, status), (n, sum_lat, sum_lng))| {
                    b.push_bind(i64::from(*level))
                        .push_bind(*cx)
                        .push_bind(*cy)
                        .push_bind(*category)
                        .push_bind(status.clone())
                        .push_bind(*n)
                        .push_bind(*sum_lat)
                        .push_bind(*sum_lng);
                });
                qb.build().execute(&mut *tx).await?;
            }
            tx.commit().await
        }
        .await)
        .map_err(store_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_nest_and_zoom_follows_the_box() {
        let at = LatLng { lat: 47.7617, lng: 27.9291 };
        let (x13, y13) = cell_of(13, at);
        let (x14, y14) = cell_of(14, at);
        assert_eq!((x14 / 2, y14 / 2), (x13, y13));
        let city = BBox::new(27.85, 47.70, 28.02, 47.82).expect("box");
        assert!((12..=14).contains(&zoom_for(&city)), "{}", zoom_for(&city));
    }
}
