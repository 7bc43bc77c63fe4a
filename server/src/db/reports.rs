//! Reports: what the map, the lists and the report pages read.

use super::{store_err, with_pool, Db};
use app::model::{
    BBox, LatLng, MapFeature, MapFeatures, Page, ReportFilter, ReportStatus, ReportSummary,
};
use app::store::{ReportStore, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;

/// The most pins one screen receives; beyond it the map shows clusters.
pub const PIN_LIMIT: i64 = 500;

#[derive(sqlx::FromRow)]
struct PinRow {
    id: i64,
    lat: f64,
    lng: f64,
    status: String,
    category: String,
    title: String,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    title: String,
    status: String,
    category: String,
    lat: f64,
    lng: f64,
    address: Option<String>,
    created_at: DateTime<Utc>,
    supporters: i64,
}

fn parse_status(s: &str) -> ReportStatus {
    ReportStatus::parse(s).unwrap_or_else(|| {
        tracing::warn!(status = s, "unknown report status in the database");
        ReportStatus::New
    })
}

/// Appends the `WHERE` conditions shared by every report query; the query must alias reports as
/// `r` and categories as `c`.
macro_rules! push_report_conditions {
    ($qb:expr, $bbox:expr, $filter:expr) => {{
        let qb = &mut $qb;
        qb.push(" WHERE r.hidden = FALSE");
        if let Some(b) = $bbox {
            let b: BBox = b;
            qb.push(" AND r.lat >= ").push_bind(b.min_lat);
            qb.push(" AND r.lat <= ").push_bind(b.max_lat);
            qb.push(" AND r.lng >= ").push_bind(b.min_lng);
            qb.push(" AND r.lng <= ").push_bind(b.max_lng);
        }
        let filter: &ReportFilter = $filter;
        if !filter.categories.is_empty() {
            qb.push(" AND c.slug IN (");
            let mut list = qb.separated(", ");
            for slug in &filter.categories {
                list.push_bind(slug.clone());
            }
            list.push_unseparated(")");
        }
        if !filter.statuses.is_empty() {
            qb.push(" AND r.status IN (");
            let mut list = qb.separated(", ");
            for status in &filter.statuses {
                list.push_bind(status.as_str());
            }
            list.push_unseparated(")");
        }
    }};
}

#[async_trait]
impl ReportStore for Db {
    async fn map_features(
        &self,
        bbox: BBox,
        _zoom: Option<u8>,
        filter: &ReportFilter,
    ) -> StoreResult<MapFeatures> {
        let rows: Vec<PinRow> = with_pool!(self, |pool| {
            let mut qb = QueryBuilder::new(
                "SELECT r.id, r.lat, r.lng, r.status, c.slug AS category, r.title \
                 FROM reports r JOIN categories c ON c.id = r.category_id",
            );
            push_report_conditions!(qb, Some(bbox), filter);
            qb.push(" ORDER BY r.id DESC LIMIT ").push_bind(PIN_LIMIT);
            qb.build_query_as().fetch_all(pool).await
        })
        .map_err(store_err)?;
        let total = rows.len() as i64;
        let features = rows
            .into_iter()
            .map(|r| MapFeature::Pin {
                id: r.id,
                at: LatLng { lat: r.lat, lng: r.lng },
                status: parse_status(&r.status),
                category: r.category,
                title: r.title,
            })
            .collect();
        Ok(MapFeatures { features, total })
    }

    async fn list_reports(
        &self,
        bbox: Option<BBox>,
        filter: &ReportFilter,
        limit: u32,
    ) -> StoreResult<Page<ReportSummary>> {
        let (rows, total): (Vec<SummaryRow>, i64) = with_pool!(self, |pool| async {
            let mut qb = QueryBuilder::new(
                "SELECT r.id, r.title, r.status, c.slug AS category, r.lat, r.lng, r.address, r.created_at, \
                 r.supporters FROM reports r JOIN categories c ON c.id = r.category_id",
            );
            push_report_conditions!(qb, bbox, filter);
            qb.push(" ORDER BY r.created_at DESC, r.id DESC LIMIT ").push_bind(i64::from(limit));
            let rows = qb.build_query_as().fetch_all(pool).await?;

            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM reports r JOIN categories c ON c.id = r.category_id");
            push_report_conditions!(count, bbox, filter);
            let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
            Ok::<_, sqlx::Error>((rows, total))
        }
        .await)
        .map_err(store_err)?;
        let items = rows
            .into_iter()
            .map(|r| ReportSummary {
                id: r.id,
                title: r.title,
                status: parse_status(&r.status),
                category: r.category,
                at: LatLng { lat: r.lat, lng: r.lng },
                address: r.address,
                created_at: r.created_at,
                supporters: r.supporters,
            })
            .collect();
        Ok(Page { items, total })
    }
}
