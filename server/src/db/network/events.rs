//! The events calendar: proposing, reviewing and reading events.

use super::{OrganisationRow, ORGANISATION_COLUMNS};
use crate::db::audit::{write_audit, AuditRecord};
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::model::network::{
    Audience, Event, EventCategory, EventQuery, EventStatus, EventWindow, NewEvent,
};
use app::model::{LatLng, Localized, Viewer};
use app::store::{StoreError, StoreResult};
use chrono::{DateTime, Utc};
use serde_json::json;

const EVENT_COLUMNS: &str = "e.id AS event_id, e.locality_id AS event_locality_id, e.title_ro, \
     e.title_ru, e.title_uk, e.title_en, e.description_ro, e.description_ru, e.description_uk, \
     e.description_en, e.starts_at, e.ends_at, e.place, e.lat, e.lng, e.online_url, e.language, \
     e.audience, e.category, e.status, e.review_note, e.created_at, \
     COALESCE(e.reviewed_at, e.created_at) AS updated_at";

#[derive(Debug, sqlx::FromRow)]
struct EventRow {
    event_id: i64,
    event_locality_id: i64,
    title_ro: String,
    title_ru: String,
    title_uk: String,
    title_en: String,
    description_ro: String,
    description_ru: String,
    description_uk: String,
    description_en: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    place: String,
    lat: Option<f64>,
    lng: Option<f64>,
    online_url: String,
    language: String,
    audience: String,
    category: String,
    status: String,
    review_note: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    #[sqlx(flatten)]
    organisation: OrganisationRow,
}

impl EventRow {
    /// `None` for a row the CHECK constraints would not let in.
    fn into_event(self) -> Option<Event> {
        Some(Event {
            id: self.event_id,
            locality_id: self.event_locality_id,
            organisation: self.organisation.into(),
            title: Localized {
                ro: self.title_ro,
                ru: self.title_ru,
                uk: self.title_uk,
                en: self.title_en,
            },
            description: Localized {
                ro: self.description_ro,
                ru: self.description_ru,
                uk: self.description_uk,
                en: self.description_en,
            },
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            place: self.place,
            at: self.lat.zip(self.lng).map(|(lat, lng)| LatLng { lat, lng }),
            online_url: self.online_url,
            language: self.language,
            audience: Audience::parse(&self.audience)?,
            category: EventCategory::parse(&self.category)?,
            status: EventStatus::parse(&self.status)?,
            review_note: self.review_note,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

fn select(condition: &str, order: &str) -> String {
    format!(
        "SELECT {EVENT_COLUMNS}, {ORGANISATION_COLUMNS} FROM events e \
         JOIN organisations o ON o.id = e.organisation_id WHERE {condition} ORDER BY {order}"
    )
}

fn events_of(rows: Vec<EventRow>) -> Vec<Event> {
    rows.into_iter().filter_map(EventRow::into_event).collect()
}

pub(super) async fn create(
    db: &Db,
    actor: &Viewer,
    e: &NewEvent,
    publish: bool,
) -> StoreResult<i64> {
    let at = now();
    let status = if publish { EventStatus::Published } else { EventStatus::Proposed };
    with_pool!(db, |pool| async {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO events (locality_id, organisation_id, title_ro, title_ru, title_uk, title_en, \
             description_ro, description_ru, description_uk, description_en, starts_at, ends_at, place, \
             lat, lng, online_url, language, audience, category, status, author_id, reviewed_by, \
             reviewed_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
             $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24) RETURNING id",
        )
        .bind(e.locality_id)
        .bind(e.organisation_id)
        .bind(&e.title.ro)
        .bind(&e.title.ru)
        .bind(&e.title.uk)
        .bind(&e.title.en)
        .bind(&e.description.ro)
        .bind(&e.description.ru)
        .bind(&e.description.uk)
        .bind(&e.description.en)
        .bind(e.starts_at)
        .bind(e.ends_at)
        .bind(&e.place)
        .bind(e.at.map(|p| p.lat))
        .bind(e.at.map(|p| p.lng))
        .bind(&e.online_url)
        .bind(&e.language)
        .bind(e.audience.as_str())
        .bind(e.category.as_str())
        .bind(status.as_str())
        .bind(actor.user_id())
        .bind(publish.then(|| actor.user_id()).flatten())
        .bind(publish.then_some(at))
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        let record = AuditRecord::by(actor, "create_event", "event", Some(id))
            .locality(Some(e.locality_id))
            .change(
                None,
                Some(json!({
                    "title": e.title.ro,
                    "organisation_id": e.organisation_id,
                    "starts_at": e.starts_at,
                    "status": status.as_str(),
                })),
            );
        write_audit!(tx, &record)?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(id)
    }
    .await)
    .map_err(store_err)
}

pub(super) async fn review(
    db: &Db,
    actor: &Viewer,
    id: i64,
    publish: bool,
    note: &str,
) -> StoreResult<()> {
    let event = one(db, id).await?;
    let status = if publish { EventStatus::Published } else { EventStatus::Rejected };
    with_pool!(db, |pool| async {
        let mut tx = pool.begin_write().await.map_err(store_err)?;
        // Only a proposal waiting for review changes: two staff members deciding at once, or a
        // form sent twice, leave the first decision in place.
        let changed = sqlx::query(
            "UPDATE events SET status = $1, review_note = $2, reviewed_by = $3, reviewed_at = $4 \
             WHERE id = $5 AND status = 'proposed'",
        )
        .bind(status.as_str())
        .bind(note)
        .bind(actor.user_id())
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Conflict("reviewed"));
        }
        let action = if publish { "publish_event" } else { "reject_event" };
        let record = AuditRecord::by(actor, action, "event", Some(id))
            .locality(Some(event.locality_id))
            .change(
                Some(json!({ "status": event.status.as_str() })),
                Some(json!({ "status": status.as_str(), "note": note })),
            );
        write_audit!(tx, &record).map_err(store_err)?;
        tx.commit().await.map_err(store_err)
    }
    .await)
}

pub(super) async fn one(db: &Db, id: i64) -> StoreResult<Event> {
    let sql = select("e.id = $1", "e.id");
    let row: EventRow =
        with_pool!(db, |pool| { sqlx::query_as(&sql).bind(id).fetch_optional(pool).await })
            .map_err(store_err)?
            .ok_or(StoreError::NotFound)?;
    row.into_event().ok_or(StoreError::NotFound)
}

pub(super) async fn published(
    db: &Db,
    locality_id: i64,
    query: &EventQuery,
) -> StoreResult<Vec<Event>> {
    let current = now();
    // Every window binds both its bounds ($4, $5), as PostgreSQL wants each parameter used.
    let (window, order, from, until) = match query.window {
        EventWindow::Upcoming => {
            ("e.ends_at > $4 AND e.starts_at < $5", "e.starts_at, e.id", current, far_future())
        }
        EventWindow::Past => (
            "e.ends_at <= $4 AND e.starts_at < $5",
            "e.starts_at DESC, e.id DESC",
            current,
            current,
        ),
        EventWindow::Since(from) => {
            ("e.ends_at > $4 AND e.starts_at < $5", "e.starts_at, e.id", from, far_future())
        }
        EventWindow::Between(from, until) => {
            ("e.ends_at > $4 AND e.starts_at < $5", "e.starts_at, e.id", from, until)
        }
    };
    let sql = format!(
        "{} LIMIT {}",
        select(
            &format!(
                "e.locality_id = $1 AND e.status = 'published' \
                 AND (e.organisation_id = $2 OR $3) AND {window}"
            ),
            order,
        ),
        query.limit.clamp(1, 1000)
    );
    let rows: Vec<EventRow> = with_pool!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(locality_id)
            .bind(query.organisation_id.unwrap_or(0))
            .bind(query.organisation_id.is_none())
            .bind(from)
            .bind(until)
            .fetch_all(pool)
            .await
    })
    .map_err(store_err)?;
    Ok(events_of(rows))
}

/// Later than any event: the open end of "upcoming".
fn far_future() -> DateTime<Utc> {
    chrono::NaiveDate::from_ymd_opt(9999, 12, 31)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

pub(super) async fn unpublished(
    db: &Db,
    locality_id: i64,
    member: Option<i64>,
) -> StoreResult<Vec<Event>> {
    let sql = format!(
        "{} LIMIT 200",
        select(
            "e.locality_id = $1 AND e.status <> 'published' AND ($2 OR e.organisation_id IN \
             (SELECT organisation_id FROM organisation_members WHERE user_id = $3))",
            "e.status, e.created_at DESC, e.id DESC"
        )
    );
    let rows: Vec<EventRow> = with_pool!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(locality_id)
            .bind(member.is_none())
            .bind(member.unwrap_or(0))
            .fetch_all(pool)
            .await
    })
    .map_err(store_err)?;
    Ok(events_of(rows))
}
