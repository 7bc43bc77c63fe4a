//! Reports: what the map, the lists and the report pages read, and the city hall's work on them.

use super::audit::{write_audit, AuditRecord};
use super::mail::enqueue_mail;
use super::{now, store_err, with_pool, BeginWrite, Db};
use crate::auth::token;
use app::error::{FieldError, Problem};
use app::format::day_start_utc;
use app::model::report::{search_key, transition_allowed};
use app::model::{
    BBox, CommentInfo, LatLng, MapFeature, MapFeatures, Page, PhotoInfo, ReportDetail,
    ReportFilter, ReportQuery, ReportSort, ReportStatus, ReportSummary, TimelineEntry, Viewer,
};
use app::store::{
    MailTemplate, ModerationTarget, NewReport, ReportAccess, ReportStore, SavedPhoto, StatusChange,
    StoreError, StoreResult,
};
use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;
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

fn invalid(field: &str, problem: Problem) -> StoreError {
    StoreError::Invalid(FieldError::new(field, problem))
}

fn parse_status(s: &str) -> ReportStatus {
    ReportStatus::parse(s).unwrap_or_else(|| {
        tracing::warn!(status = s, "unknown report status in the database");
        ReportStatus::New
    })
}

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
struct ClusterRow {
    n: i64,
    sum_lat: f64,
    sum_lng: f64,
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

impl From<SummaryRow> for ReportSummary {
    fn from(r: SummaryRow) -> Self {
        ReportSummary {
            id: r.id,
            title: r.title,
            status: parse_status(&r.status),
            category: r.category,
            at: LatLng { lat: r.lat, lng: r.lng },
            address: r.address,
            created_at: r.created_at,
            supporters: r.supporters,
        }
    }
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    id: i64,
    locality_id: i64,
    title: String,
    description: String,
    category: String,
    category_id: i64,
    status: String,
    lat: f64,
    lng: f64,
    location_confirmed: bool,
    address: Option<String>,
    reporter_name: Option<String>,
    reporter_email: Option<String>,
    reporter_account: Option<String>,
    show_name: bool,
    department: Option<String>,
    duplicate_of: Option<i64>,
    supporters: i64,
    hidden: bool,
    created_at: DateTime<Utc>,
    first_response_at: Option<DateTime<Utc>>,
    resolved_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    from_status: Option<String>,
    to_status: Option<String>,
    body: String,
    actor_name: String,
    official: bool,
    created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct CommentRow {
    id: i64,
    author_name: String,
    body: String,
    hidden: bool,
    hidden_reason: Option<String>,
    created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct PhotoRow {
    id: i64,
    width: i64,
    height: i64,
    hidden: bool,
    hidden_reason: Option<String>,
}

/// The state of a report that a status change starts from.
#[derive(sqlx::FromRow)]
struct WorkflowRow {
    status: String,
    locality_id: i64,
    category_id: i64,
    lat: f64,
    lng: f64,
    location_confirmed: bool,
    hidden: bool,
    department_id: Option<i64>,
    duplicate_of: Option<i64>,
    resolved_at: Option<DateTime<Utc>>,
}

impl WorkflowRow {
    /// Whether the report is counted in `report_cells`.
    fn on_map(&self) -> bool {
        self.location_confirmed && !self.hidden
    }

    fn at(&self) -> LatLng {
        LatLng { lat: self.lat, lng: self.lng }
    }
}

/// Adds `$delta` (±1) reports at `$at` of `$category`/`$status` to every pre-counted level,
/// inside the caller's transaction.
macro_rules! adjust_cells {
    ($tx:expr, $at:expr, $category:expr, $status:expr, $delta:expr) => {{
        let at: LatLng = $at;
        let delta: i64 = $delta;
        let mut result = Ok(());
        for level in CELL_LEVELS {
            let (cx, cy) = cell_of(level, at);
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

/// Appends `open`, the values bound and comma-separated, then `close`; nothing when there are
/// no values (an empty filter narrows nothing).
macro_rules! push_in_list {
    ($qb:expr, $open:expr, $values:expr, $close:expr) => {{
        let mut values = $values.peekable();
        if values.peek().is_some() {
            $qb.push($open);
            let mut list = $qb.separated(", ");
            for value in values {
                list.push_bind(value);
            }
            list.push_unseparated($close);
        }
    }};
}

/// Appends the conditions shared by report queries (reports aliased `r`, categories `c`).
macro_rules! push_conditions {
    ($qb:expr, $bbox:expr, $filter:expr) => {{
        let qb = &mut $qb;
        qb.push(" WHERE r.hidden = FALSE");
        if let Some(b) = $bbox {
            let b: BBox = b;
            qb.push(" AND r.location_confirmed = TRUE");
            qb.push(" AND r.lat >= ").push_bind(b.min_lat);
            qb.push(" AND r.lat <= ").push_bind(b.max_lat);
            qb.push(" AND r.lng >= ").push_bind(b.min_lng);
            qb.push(" AND r.lng <= ").push_bind(b.max_lng);
        }
        let filter: &ReportFilter = $filter;
        push_in_list!(qb, " AND c.slug IN (", filter.categories.iter().cloned(), ")");
        push_in_list!(qb, " AND r.status IN (", filter.statuses.iter().map(|s| s.as_str()), ")");
        if let Some(day) = filter.since {
            qb.push(" AND r.created_at >= ").push_bind(day_start_utc(day));
        }
        if let Some(day) = filter.until {
            let next = day.succ_opt().unwrap_or(day);
            qb.push(" AND r.created_at < ").push_bind(day_start_utc(next));
        }
        if let Some(text) = &filter.text {
            // LIKE wildcards in the query are matched literally.
            let needle =
                search_key(text).replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            qb.push(" AND r.search_text LIKE ")
                .push_bind(format!("%{needle}%"))
                .push(" ESCAPE '\\'");
        }
    }};
}

/// Appends `AND c.id IN (SELECT id FROM categories WHERE slug IN (…))` style narrowing for the
/// pre-counted cells (which know category ids and statuses only).
macro_rules! push_cell_conditions {
    ($qb:expr, $filter:expr) => {{
        let qb = &mut $qb;
        let filter: &ReportFilter = $filter;
        push_in_list!(
            qb,
            " AND category_id IN (SELECT id FROM categories WHERE slug IN (",
            filter.categories.iter().cloned(),
            "))"
        );
        push_in_list!(qb, " AND status IN (", filter.statuses.iter().map(|s| s.as_str()), ")");
    }};
}

const SUMMARY_SELECT: &str =
    "SELECT r.id, r.title, r.status, c.slug AS category, r.lat, r.lng, r.address, \
     r.created_at, r.supporters FROM reports r JOIN categories c ON c.id = r.category_id";

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

    /// Bulk-inserts generated reports `(lat, lng, category_id, status)` for `make bench`.
    pub async fn bench_insert_reports(&self, rows: &[(f64, f64, i64, &str)]) -> StoreResult<()> {
        let at = now();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let mut qb = QueryBuilder::new(
                "INSERT INTO reports (locality_id, category_id, title, description, lat, lng, status, \
                 created_at, updated_at, search_text) ",
            );
            qb.push_values(rows, |mut b, (lat, lng, category, status)| {
                b.push("(SELECT id FROM localities WHERE is_default)")
                    .push_bind(*category)
                    .push_bind("Generated report")
                    .push_bind("Generated for the benchmark.")
                    .push_bind(*lat)
                    .push_bind(*lng)
                    .push_bind(*status)
                    .push_bind(at)
                    .push_bind(at)
                    .push_bind("generated report");
            });
            qb.build().execute(&mut *tx).await?;
            tx.commit().await
        }
        .await)
        .map_err(store_err)
    }

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
impl ReportStore for Db {
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

    async fn list_reports(&self, q: &ReportQuery) -> StoreResult<Page<ReportSummary>> {
        let per_page = i64::from(q.per_page.clamp(1, 100));
        let offset = i64::from(q.page) * per_page;
        let waiting_before = q
            .staff
            .as_ref()
            .and_then(|s| s.waiting_days)
            .map(|d| now() - TimeDelta::days(i64::from(d)));
        macro_rules! push_list_conditions {
            ($qb:expr) => {{
                push_conditions!($qb, q.bbox, &q.filter);
                if let Some(id) = q.reporter_id {
                    $qb.push(" AND r.reporter_id = ").push_bind(id);
                }
                if let Some(staff) = &q.staff {
                    $qb.push(" AND r.locality_id = ").push_bind(staff.locality_id);
                    if let Some(d) = staff.department_id {
                        $qb.push(" AND (r.department_id = ").push_bind(d);
                        $qb.push(" OR (r.department_id IS NULL AND r.category_id IN \
                                  (SELECT category_id FROM department_categories WHERE department_id = ")
                            .push_bind(d)
                            .push(")))");
                    }
                    if let Some(before) = waiting_before {
                        $qb.push(" AND r.status IN ('new', 'accepted') AND r.created_at < ").push_bind(before);
                    }
                    if staff.needs_location {
                        $qb.push(" AND r.location_confirmed = FALSE");
                    }
                }
            }};
        }
        let order = match q.sort {
            ReportSort::Newest => " ORDER BY r.created_at DESC, r.id DESC",
            ReportSort::MostSupported => {
                " ORDER BY r.supporters DESC, r.created_at DESC, r.id DESC"
            }
            ReportSort::Oldest => " ORDER BY r.created_at ASC, r.id ASC",
        };
        let (rows, total): (Vec<SummaryRow>, i64) = with_pool!(self, |pool| async {
            let mut qb = QueryBuilder::new(SUMMARY_SELECT);
            push_list_conditions!(qb);
            qb.push(order);
            qb.push(" LIMIT ").push_bind(per_page).push(" OFFSET ").push_bind(offset);
            let rows = qb.build_query_as().fetch_all(pool).await?;
            let mut count = QueryBuilder::new(
                "SELECT COUNT(*) FROM reports r JOIN categories c ON c.id = r.category_id",
            );
            push_list_conditions!(count);
            let total: i64 = count.build_query_scalar().fetch_one(pool).await?;
            Ok::<_, sqlx::Error>((rows, total))
        }
        .await)
        .map_err(store_err)?;
        Ok(Page { items: rows.into_iter().map(ReportSummary::from).collect(), total })
    }

    async fn report(&self, id: i64, viewer: Option<i64>) -> StoreResult<ReportDetail> {
        let (row, events, comments, photos, supported, subscribed) = with_pool!(self, |pool| async {
            let row: Option<DetailRow> = sqlx::query_as(
                "SELECT r.id, r.locality_id, r.title, r.description, c.slug AS category, r.category_id, r.status, \
                 r.lat, r.lng, r.location_confirmed, r.address, r.reporter_name, r.reporter_email, \
                 u.email AS reporter_account, r.show_name, d.name AS department, r.duplicate_of, r.supporters, \
                 r.hidden, r.created_at, r.first_response_at, r.resolved_at \
                 FROM reports r JOIN categories c ON c.id = r.category_id \
                 LEFT JOIN departments d ON d.id = r.department_id \
                 LEFT JOIN users u ON u.id = r.reporter_id WHERE r.id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?;
            let Some(row) = row else { return Ok(None) };
            let events: Vec<EventRow> = sqlx::query_as(
                "SELECT from_status, to_status, body, actor_name, official, created_at FROM report_events \
                 WHERE report_id = $1 ORDER BY created_at, id",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            let comments: Vec<CommentRow> = sqlx::query_as(
                "SELECT id, author_name, body, hidden, hidden_reason, created_at FROM report_comments \
                 WHERE report_id = $1 ORDER BY created_at, id",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            let photos: Vec<PhotoRow> = sqlx::query_as(
                "SELECT id, width, height, hidden, hidden_reason FROM report_photos WHERE report_id = $1 ORDER BY position",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            let (supported, subscribed) = match viewer {
                Some(user) => {
                    let s: Option<i64> =
                        sqlx::query_scalar("SELECT id FROM report_supports WHERE report_id = $1 AND user_id = $2")
                            .bind(id)
                            .bind(user)
                            .fetch_optional(pool)
                            .await?;
                    let f: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM report_subscriptions WHERE report_id = $1 AND user_id = $2",
                    )
                    .bind(id)
                    .bind(user)
                    .fetch_optional(pool)
                    .await?;
                    (s.is_some(), f.is_some())
                }
                None => (false, false),
            };
            Ok::<_, sqlx::Error>(Some((row, events, comments, photos, supported, subscribed)))
        }
        .await)
        .map_err(store_err)?
        .ok_or(StoreError::NotFound)?;
        if row.hidden {
            return Err(StoreError::NotFound);
        }
        let contact =
            [row.reporter_account.clone(), row.reporter_email.clone(), row.reporter_name.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ");
        Ok(ReportDetail {
            id: row.id,
            locality_id: row.locality_id,
            title: row.title,
            description: row.description,
            category: row.category,
            category_id: row.category_id,
            status: parse_status(&row.status),
            at: LatLng { lat: row.lat, lng: row.lng },
            location_confirmed: row.location_confirmed,
            address: row.address,
            reporter: row.show_name.then_some(row.reporter_name).flatten(),
            department: row.department,
            duplicate_of: row.duplicate_of,
            supporters: row.supporters,
            created_at: row.created_at,
            first_response_at: row.first_response_at,
            resolved_at: row.resolved_at,
            photos: photos
                .into_iter()
                .map(|p| PhotoInfo {
                    id: p.id,
                    width: u32::try_from(p.width).unwrap_or(0),
                    height: u32::try_from(p.height).unwrap_or(0),
                    hidden_reason: p.hidden.then(|| p.hidden_reason.unwrap_or_default()),
                })
                .collect(),
            timeline: events
                .into_iter()
                .map(|e| TimelineEntry {
                    at: e.created_at,
                    from: e.from_status.as_deref().and_then(ReportStatus::parse),
                    to: e.to_status.as_deref().and_then(ReportStatus::parse),
                    body: e.body,
                    official: e.official,
                    actor: e.actor_name,
                })
                .collect(),
            comments: comments
                .into_iter()
                .map(|c| CommentInfo {
                    id: c.id,
                    author: c.author_name,
                    body: c.body,
                    at: c.created_at,
                    hidden_reason: c.hidden.then(|| c.hidden_reason.unwrap_or_default()),
                })
                .collect(),
            supported_by_viewer: supported,
            subscribed_by_viewer: subscribed,
            reporter_contact: (!contact.is_empty()).then_some(contact),
        })
    }

    async fn report_access(&self, id: i64) -> StoreResult<ReportAccess> {
        with_pool!(self, |pool| async {
            let (locality_id, category_id): (i64, i64) =
                sqlx::query_as("SELECT locality_id, category_id FROM reports WHERE id = $1")
                    .bind(id)
                    .fetch_optional(pool)
                    .await?
                    .ok_or(sqlx::Error::RowNotFound)?;
            let departments: Vec<i64> = sqlx::query_scalar(
                "SELECT department_id FROM department_categories WHERE category_id = $1",
            )
            .bind(category_id)
            .fetch_all(pool)
            .await?;
            Ok::<_, sqlx::Error>(ReportAccess { locality_id, departments })
        }
        .await)
        .map_err(store_err)
    }

    async fn nearby_open_reports(
        &self,
        at: LatLng,
        category_id: i64,
        radius_m: f64,
    ) -> StoreResult<Vec<ReportSummary>> {
        let bbox = BBox::around(at, radius_m);
        let rows: Vec<SummaryRow> = with_pool!(self, |pool| {
            let mut qb = QueryBuilder::new(SUMMARY_SELECT);
            push_conditions!(qb, Some(bbox), &ReportFilter::default());
            qb.push(" AND r.status IN ('new', 'accepted') AND r.category_id = ")
                .push_bind(category_id);
            qb.push(" LIMIT 50");
            qb.build_query_as().fetch_all(pool).await
        })
        .map_err(store_err)?;
        let mut near: Vec<(f64, ReportSummary)> = rows
            .into_iter()
            .map(ReportSummary::from)
            .map(|r| (r.at.distance_m(at), r))
            .filter(|(d, _)| *d <= radius_m)
            .collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0));
        Ok(near.into_iter().map(|(_, r)| r).take(10).collect())
    }

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
                 search_text) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'new', $9, $10, $11, $12, $13, $13, $14) \
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
                    "INSERT INTO report_subscriptions (report_id, user_id, token_hash, confirmed_at, created_at) \
                     VALUES ($1, $2, $3, $4, $4)",
                )
                .bind(id)
                .bind(user)
                .bind(token::digest(&subscription_token))
                .bind(at)
                .execute(&mut *tx)
                .await?;
            } else if let (Some(email), Some(mail)) = (&report.reporter_email, &subscribe) {
                sqlx::query(
                    "INSERT INTO report_subscriptions (report_id, email, token_hash, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(email)
                .bind(token::digest(&subscription_token))
                .bind(at)
                .execute(&mut *tx)
                .await?;
                let body = mail.body.replace("{token}", &subscription_token).replace("{report}", &id.to_string());
                enqueue_mail!(tx, email, &mail.subject, &body)?;
            }
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
                sqlx::query(
                    "INSERT INTO report_subscriptions (report_id, user_id, token_hash, confirmed_at, created_at) \
                     VALUES ($1, $2, $3, $4, $4) ON CONFLICT DO NOTHING",
                )
                .bind(report_id)
                .bind(user)
                .bind(token::digest(&raw))
                .bind(at)
                .execute(&mut *tx)
                .await?;
            } else if let Some(email) = email {
                let added = sqlx::query(
                    "INSERT INTO report_subscriptions (report_id, email, token_hash, created_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                )
                .bind(report_id)
                .bind(email)
                .bind(token::digest(&raw))
                .bind(at)
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
        with_pool!(self, |pool| async {
            let report: Option<i64> = sqlx::query_scalar(
                "UPDATE report_subscriptions SET confirmed_at = COALESCE(confirmed_at, $1) WHERE token_hash = $2 \
                 RETURNING report_id",
            )
            .bind(now())
            .bind(token::digest(raw))
            .fetch_optional(pool)
            .await?;
            Ok::<_, sqlx::Error>(report)
        }
        .await)
        .map_err(store_err)?
        .ok_or_else(|| invalid("token", Problem::Invalid))
    }

    async fn change_status(&self, actor: &Viewer, change: &StatusChange) -> StoreResult<()> {
        let at = now();
        let actor_name = actor.user.as_ref().map(|u| u.display_name.clone()).unwrap_or_default();
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let row: WorkflowRow = sqlx::query_as(
                "SELECT status, locality_id, category_id, lat, lng, location_confirmed, hidden, department_id, \
                 duplicate_of, resolved_at FROM reports WHERE id = $1",
            )
            .bind(change.report_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_err)?
            .ok_or(StoreError::NotFound)?;
            let from = parse_status(&row.status);
            let body = change.body.trim();
            let mut department = row.department_id;
            // A response that keeps the status keeps the link to the original, too.
            let mut duplicate_of = if change.to.is_none() { row.duplicate_of } else { None };
            match change.to {
                None if body.is_empty() => return Err(invalid("body", Problem::Required)),
                None => {}
                Some(to) => {
                    if !transition_allowed(from, to) {
                        return Err(invalid("status", Problem::InvalidTransition));
                    }
                    match to {
                        ReportStatus::Accepted => {
                            let Some(d) = change.department_id else {
                                return Err(invalid("department_id", Problem::Required));
                            };
                            let ok: Option<i64> = sqlx::query_scalar(
                                "SELECT id FROM departments WHERE id = $1 AND locality_id = $2 AND active = TRUE",
                            )
                            .bind(d)
                            .bind(row.locality_id)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(store_err)?;
                            if ok.is_none() {
                                return Err(invalid("department_id", Problem::Invalid));
                            }
                            department = Some(d);
                        }
                        ReportStatus::Rejected if body.is_empty() => return Err(invalid("body", Problem::Required)),
                        ReportStatus::Duplicate => {
                            let Some(original) = change.duplicate_of else {
                                return Err(invalid("duplicate_of", Problem::Required));
                            };
                            // The original must be another visible report of the same locality.
                            let ok: Option<i64> = sqlx::query_scalar(
                                "SELECT id FROM reports WHERE id = $1 AND id <> $2 AND hidden = FALSE \
                                 AND locality_id = $3",
                            )
                            .bind(original)
                            .bind(change.report_id)
                            .bind(row.locality_id)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(store_err)?;
                            if ok.is_none() {
                                return Err(invalid("duplicate_of", Problem::Invalid));
                            }
                            duplicate_of = Some(original);
                        }
                        _ => {}
                    }
                }
            }
            let to = change.to.unwrap_or(from);
            let resolved_at = match (change.to, from) {
                (Some(ReportStatus::Resolved), _) => Some(at),
                // Reopened: no longer resolved.
                (Some(ReportStatus::Accepted), _) => None,
                _ => row.resolved_at,
            };
            sqlx::query(
                "UPDATE reports SET status = $1, department_id = $2, duplicate_of = $3, updated_at = $4, \
                 first_response_at = COALESCE(first_response_at, $4), resolved_at = $5 WHERE id = $6",
            )
            .bind(to.as_str())
            .bind(department)
            .bind(duplicate_of)
            .bind(at)
            .bind(resolved_at)
            .bind(change.report_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
            sqlx::query(
                "INSERT INTO report_events (report_id, from_status, to_status, body, actor_id, actor_name, official, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7)",
            )
            .bind(change.report_id)
            .bind(change.to.map(|_| from.as_str()))
            .bind(change.to.map(ReportStatus::as_str))
            .bind(body)
            .bind(actor.user_id())
            .bind(&actor_name)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
            if to != from && row.on_map() {
                adjust_cells!(tx, row.at(), row.category_id, from.as_str(), -1).map_err(store_err)?;
                adjust_cells!(tx, row.at(), row.category_id, to.as_str(), 1).map_err(store_err)?;
            }
            let record = AuditRecord::by(actor, "change_status", "report", Some(change.report_id))
                .locality(Some(row.locality_id))
                .change(
                    Some(json!({ "status": from.as_str(), "department_id": row.department_id })),
                    Some(json!({ "status": to.as_str(), "department_id": department, "duplicate_of": duplicate_of })),
                )
                .reason((!body.is_empty()).then_some(body));
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)
        }
        .await
        })
    }

    async fn set_location(&self, actor: &Viewer, report_id: i64, at: LatLng) -> StoreResult<()> {
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let row: WorkflowRow = sqlx::query_as(
                "SELECT status, locality_id, category_id, lat, lng, location_confirmed, hidden, department_id, \
                 duplicate_of, resolved_at FROM reports WHERE id = $1",
            )
            .bind(report_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_err)?
            .ok_or(StoreError::NotFound)?;
            if row.on_map() {
                adjust_cells!(tx, row.at(), row.category_id, row.status.as_str(), -1).map_err(store_err)?;
            }
            sqlx::query("UPDATE reports SET lat = $1, lng = $2, location_confirmed = TRUE, updated_at = $3 WHERE id = $4")
                .bind(at.lat)
                .bind(at.lng)
                .bind(now())
                .bind(report_id)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
            if !row.hidden {
                adjust_cells!(tx, at, row.category_id, row.status.as_str(), 1).map_err(store_err)?;
            }
            let record = AuditRecord::by(actor, "set_location", "report", Some(report_id))
                .locality(Some(row.locality_id))
                .change(
                    Some(json!({ "lat": row.lat, "lng": row.lng, "confirmed": row.location_confirmed })),
                    Some(json!({ "lat": at.lat, "lng": at.lng, "confirmed": true })),
                );
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)
        }
        .await
        })
    }

    async fn moderate(
        &self,
        actor: &Viewer,
        target: ModerationTarget,
        hide: bool,
        reason: &str,
    ) -> StoreResult<i64> {
        let (table, kind, id) = match target {
            ModerationTarget::Comment(id) => ("report_comments", "comment", id),
            ModerationTarget::Photo(id) => ("report_photos", "photo", id),
            ModerationTarget::Report(id) => ("reports", "report", id),
        };
        let report_sql = match target {
            ModerationTarget::Report(_) => {
                "SELECT id, hidden FROM reports WHERE id = $1".to_owned()
            }
            _ => format!("SELECT report_id, hidden FROM {table} WHERE id = $1"),
        };
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let (report_id, was_hidden): (i64, bool) = sqlx::query_as(&report_sql)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(store_err)?
                .ok_or(StoreError::NotFound)?;
            let row: WorkflowRow = sqlx::query_as(
                "SELECT status, locality_id, category_id, lat, lng, location_confirmed, hidden, department_id, \
                 duplicate_of, resolved_at FROM reports WHERE id = $1",
            )
            .bind(report_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(store_err)?;
            sqlx::query(&format!("UPDATE {table} SET hidden = $1, hidden_reason = $2 WHERE id = $3"))
                .bind(hide)
                .bind(hide.then_some(reason))
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
            if matches!(target, ModerationTarget::Report(_)) && was_hidden != hide && row.location_confirmed {
                let delta = if hide { -1 } else { 1 };
                adjust_cells!(tx, row.at(), row.category_id, row.status.as_str(), delta).map_err(store_err)?;
            }
            let action = if hide { "hide" } else { "unhide" };
            let record = AuditRecord::by(actor, action, kind, Some(id))
                .locality(Some(row.locality_id))
                .change(Some(json!({ "hidden": was_hidden })), Some(json!({ "hidden": hide })))
                .reason(Some(reason));
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)?;
            Ok(report_id)
        }
        .await
        })
    }

    async fn photo_file(&self, photo_id: i64) -> StoreResult<(String, bool)> {
        with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT p.file_stem, (p.hidden OR r.hidden) FROM report_photos p JOIN reports r ON r.id = p.report_id \
                 WHERE p.id = $1",
            )
            .bind(photo_id)
            .fetch_one(pool)
            .await
        })
        .map_err(store_err)
    }

    async fn moderation_locality(&self, target: ModerationTarget) -> StoreResult<i64> {
        let sql = match target {
            ModerationTarget::Comment(_) => {
                "SELECT r.locality_id FROM report_comments x JOIN reports r ON r.id = x.report_id WHERE x.id = $1"
            }
            ModerationTarget::Photo(_) => {
                "SELECT r.locality_id FROM report_photos x JOIN reports r ON r.id = x.report_id WHERE x.id = $1"
            }
            ModerationTarget::Report(_) => "SELECT locality_id FROM reports WHERE id = $1",
        };
        let id = match target {
            ModerationTarget::Comment(id)
            | ModerationTarget::Photo(id)
            | ModerationTarget::Report(id) => id,
        };
        with_pool!(self, |pool| sqlx::query_scalar(sql).bind(id).fetch_one(pool).await)
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
