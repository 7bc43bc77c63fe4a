//! The orientation and referral directory: services, and the changes members of NGOs propose
//! to them (kept as the whole entry they would become, applied when staff approve).

pub mod seed;

use crate::db::audit::{write_audit, AuditRecord};
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::model::directory::{
    ChangeStatus, OpeningHours, Service, ServiceAudience, ServiceCategory, ServiceChange,
    ServiceDraft,
};
use app::model::{LatLng, Localized, Viewer};
use app::store::{DirectoryStore, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;

/// The columns an entry's keepers write, in the order [`bind_draft`] binds them.
const DRAFT_COLUMNS: [&str; 25] = [
    "organisation_id",
    "provider",
    "category",
    "name_ro",
    "name_ru",
    "name_uk",
    "name_en",
    "description_ro",
    "description_ru",
    "description_uk",
    "description_en",
    "eligibility_ro",
    "eligibility_ru",
    "eligibility_uk",
    "eligibility_en",
    "address",
    "lat",
    "lng",
    "hours",
    "languages",
    "free",
    "audience",
    "phone",
    "email",
    "website",
];

/// Binds a draft's values as `$1`…`$25`, in [`DRAFT_COLUMNS`]' order.
macro_rules! bind_draft {
    ($query:expr, $d:expr) => {
        $query
            .bind($d.organisation_id)
            .bind(&$d.provider)
            .bind($d.category.as_str())
            .bind(&$d.name.ro)
            .bind(&$d.name.ru)
            .bind(&$d.name.uk)
            .bind(&$d.name.en)
            .bind(&$d.description.ro)
            .bind(&$d.description.ru)
            .bind(&$d.description.uk)
            .bind(&$d.description.en)
            .bind(&$d.eligibility.ro)
            .bind(&$d.eligibility.ru)
            .bind(&$d.eligibility.uk)
            .bind(&$d.eligibility.en)
            .bind(&$d.address)
            .bind($d.at.map(|p| p.lat))
            .bind($d.at.map(|p| p.lng))
            .bind($d.hours.to_string())
            .bind($d.languages.join(","))
            .bind($d.free)
            .bind($d.audience.as_str())
            .bind(&$d.phone)
            .bind(&$d.email)
            .bind(&$d.website)
    };
}
pub(crate) use bind_draft;

fn insert_sql() -> String {
    let params: Vec<String> = (1..=DRAFT_COLUMNS.len()).map(|i| format!("${i}")).collect();
    format!(
        "INSERT INTO services ({}, locality_id, checked_at, created_at, updated_at, checked_by) \
         VALUES ({}, $26, $27, $27, $27, $28) RETURNING id",
        DRAFT_COLUMNS.join(", "),
        params.join(", ")
    )
}

fn update_sql() -> String {
    let sets: Vec<String> =
        DRAFT_COLUMNS.iter().enumerate().map(|(i, c)| format!("{c} = ${}", i + 1)).collect();
    format!(
        "UPDATE services SET {}, checked_at = $26, updated_at = $26, checked_by = $27 \
         WHERE id = $28",
        sets.join(", ")
    )
}

const SERVICE_SELECT: &str = "SELECT s.id, s.locality_id, s.organisation_id, \
     o.name AS organisation_name, s.provider, s.category, s.name_ro, s.name_ru, s.name_uk, \
     s.name_en, s.description_ro, s.description_ru, s.description_uk, s.description_en, \
     s.eligibility_ro, s.eligibility_ru, s.eligibility_uk, s.eligibility_en, s.address, s.lat, \
     s.lng, s.hours, s.languages, s.free, s.audience, s.phone, s.email, s.website, s.checked_at, \
     s.updated_at FROM services s LEFT JOIN organisations o ON o.id = s.organisation_id";

#[derive(Debug, sqlx::FromRow)]
struct ServiceRow {
    id: i64,
    locality_id: i64,
    organisation_id: Option<i64>,
    organisation_name: Option<String>,
    provider: String,
    category: String,
    name_ro: String,
    name_ru: String,
    name_uk: String,
    name_en: String,
    description_ro: String,
    description_ru: String,
    description_uk: String,
    description_en: String,
    eligibility_ro: String,
    eligibility_ru: String,
    eligibility_uk: String,
    eligibility_en: String,
    address: String,
    lat: Option<f64>,
    lng: Option<f64>,
    hours: String,
    languages: String,
    free: bool,
    audience: String,
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
    checked_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl ServiceRow {
    /// `None` for a row the CHECK constraints or the forms would not let in.
    fn into_service(self) -> Option<Service> {
        let localized = |ro, ru, uk, en| Localized { ro, ru, uk, en };
        Some(Service {
            id: self.id,
            locality_id: self.locality_id,
            draft: ServiceDraft {
                organisation_id: self.organisation_id,
                provider: self.provider,
                category: ServiceCategory::parse(&self.category)?,
                name: localized(self.name_ro, self.name_ru, self.name_uk, self.name_en),
                description: localized(
                    self.description_ro,
                    self.description_ru,
                    self.description_uk,
                    self.description_en,
                ),
                eligibility: localized(
                    self.eligibility_ro,
                    self.eligibility_ru,
                    self.eligibility_uk,
                    self.eligibility_en,
                ),
                address: self.address,
                at: self.lat.zip(self.lng).map(|(lat, lng)| LatLng { lat, lng }),
                hours: OpeningHours::parse(&self.hours).ok()?,
                languages: self
                    .languages
                    .split(',')
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
                free: self.free,
                audience: ServiceAudience::parse(&self.audience)?,
                phone: self.phone,
                email: self.email,
                website: self.website,
            },
            organisation_name: self.organisation_name,
            checked_at: self.checked_at,
            updated_at: self.updated_at,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
struct ChangeRow {
    id: i64,
    locality_id: i64,
    service_id: Option<i64>,
    organisation_name: Option<String>,
    payload: String,
    status: String,
    review_note: String,
    created_at: DateTime<Utc>,
}

impl ChangeRow {
    fn into_change(self) -> Option<ServiceChange> {
        Some(ServiceChange {
            id: self.id,
            locality_id: self.locality_id,
            service_id: self.service_id,
            draft: serde_json::from_str(&self.payload).ok()?,
            organisation_name: self.organisation_name,
            status: ChangeStatus::parse(&self.status)?,
            review_note: self.review_note,
            created_at: self.created_at,
        })
    }
}

const CHANGE_SELECT: &str = "SELECT c.id, c.locality_id, c.service_id, \
     o.name AS organisation_name, c.payload, c.status, c.review_note, c.created_at \
     FROM service_changes c LEFT JOIN organisations o ON o.id = c.organisation_id";

fn bad_draft(err: serde_json::Error) -> StoreError {
    StoreError::Backend(Box::new(err))
}

#[async_trait]
impl DirectoryStore for Db {
    async fn services(&self, locality_id: i64) -> StoreResult<Vec<Service>> {
        let sql = format!("{SERVICE_SELECT} WHERE s.locality_id = $1 ORDER BY s.name_ro, s.id");
        let rows: Vec<ServiceRow> = with_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(locality_id).fetch_all(pool).await
        })
        .map_err(store_err)?;
        Ok(rows.into_iter().filter_map(ServiceRow::into_service).collect())
    }

    async fn service(&self, id: i64) -> StoreResult<Service> {
        let sql = format!("{SERVICE_SELECT} WHERE s.id = $1");
        let row: ServiceRow =
            with_pool!(self, |pool| { sqlx::query_as(&sql).bind(id).fetch_optional(pool).await })
                .map_err(store_err)?
                .ok_or(StoreError::NotFound)?;
        row.into_service().ok_or(StoreError::NotFound)
    }

    async fn save_service(
        &self,
        actor: &Viewer,
        locality_id: i64,
        id: Option<i64>,
        draft: &ServiceDraft,
    ) -> StoreResult<i64> {
        let before = match id {
            Some(id) => Some(self.service(id).await?),
            None => None,
        };
        let (insert, update) = (insert_sql(), update_sql());
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let at = now();
            let id = match id {
                Some(id) => {
                    bind_draft!(sqlx::query(&update), draft)
                        .bind(at)
                        .bind(actor.user_id())
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_err)?;
                    id
                }
                None => bind_draft!(sqlx::query_scalar(&insert), draft)
                    .bind(locality_id)
                    .bind(at)
                    .bind(actor.user_id())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(store_err)?,
            };
            let action = if before.is_some() { "update_service" } else { "create_service" };
            let record = AuditRecord::by(actor, action, "service", Some(id))
                .locality(Some(locality_id))
                .change(before.as_ref().map(|s| json!(s.draft)), Some(json!(draft)));
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)?;
            Ok(id)
        }
        .await)
    }

    async fn remove_service(&self, actor: &Viewer, id: i64) -> StoreResult<()> {
        let service = self.service(id).await?;
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let removed = sqlx::query("DELETE FROM services WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?
                .rows_affected();
            if removed == 0 {
                return Err(StoreError::NotFound);
            }
            let record = AuditRecord::by(actor, "remove_service", "service", Some(id))
                .locality(Some(service.locality_id))
                .change(Some(json!(service.draft)), None);
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)
        }
        .await)
    }

    async fn confirm_service(&self, actor: &Viewer, id: i64) -> StoreResult<()> {
        let service = self.service(id).await?;
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            sqlx::query("UPDATE services SET checked_at = $1, checked_by = $2 WHERE id = $3")
                .bind(now())
                .bind(actor.user_id())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
            let record = AuditRecord::by(actor, "confirm_service", "service", Some(id))
                .locality(Some(service.locality_id))
                .change(Some(json!({ "checked_at": service.checked_at })), None);
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)
        }
        .await)
    }

    async fn propose_service_change(
        &self,
        actor: &Viewer,
        locality_id: i64,
        service_id: Option<i64>,
        draft: &ServiceDraft,
    ) -> StoreResult<i64> {
        let payload = serde_json::to_string(draft).map_err(bad_draft)?;
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO service_changes (locality_id, service_id, organisation_id, payload, \
                 status, author_id, created_at) VALUES ($1, $2, $3, $4, 'proposed', $5, $6) \
                 RETURNING id",
            )
            .bind(locality_id)
            .bind(service_id)
            .bind(draft.organisation_id)
            .bind(&payload)
            .bind(actor.user_id())
            .bind(now())
            .fetch_one(&mut *tx)
            .await
            .map_err(store_err)?;
            let record =
                AuditRecord::by(actor, "propose_service_change", "service_change", Some(id))
                    .locality(Some(locality_id))
                    .change(None, Some(json!({ "service_id": service_id, "name": draft.name.ro })));
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)?;
            Ok(id)
        }
        .await)
    }

    async fn service_change(&self, id: i64) -> StoreResult<ServiceChange> {
        let sql = format!("{CHANGE_SELECT} WHERE c.id = $1");
        let row: ChangeRow =
            with_pool!(self, |pool| { sqlx::query_as(&sql).bind(id).fetch_optional(pool).await })
                .map_err(store_err)?
                .ok_or(StoreError::NotFound)?;
        row.into_change().ok_or(StoreError::NotFound)
    }

    async fn review_service_change(
        &self,
        actor: &Viewer,
        id: i64,
        approve: bool,
        note: &str,
    ) -> StoreResult<Option<i64>> {
        let change = self.service_change(id).await?;
        let status = if approve { ChangeStatus::Approved } else { ChangeStatus::Rejected };
        let (insert, update) = (insert_sql(), update_sql());
        let draft = &change.draft;
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let at = now();
            // Only a change waiting for review moves: two reviewers at once, or a form sent
            // twice, leave the first decision in place.
            let changed = sqlx::query(
                "UPDATE service_changes SET status = $1, review_note = $2, reviewed_by = $3, \
                 reviewed_at = $4 WHERE id = $5 AND status = 'proposed'",
            )
            .bind(status.as_str())
            .bind(note)
            .bind(actor.user_id())
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?
            .rows_affected();
            if changed == 0 {
                return Err(StoreError::Conflict("reviewed"));
            }
            let applied = match (approve, change.service_id) {
                (false, _) => None,
                (true, Some(service_id)) => {
                    bind_draft!(sqlx::query(&update), draft)
                        .bind(at)
                        .bind(actor.user_id())
                        .bind(service_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_err)?;
                    Some(service_id)
                }
                (true, None) => Some(
                    bind_draft!(sqlx::query_scalar(&insert), draft)
                        .bind(change.locality_id)
                        .bind(at)
                        .bind(actor.user_id())
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(store_err)?,
                ),
            };
            let action = if approve { "approve_service_change" } else { "reject_service_change" };
            let record = AuditRecord::by(actor, action, "service_change", Some(id))
                .locality(Some(change.locality_id))
                .change(
                    Some(json!({ "status": change.status.as_str() })),
                    Some(json!({ "status": status.as_str(), "note": note, "service_id": applied })),
                );
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)?;
            Ok(applied)
        }
        .await)
    }

    async fn service_changes(
        &self,
        locality_id: i64,
        member: Option<i64>,
    ) -> StoreResult<Vec<ServiceChange>> {
        let sql = format!(
            "{CHANGE_SELECT} WHERE c.locality_id = $1 AND c.status <> 'approved' AND ($2 OR \
             c.organisation_id IN (SELECT organisation_id FROM organisation_members \
             WHERE user_id = $3)) ORDER BY c.status, c.created_at DESC, c.id DESC LIMIT 200"
        );
        let rows: Vec<ChangeRow> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(locality_id)
                .bind(member.is_none())
                .bind(member.unwrap_or(0))
                .fetch_all(pool)
                .await
        })
        .map_err(store_err)?;
        Ok(rows.into_iter().filter_map(ChangeRow::into_change).collect())
    }
}
