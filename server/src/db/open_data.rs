//! Open-data exports, read in pages in key order so that an export of any size holds one page
//! in memory at a time. Only what is public: hidden items are left out, a reporter's name only
//! when the reporter chose to show it, poll votes only when the poll shows them to everyone.

use super::audit::{write_audit, AuditRecord};
use super::{now, store_err, with_pool, BeginWrite, Db};
use crate::auth::token;
use app::model::open_data::{
    ApiKeyInfo, DatasetFacts, IssuedApiKey, OpenDataFacts, KEY_PREFIX_CHARS,
};
use app::model::Viewer;
use app::store::{OpenDataStore, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// One report as the open-data exports publish it.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ReportExportRow {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub status: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub lat: f64,
    pub lng: f64,
    pub location_confirmed: bool,
    pub address: Option<String>,
    /// The reporter's name when they chose to show it, else `None`.
    pub reporter: Option<String>,
    pub supporters: i64,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
}

/// One initiative as the export publishes it.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct InitiativeExportRow {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub closes_at: Option<DateTime<Utc>>,
    pub title: String,
    pub lang: String,
    pub category: Option<String>,
    pub author: String,
    pub votes: i64,
    /// How many badge levels it reached (levels are reached in order: 1 is `start`).
    pub levels: i64,
    pub answered_at: Option<DateTime<Utc>>,
}

/// One option of a poll, with the poll's figures, as the export publishes it.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct PollOptionExportRow {
    pub poll_id: i64,
    pub question_ro: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub max_choices: i64,
    pub participants: i64,
    pub option_id: i64,
    pub position: i64,
    pub label_ro: String,
    /// `None` while the poll keeps its results until people have voted.
    pub votes: Option<i64>,
}

impl Db {
    /// Up to `limit` public reports of a locality with an id above `after`, by id.
    pub async fn export_reports_page(
        &self,
        locality_id: i64,
        after: i64,
        limit: i64,
    ) -> StoreResult<Vec<ReportExportRow>> {
        with_pool!(self, |pool| sqlx::query_as(
            "SELECT r.id, r.created_at, r.updated_at, r.status, c.slug AS category, r.title, \
             r.description, r.lat, r.lng, r.location_confirmed, r.address, \
             CASE WHEN r.show_name THEN r.reporter_name END AS reporter, r.supporters, \
             r.first_response_at, r.resolved_at \
             FROM reports r JOIN categories c ON c.id = r.category_id \
             WHERE r.locality_id = $1 AND r.hidden = FALSE AND r.id > $2 ORDER BY r.id LIMIT $3"
        )
        .bind(locality_id)
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await)
        .map_err(store_err)
    }

    /// Up to `limit` public initiatives of a locality with an id above `after`, by id.
    pub async fn export_initiatives_page(
        &self,
        locality_id: i64,
        after: i64,
        limit: i64,
    ) -> StoreResult<Vec<InitiativeExportRow>> {
        with_pool!(self, |pool| sqlx::query_as(
            "SELECT i.id, i.created_at, i.closes_at, i.title, i.lang, c.slug AS category, \
             i.author_name AS author, \
             (SELECT COUNT(*) FROM ballots b WHERE b.subject_kind = 'initiative' AND b.subject_id = i.id) AS votes, \
             (SELECT COUNT(*) FROM initiative_levels l WHERE l.initiative_id = i.id) AS levels, \
             i.answered_at \
             FROM initiatives i LEFT JOIN categories c ON c.id = i.category_id \
             WHERE i.locality_id = $1 AND i.hidden = FALSE AND i.id > $2 ORDER BY i.id LIMIT $3"
        )
        .bind(locality_id)
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await)
        .map_err(store_err)
    }

    /// Up to `limit` poll options of a locality after the option `after` (by poll, then
    /// position, keyed by option id within the poll's order); votes only where everyone may
    /// see them (`results_before_vote`, or the poll has closed by `now`).
    pub async fn export_poll_options_page(
        &self,
        locality_id: i64,
        after: (i64, i64),
        limit: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<PollOptionExportRow>> {
        with_pool!(self, |pool| sqlx::query_as(
            "SELECT p.id AS poll_id, p.question_ro, p.opens_at, p.closes_at, \
             CAST(p.max_choices AS BIGINT) AS max_choices, \
             (SELECT COUNT(*) FROM ballots b WHERE b.subject_kind = 'poll' AND b.subject_id = p.id) AS participants, \
             o.id AS option_id, CAST(o.position AS BIGINT) AS position, o.label_ro, \
             CASE WHEN p.results_before_vote OR p.closes_at <= $4 \
                  THEN (SELECT COUNT(*) FROM ballot_choices bc WHERE bc.option_id = o.id) END AS votes \
             FROM polls p JOIN poll_options o ON o.poll_id = p.id \
             WHERE p.locality_id = $1 AND (p.id > $2 OR (p.id = $2 AND o.position > $3)) \
             ORDER BY p.id, o.position LIMIT $5"
        )
        .bind(locality_id)
        .bind(after.0)
        .bind(after.1)
        .bind(now)
        .bind(limit)
        .fetch_all(pool)
        .await)
        .map_err(store_err)
    }
}

#[derive(sqlx::FromRow)]
struct ApiKeyRow {
    id: i64,
    name: String,
    prefix: String,
    created_at: DateTime<Utc>,
    created_by: Option<String>,
    last_used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

#[async_trait]
impl OpenDataStore for Db {
    async fn open_data_facts(&self, locality_id: i64) -> StoreResult<OpenDataFacts> {
        type Facts = (i64, Option<DateTime<Utc>>);
        let [reports, initiatives, polls, events, services]: [Facts; 5] = with_pool!(self, |pool| async {
            let reports = sqlx::query_as(
                "SELECT COUNT(*), MAX(updated_at) FROM reports WHERE locality_id = $1 AND hidden = FALSE",
            )
            .bind(locality_id)
            .fetch_one(pool)
            .await?;
            let initiatives = sqlx::query_as(
                "SELECT COUNT(*), MAX(created_at) FROM initiatives WHERE locality_id = $1 AND hidden = FALSE",
            )
            .bind(locality_id)
            .fetch_one(pool)
            .await?;
            let polls =
                sqlx::query_as("SELECT COUNT(*), MAX(created_at) FROM polls WHERE locality_id = $1")
                    .bind(locality_id)
                    .fetch_one(pool)
                    .await?;
            let events = sqlx::query_as(
                "SELECT COUNT(*), MAX(COALESCE(reviewed_at, created_at)) FROM events \
                 WHERE locality_id = $1 AND status = 'published'",
            )
            .bind(locality_id)
            .fetch_one(pool)
            .await?;
            let services =
                sqlx::query_as("SELECT COUNT(*), MAX(updated_at) FROM services WHERE locality_id = $1")
                    .bind(locality_id)
                    .fetch_one(pool)
                    .await?;
            Ok::<_, sqlx::Error>([reports, initiatives, polls, events, services])
        }
        .await)
        .map_err(store_err)?;
        let facts = |(rows, updated_at): Facts| DatasetFacts { rows, updated_at };
        Ok(OpenDataFacts {
            reports: facts(reports),
            initiatives: facts(initiatives),
            polls: facts(polls),
            events: facts(events),
            services: facts(services),
        })
    }

    async fn api_keys(&self, locality_id: i64) -> StoreResult<Vec<ApiKeyInfo>> {
        let rows: Vec<ApiKeyRow> = with_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT k.id, k.name, k.prefix, k.created_at, u.email AS created_by, k.last_used_at, \
             k.revoked_at FROM api_keys k LEFT JOIN users u ON u.id = k.created_by \
             WHERE k.locality_id = $1 ORDER BY k.created_at DESC, k.id DESC"
        )
        .bind(locality_id)
        .fetch_all(pool)
        .await
        })
        .map_err(store_err)?;
        Ok(rows
            .into_iter()
            .map(|r| ApiKeyInfo {
                id: r.id,
                name: r.name,
                prefix: r.prefix,
                created_at: r.created_at,
                created_by: r.created_by.unwrap_or_default(),
                last_used_at: r.last_used_at,
                revoked_at: r.revoked_at,
            })
            .collect())
    }

    async fn create_api_key(
        &self,
        actor: &Viewer,
        locality_id: i64,
        name: &str,
    ) -> StoreResult<IssuedApiKey> {
        let key = token::new_token();
        let prefix: String = key.chars().take(KEY_PREFIX_CHARS).collect();
        let id = with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO api_keys (locality_id, name, key_digest, prefix, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(locality_id)
            .bind(name)
            .bind(token::digest(&key))
            .bind(&prefix)
            .bind(actor.user_id())
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
            let record = AuditRecord::by(actor, "api_key.issue", "api_key", Some(id))
                .locality(Some(locality_id))
                .change(None, Some(serde_json::json!({ "name": name, "prefix": prefix })));
            write_audit!(tx, &record)?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(id)
        }
        .await)
        .map_err(store_err)?;
        Ok(IssuedApiKey { id, name: name.to_owned(), key })
    }

    async fn revoke_api_key(&self, actor: &Viewer, locality_id: i64, id: i64) -> StoreResult<()> {
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let changed = sqlx::query(
                "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND locality_id = $3 \
                 AND revoked_at IS NULL",
            )
            .bind(now())
            .bind(id)
            .bind(locality_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(sqlx::Error::RowNotFound);
            }
            let record = AuditRecord::by(actor, "api_key.revoke", "api_key", Some(id))
                .locality(Some(locality_id));
            write_audit!(tx, &record)?;
            tx.commit().await
        }
        .await)
        .map_err(store_err)
    }
}
