//! What civic-budget participants say about themselves (`budget_participants`, only ever
//! counted) and the counts behind an edition's inclusion indicators.

use super::super::{store_err, with_pool, Db};
use app::model::inclusion::{InclusionCounts, ParticipantAnswers, PreviousEdition};
use app::model::Localized;
use app::store::{InclusionStore, StoreResult};
use async_trait::async_trait;

/// People with a confirmed ballot in the edition `$1`. Online and paper ballots both carry the
/// keyed hash of the voter's document, the same for one person across the edition's budgets.
const PARTICIPANTS: &str = "SELECT COUNT(DISTINCT x.document_hash) FROM budget_ballots x \
     JOIN budget_budgets b ON b.id = x.budget_id \
     WHERE b.edition_id = $1 AND x.confirmed_at IS NOT NULL AND x.document_hash IS NOT NULL";

impl Db {
    async fn participants(&self, edition_id: i64) -> StoreResult<i64> {
        with_pool!(self, |pool| {
            sqlx::query_scalar(PARTICIPANTS).bind(edition_id).fetch_one(pool).await
        })
        .map_err(store_err)
    }
}

#[async_trait]
impl InclusionStore for Db {
    async fn takes_part(&self, edition_id: i64, user_id: i64) -> StoreResult<bool> {
        let found: Option<i64> = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT b.id FROM budget_budgets b WHERE b.edition_id = $1 AND (\
                 EXISTS (SELECT 1 FROM budget_ballots x WHERE x.budget_id = b.id AND x.voter_id = $2 \
                         AND x.confirmed_at IS NOT NULL) OR \
                 EXISTS (SELECT 1 FROM budget_proposals p WHERE p.budget_id = b.id AND p.author_id = $2 \
                         AND p.status <> 'draft')) LIMIT 1",
            )
            .bind(edition_id)
            .bind(user_id)
            .fetch_optional(pool)
            .await
        })
        .map_err(store_err)?;
        Ok(found.is_some())
    }

    async fn participant_answers(
        &self,
        edition_id: i64,
        user_id: i64,
    ) -> StoreResult<Option<ParticipantAnswers>> {
        type Row = (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<i64>,
            Option<bool>,
        );
        let row: Option<Row> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT age_band, gender, status, language, satisfaction, trust \
                 FROM budget_participants WHERE edition_id = $1 AND user_id = $2",
            )
            .bind(edition_id)
            .bind(user_id)
            .fetch_optional(pool)
            .await
        })
        .map_err(store_err)?;
        Ok(row.map(|(age_band, gender, status, language, satisfaction, trust)| {
            ParticipantAnswers { age_band, gender, status, language, satisfaction, trust }
        }))
    }

    async fn save_participant_answers(
        &self,
        edition_id: i64,
        user_id: i64,
        a: &ParticipantAnswers,
    ) -> StoreResult<()> {
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO budget_participants \
                 (edition_id, user_id, age_band, gender, status, language, satisfaction, trust) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (edition_id, user_id) DO UPDATE SET age_band = excluded.age_band, \
                 gender = excluded.gender, status = excluded.status, language = excluded.language, \
                 satisfaction = excluded.satisfaction, trust = excluded.trust",
            )
            .bind(edition_id)
            .bind(user_id)
            .bind(&a.age_band)
            .bind(&a.gender)
            .bind(&a.status)
            .bind(&a.language)
            .bind(a.satisfaction)
            .bind(a.trust)
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(store_err)
    }

    async fn inclusion_counts(&self, edition_id: i64) -> StoreResult<InclusionCounts> {
        type Answers = (i64, i64, i64, Option<i64>, i64, i64);
        type Proposals = (i64, i64, i64);
        type Previous = (i64, String, String, String, String, String);
        let (answers, proposals, previous, works): (Answers, Proposals, Option<Previous>, (i64, i64)) =
            with_pool!(self, |pool| async {
                let answers = sqlx::query_as(
                    "SELECT \
                     COUNT(status), \
                     COUNT(CASE WHEN status IN ('refugee', 'migrant') THEN 1 END), \
                     COUNT(satisfaction), \
                     CAST(SUM(satisfaction) AS BIGINT), \
                     COUNT(trust), \
                     COUNT(CASE WHEN trust THEN 1 END) \
                     FROM budget_participants WHERE edition_id = $1",
                )
                .bind(edition_id)
                .fetch_one(pool)
                .await?;
                let proposals = sqlx::query_as(
                    "SELECT COUNT(*), \
                     COUNT(CASE WHEN p.mixed_team THEN 1 END), \
                     COUNT(CASE WHEN p.cohesion_actions THEN 1 END) \
                     FROM budget_proposals p JOIN budget_budgets b ON b.id = p.budget_id \
                     WHERE b.edition_id = $1 AND p.status <> 'draft'",
                )
                .bind(edition_id)
                .fetch_one(pool)
                .await?;
                // The same locality's edition whose voting opened last before this one's.
                let previous = sqlx::query_as(
                    "SELECT p.id, p.slug, p.title_ro, p.title_ru, p.title_uk, p.title_en \
                     FROM budget_editions e JOIN budget_editions p ON p.locality_id = e.locality_id \
                     WHERE e.id = $1 AND p.voting_from < e.voting_from \
                     ORDER BY p.voting_from DESC LIMIT 1",
                )
                .bind(edition_id)
                .fetch_optional(pool)
                .await?;
                let works = sqlx::query_as(
                    "SELECT COUNT(*), COUNT(CASE WHEN w.status = 'done' THEN 1 END) \
                     FROM budget_works w JOIN budget_proposals p ON p.id = w.proposal_id \
                     JOIN budget_budgets b ON b.id = p.budget_id WHERE b.edition_id = $1",
                )
                .bind(edition_id)
                .fetch_one(pool)
                .await?;
                Ok::<_, sqlx::Error>((answers, proposals, previous, works))
            }
            .await)
            .map_err(store_err)?;
        let previous = match previous {
            Some((id, slug, ro, ru, uk, en)) => Some(PreviousEdition {
                slug,
                title: Localized { ro, ru, uk, en },
                participants: self.participants(id).await?,
            }),
            None => None,
        };
        let (
            status_answers,
            refugees_and_migrants,
            satisfaction_answers,
            sum,
            trust_answers,
            trust_yes,
        ) = answers;
        let (proposals, mixed_team, cohesion_actions) = proposals;
        Ok(InclusionCounts {
            participants: self.participants(edition_id).await?,
            previous,
            status_answers,
            refugees_and_migrants,
            proposals,
            mixed_team,
            cohesion_actions,
            satisfaction_answers,
            satisfaction_sum: sum.unwrap_or(0),
            trust_answers,
            trust_yes,
            funded_projects: works.0,
            done_projects: works.1,
        })
    }
}
