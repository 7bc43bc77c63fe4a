//! Statistics per locality, read from the tables the writes keep exact ([`upkeep`]): a page
//! reads a few thousand rows whatever the number of reports.

mod activity;
pub(crate) mod upkeep;

use super::{store_err, with_pool, Db};
use app::format::day_start_utc;
use app::model::statistics::{
    DepartmentName, DurationSummary, Month, ReportCounts, ResponseTimes, Statistics, StatsFilter,
    YearInitiative, YearPoll, YearReport,
};
use app::model::vote::Level;
use app::model::ReportStatus;
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
}

impl Db {
    /// The figures for `filter`, with the initiatives and polls they count (the yearly report
    /// lists them).
    async fn statistics_with_lists(
        &self,
        locality_id: i64,
        filter: &StatsFilter,
        today: NaiveDate,
    ) -> StoreResult<(Statistics, Vec<YearInitiative>, Vec<YearPoll>)> {
        // The reads do not depend on each other: on PostgreSQL they run side by side on the
        // pool's connections, so the page waits for the slowest, not for their sum.
        let names = async {
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
            .map_err(store_err)
        };
        type Names = (Vec<(i64, String)>, Vec<(i64, String)>);
        let (rows, durations, (categories, departments), (initiatives, _), polls, budget, fixed): (
            _,
            _,
            Names,
            _,
            _,
            _,
            _,
        ) = tokio::try_join!(
            self.stats_rows(locality_id, filter),
            self.duration_rows(locality_id, filter),
            names,
            self.initiative_votes(locality_id, filter),
            self.polls_of(locality_id, filter),
            self.budget_participation(locality_id, filter),
            self.fixed_answers(locality_id, filter),
        )?;
        let (fixed_confirmed, fixed_disputed) = fixed;
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

        let mut levels: BTreeMap<Option<Level>, i64> = BTreeMap::new();
        for i in &initiatives {
            *levels.entry(i.level).or_default() += 1;
        }
        let statistics = Statistics {
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
        };
        Ok((statistics, initiatives, polls))
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
        Ok(self.statistics_with_lists(locality_id, filter, today).await?.0)
    }

    async fn year_report(
        &self,
        locality_id: i64,
        year: i32,
        today: NaiveDate,
    ) -> StoreResult<YearReport> {
        let filter = StatsFilter::year(year);
        let (statistics, initiatives, polls) =
            self.statistics_with_lists(locality_id, &filter, today).await?;
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
