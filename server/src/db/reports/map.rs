//! What the map shows: pins where there are few, clusters where there are many.

use super::cells::{cell_of, cell_size, zoom_for, CELL_LEVELS, PIN_LIMIT};
use super::parse_status;
use super::query::{push_cell_conditions, push_conditions};
use super::rows::{ClusterRow, PinRow};
use crate::db::{store_err, with_pool, Db};
use app::model::{BBox, LatLng, MapFeature, MapFeatures, ReportFilter};
use app::store::{ReportMap, StoreResult};
use async_trait::async_trait;
use sqlx::QueryBuilder;

impl Db {
    /// SQL that rounds a non-negative number down to an integer, in this backend's dialect.
    fn floor_sql(&self, expr: &str) -> String {
        match self {
            Db::Sqlite(_) => format!("CAST({expr} AS INTEGER)"),
            Db::Postgres(_) => format!("CAST(FLOOR({expr}) AS BIGINT)"),
        }
    }

    async fn pins(&self, bbox: BBox, filter: &ReportFilter) -> StoreResult<Vec<MapFeature>> {
        let rows: Vec<PinRow> = with_pool!(self, |pool| {
            let mut qb = QueryBuilder::new(
                "SELECT r.id, r.lat, r.lng, r.status, c.slug AS category, r.title \
                 FROM reports r JOIN categories c ON c.id = r.category_id",
            );
            push_conditions!(qb, Some(bbox), filter);
            qb.push(" ORDER BY r.id DESC LIMIT ").push_bind(PIN_LIMIT);
            qb.build_query_as().fetch_all(pool).await
        })
        .map_err(store_err)?;
        Ok(rows
            .into_iter()
            .map(|r| MapFeature::Pin {
                id: r.id,
                at: LatLng { lat: r.lat, lng: r.lng },
                status: parse_status(&r.status),
                category: r.category,
                title: r.title,
            })
            .collect())
    }

    /// How many reports the pre-counted cells hold in `bbox` at `level`, and their clusters.
    async fn cell_clusters(
        &self,
        bbox: BBox,
        level: u8,
        filter: &ReportFilter,
    ) -> StoreResult<Vec<ClusterRow>> {
        let (x0, y0) = cell_of(level, LatLng { lat: bbox.min_lat, lng: bbox.min_lng });
        let (x1, y1) = cell_of(level, LatLng { lat: bbox.max_lat, lng: bbox.max_lng });
        with_pool!(self, |pool| {
            let mut qb = QueryBuilder::new(
                "SELECT CAST(SUM(n) AS BIGINT) AS n, SUM(sum_lat) AS sum_lat, SUM(sum_lng) AS sum_lng \
                 FROM report_cells WHERE level = ",
            );
            qb.push_bind(i64::from(level));
            qb.push(" AND cx >= ").push_bind(x0).push(" AND cx <= ").push_bind(x1);
            qb.push(" AND cy >= ").push_bind(y0).push(" AND cy <= ").push_bind(y1);
            push_cell_conditions!(qb, filter);
            qb.push(" GROUP BY cx, cy HAVING SUM(n) > 0");
            qb.build_query_as().fetch_all(pool).await
        })
        .map_err(store_err)
    }

    /// Clusters computed from the reports themselves, for close zooms and for filters that the
    /// cells cannot answer (dates, text).
    async fn live_clusters(
        &self,
        bbox: BBox,
        zoom: u8,
        filter: &ReportFilter,
    ) -> StoreResult<Vec<ClusterRow>> {
        let size = cell_size(zoom);
        let cx = self.floor_sql(&format!("(r.lng - {:.9}) / {size:.12}", bbox.min_lng));
        let cy = self.floor_sql(&format!("(r.lat - {:.9}) / {size:.12}", bbox.min_lat));
        let head = "SELECT COUNT(*) AS n, SUM(r.lat) AS sum_lat, SUM(r.lng) AS sum_lng \
             FROM reports r JOIN categories c ON c.id = r.category_id";
        with_pool!(self, |pool| {
            let mut qb = QueryBuilder::new(head);
            push_conditions!(qb, Some(bbox), filter);
            qb.push(format!(" GROUP BY {cx}, {cy}"));
            qb.build_query_as().fetch_all(pool).await
        })
        .map_err(store_err)
    }

    async fn count_in(&self, bbox: BBox, filter: &ReportFilter) -> StoreResult<i64> {
        with_pool!(self, |pool| {
            let mut qb = QueryBuilder::new(
                "SELECT COUNT(*) FROM reports r JOIN categories c ON c.id = r.category_id",
            );
            push_conditions!(qb, Some(bbox), filter);
            qb.build_query_scalar().fetch_one(pool).await
        })
        .map_err(store_err)
    }
}

fn clusters_to_features(rows: Vec<ClusterRow>) -> Vec<MapFeature> {
    rows.into_iter()
        .filter(|r| r.n > 0)
        .map(|r| MapFeature::Cluster {
            at: LatLng { lat: r.sum_lat / r.n as f64, lng: r.sum_lng / r.n as f64 },
            count: r.n,
        })
        .collect()
}

#[async_trait]
impl ReportMap for Db {
    async fn map_features(
        &self,
        bbox: BBox,
        zoom: Option<u8>,
        filter: &ReportFilter,
    ) -> StoreResult<MapFeatures> {
        let zoom = zoom.unwrap_or_else(|| zoom_for(&bbox));
        let cells_can_answer = filter.since.is_none()
            && filter.until.is_none()
            && filter.text.is_none()
            && zoom <= *CELL_LEVELS.end();
        if cells_can_answer {
            let level = zoom.clamp(*CELL_LEVELS.start(), *CELL_LEVELS.end());
            let clusters = self.cell_clusters(bbox, level, filter).await?;
            let total: i64 = clusters.iter().map(|c| c.n).sum();
            // The cells overlap the box's edges, so `total` may count a few reports just
            // outside; it only decides between pins and clusters.
            if total > PIN_LIMIT {
                return Ok(MapFeatures { features: clusters_to_features(clusters), total });
            }
            let features = self.pins(bbox, filter).await?;
            return Ok(MapFeatures { total: features.len() as i64, features });
        }
        let total = self.count_in(bbox, filter).await?;
        if total > PIN_LIMIT {
            let clusters = self.live_clusters(bbox, zoom.clamp(10, 20), filter).await?;
            return Ok(MapFeatures { features: clusters_to_features(clusters), total });
        }
        let features = self.pins(bbox, filter).await?;
        Ok(MapFeatures { total, features })
    }
}
