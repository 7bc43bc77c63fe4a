//! What a person has answered so far in a survey, kept between its sections under a random
//! token that only the person's browser holds (the database keeps its SHA-256).

use crate::auth::token::{digest, new_token};
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::model::survey::RawForm;
use app::store::{StoreError, StoreResult};

/// Drafts untouched this long are dropped when another is kept.
const KEPT_DAYS: i64 = 30;

pub(super) async fn draft(db: &Db, survey_id: i64, token: &str) -> StoreResult<Option<RawForm>> {
    let hash = digest(token);
    let answers: Option<String> = with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT answers FROM survey_drafts WHERE survey_id = $1 AND token_hash = $2",
        )
        .bind(survey_id)
        .bind(&hash)
        .fetch_optional(pool)
        .await
    })
    .map_err(store_err)?;
    // A draft that no longer reads (it never should) is as good as none.
    Ok(answers.and_then(|a| serde_json::from_str(&a).ok()))
}

pub(super) async fn keep_draft(
    db: &Db,
    survey_id: i64,
    token: Option<&str>,
    answers: &RawForm,
) -> StoreResult<String> {
    let token = token.filter(|t| t.len() >= 32).map_or_else(new_token, str::to_owned);
    let hash = digest(&token);
    let answers = serde_json::to_string(answers).map_err(|e| StoreError::Backend(Box::new(e)))?;
    let at = now();
    with_pool!(db, |pool| async {
        let mut tx = pool.begin_write().await?;
        sqlx::query("DELETE FROM survey_drafts WHERE updated_at < $1")
            .bind(at - chrono::TimeDelta::days(KEPT_DAYS))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO survey_drafts (survey_id, token_hash, answers, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (survey_id, token_hash) \
             DO UPDATE SET answers = excluded.answers, updated_at = excluded.updated_at",
        )
        .bind(survey_id)
        .bind(&hash)
        .bind(&answers)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }
    .await)
    .map_err(store_err)?;
    Ok(token)
}

/// The digest under which a draft being turned into a sheet is found (to drop it with the
/// sheet's transaction).
pub(super) fn draft_key(token: Option<&str>) -> Option<String> {
    token.map(digest)
}
