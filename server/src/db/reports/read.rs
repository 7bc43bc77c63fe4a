//! Reading reports: the lists, one report with its timeline, who may act on it, nearby ones.

use super::parse_status;
use super::query::{push_conditions, SUMMARY_SELECT};
use super::rows::{CommentRow, DetailRow, EventRow, PhotoRow, SummaryRow};
use crate::db::{now, store_err, with_pool, Db};
use app::model::{
    BBox, CommentInfo, LatLng, Page, PhotoInfo, ReportDetail, ReportFilter, ReportQuery,
    ReportSort, ReportStatus, ReportSummary, TimelineEntry,
};
use app::store::{ReportAccess, ReportReads, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::TimeDelta;
use sqlx::QueryBuilder;

#[async_trait]
impl ReportReads for Db {
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
                 r.hidden, r.created_at, r.first_response_at, r.resolved_at, \
                 a.display_name AS assisted_by, r.visitor_contact \
                 FROM reports r JOIN categories c ON c.id = r.category_id \
                 LEFT JOIN departments d ON d.id = r.department_id \
                 LEFT JOIN users u ON u.id = r.reporter_id \
                 LEFT JOIN users a ON a.id = r.assisted_by WHERE r.id = $1",
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
        let contact = [
            row.reporter_account.clone(),
            row.reporter_email.clone(),
            row.reporter_name.clone(),
            row.visitor_contact.clone(),
        ]
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
            assisted_by: row.assisted_by,
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
}
