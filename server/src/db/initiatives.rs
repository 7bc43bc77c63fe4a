//! Initiatives: launching, listing, answering and moderating them. Supporting one is a ballot
//! (`ballots.rs`); its badge levels are recorded here and by the ballot writer.

use super::audit::{write_audit, AuditRecord};
use super::ballots::insert_ballot;
use super::{now, store_err, with_pool, BeginWrite, Db};
use app::model::vote::{
    InitiativeDetail, InitiativeQuery, InitiativeSort, InitiativeSummary, Level, SubjectKind,
    Thresholds,
};
use app::model::{LatLng, Page, Viewer};
use app::store::{InitiativeStore, NewInitiative, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;
use sqlx::QueryBuilder;

/// Records, inside `$exec`, that initiative `$id` reached `$level` at `$at` (once per level).
macro_rules! record_level {
    ($exec:expr, $id:expr, $level:expr, $at:expr) => {
        sqlx::query(
            "INSERT INTO initiative_levels (initiative_id, level, reached_at) VALUES ($1, $2, $3) \
             ON CONFLICT (initiative_id, level) DO NOTHING",
        )
        .bind($id)
        .bind($level.as_str())
        .bind($at)
        .execute($exec)
        .await
    };
}
pub(crate) use record_level;

#[derive(sqlx::FromRow)]
struct InitiativeRow {
    id: i64,
    locality_id: i64,
    title: String,
    body: String,
    lang: String,
    category: Option<String>,
    author_name: String,
    created_at: DateTime<Utc>,
    closes_at: Option<DateTime<Utc>>,
    lat: Option<f64>,
    lng: Option<f64>,
    image_stem: Option<String>,
    official_answer: Option<String>,
    answered_at: Option<DateTime<Utc>>,
    hidden: bool,
    hidden_reason: Option<String>,
    votes: i64,
    thresholds: String,
    answer_level: Option<String>,
}

const INITIATIVE_SELECT: &str = "SELECT i.id, i.locality_id, i.title, i.body, i.lang, c.slug AS category, i.author_name, \
     i.created_at, i.closes_at, i.lat, i.lng, i.image_stem, i.official_answer, i.answered_at, i.hidden, i.hidden_reason, \
     (SELECT COUNT(*) FROM ballots b WHERE b.subject_kind = 'initiative' AND b.subject_id = i.id) AS votes, \
     l.initiative_thresholds AS thresholds, l.initiative_answer_level AS answer_level \
     FROM initiatives i JOIN localities l ON l.id = i.locality_id LEFT JOIN categories c ON c.id = i.category_id";

/// A locality's thresholds as stored (a JSON array of five counts).
pub(crate) fn thresholds(json: &str) -> Thresholds {
    serde_json::from_str::<[i64; 5]>(json).map(Thresholds).unwrap_or_default()
}

impl InitiativeRow {
    fn summary(&self) -> InitiativeSummary {
        let t = thresholds(&self.thresholds);
        InitiativeSummary {
            id: self.id,
            title: self.title.clone(),
            lang: self.lang.clone(),
            category: self.category.clone(),
            author: self.author_name.clone(),
            created_at: self.created_at,
            closes_at: self.closes_at,
            votes: self.votes,
            level: t.level(self.votes),
            at: self.lat.zip(self.lng).map(|(lat, lng)| LatLng { lat, lng }),
            answered: self.official_answer.is_some(),
        }
    }
}

impl Db {
    /// The image of an initiative, whether the initiative is hidden, and its locality.
    pub async fn initiative_image(&self, id: i64) -> StoreResult<(Option<String>, bool, i64)> {
        with_pool!(self, |pool| {
            sqlx::query_as("SELECT image_stem, hidden, locality_id FROM initiatives WHERE id = $1")
                .bind(id)
                .fetch_one(pool)
                .await
        })
        .map_err(store_err)
    }

    /// Records the levels the seeded initiatives reached (demo data).
    pub async fn record_all_levels(&self) -> StoreResult<()> {
        let ids: Vec<(i64, DateTime<Utc>)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT id, created_at FROM initiatives").fetch_all(pool).await
        })
        .map_err(store_err)?;
        for (id, created) in ids {
            let detail = self.initiative(id, None).await?;
            for level in detail.thresholds.reached(detail.summary.votes) {
                with_pool!(self, |pool| record_level!(pool, id, level, created).map(|_| ()))
                    .map_err(store_err)?;
            }
        }
        Ok(())
    }
}

#[async_trait]
impl InitiativeStore for Db {
    async fn initiatives(&self, q: &InitiativeQuery) -> StoreResult<Page<InitiativeSummary>> {
        let per_page = i64::from(q.per_page.clamp(1, 100));
        let offset = i64::from(q.page) * per_page;
        // Level filters and the answer queue compare the derived count with the locality's
        // thresholds, which are few: they are resolved here rather than in SQL.
        let rows: Vec<InitiativeRow> = with_pool!(self, |pool| {
            let mut qb = QueryBuilder::new(INITIATIVE_SELECT);
            qb.push(" WHERE i.hidden = FALSE AND i.locality_id = ").push_bind(q.locality_id);
            if let Some(c) = &q.category {
                qb.push(" AND c.slug = ").push_bind(c.clone());
            }
            if let Some(author) = q.author_id {
                qb.push(" AND i.author_id = ").push_bind(author);
            }
            if q.awaiting_answer {
                qb.push(" AND i.official_answer IS NULL");
            }
            qb.push(match q.sort {
                InitiativeSort::MostSupported => " ORDER BY votes DESC, i.created_at DESC",
                InitiativeSort::Newest => " ORDER BY i.created_at DESC, i.id DESC",
                InitiativeSort::ClosingSoon => {
                    " ORDER BY CASE WHEN i.closes_at IS NULL THEN 1 ELSE 0 END, i.closes_at, i.id"
                }
            });
            qb.build_query_as().fetch_all(pool).await
        })
        .map_err(store_err)?;
        let at = now();
        let filtered: Vec<InitiativeSummary> = rows
            .iter()
            .filter(|r| {
                let s = r.summary();
                let level_ok = q.level.is_none_or(|l| s.level == Some(l));
                let open =
                    q.sort != InitiativeSort::ClosingSoon || s.closes_at.is_some_and(|c| c > at);
                let awaiting = !q.awaiting_answer
                    || r.answer_level
                        .as_deref()
                        .and_then(Level::parse)
                        .is_some_and(|l| s.votes >= thresholds(&r.thresholds).of(l));
                level_ok && open && awaiting
            })
            .map(InitiativeRow::summary)
            .collect();
        let total = filtered.len() as i64;
        let items = filtered.into_iter().skip(offset as usize).take(per_page as usize).collect();
        Ok(Page { items, total })
    }

    async fn initiative(&self, id: i64, viewer: Option<i64>) -> StoreResult<InitiativeDetail> {
        let (row, levels, supported) = with_pool!(self, |pool| async {
            let sql = format!("{INITIATIVE_SELECT} WHERE i.id = $1");
            let row: InitiativeRow = sqlx::query_as(&sql).bind(id).fetch_one(pool).await?;
            let levels: Vec<(String, DateTime<Utc>)> = sqlx::query_as(
                "SELECT level, reached_at FROM initiative_levels WHERE initiative_id = $1 ORDER BY reached_at",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            let supported: Option<i64> = match viewer {
                Some(user) => {
                    sqlx::query_scalar(
                        "SELECT id FROM ballots WHERE subject_kind = 'initiative' AND subject_id = $1 AND voter_id = $2",
                    )
                    .bind(id)
                    .bind(user)
                    .fetch_optional(pool)
                    .await?
                }
                None => None,
            };
            Ok::<_, sqlx::Error>((row, levels, supported))
        }
        .await)
        .map_err(store_err)?;
        let mut levels: Vec<(Level, DateTime<Utc>)> =
            levels.into_iter().filter_map(|(l, at)| Some((Level::parse(&l)?, at))).collect();
        levels.sort_by_key(|(l, _)| *l);
        Ok(InitiativeDetail {
            summary: row.summary(),
            locality_id: row.locality_id,
            body: row.body.clone(),
            has_image: row.image_stem.is_some(),
            thresholds: thresholds(&row.thresholds),
            levels_reached: levels,
            answer_level: row.answer_level.as_deref().and_then(Level::parse),
            official_answer: row.official_answer.clone(),
            answered_at: row.answered_at,
            supported_by_viewer: supported.is_some(),
            hidden_reason: row.hidden.then(|| row.hidden_reason.clone().unwrap_or_default()),
        })
    }

    async fn create_initiative(&self, new: NewInitiative) -> StoreResult<i64> {
        let at = now();
        let id = with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let days: Option<i64> = sqlx::query_scalar("SELECT initiative_days FROM localities WHERE id = $1")
                .bind(new.locality_id)
                .fetch_one(&mut *tx)
                .await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO initiatives (locality_id, category_id, title, body, lang, author_id, author_name, lat, lng, \
                 created_at, closes_at, image_stem) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(new.locality_id)
            .bind(new.category_id)
            .bind(&new.title)
            .bind(&new.body)
            .bind(&new.lang)
            .bind(new.author_id)
            .bind(&new.author_name)
            .bind(new.at.map(|p| p.lat))
            .bind(new.at.map(|p| p.lng))
            .bind(at)
            .bind(days.map(|d| at + TimeDelta::days(d)))
            .bind(new.image.as_ref().map(|p| p.stem.clone()))
            .fetch_one(&mut *tx)
            .await?;
            // The author's own vote counts.
            insert_ballot!(tx, SubjectKind::Initiative, id, new.author_id, at)?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(id)
        }
        .await)
        .map_err(store_err)?;
        Ok(id)
    }

    async fn answer_initiative(&self, actor: &Viewer, id: i64, answer: &str) -> StoreResult<()> {
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let (locality, before): (i64, Option<String>) =
                sqlx::query_as("SELECT locality_id, official_answer FROM initiatives WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(store_err)?
                    .ok_or(StoreError::NotFound)?;
            sqlx::query("UPDATE initiatives SET official_answer = $1, answered_at = $2, answered_by = $3 WHERE id = $4")
                .bind(answer)
                .bind(now())
                .bind(actor.user_id())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
            let record = AuditRecord::by(actor, "answer_initiative", "initiative", Some(id))
                .locality(Some(locality))
                .change(before.map(|b| json!({ "answer": b })), Some(json!({ "answer": answer })));
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)
        }
        .await
        })
    }

    async fn moderate_initiative(
        &self,
        actor: &Viewer,
        id: i64,
        hide: bool,
        reason: &str,
    ) -> StoreResult<()> {
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let (locality, was): (i64, bool) =
                sqlx::query_as("SELECT locality_id, hidden FROM initiatives WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(store_err)?
                    .ok_or(StoreError::NotFound)?;
            sqlx::query("UPDATE initiatives SET hidden = $1, hidden_reason = $2 WHERE id = $3")
                .bind(hide)
                .bind(hide.then_some(reason))
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
            let record = AuditRecord::by(
                actor,
                if hide { "hide" } else { "unhide" },
                "initiative",
                Some(id),
            )
            .locality(Some(locality))
            .change(Some(json!({ "hidden": was })), Some(json!({ "hidden": hide })))
            .reason(Some(reason));
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)
        }
        .await)
    }

    async fn initiative_locality(&self, id: i64) -> StoreResult<i64> {
        with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT locality_id FROM initiatives WHERE id = $1")
                .bind(id)
                .fetch_one(pool)
                .await
        })
        .map_err(store_err)
    }
}
