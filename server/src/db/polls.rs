//! Polls: creating them, reading them and their results. Voting is a ballot (`ballots.rs`).

use super::audit::{write_audit, AuditRecord};
use super::{now, store_err, with_pool, BeginWrite, Db};
use app::model::vote::{PollDetail, PollOption, PollResults, PollStatus, PollSummary};
use app::model::{Localized, Viewer};
use app::store::{NewPoll, PollStore, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;

/// The results of poll `$id` as `$exec` (a pool, or `&mut *tx`) sees them; evaluates to
/// `Result<PollResults, sqlx::Error>`.
macro_rules! read_results {
    ($exec:expr, $id:expr) => {
        async {
            let participants: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM ballots WHERE subject_kind = 'poll' AND subject_id = $1",
            )
            .bind($id)
            .fetch_one($exec)
            .await?;
            let votes: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT o.id, (SELECT COUNT(*) FROM ballot_choices c WHERE c.option_id = o.id) \
                 FROM poll_options o WHERE o.poll_id = $1 ORDER BY o.position",
            )
            .bind($id)
            .fetch_all($exec)
            .await?;
            Ok::<_, sqlx::Error>(app::model::vote::PollResults {
                poll_id: $id,
                participants,
                votes,
            })
        }
    };
}
pub(crate) use read_results;

#[derive(sqlx::FromRow)]
struct PollRow {
    id: i64,
    question_ro: String,
    question_ru: String,
    question_uk: String,
    question_en: String,
    description_ro: String,
    description_ru: String,
    description_uk: String,
    description_en: String,
    max_choices: i64,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    results_before_vote: bool,
    participants: i64,
    locality_id: i64,
}

impl PollRow {
    fn summary(&self, at: DateTime<Utc>) -> PollSummary {
        PollSummary {
            id: self.id,
            locality_id: self.locality_id,
            question: Localized {
                ro: self.question_ro.clone(),
                ru: self.question_ru.clone(),
                uk: self.question_uk.clone(),
                en: self.question_en.clone(),
            },
            opens_at: self.opens_at,
            closes_at: self.closes_at,
            status: PollStatus::at(self.opens_at, self.closes_at, at),
            participants: self.participants,
        }
    }
}

const POLL_SELECT: &str = "SELECT p.id, p.question_ro, p.question_ru, p.question_uk, p.question_en, p.description_ro, \
     p.description_ru, p.description_uk, p.description_en, p.max_choices, p.opens_at, p.closes_at, p.results_before_vote, \
     (SELECT COUNT(*) FROM ballots b WHERE b.subject_kind = 'poll' AND b.subject_id = p.id) AS participants, \
     p.locality_id FROM polls p";

#[derive(sqlx::FromRow)]
struct OptionRow {
    id: i64,
    label_ro: String,
    label_ru: String,
    label_uk: String,
    label_en: String,
    link_url: Option<String>,
}

#[async_trait]
impl PollStore for Db {
    async fn polls(&self, locality_id: i64) -> StoreResult<Vec<PollSummary>> {
        let rows: Vec<PollRow> = with_pool!(self, |pool| {
            let sql = format!(
                "{POLL_SELECT} WHERE p.locality_id = $1 ORDER BY p.closes_at DESC, p.id DESC"
            );
            sqlx::query_as(&sql).bind(locality_id).fetch_all(pool).await
        })
        .map_err(store_err)?;
        let at = now();
        Ok(rows.iter().map(|r| r.summary(at)).collect())
    }

    async fn poll(&self, id: i64, viewer: Option<i64>) -> StoreResult<PollDetail> {
        let (row, options, mine) = with_pool!(self, |pool| async {
            let sql = format!("{POLL_SELECT} WHERE p.id = $1");
            let row: PollRow = sqlx::query_as(&sql).bind(id).fetch_one(pool).await?;
            let options: Vec<OptionRow> = sqlx::query_as(
                "SELECT id, label_ro, label_ru, label_uk, label_en, link_url FROM poll_options WHERE poll_id = $1 ORDER BY position",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            let mine: Option<Vec<i64>> = match viewer {
                Some(user) => {
                    let ballot: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM ballots WHERE subject_kind = 'poll' AND subject_id = $1 AND voter_id = $2",
                    )
                    .bind(id)
                    .bind(user)
                    .fetch_optional(pool)
                    .await?;
                    match ballot {
                        Some(b) => Some(
                            sqlx::query_scalar("SELECT option_id FROM ballot_choices WHERE ballot_id = $1")
                                .bind(b)
                                .fetch_all(pool)
                                .await?,
                        ),
                        None => None,
                    }
                }
                None => None,
            };
            Ok::<_, sqlx::Error>((row, options, mine))
        }
        .await)
        .map_err(store_err)?;
        let results = self.poll_results(id).await?;
        Ok(PollDetail {
            summary: row.summary(now()),
            description: Localized {
                ro: row.description_ro.clone(),
                ru: row.description_ru.clone(),
                uk: row.description_uk.clone(),
                en: row.description_en.clone(),
            },
            options: options
                .into_iter()
                .map(|o| PollOption {
                    id: o.id,
                    label: Localized {
                        ro: o.label_ro,
                        ru: o.label_ru,
                        uk: o.label_uk,
                        en: o.label_en,
                    },
                    link: o.link_url,
                })
                .collect(),
            max_choices: row.max_choices,
            results_before_vote: row.results_before_vote,
            results: Some(results),
            viewer_choices: mine,
        })
    }

    async fn create_poll(&self, actor: &Viewer, poll: &NewPoll) -> StoreResult<i64> {
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO polls (locality_id, question_ro, question_ru, question_uk, question_en, description_ro, \
                 description_ru, description_uk, description_en, max_choices, opens_at, closes_at, results_before_vote, \
                 created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
            )
            .bind(poll.locality_id)
            .bind(&poll.question.ro)
            .bind(&poll.question.ru)
            .bind(&poll.question.uk)
            .bind(&poll.question.en)
            .bind(&poll.description.ro)
            .bind(&poll.description.ru)
            .bind(&poll.description.uk)
            .bind(&poll.description.en)
            .bind(poll.max_choices)
            .bind(poll.opens_at)
            .bind(poll.closes_at)
            .bind(poll.results_before_vote)
            .bind(actor.user_id())
            .bind(now())
            .fetch_one(&mut *tx)
            .await
            .map_err(store_err)?;
            for (position, (label, link)) in poll.options.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO poll_options (poll_id, position, label_ro, label_ru, label_uk, label_en, link_url) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(id)
                .bind(position as i64)
                .bind(&label.ro)
                .bind(&label.ru)
                .bind(&label.uk)
                .bind(&label.en)
                .bind(link)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
            }
            let record = AuditRecord::by(actor, "create_poll", "poll", Some(id))
                .locality(Some(poll.locality_id))
                .change(None, Some(json!({ "question": poll.question.ro, "options": poll.options.len() })));
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)?;
            Ok(id)
        }
        .await
        })
    }

    async fn poll_results(&self, id: i64) -> StoreResult<PollResults> {
        with_pool!(self, |pool| read_results!(pool, id).await).map_err(store_err)
    }
}
