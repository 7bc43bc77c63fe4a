//! Whether a locality lets its NGO network's organisations write surveys.

use crate::db::audit::{write_audit, AuditRecord};
use crate::db::{store_err, with_pool, BeginWrite, Db};
use app::model::Viewer;
use app::store::{StoreError, StoreResult};

pub(super) async fn ngo_surveys(db: &Db, locality_id: i64) -> StoreResult<bool> {
    with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT ngo_surveys FROM localities WHERE id = $1")
            .bind(locality_id)
            .fetch_optional(pool)
            .await
    })
    .map_err(store_err)?
    .ok_or(StoreError::NotFound)
}

pub(super) async fn set_ngo_surveys(
    db: &Db,
    actor: &Viewer,
    locality_id: i64,
    allowed: bool,
) -> StoreResult<()> {
    with_pool!(db, |pool| async {
        let mut tx = pool.begin_write().await?;
        let changed = sqlx::query("UPDATE localities SET ngo_surveys = $1 WHERE id = $2")
            .bind(allowed)
            .bind(locality_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(sqlx::Error::RowNotFound);
        }
        let action = if allowed { "allow_ngo_surveys" } else { "forbid_ngo_surveys" };
        let record = AuditRecord::by(actor, action, "locality", Some(locality_id))
            .locality(Some(locality_id));
        write_audit!(tx, &record)?;
        tx.commit().await
    }
    .await)
    .map_err(store_err)
}
