//! Surveys: a survey and its questions are written in one transaction; a sheet and its answers
//! too, with the once-per-person rule kept by a unique key on `survey_participants`, a table
//! that never says which sheet was whose.

use crate::db::audit::{write_audit, AuditRecord};
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::model::survey::{
    Question, QuestionKind, RawForm, Respondents, Sheet, Survey, SurveyDraft, SurveySummary,
};
use app::model::{Localized, Viewer};
use app::store::{StoreError, StoreResult, SurveyStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;

mod drafts;
mod rows;
mod seed;
mod settings;
use rows::{
    answer_rows, as_drafts, read_row, QuestionRow, SurveyRow, QUESTION_COLUMNS, SURVEY_COLUMNS,
};

macro_rules! insert_questions {
    ($tx:expr, $survey:expr, $questions:expr) => {
        async {
            let mut ids: Vec<i64> = Vec::with_capacity($questions.len());
            for (position, q) in $questions.iter().enumerate() {
                let condition = q.show_if.and_then(|(p, o)| Some((*ids.get(p)?, i64::try_from(o).ok()?)));
                let options = serde_json::to_string(&q.options).unwrap_or_else(|_| "[]".to_owned());
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO survey_questions (survey_id, position, section_ro, section_ru, \
                     section_uk, section_en, prompt_ro, prompt_ru, prompt_uk, prompt_en, help_ro, \
                     help_ru, help_uk, help_en, kind, options, other, required, show_if_question, \
                     show_if_option) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
                     $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id",
                )
                .bind($survey)
                .bind(position as i64)
                .bind(&q.section.ro)
                .bind(&q.section.ru)
                .bind(&q.section.uk)
                .bind(&q.section.en)
                .bind(&q.prompt.ro)
                .bind(&q.prompt.ru)
                .bind(&q.prompt.uk)
                .bind(&q.prompt.en)
                .bind(&q.help.ro)
                .bind(&q.help.ru)
                .bind(&q.help.uk)
                .bind(&q.help.en)
                .bind(q.kind.as_str())
                .bind(options)
                .bind(q.other)
                .bind(q.required)
                .bind(condition.map(|(question, _)| question))
                .bind(condition.map(|(_, option)| option))
                .fetch_one(&mut *$tx)
                .await?;
                ids.push(id);
            }
            Ok::<_, sqlx::Error>(())
        }
        .await
    };
}

#[async_trait]
impl SurveyStore for Db {
    async fn surveys(&self, locality_id: i64, drafts: bool) -> StoreResult<Vec<SurveySummary>> {
        type Row = (
            i64,
            String,
            String,
            String,
            String,
            DateTime<Utc>,
            DateTime<Utc>,
            bool,
            bool,
            Option<i64>,
            i64,
            i64,
        );
        let rows: Vec<Row> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, title_ro, title_ru, title_uk, title_en, opens_at, closes_at, \
                 published_at IS NOT NULL, results_public, organisation_id, \
                 (SELECT COUNT(*) FROM survey_questions q WHERE q.survey_id = surveys.id), \
                 (SELECT COUNT(*) FROM survey_responses r WHERE r.survey_id = surveys.id) \
                 FROM surveys WHERE locality_id = $1 AND ($2 OR published_at IS NOT NULL) \
                 ORDER BY opens_at DESC, id DESC LIMIT 400",
            )
            .bind(locality_id)
            .bind(drafts)
            .fetch_all(pool)
            .await
        })
        .map_err(store_err)?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    id,
                    ro,
                    ru,
                    uk,
                    en,
                    opens_at,
                    closes_at,
                    published,
                    results_public,
                    organisation_id,
                    questions,
                    responses,
                )| {
                    SurveySummary {
                        id,
                        title: Localized { ro, ru, uk, en },
                        opens_at,
                        closes_at,
                        published,
                        results_public,
                        organisation_id,
                        questions,
                        responses,
                    }
                },
            )
            .collect())
    }

    async fn survey(&self, id: i64) -> StoreResult<Survey> {
        let survey_sql = format!("SELECT {SURVEY_COLUMNS} FROM surveys WHERE id = $1");
        let question_sql = format!(
            "SELECT {QUESTION_COLUMNS} FROM survey_questions WHERE survey_id = $1 ORDER BY position"
        );
        let (row, questions): (SurveyRow, Vec<QuestionRow>) = with_pool!(self, |pool| async {
            let row = sqlx::query_as(&survey_sql).bind(id).fetch_one(pool).await?;
            let questions = sqlx::query_as(&question_sql).bind(id).fetch_all(pool).await?;
            Ok::<_, sqlx::Error>((row, questions))
        }
        .await)
        .map_err(store_err)?;
        let questions: Option<Vec<Question>> =
            questions.into_iter().map(QuestionRow::into_question).collect();
        questions.and_then(|q| row.into_survey(q)).ok_or(StoreError::NotFound)
    }

    async fn save_survey(
        &self,
        actor: &Viewer,
        id: Option<i64>,
        d: &SurveyDraft,
    ) -> StoreResult<i64> {
        let at = now();
        let stored = match id {
            Some(id) => Some(self.survey(id).await?),
            None => None,
        };
        if stored.as_ref().is_some_and(|s| s.locality_id != d.locality_id) {
            return Err(StoreError::NotFound);
        }
        let same_questions =
            stored.as_ref().is_some_and(|s| as_drafts(&s.questions) == d.questions);
        let saved = with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            if let Some(id) = id {
                // Holds the survey's row until the commit: a sheet being stored waits for it
                // (see `submit_sheet`), so no answer slips in between this count and the
                // questions' replacement, which would take the answers with it.
                sqlx::query("UPDATE surveys SET updated_at = $1 WHERE id = $2")
                    .bind(at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                let answered: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM survey_responses WHERE survey_id = $1",
                )
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                if answered > 0 && !same_questions {
                    return Ok(Err(StoreError::Conflict("answered")));
                }
            }
            let (id, action) = match id {
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO surveys (locality_id, title_ro, title_ru, title_uk, title_en, \
                         intro_ro, intro_ru, intro_uk, intro_en, opens_at, closes_at, respondents, \
                         anonymous, author_id, organisation_id, created_at, updated_at) VALUES ($1, \
                         $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $16, $15, $15) \
                         RETURNING id",
                    )
                    .bind(d.locality_id)
                    .bind(&d.title.ro)
                    .bind(&d.title.ru)
                    .bind(&d.title.uk)
                    .bind(&d.title.en)
                    .bind(&d.intro.ro)
                    .bind(&d.intro.ru)
                    .bind(&d.intro.uk)
                    .bind(&d.intro.en)
                    .bind(d.opens_at)
                    .bind(d.closes_at)
                    .bind(d.respondents.as_str())
                    .bind(d.anonymous)
                    .bind(actor.user_id())
                    .bind(at)
                    .bind(d.organisation_id)
                    .fetch_one(&mut *tx)
                    .await?;
                    (id, "create_survey")
                }
                Some(id) => {
                    // Once answered, who may answer and whether it is anonymous stay too: the
                    // sheets were given on those terms.
                    sqlx::query(
                        "UPDATE surveys SET title_ro = $1, title_ru = $2, title_uk = $3, \
                         title_en = $4, intro_ro = $5, intro_ru = $6, intro_uk = $7, intro_en = $8, \
                         opens_at = $9, closes_at = $10, \
                         respondents = CASE WHEN EXISTS (SELECT 1 FROM survey_responses r \
                             WHERE r.survey_id = surveys.id) THEN respondents ELSE $11 END, \
                         anonymous = CASE WHEN EXISTS (SELECT 1 FROM survey_responses r \
                             WHERE r.survey_id = surveys.id) THEN anonymous ELSE $12 END, \
                         updated_at = $13 WHERE id = $14 AND locality_id = $15",
                    )
                    .bind(&d.title.ro)
                    .bind(&d.title.ru)
                    .bind(&d.title.uk)
                    .bind(&d.title.en)
                    .bind(&d.intro.ro)
                    .bind(&d.intro.ru)
                    .bind(&d.intro.uk)
                    .bind(&d.intro.en)
                    .bind(d.opens_at)
                    .bind(d.closes_at)
                    .bind(d.respondents.as_str())
                    .bind(d.anonymous)
                    .bind(at)
                    .bind(id)
                    .bind(d.locality_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    .eq(&1)
                    .then_some(())
                    .ok_or(sqlx::Error::RowNotFound)?;
                    (id, "edit_survey")
                }
            };
            if !same_questions {
                sqlx::query("DELETE FROM survey_questions WHERE survey_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                insert_questions!(tx, id, d.questions)?;
            }
            let record = AuditRecord::by(actor, action, "survey", Some(id))
                .locality(Some(d.locality_id))
                .change(None, Some(json!({ "title": d.title.ro, "questions": d.questions.len() })));
            write_audit!(tx, &record)?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Ok(id))
        }
        .await)
        .map_err(store_err)?;
        saved
    }

    async fn publish_survey(&self, actor: &Viewer, id: i64) -> StoreResult<()> {
        let at = now();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let locality: i64 = sqlx::query_scalar("SELECT locality_id FROM surveys WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            let changed = sqlx::query(
                "UPDATE surveys SET published_at = $1, updated_at = $1 \
                 WHERE id = $2 AND published_at IS NULL",
            )
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 1 {
                let record = AuditRecord::by(actor, "publish_survey", "survey", Some(id))
                    .locality(Some(locality));
                write_audit!(tx, &record)?;
            }
            tx.commit().await
        }
        .await)
        .map_err(store_err)
    }

    async fn set_results_public(&self, actor: &Viewer, id: i64, public: bool) -> StoreResult<()> {
        let at = now();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let locality: i64 = sqlx::query_scalar("SELECT locality_id FROM surveys WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query("UPDATE surveys SET results_public = $1, updated_at = $2 WHERE id = $3")
                .bind(public)
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let action = if public { "publish_survey_results" } else { "hide_survey_results" };
            let record =
                AuditRecord::by(actor, action, "survey", Some(id)).locality(Some(locality));
            write_audit!(tx, &record)?;
            tx.commit().await
        }
        .await)
        .map_err(store_err)
    }

    async fn submit_sheet(
        &self,
        survey: &Survey,
        user: Option<i64>,
        lang: &str,
        sheet: &Sheet,
        draft: Option<&str>,
    ) -> StoreResult<i64> {
        let at = now();
        let draft = drafts::draft_key(draft);
        let once = survey.respondents == Respondents::OncePerPerson;
        if survey.respondents.needs_account() && user.is_none() {
            return Err(StoreError::Unauthorized);
        }
        // An anonymous sheet keeps neither the account nor a time that could match a sign-in.
        let (kept_user, submitted_at) = if survey.anonymous {
            (None, at.date_naive().and_time(chrono::NaiveTime::MIN).and_utc())
        } else {
            (user, at)
        };
        let result = with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            // Open now, checked on the row itself, which this locks until the commit so that
            // staff cannot replace the questions while the sheet is being stored.
            let open = sqlx::query(
                "UPDATE surveys SET updated_at = updated_at WHERE id = $2 \
                 AND published_at IS NOT NULL AND opens_at <= $1 AND closes_at > $1",
            )
            .bind(at)
            .bind(survey.id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if !open {
                return Ok(Err(StoreError::Conflict("closed")));
            }
            if once {
                let taken = sqlx::query(
                    "INSERT INTO survey_participants (survey_id, user_id) VALUES ($1, $2) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(survey.id)
                .bind(user)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    == 0;
                if taken {
                    return Ok(Err(StoreError::Conflict("answered")));
                }
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO survey_responses (survey_id, user_id, lang, submitted_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(survey.id)
            .bind(kept_user)
            .bind(lang)
            .bind(submitted_at)
            .fetch_one(&mut *tx)
            .await?;
            for (question, answer) in sheet {
                for (choice, value) in answer_rows(answer) {
                    sqlx::query(
                        "INSERT INTO survey_answers (response_id, question_id, choice, value) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(id)
                    .bind(question)
                    .bind(choice)
                    .bind(value)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            if let Some(hash) = &draft {
                sqlx::query("DELETE FROM survey_drafts WHERE survey_id = $1 AND token_hash = $2")
                    .bind(survey.id)
                    .bind(hash)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Ok(id))
        }
        .await)
        .map_err(store_err)?;
        result
    }

    async fn survey_draft(&self, survey_id: i64, token: &str) -> StoreResult<Option<RawForm>> {
        drafts::draft(self, survey_id, token).await
    }

    async fn keep_survey_draft(
        &self,
        survey_id: i64,
        token: Option<&str>,
        answers: &RawForm,
    ) -> StoreResult<String> {
        drafts::keep_draft(self, survey_id, token, answers).await
    }

    async fn ngo_surveys(&self, locality_id: i64) -> StoreResult<bool> {
        settings::ngo_surveys(self, locality_id).await
    }

    async fn set_ngo_surveys(
        &self,
        actor: &Viewer,
        locality_id: i64,
        allowed: bool,
    ) -> StoreResult<()> {
        settings::set_ngo_surveys(self, actor, locality_id, allowed).await
    }

    async fn has_answered(&self, survey_id: i64, user: i64) -> StoreResult<bool> {
        with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM survey_participants WHERE survey_id = $1 AND user_id = $2)",
            )
            .bind(survey_id)
            .bind(user)
            .fetch_one(pool)
            .await
        })
        .map_err(store_err)
    }

    async fn sheets(&self, survey_id: i64) -> StoreResult<Vec<(String, Sheet)>> {
        type Row = (i64, String, Option<i64>, Option<i64>, Option<String>);
        let (kinds, rows): (Vec<(i64, String)>, Vec<Row>) = with_pool!(self, |pool| async {
            let kinds =
                sqlx::query_as("SELECT id, kind FROM survey_questions WHERE survey_id = $1")
                    .bind(survey_id)
                    .fetch_all(pool)
                    .await?;
            let rows = sqlx::query_as(
                "SELECT r.id, r.lang, a.question_id, a.choice, a.value FROM survey_responses r \
                 LEFT JOIN survey_answers a ON a.response_id = r.id \
                 WHERE r.survey_id = $1 ORDER BY r.id, a.question_id, a.choice",
            )
            .bind(survey_id)
            .fetch_all(pool)
            .await?;
            Ok::<_, sqlx::Error>((kinds, rows))
        }
        .await)
        .map_err(store_err)?;
        let kinds: std::collections::HashMap<i64, QuestionKind> =
            kinds.into_iter().filter_map(|(id, k)| Some((id, QuestionKind::parse(&k)?))).collect();
        let mut sheets: Vec<(i64, String, Sheet)> = Vec::new();
        for (response, lang, question, choice, value) in rows {
            if sheets.last().is_none_or(|(id, _, _)| *id != response) {
                sheets.push((response, lang, Sheet::new()));
            }
            let (Some(question), Some((_, _, sheet))) = (question, sheets.last_mut()) else {
                continue;
            };
            let Some(&kind) = kinds.get(&question) else { continue };
            let previous = sheet.remove(&question);
            if let Some(answer) = read_row(kind, previous, choice, value) {
                sheet.insert(question, answer);
            }
        }
        Ok(sheets.into_iter().map(|(_, lang, sheet)| (lang, sheet)).collect())
    }
}
