//! The one voting mechanism and the two things it serves: initiatives and polls.
//!
//! A vote is a row in `ballots`, unique per (kind, subject, voter) by a database constraint, so
//! two tabs, a double click or a retried request can never count twice: the second insert
//! finds the constraint and does nothing. Every count is `COUNT(*)` over the ballots.

use super::audit::{write_audit, AuditRecord};
use super::{now, store_err, with_pool, BeginWrite, Db};
use app::error::{FieldError, Problem};
use app::model::vote::{
    InitiativeDetail, InitiativeQuery, InitiativeSort, InitiativeSummary, Level, MyVote,
    PollDetail, PollOption, PollResults, PollStatus, PollSummary, Tally, Thresholds, VoteOutcome,
};
use app::model::{LatLng, Localized, Page, Viewer};
use app::store::{NewInitiative, NewPoll, StoreError, StoreResult, VoteStore};
use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;
use sqlx::QueryBuilder;

fn invalid(field: &str, problem: Problem) -> StoreError {
    StoreError::Invalid(FieldError::new(field, problem))
}

/// Casts `$voter`'s ballot on (`$kind`, `$subject`) inside `$tx`; evaluates to the new ballot's
/// id, or `None` when this voter had already voted.
macro_rules! insert_ballot {
    ($tx:expr, $kind:expr, $subject:expr, $voter:expr, $at:expr) => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO ballots (subject_kind, subject_id, voter_id, imported, cast_at) \
             VALUES ($1, $2, $3, FALSE, $4) ON CONFLICT (subject_kind, subject_id, voter_id) DO NOTHING \
             RETURNING id",
        )
        .bind($kind)
        .bind($subject)
        .bind($voter)
        .bind($at)
        .fetch_optional(&mut *$tx)
        .await
    };
}

/// The number of ballots on (`$kind`, `$subject`), read inside `$tx`.
macro_rules! count_ballots {
    ($tx:expr, $kind:expr, $subject:expr) => {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM ballots WHERE subject_kind = $1 AND subject_id = $2",
        )
        .bind($kind)
        .bind($subject)
        .fetch_one(&mut *$tx)
        .await
    };
}

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

fn thresholds(json: &str) -> Thresholds {
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

impl Db {
    /// Support on an initiative as it stands after a change, and the levels it reached.
    async fn tally_and_record_levels(&self, id: i64, user_id: i64) -> StoreResult<Tally> {
        let at = now();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let votes = count_ballots!(tx, "initiative", id)?;
            let json: String = sqlx::query_scalar(
                "SELECT l.initiative_thresholds FROM initiatives i JOIN localities l ON l.id = i.locality_id WHERE i.id = $1",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let t = thresholds(&json);
            for level in t.reached(votes) {
                sqlx::query(
                    "INSERT INTO initiative_levels (initiative_id, level, reached_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (initiative_id, level) DO NOTHING",
                )
                .bind(id)
                .bind(level.as_str())
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            let supported: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM ballots WHERE subject_kind = 'initiative' AND subject_id = $1 AND voter_id = $2",
            )
            .bind(id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Tally { votes, level: t.level(votes), supported: supported.is_some() })
        }
        .await)
        .map_err(store_err)
    }

    /// Refuses votes on hidden, closed or unknown initiatives.
    async fn open_initiative(&self, id: i64) -> StoreResult<()> {
        let row: Option<(bool, Option<DateTime<Utc>>)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT hidden, closes_at FROM initiatives WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await
        })
        .map_err(store_err)?;
        match row {
            None => Err(StoreError::NotFound),
            Some((true, _)) => Err(invalid("initiative", Problem::Closed)),
            Some((_, Some(closes))) if closes <= now() => {
                Err(invalid("initiative", Problem::Closed))
            }
            Some(_) => Ok(()),
        }
    }

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
                with_pool!(self, |pool| {
                    sqlx::query(
                        "INSERT INTO initiative_levels (initiative_id, level, reached_at) VALUES ($1, $2, $3) \
                         ON CONFLICT (initiative_id, level) DO NOTHING",
                    )
                    .bind(id)
                    .bind(level.as_str())
                    .bind(created)
                    .execute(pool)
                    .await
                    .map(|_| ())
                })
                .map_err(store_err)?;
            }
        }
        Ok(())
    }
}

#[async_trait]
impl VoteStore for Db {
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
            insert_ballot!(tx, "initiative", id, new.author_id, at)?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(id)
        }
        .await)
        .map_err(store_err)?;
        Ok(id)
    }

    async fn support_initiative(&self, id: i64, user_id: i64) -> StoreResult<Tally> {
        self.open_initiative(id).await?;
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            insert_ballot!(tx, "initiative", id, user_id, now())?;
            tx.commit().await
        }
        .await)
        .map_err(store_err)?;
        self.tally_and_record_levels(id, user_id).await
    }

    async fn withdraw_support(&self, id: i64, user_id: i64) -> StoreResult<Tally> {
        self.open_initiative(id).await?;
        with_pool!(self, |pool| {
            sqlx::query("DELETE FROM ballots WHERE subject_kind = 'initiative' AND subject_id = $1 AND voter_id = $2")
                .bind(id)
                .bind(user_id)
                .execute(pool)
                .await
                .map(|_| ())
        })
        .map_err(store_err)?;
        self.tally_and_record_levels(id, user_id).await
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

    async fn cast_poll_vote(
        &self,
        id: i64,
        user_id: i64,
        choices: &[i64],
    ) -> StoreResult<VoteOutcome> {
        let at = now();
        let mut choices = choices.to_vec();
        choices.sort_unstable();
        choices.dedup();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let (opens, closes, max): (DateTime<Utc>, DateTime<Utc>, i64) =
                sqlx::query_as("SELECT opens_at, closes_at, max_choices FROM polls WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(store_err)?
                    .ok_or(StoreError::NotFound)?;
            if PollStatus::at(opens, closes, at) != PollStatus::Open {
                return Err(invalid("choices", Problem::Closed));
            }
            if choices.is_empty() {
                return Err(invalid("choices", Problem::Required));
            }
            if choices.len() as i64 > max {
                return Err(invalid("choices", Problem::TooManyChoices));
            }
            let valid: Vec<i64> =
                sqlx::query_scalar("SELECT id FROM poll_options WHERE poll_id = $1")
                    .bind(id)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(store_err)?;
            if choices.iter().any(|c| !valid.contains(c)) {
                return Err(invalid("choices", Problem::Invalid));
            }
            let Some(ballot) = insert_ballot!(tx, "poll", id, user_id, at).map_err(store_err)?
            else {
                return Ok(VoteOutcome::AlreadyVoted);
            };
            for option in &choices {
                sqlx::query("INSERT INTO ballot_choices (ballot_id, option_id) VALUES ($1, $2)")
                    .bind(ballot)
                    .bind(option)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_err)?;
            }
            tx.commit().await.map_err(store_err)?;
            Ok(VoteOutcome::Recorded)
        }
        .await)
    }

    async fn poll_results(&self, id: i64) -> StoreResult<PollResults> {
        let (participants, votes) = with_pool!(self, |pool| async {
            let participants: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM ballots WHERE subject_kind = 'poll' AND subject_id = $1",
            )
            .bind(id)
            .fetch_one(pool)
            .await?;
            let votes: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT o.id, (SELECT COUNT(*) FROM ballot_choices c WHERE c.option_id = o.id) \
                 FROM poll_options o WHERE o.poll_id = $1 ORDER BY o.position",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            Ok::<_, sqlx::Error>((participants, votes))
        }
        .await)
        .map_err(store_err)?;
        Ok(PollResults { poll_id: id, participants, votes })
    }

    async fn my_votes(&self, user_id: i64) -> StoreResult<Vec<MyVote>> {
        let rows: Vec<(String, i64, String, DateTime<Utc>)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT b.subject_kind, b.subject_id, COALESCE(i.title, p.question_ro, ''), b.cast_at FROM ballots b \
                 LEFT JOIN initiatives i ON b.subject_kind = 'initiative' AND i.id = b.subject_id \
                 LEFT JOIN polls p ON b.subject_kind = 'poll' AND p.id = b.subject_id \
                 WHERE b.voter_id = $1 ORDER BY b.cast_at DESC",
            )
            .bind(user_id)
            .fetch_all(pool)
            .await
        })
        .map_err(store_err)?;
        Ok(rows
            .into_iter()
            .map(|(kind, id, title, cast_at)| MyVote { kind, id, title, cast_at })
            .collect())
    }
}
