//! Open311 GeoReport v2: API keys as clients present them, the requests (reports) a client
//! lists, their updates, and the record of which key sent which report.

use super::audit::{write_audit, AuditRecord};
use super::{now, store_err, with_pool, BeginWrite, Db};
use crate::auth::token;
use app::store::StoreResult;
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;

/// A key that is valid (not revoked), as a request presented it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ApiKeyAuth {
    pub id: i64,
    pub locality_id: i64,
    pub name: String,
}

impl ApiKeyAuth {
    /// An audit line for a request made with this key.
    fn audit<'a>(
        &self,
        label: &'a str,
        action: &'a str,
        target_kind: &'a str,
        target_id: Option<i64>,
    ) -> AuditRecord<'a> {
        AuditRecord {
            locality_id: Some(self.locality_id),
            actor_id: None,
            actor_label: label,
            action,
            target_kind,
            target_id,
            before: None,
            after: None,
            reason: None,
        }
    }

    /// How the audit log names the key's requests: `api_key:<id> <name>`.
    pub fn label(&self) -> String {
        format!("api_key:{} {}", self.id, self.name)
    }
}

/// What `GET requests` asks for.
#[derive(Clone, Debug, Default)]
pub struct RequestFilter {
    pub ids: Vec<i64>,
    pub codes: Vec<String>,
    pub statuses: Vec<&'static str>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub limit: i64,
}

/// A public report as Open311 lists it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub status: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub address: Option<String>,
    pub lat: f64,
    pub lng: f64,
    pub location_confirmed: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub department: Option<String>,
    /// The latest official answer.
    pub status_notes: Option<String>,
    pub photo_id: Option<i64>,
    pub media_url: Option<String>,
}

/// A status change or official answer, for mySociety's `servicerequestupdates`.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UpdateRow {
    pub id: i64,
    pub report_id: i64,
    pub to_status: Option<String>,
    pub current_status: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// What a client sent beside the report itself, kept with the report (never published).
pub struct Open311Extras<'a> {
    pub phone: Option<&'a str>,
    pub media_url: Option<&'a str>,
}

impl Db {
    /// The valid key whose value is `key`, if any.
    pub async fn api_key(&self, key: &str) -> StoreResult<Option<ApiKeyAuth>> {
        with_pool!(self, |pool| sqlx::query_as(
            "SELECT id, locality_id, name FROM api_keys WHERE key_digest = $1 AND revoked_at IS NULL"
        )
        .bind(token::digest(key))
        .fetch_optional(pool)
        .await)
        .map_err(store_err)
    }

    /// Records a read made with `key` in the audit log and as the key's last use.
    pub async fn audit_api_key_use(&self, key: &ApiKeyAuth, action: &str) -> StoreResult<()> {
        let label = key.label();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
                .bind(now())
                .bind(key.id)
                .execute(&mut *tx)
                .await?;
            write_audit!(tx, &key.audit(&label, action, "open311", None))?;
            tx.commit().await
        }
        .await)
        .map_err(store_err)
    }

    /// Records that `key` sent report `report_id`: the token the client may poll, what it sent
    /// beside the report, the audit line and the key's last use, in one transaction. Returns
    /// the token.
    pub async fn record_open311_request(
        &self,
        key: &ApiKeyAuth,
        report_id: i64,
        extras: &Open311Extras<'_>,
    ) -> StoreResult<String> {
        let label = key.label();
        let request_token = token::new_token();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let at = now();
            sqlx::query(
                "INSERT INTO open311_requests (report_id, api_key_id, token, phone, media_url, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(report_id)
            .bind(key.id)
            .bind(&request_token)
            .bind(extras.phone)
            .bind(extras.media_url)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
                .bind(at)
                .bind(key.id)
                .execute(&mut *tx)
                .await?;
            write_audit!(tx, &key.audit(&label, "open311.create_request", "report", Some(report_id)))?;
            tx.commit().await
        }
        .await)
        .map_err(store_err)?;
        Ok(request_token)
    }

    /// The report a token names, in `locality_id`.
    pub async fn open311_token(&self, locality_id: i64, token: &str) -> StoreResult<Option<i64>> {
        with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT o.report_id FROM open311_requests o JOIN reports r ON r.id = o.report_id \
             WHERE o.token = $1 AND r.locality_id = $2"
        )
        .bind(token)
        .bind(locality_id)
        .fetch_optional(pool)
        .await)
        .map_err(store_err)
    }

    /// Public reports of a locality matching `filter`, the newest first.
    pub async fn open311_requests(
        &self,
        locality_id: i64,
        filter: &RequestFilter,
    ) -> StoreResult<Vec<RequestRow>> {
        with_pool!(self, |pool| {
            let mut qb = QueryBuilder::new(
                "SELECT r.id, r.status, c.slug AS category, r.title, r.description, r.address, r.lat, r.lng, \
                 r.location_confirmed, r.created_at, r.updated_at, d.name AS department, \
                 (SELECT e.body FROM report_events e WHERE e.report_id = r.id AND e.official = TRUE \
                  AND e.body <> '' ORDER BY e.created_at DESC, e.id DESC LIMIT 1) AS status_notes, \
                 (SELECT MIN(p.id) FROM report_photos p WHERE p.report_id = r.id AND p.hidden = FALSE) AS photo_id, \
                 o.media_url \
                 FROM reports r JOIN categories c ON c.id = r.category_id \
                 LEFT JOIN departments d ON d.id = r.department_id \
                 LEFT JOIN open311_requests o ON o.report_id = r.id \
                 WHERE r.hidden = FALSE AND r.locality_id = ",
            );
            qb.push_bind(locality_id);
            crate::db::reports::query::push_in_list!(qb, " AND r.id IN (", filter.ids.iter().copied(), ")");
            crate::db::reports::query::push_in_list!(qb, " AND c.slug IN (", filter.codes.iter().cloned(), ")");
            crate::db::reports::query::push_in_list!(qb, " AND r.status IN (", filter.statuses.iter().copied(), ")");
            if let Some(start) = filter.start {
                qb.push(" AND r.created_at >= ").push_bind(start);
            }
            if let Some(end) = filter.end {
                qb.push(" AND r.created_at <= ").push_bind(end);
            }
            qb.push(" ORDER BY r.created_at DESC, r.id DESC LIMIT ").push_bind(filter.limit);
            qb.build_query_as().fetch_all(pool).await
        })
        .map_err(store_err)
    }

    /// Status changes and official answers on a locality's public reports between `start` and
    /// `end`, oldest first.
    pub async fn open311_updates(
        &self,
        locality_id: i64,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<UpdateRow>> {
        with_pool!(self, |pool| sqlx::query_as(
            "SELECT e.id, e.report_id, e.to_status, r.status AS current_status, e.body, e.created_at \
             FROM report_events e JOIN reports r ON r.id = e.report_id \
             WHERE r.locality_id = $1 AND r.hidden = FALSE AND (e.official = TRUE OR e.to_status IS NOT NULL) \
             AND e.created_at >= $2 AND e.created_at <= $3 ORDER BY e.created_at, e.id LIMIT $4"
        )
        .bind(locality_id)
        .bind(start)
        .bind(end)
        .bind(limit)
        .fetch_all(pool)
        .await)
        .map_err(store_err)
    }
}
