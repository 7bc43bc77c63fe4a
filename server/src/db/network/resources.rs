//! The network's educational resources: proposing, reviewing and reading them.

use super::{OrganisationRow, ORGANISATION_COLUMNS};
use crate::db::audit::{write_audit, AuditRecord};
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::model::network::{Audience, EventStatus};
use app::model::resources::{NewResource, Resource, ResourceFileInfo, Topic};
use app::model::{Localized, Viewer};
use app::store::{StoreError, StoreResult};
use chrono::{DateTime, Utc};
use serde_json::json;

const RESOURCE_COLUMNS: &str = "r.id AS resource_id, r.locality_id AS resource_locality_id, \
     r.title_ro, r.title_ru, r.title_uk, r.title_en, r.description_ro, r.description_ru, \
     r.description_uk, r.description_en, r.url, r.language, r.topic, r.audience, r.status, \
     r.review_note, r.created_at, f.name AS file_name, f.size_bytes AS file_size";

#[derive(Debug, sqlx::FromRow)]
struct ResourceRow {
    resource_id: i64,
    resource_locality_id: i64,
    title_ro: String,
    title_ru: String,
    title_uk: String,
    title_en: String,
    description_ro: String,
    description_ru: String,
    description_uk: String,
    description_en: String,
    url: String,
    language: String,
    topic: String,
    audience: String,
    status: String,
    review_note: String,
    created_at: DateTime<Utc>,
    file_name: Option<String>,
    file_size: Option<i64>,
    #[sqlx(flatten)]
    organisation: OrganisationRow,
}

impl ResourceRow {
    /// `None` for a row the CHECK constraints would not let in.
    fn into_resource(self) -> Option<Resource> {
        Some(Resource {
            id: self.resource_id,
            locality_id: self.resource_locality_id,
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
            url: self.url,
            file: self
                .file_name
                .zip(self.file_size)
                .map(|(name, size_bytes)| ResourceFileInfo { name, size_bytes }),
            language: self.language,
            topic: Topic::parse(&self.topic)?,
            audience: Audience::parse(&self.audience)?,
            status: EventStatus::parse(&self.status)?,
            review_note: self.review_note,
            created_at: self.created_at,
        })
    }
}

fn select(condition: &str) -> String {
    format!(
        "SELECT {RESOURCE_COLUMNS}, {ORGANISATION_COLUMNS} FROM resources r \
         JOIN organisations o ON o.id = r.organisation_id \
         LEFT JOIN resource_files f ON f.resource_id = r.id WHERE {condition} \
         ORDER BY r.created_at DESC, r.id DESC LIMIT 1000"
    )
}

fn resources_of(rows: Vec<ResourceRow>) -> Vec<Resource> {
    rows.into_iter().filter_map(ResourceRow::into_resource).collect()
}

/// Inserts a resource as of `at`, proposed or published; the demo's loader uses it too.
macro_rules! insert_resource {
    ($conn:expr, $r:expr, $status:expr, $author:expr, $at:expr) => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO resources (locality_id, organisation_id, title_ro, title_ru, title_uk, \
             title_en, description_ro, description_ru, description_uk, description_en, url, \
             language, topic, audience, status, author_id, reviewed_by, reviewed_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
             $18, $19) RETURNING id",
        )
        .bind($r.locality_id)
        .bind($r.organisation_id)
        .bind(&$r.title.ro)
        .bind(&$r.title.ru)
        .bind(&$r.title.uk)
        .bind(&$r.title.en)
        .bind(&$r.description.ro)
        .bind(&$r.description.ru)
        .bind(&$r.description.uk)
        .bind(&$r.description.en)
        .bind(&$r.url)
        .bind(&$r.language)
        .bind($r.topic.as_str())
        .bind($r.audience.as_str())
        .bind($status.as_str())
        .bind($author)
        .bind(($status == EventStatus::Published).then_some($author).flatten())
        .bind(($status == EventStatus::Published).then_some($at))
        .bind($at)
        .fetch_one($conn)
    };
}
pub(crate) use insert_resource;

pub(super) async fn create(
    db: &Db,
    actor: &Viewer,
    r: &NewResource,
    publish: bool,
) -> StoreResult<i64> {
    let at = now();
    let status = if publish { EventStatus::Published } else { EventStatus::Proposed };
    with_pool!(db, |pool| async {
        let mut tx = pool.begin_write().await?;
        let id = insert_resource!(&mut *tx, r, status, actor.user_id(), at).await?;
        if let Some(file) = &r.file {
            use sha2::Digest;
            let digest = sha2::Sha256::digest(&file.bytes);
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            sqlx::query(
                "INSERT INTO resource_files (resource_id, name, media_type, size_bytes, sha256, bytes) \
                 VALUES ($1, $2, 'application/pdf', $3, $4, $5)",
            )
            .bind(id)
            .bind(&file.name)
            .bind(i64::try_from(file.bytes.len()).unwrap_or(i64::MAX))
            .bind(hex)
            .bind(&file.bytes)
            .execute(&mut *tx)
            .await?;
        }
        let record = AuditRecord::by(actor, "create_resource", "resource", Some(id))
            .locality(Some(r.locality_id))
            .change(
                None,
                Some(json!({
                    "title": r.title.ro,
                    "url": r.url,
                    "file": r.file.as_ref().map(|f| &f.name),
                    "organisation_id": r.organisation_id,
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
    let resource = one(db, id).await?;
    let status = if publish { EventStatus::Published } else { EventStatus::Rejected };
    with_pool!(db, |pool| async {
        let mut tx = pool.begin_write().await.map_err(store_err)?;
        // Only a proposal waiting for review changes: the first decision stays.
        let changed = sqlx::query(
            "UPDATE resources SET status = $1, review_note = $2, reviewed_by = $3, \
             reviewed_at = $4 WHERE id = $5 AND status = 'proposed'",
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
        let action = if publish { "publish_resource" } else { "reject_resource" };
        let record = AuditRecord::by(actor, action, "resource", Some(id))
            .locality(Some(resource.locality_id))
            .change(
                Some(json!({ "status": resource.status.as_str() })),
                Some(json!({ "status": status.as_str(), "note": note })),
            );
        write_audit!(tx, &record).map_err(store_err)?;
        tx.commit().await.map_err(store_err)
    }
    .await)
}

pub(super) async fn one(db: &Db, id: i64) -> StoreResult<Resource> {
    let sql = select("r.id = $1");
    let row: ResourceRow =
        with_pool!(db, |pool| { sqlx::query_as(&sql).bind(id).fetch_optional(pool).await })
            .map_err(store_err)?
            .ok_or(StoreError::NotFound)?;
    row.into_resource().ok_or(StoreError::NotFound)
}

pub(super) async fn published(db: &Db, locality_id: i64) -> StoreResult<Vec<Resource>> {
    let sql = select("r.locality_id = $1 AND r.status = 'published'");
    let rows: Vec<ResourceRow> =
        with_pool!(db, |pool| { sqlx::query_as(&sql).bind(locality_id).fetch_all(pool).await })
            .map_err(store_err)?;
    Ok(resources_of(rows))
}

pub(super) async fn unpublished(
    db: &Db,
    locality_id: i64,
    member: Option<i64>,
) -> StoreResult<Vec<Resource>> {
    let sql = select(
        "r.locality_id = $1 AND r.status <> 'published' AND ($2 OR r.organisation_id IN \
         (SELECT organisation_id FROM organisation_members WHERE user_id = $3))",
    );
    let rows: Vec<ResourceRow> = with_pool!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(locality_id)
            .bind(member.is_none())
            .bind(member.unwrap_or(0))
            .fetch_all(pool)
            .await
    })
    .map_err(store_err)?;
    Ok(resources_of(rows))
}

/// A resource's file: its name, media type and bytes.
pub(super) async fn file(db: &Db, id: i64) -> StoreResult<(String, String, Vec<u8>)> {
    with_pool!(db, |pool| {
        sqlx::query_as("SELECT name, media_type, bytes FROM resource_files WHERE resource_id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await
    })
    .map_err(store_err)?
    .ok_or(StoreError::NotFound)
}
