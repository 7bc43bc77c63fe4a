//! The figures of the other modules that the statistics and the yearly report count:
//! initiatives and their votes, polls and their results, "is it fixed?" answers and the civic
//! budget's participation, each over the filter's period.

use super::period_bounds;
use crate::db::{store_err, with_pool, Db};
use app::model::statistics::{BudgetParticipation, StatsFilter, YearInitiative, YearPoll};
use app::model::vote::Thresholds;
use app::model::Localized;
use app::store::StoreResult;
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;
use std::collections::HashMap;

impl Db {
    /// Initiatives of the period (visible ones) with their votes, and the locality's levels.
    pub(super) async fn initiative_votes(
        &self,
        locality_id: i64,
        filter: &StatsFilter,
    ) -> StoreResult<(Vec<YearInitiative>, Thresholds)> {
        let (start, end) = period_bounds(filter);
        let rows: Vec<(i64, String, String, String, DateTime<Utc>, i64)> = with_pool!(self, |pool| {
            let mut qb = QueryBuilder::new(
                "SELECT i.id, i.title, i.lang, i.author_name, i.created_at, \
                 (SELECT COUNT(*) FROM ballots b WHERE b.subject_kind = 'initiative' AND b.subject_id = i.id) \
                 FROM initiatives i WHERE i.hidden = FALSE AND i.locality_id = ",
            );
            qb.push_bind(locality_id);
            if let Some(t) = start {
                qb.push(" AND i.created_at >= ").push_bind(t);
            }
            if let Some(t) = end {
                qb.push(" AND i.created_at < ").push_bind(t);
            }
            qb.push(" ORDER BY i.created_at, i.id");
            qb.build_query_as().fetch_all(pool).await
        })
        .map_err(store_err)?;
        let thresholds: String = with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT initiative_thresholds FROM localities WHERE id = $1")
                .bind(locality_id)
                .fetch_one(pool)
                .await
        })
        .map_err(store_err)?;
        let thresholds =
            serde_json::from_str::<[i64; 5]>(&thresholds).map(Thresholds).unwrap_or_default();
        let initiatives = rows
            .into_iter()
            .map(|(id, title, lang, author, created_at, votes)| YearInitiative {
                id,
                title,
                lang,
                author,
                created_at,
                votes,
                level: thresholds.level(votes),
            })
            .collect();
        Ok((initiatives, thresholds))
    }

    /// Polls opened in the period, with their participants and, per option, the votes.
    pub(super) async fn polls_of(
        &self,
        locality_id: i64,
        filter: &StatsFilter,
    ) -> StoreResult<Vec<YearPoll>> {
        let (start, end) = period_bounds(filter);
        type PollRow = (i64, String, String, String, String, DateTime<Utc>, i64);
        let polls: Vec<PollRow> = with_pool!(self, |pool| {
            let mut qb = QueryBuilder::new(
                "SELECT p.id, p.question_ro, p.question_ru, p.question_uk, p.question_en, p.opens_at, \
                 (SELECT COUNT(*) FROM ballots b WHERE b.subject_kind = 'poll' AND b.subject_id = p.id) \
                 FROM polls p WHERE p.locality_id = ",
            );
            qb.push_bind(locality_id);
            if let Some(t) = start {
                qb.push(" AND p.opens_at >= ").push_bind(t);
            }
            if let Some(t) = end {
                qb.push(" AND p.opens_at < ").push_bind(t);
            }
            qb.push(" ORDER BY p.opens_at, p.id");
            qb.build_query_as().fetch_all(pool).await
        })
        .map_err(store_err)?;
        // Every poll's options in one query, not one query per poll.
        let ids: Vec<i64> = polls.iter().map(|p| p.0).collect();
        let options: Vec<(i64, String, String, String, String, i64)> = if ids.is_empty() {
            Vec::new()
        } else {
            with_pool!(self, |pool| {
                let mut qb = QueryBuilder::new(
                    "SELECT o.poll_id, o.label_ro, o.label_ru, o.label_uk, o.label_en, \
                     (SELECT COUNT(*) FROM ballot_choices c WHERE c.option_id = o.id) \
                     FROM poll_options o WHERE o.poll_id IN (",
                );
                let mut list = qb.separated(", ");
                for id in &ids {
                    list.push_bind(*id);
                }
                qb.push(") ORDER BY o.poll_id, o.position");
                qb.build_query_as().fetch_all(pool).await
            })
            .map_err(store_err)?
        };
        let mut by_poll: HashMap<i64, Vec<(Localized, i64)>> = HashMap::new();
        for (poll, ro, ru, uk, en, votes) in options {
            by_poll.entry(poll).or_default().push((Localized { ro, ru, uk, en }, votes));
        }
        Ok(polls
            .into_iter()
            .map(|(id, ro, ru, uk, en, opens_at, participants)| YearPoll {
                id,
                question: Localized { ro, ru, uk, en },
                opens_at,
                participants,
                options: by_poll.remove(&id).unwrap_or_default(),
            })
            .collect())
    }

    /// Reporters' answers to "Is it fixed?" given in the period: (fixed, not fixed).
    pub(super) async fn fixed_answers(
        &self,
        locality_id: i64,
        filter: &StatsFilter,
    ) -> StoreResult<(i64, i64)> {
        let (start, end) = period_bounds(filter);
        let rows: Vec<(String, i64)> = with_pool!(self, |pool| {
            let mut qb = QueryBuilder::new(
                "SELECT f.answer, COUNT(*) FROM fixed_checks f JOIN reports r ON r.id = f.report_id \
                 WHERE f.answer IS NOT NULL AND r.locality_id = ",
            );
            qb.push_bind(locality_id);
            if let Some(t) = start {
                qb.push(" AND f.answered_at >= ").push_bind(t);
            }
            if let Some(t) = end {
                qb.push(" AND f.answered_at < ").push_bind(t);
            }
            qb.push(" GROUP BY f.answer");
            qb.build_query_as().fetch_all(pool).await
        })
        .map_err(store_err)?;
        let count = |answer: &str| rows.iter().find(|(a, _)| a == answer).map_or(0, |(_, n)| *n);
        Ok((count("fixed"), count("not_fixed")))
    }

    /// Civic-budget editions whose voting opened in the period, with their proposals and
    /// confirmed ballots (a locality runs a few editions: one row each).
    pub(super) async fn budget_participation(
        &self,
        locality_id: i64,
        filter: &StatsFilter,
    ) -> StoreResult<Vec<BudgetParticipation>> {
        let (start, end) = period_bounds(filter);
        type EditionRow =
            (i64, String, String, String, String, String, DateTime<Utc>, i64, i64, i64, i64);
        let rows: Vec<EditionRow> = with_pool!(self, |pool| {
            let mut qb = QueryBuilder::new(
                "SELECT e.id, e.slug, e.title_ro, e.title_ru, e.title_uk, e.title_en, e.voting_from, \
                 (SELECT COUNT(*) FROM budget_proposals p JOIN budget_budgets b ON b.id = p.budget_id \
                  WHERE b.edition_id = e.id AND p.status <> 'draft'), \
                 (SELECT COUNT(*) FROM budget_proposals p JOIN budget_budgets b ON b.id = p.budget_id \
                  WHERE b.edition_id = e.id AND p.status = 'feasible'), \
                 (SELECT COUNT(*) FROM budget_ballots x JOIN budget_budgets b ON b.id = x.budget_id \
                  WHERE b.edition_id = e.id AND x.confirmed_at IS NOT NULL AND x.channel = 'internet'), \
                 (SELECT COUNT(*) FROM budget_ballots x JOIN budget_budgets b ON b.id = x.budget_id \
                  WHERE b.edition_id = e.id AND x.confirmed_at IS NOT NULL AND x.channel = 'paper') \
                 FROM budget_editions e WHERE e.locality_id = ",
            );
            qb.push_bind(locality_id);
            if let Some(t) = start {
                qb.push(" AND e.voting_from >= ").push_bind(t);
            }
            if let Some(t) = end {
                qb.push(" AND e.voting_from < ").push_bind(t);
            }
            qb.push(" ORDER BY e.voting_from, e.id");
            qb.build_query_as().fetch_all(pool).await
        })
        .map_err(store_err)?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    edition_id,
                    slug,
                    ro,
                    ru,
                    uk,
                    en,
                    voting_from,
                    proposals,
                    feasible,
                    internet,
                    paper,
                )| {
                    BudgetParticipation {
                        edition_id,
                        slug,
                        title: Localized { ro, ru, uk, en },
                        voting_from,
                        proposals,
                        feasible,
                        ballots_internet: internet,
                        ballots_paper: paper,
                    }
                },
            )
            .collect())
    }
}
