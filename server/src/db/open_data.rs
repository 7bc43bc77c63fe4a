//! Open-data exports, read in pages in key order so that an export of any size holds one page
//! in memory at a time. Only what is public: hidden items are left out, a reporter's name only
//! when the reporter chose to show it, poll votes only when the poll shows them to everyone.

use super::{store_err, with_pool, Db};
use app::store::StoreResult;
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

/// How many public rows each dataset has, and when it last changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DatasetFacts {
    pub rows: i64,
    pub updated_at: Option<DateTime<Utc>>,
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

    /// Row counts and last changes of the public datasets of a locality, for the open-data
    /// page: reports, initiatives, polls (in that order).
    pub async fn dataset_facts(&self, locality_id: i64) -> StoreResult<[DatasetFacts; 3]> {
        type Facts = (i64, Option<DateTime<Utc>>);
        with_pool!(self, |pool| async {
            let reports: Facts = sqlx::query_as(
                "SELECT COUNT(*), MAX(updated_at) FROM reports WHERE locality_id = $1 AND hidden = FALSE",
            )
            .bind(locality_id)
            .fetch_one(pool)
            .await?;
            let initiatives: Facts = sqlx::query_as(
                "SELECT COUNT(*), MAX(created_at) FROM initiatives WHERE locality_id = $1 AND hidden = FALSE",
            )
            .bind(locality_id)
            .fetch_one(pool)
            .await?;
            let polls: Facts = sqlx::query_as(
                "SELECT COUNT(*), MAX(created_at) FROM polls WHERE locality_id = $1",
            )
            .bind(locality_id)
            .fetch_one(pool)
            .await?;
            Ok::<_, sqlx::Error>(
                [reports, initiatives, polls]
                    .map(|(rows, updated_at)| DatasetFacts { rows, updated_at }),
            )
        }
        .await)
        .map_err(store_err)
    }
}
