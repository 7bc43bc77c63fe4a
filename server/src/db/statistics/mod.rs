//! Statistics per locality, read from the tables the writes keep exact ([`upkeep`]): a page
//! reads a few thousand rows whatever the number of reports.

pub(crate) mod upkeep;

use super::{store_err, with_pool, Db};
use app::format::day_start_utc;
use app::model::statistics::{
    BudgetParticipation, DepartmentName, DurationSummary, Month, ReportCounts, ResponseTimes,
    Statistics, StatsFilter, YearInitiative, YearPoll, YearReport,
};
use app::model::vote::{Level, Thresholds};
use app::model::{Localized, ReportStatus};
use app::store::{StatisticsStore, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use sqlx::QueryBuilder;
use std::collections::{BTreeMap, HashMap};

/// How old a report must be before it counts in the fix rate.
const FIX_RATE_AGE_DAYS: i64 = 28;

#[derive(sqlx::FromRow)]
struct StatsRow {
    month: String,
    category_id: i64,
    department_id: i64,
    status: String,
    reports: i64,
    answered: i64,
    supporters: i64,
    followers: i64,
}

impl StatsRow {
    fn counts(&self) -> ReportCounts {
        ReportCounts {
            reports: self.reports,
            answered: self.answered,
            supporters: self.supporters,
            followers: self.followers,
        }
    }
}

#[derive(sqlx::FromRow)]
struct DurationRow {
    kind: String,
    category_id: i64,
    department_id: i64,
    minutes: i64,
    reports: i64,
}

/// Appends the filter's period, categories and departments (not its statuses) to a query on
/// `report_stats` or `report_durations`.
macro_rules! push_stats_filter {
    ($qb:expr, $locality:expr, $filter:expr) => {{
        let filter: &StatsFilter = $filter;
        $qb.push(" WHERE locality_id = ").push_bind($locality);
        if let Some(m) = filter.from {
            $qb.push(" AND month >= ").push_bind(m.key());
        }
        if let Some(m) = filter.to {
            $qb.push(" AND month <= ").push_bind(m.key());
        }
        if !filter.categories.is_empty() {
            $qb.push(" AND category_id IN (SELECT id FROM categories WHERE locality_id = ")
                .push_bind($locality)
                .push(" AND slug IN (");
            let mut list = $qb.separated(", ");
            for slug in &filter.categories {
                list.push_bind(slug.clone());
            }
            $qb.push("))");
        }
        if !filter.departments.is_empty() {
            $qb.push(" AND department_id IN (");
            let mut list = $qb.separated(", ");
            for d in &filter.departments {
                list.push_bind(*d);
            }
            $qb.push(")");
        }
    }};
}

/// The period of a filter as UTC instants `[start, end)`, for tables without a month column.
fn period_bounds(filter: &StatsFilter) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    (
        filter.from.map(|m| day_start_utc(m.first_day())),
        filter.to.map(|m| day_start_utc(m.next().first_day())),
    )
}

/// The last day of the last month that ended at least four weeks before `today`.
fn fix_rate_until(today: NaiveDate) -> NaiveDate {
    let cutoff = today - TimeDelta::days(FIX_RATE_AGE_DAYS);
    let next_month = Month::of(cutoff).next().first_day();
    let month_end = next_month.pred_opt().unwrap_or(cutoff);
    if month_end <= cutoff {
        month_end
    } else {
        Month::of(cutoff).first_day().pred_opt().unwrap_or(cutoff)
    }
}

fn summarize(rows: &[(i64, i64)]) -> DurationSummary {
    DurationSummary::from_counts(rows)
}

/// Response times overall, per category id and per department id.
fn response_times(
    rows: &[DurationRow],
) -> (ResponseTimes, BTreeMap<i64, ResponseTimes>, BTreeMap<i64, ResponseTimes>) {
    type Buckets = HashMap<&'static str, Vec<(i64, i64)>>;
    let kind = |k: &str| if k == "answer" { "answer" } else { "resolution" };
    let mut all: Buckets = HashMap::new();
    let mut by_category: HashMap<i64, Buckets> = HashMap::new();
    let mut by_department: HashMap<i64, Buckets> = HashMap::new();
    for r in rows {
        let entry = (r.minutes, r.reports);
        all.entry(kind(&r.kind)).or_default().push(entry);
        by_category.entry(r.category_id).or_default().entry(kind(&r.kind)).or_default().push(entry);
        by_department
            .entry(r.department_id)
            .or_default()
            .entry(kind(&r.kind))
            .or_default()
            .push(entry);
    }
    let times = |b: &Buckets| ResponseTimes {
        answer: summarize(b.get("answer").map(Vec::as_slice).unwrap_or_default()),
        resolution: summarize(b.get("resolution").map(Vec::as_slice).unwrap_or_default()),
    };
    (
        times(&all),
        by_category.iter().map(|(id, b)| (*id, times(b))).collect(),
        by_department.iter().map(|(id, b)| (*id, times(b))).collect(),
    )
}

impl Db {
    async fn stats_rows(
        &self,
        locality_id: i64,
        filter: &StatsFilter,
    ) -> StoreResult<Vec<StatsRow>> {
        with_pool!(self, |pool| {
            let mut qb = QueryBuilder::new(
                "SELECT month, category_id, department_id, status, reports, answered, supporters, \
                 followers FROM report_stats",
            );
            push_stats_filter!(qb, locality_id, filter);
            qb.push(" AND reports <> 0");
            qb.build_query_as().fetch_all(pool).await
        })
        .map_err(store_err)
    }

    async fn duration_rows(
        &self,
        locality_id: i64,
        filter: &StatsFilter,
    ) -> StoreResult<Vec<DurationRow>> {
        with_pool!(self, |pool| {
            let mut qb = QueryBuilder::new(
                "SELECT kind, category_id, department_id, minutes, CAST(SUM(reports) AS BIGINT) AS reports \
                 FROM report_durations",
            );
            push_stats_filter!(qb, locality_id, filter);
            qb.push(" GROUP BY kind, category_id, department_id, minutes HAVING SUM(reports) > 0");
            qb.build_query_as().fetch_all(pool).await
        })
        .map_err(store_err)
    }

    /// Initiatives of the period (visible ones) with their votes, and the locality's levels.
    async fn initiative_votes(
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
    async fn polls_of(&self, locality_id: i64, filter: &StatsFilter) -> StoreResult<Vec<YearPoll>> {
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
        let mut out = Vec::with_capacity(polls.len());
        for (id, ro, ru, uk, en, opens_at, participants) in polls {
            let options: Vec<(String, String, String, String, i64)> = with_pool!(self, |pool| {
                sqlx::query_as(
                    "SELECT o.label_ro, o.label_ru, o.label_uk, o.label_en, \
                     (SELECT COUNT(*) FROM ballot_choices c WHERE c.option_id = o.id) \
                     FROM poll_options o WHERE o.poll_id = $1 ORDER BY o.position",
                )
                .bind(id)
                .fetch_all(pool)
                .await
            })
            .map_err(store_err)?;
            out.push(YearPoll {
                id,
                question: Localized { ro, ru, uk, en },
                opens_at,
                participants,
                options: options
                    .into_iter()
                    .map(|(ro, ru, uk, en, votes)| (Localized { ro, ru, uk, en }, votes))
                    .collect(),
            });
        }
        Ok(out)
    }

    /// Reporters' answers to "Is it fixed?" given in the period: (fixed, not fixed).
    async fn fixed_answers(
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
    async fn budget_participation(
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

#[async_trait]
impl StatisticsStore for Db {
    async fn statistics(
        &self,
        locality_id: i64,
        filter: &StatsFilter,
        today: NaiveDate,
    ) -> StoreResult<Statistics> {
        let rows = self.stats_rows(locality_id, filter).await?;
        let durations = self.duration_rows(locality_id, filter).await?;
        let (categories, departments): (Vec<(i64, String)>, Vec<(i64, String)>) =
            with_pool!(self, |pool| async {
                let c = sqlx::query_as("SELECT id, slug FROM categories WHERE locality_id = $1")
                    .bind(locality_id)
                    .fetch_all(pool)
                    .await?;
                let d = sqlx::query_as(
                    "SELECT id, name FROM departments WHERE locality_id = $1 ORDER BY name",
                )
                .bind(locality_id)
                .fetch_all(pool)
                .await?;
                Ok::<_, sqlx::Error>((c, d))
            }
            .await)
            .map_err(store_err)?;
        let slug: HashMap<i64, String> = categories.into_iter().collect();
        let slug_of = |id: i64| slug.get(&id).cloned().unwrap_or_else(|| id.to_string());

        // The fix rate counts every status; the other figures only the chosen ones.
        let until = fix_rate_until(today);
        let until_key = Month::of(until).key();
        let (mut fix_filed, mut fix_resolved) = (0, 0);
        let mut totals = ReportCounts::default();
        let mut by_status: BTreeMap<ReportStatus, i64> = BTreeMap::new();
        let mut by_category: HashMap<i64, ReportCounts> = HashMap::new();
        let mut by_department: HashMap<i64, ReportCounts> = HashMap::new();
        let mut by_month: BTreeMap<String, BTreeMap<ReportStatus, i64>> = BTreeMap::new();
        for row in &rows {
            let Some(status) = ReportStatus::parse(&row.status) else { continue };
            if row.month <= until_key {
                fix_filed += row.reports;
                if status == ReportStatus::Resolved {
                    fix_resolved += row.reports;
                }
            }
            if !filter.statuses.is_empty() && !filter.statuses.contains(&status) {
                continue;
            }
            let counts = row.counts();
            totals.add(&counts);
            *by_status.entry(status).or_default() += row.reports;
            by_category.entry(row.category_id).or_default().add(&counts);
            by_department.entry(row.department_id).or_default().add(&counts);
            *by_month.entry(row.month.clone()).or_default().entry(status).or_default() +=
                row.reports;
        }
        let statuses: Vec<ReportStatus> = if filter.statuses.is_empty() {
            ReportStatus::ALL.to_vec()
        } else {
            ReportStatus::ALL.into_iter().filter(|s| filter.statuses.contains(s)).collect()
        };
        let month_keys: Vec<Month> = by_month.keys().filter_map(|k| Month::parse(k)).collect();
        let months = match (
            filter.from.or(month_keys.first().copied()),
            filter.to.or(month_keys.last().copied()),
        ) {
            (Some(first), Some(last)) => first.through(last),
            _ => Vec::new(),
        };
        let (response, response_by_category, response_by_department) = response_times(&durations);
        let mut by_category: Vec<(String, ReportCounts)> =
            by_category.into_iter().map(|(id, c)| (slug_of(id), c)).collect();
        by_category.sort_by(|a, b| b.1.reports.cmp(&a.1.reports).then_with(|| a.0.cmp(&b.0)));
        let mut by_department: Vec<(i64, ReportCounts)> = by_department.into_iter().collect();
        by_department.sort_by(|a, b| b.1.reports.cmp(&a.1.reports).then_with(|| a.0.cmp(&b.0)));

        let (initiatives, _) = self.initiative_votes(locality_id, filter).await?;
        let mut levels: BTreeMap<Option<Level>, i64> = BTreeMap::new();
        for i in &initiatives {
            *levels.entry(i.level).or_default() += 1;
        }
        let polls = self.polls_of(locality_id, filter).await?;
        let budget = self.budget_participation(locality_id, filter).await?;
        let (fixed_confirmed, fixed_disputed) = self.fixed_answers(locality_id, filter).await?;
        Ok(Statistics {
            filter: filter.clone(),
            totals,
            by_status: statuses
                .iter()
                .map(|s| (*s, by_status.get(s).copied().unwrap_or(0)))
                .collect(),
            by_category,
            by_department,
            departments: departments
                .into_iter()
                .map(|(id, name)| DepartmentName { id, name })
                .collect(),
            by_month: months
                .into_iter()
                .map(|m| {
                    let counts = by_month.get(&m.key());
                    let per_status = statuses
                        .iter()
                        .map(|s| (*s, counts.and_then(|c| c.get(s)).copied().unwrap_or(0)))
                        .collect();
                    (m, per_status)
                })
                .collect(),
            response,
            response_by_category: response_by_category
                .into_iter()
                .map(|(id, t)| (slug_of(id), t))
                .collect(),
            response_by_department: response_by_department.into_iter().collect(),
            fix_rate_until: (fix_filed > 0).then_some(until),
            fix_rate_filed: fix_filed,
            fix_rate_resolved: fix_resolved,
            fixed_confirmed,
            fixed_disputed,
            initiatives_by_level: levels.into_iter().collect(),
            polls: polls.len() as i64,
            poll_participants: polls.iter().map(|p| p.participants).sum(),
            budget,
        })
    }

    async fn year_report(
        &self,
        locality_id: i64,
        year: i32,
        today: NaiveDate,
    ) -> StoreResult<YearReport> {
        let filter = StatsFilter::year(year);
        let statistics = self.statistics(locality_id, &filter, today).await?;
        let (initiatives, _) = self.initiative_votes(locality_id, &filter).await?;
        let polls = self.polls_of(locality_id, &filter).await?;
        Ok(YearReport { year, statistics, initiatives, polls })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fix_rate_counts_months_that_ended_four_weeks_ago() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        assert_eq!(fix_rate_until(day(2026, 12, 2)), day(2026, 10, 31));
        assert_eq!(fix_rate_until(day(2026, 11, 28)), day(2026, 10, 31));
        assert_eq!(fix_rate_until(day(2026, 11, 27)), day(2026, 9, 30));
        assert_eq!(fix_rate_until(day(2026, 1, 10)), day(2025, 11, 30));
    }
}
