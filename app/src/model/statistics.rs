//! Statistics: the figures the statistics pages, the yearly activity report and their CSV files
//! show. The data layer keeps them exact at every write (see `server/src/db/statistics`).

use super::report::ReportStatus;
use super::vote::Level;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A month of the city's calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
}

impl Month {
    pub fn of(day: NaiveDate) -> Self {
        Self { year: day.year(), month: day.month() }
    }

    /// `YYYY-MM`, as stored and as written in addresses.
    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// Reads `YYYY-MM` (years 2000–2999).
    pub fn parse(s: &str) -> Option<Self> {
        let (y, m) = s.trim().split_once('-')?;
        let (year, month) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
        ((2000..3000).contains(&year) && (1..=12).contains(&month) && m.len() == 2)
            .then_some(Self { year, month })
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self { year: self.year + 1, month: 1 }
        } else {
            Self { year: self.year, month: self.month + 1 }
        }
    }

    /// Every month from `self` to `last`, both included (none when `last` is earlier).
    pub fn through(self, last: Month) -> Vec<Month> {
        let mut out = Vec::new();
        let mut m = self;
        while m <= last && out.len() < 1200 {
            out.push(m);
            m = m.next();
        }
        out
    }
}

/// What a statistics page is narrowed to; every part is kept in the address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsFilter {
    /// Reports filed from this month on (city time).
    pub from: Option<Month>,
    /// Reports filed up to this month, included.
    pub to: Option<Month>,
    /// Category slugs.
    pub categories: Vec<String>,
    /// Department ids; 0 stands for "no department yet".
    pub departments: Vec<i64>,
    pub statuses: Vec<ReportStatus>,
}

impl StatsFilter {
    /// Reads the address's `from=2026-01&to=2026-06&category=a,b&department=3,0&status=new`;
    /// what does not parse is left out (it comes from an address bar), and an inverted period
    /// is put the right way round.
    pub fn from_query(
        from: Option<&str>,
        to: Option<&str>,
        categories: Option<&str>,
        departments: Option<&str>,
        statuses: Option<&str>,
    ) -> Self {
        fn split(s: Option<&str>) -> impl Iterator<Item = &str> {
            s.unwrap_or_default().split(',').map(str::trim).filter(|p| !p.is_empty())
        }
        let (mut from, mut to) = (from.and_then(Month::parse), to.and_then(Month::parse));
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                (from, to) = (Some(t), Some(f));
            }
        }
        let slug_like =
            |s: &&str| s.len() <= 40 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        let mut filter = Self {
            from,
            to,
            categories: split(categories).filter(slug_like).take(50).map(str::to_owned).collect(),
            departments: split(departments).filter_map(|d| d.parse().ok()).take(50).collect(),
            statuses: split(statuses).filter_map(ReportStatus::parse).collect(),
        };
        filter.categories.sort();
        filter.categories.dedup();
        filter.departments.sort_unstable();
        filter.departments.dedup();
        filter
    }

    /// The filter as address parameters (empty parts left out), for links and CSV downloads.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(m) = self.from {
            parts.push(format!("from={}", m.key()));
        }
        if let Some(m) = self.to {
            parts.push(format!("to={}", m.key()));
        }
        if !self.categories.is_empty() {
            parts.push(format!("category={}", self.categories.join(",")));
        }
        if !self.departments.is_empty() {
            let ids: Vec<String> = self.departments.iter().map(i64::to_string).collect();
            parts.push(format!("department={}", ids.join(",")));
        }
        if !self.statuses.is_empty() {
            let s: Vec<&str> = self.statuses.iter().map(|s| s.as_str()).collect();
            parts.push(format!("status={}", s.join(",")));
        }
        parts.join("&")
    }

    /// A year, January to December.
    pub fn year(year: i32) -> Self {
        Self {
            from: Some(Month { year, month: 1 }),
            to: Some(Month { year, month: 12 }),
            ..Self::default()
        }
    }
}

/// Reports and what happened to them, summed over a set of rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportCounts {
    pub reports: i64,
    /// With at least one official answer.
    pub answered: i64,
    /// "I have this problem too".
    pub supporters: i64,
    pub followers: i64,
}

impl ReportCounts {
    pub fn add(&mut self, other: &ReportCounts) {
        self.reports += other.reports;
        self.answered += other.answered;
        self.supporters += other.supporters;
        self.followers += other.followers;
    }

    /// Answered among all, 0 when there are none.
    pub fn share_answered(&self) -> f64 {
        if self.reports == 0 {
            0.0
        } else {
            self.answered as f64 / self.reports as f64
        }
    }
}

/// How long something took, in minutes: how many reports, the median and the 90th percentile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DurationSummary {
    pub reports: i64,
    pub median_minutes: Option<i64>,
    pub p90_minutes: Option<i64>,
}

impl DurationSummary {
    /// From `(minutes, reports)` pairs in any order. The percentile is the smallest value with at
    /// least that share of the reports at or below it (the "nearest rank" definition).
    pub fn from_counts(counts: &[(i64, i64)]) -> Self {
        let mut sorted: Vec<(i64, i64)> = counts.iter().copied().filter(|(_, n)| *n > 0).collect();
        sorted.sort_unstable();
        let total: i64 = sorted.iter().map(|(_, n)| n).sum();
        let rank = |q_num: i64, q_den: i64| -> Option<i64> {
            if total == 0 {
                return None;
            }
            // ceil(total × q), at least 1.
            let wanted = ((total * q_num + q_den - 1) / q_den).max(1);
            let mut seen = 0;
            sorted.iter().find_map(|(minutes, n)| {
                seen += n;
                (seen >= wanted).then_some(*minutes)
            })
        };
        Self { reports: total, median_minutes: rank(1, 2), p90_minutes: rank(9, 10) }
    }
}

/// The minutes a duration is counted under: exact up to a day, to ten minutes up to a week, to
/// the hour beyond (a duration is never negative; a started minute counts whole).
pub fn duration_bucket(seconds: i64) -> i64 {
    let minutes = (seconds.max(0) + 59) / 60;
    match minutes {
        m if m <= 24 * 60 => m,
        m if m <= 7 * 24 * 60 => m - m % 10,
        m => m - m % 60,
    }
}

/// Response times for one group (a category, a department, or all).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseTimes {
    /// From filing to the first official answer.
    pub answer: DurationSummary,
    /// From filing to resolution.
    pub resolution: DurationSummary,
}

/// A department as the statistics name it (0: not yet assigned).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentName {
    pub id: i64,
    pub name: String,
}

/// Everything a statistics page shows for one locality and filter.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Statistics {
    pub filter: StatsFilter,
    pub totals: ReportCounts,
    /// Every status, in workflow order, with its count (zeros included).
    pub by_status: Vec<(ReportStatus, i64)>,
    /// Category slug → counts, largest first.
    pub by_category: Vec<(String, ReportCounts)>,
    /// Department id (0: none) → counts, largest first.
    pub by_department: Vec<(i64, ReportCounts)>,
    pub departments: Vec<DepartmentName>,
    /// Each month of the period (or of the data) with its count per status.
    pub by_month: Vec<(Month, Vec<(ReportStatus, i64)>)>,
    pub response: ResponseTimes,
    pub response_by_category: Vec<(String, ResponseTimes)>,
    pub response_by_department: Vec<(i64, ResponseTimes)>,
    /// Reports filed up to `fix_rate_until` (at least four weeks ago) and how many of them are
    /// resolved.
    pub fix_rate_until: Option<NaiveDate>,
    pub fix_rate_filed: i64,
    pub fix_rate_resolved: i64,
    /// Reporters' answers to "Is it fixed?" given in the period: yes, and no (which reopened
    /// the report, so it also left the fix rate's resolved reports).
    pub fixed_confirmed: i64,
    pub fixed_disputed: i64,
    /// Initiatives by badge level reached (`None`: below START), in the period.
    pub initiatives_by_level: Vec<(Option<Level>, i64)>,
    pub polls: i64,
    pub poll_participants: i64,
    /// Civic-budget editions whose voting opened in the period.
    pub budget: Vec<BudgetParticipation>,
}

/// Who took part in one civic-budget edition: proposals made and ballots cast.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetParticipation {
    pub edition_id: i64,
    pub slug: String,
    pub title: super::Localized,
    pub voting_from: chrono::DateTime<chrono::Utc>,
    /// Proposals sent for review (drafts left out), and those found feasible.
    pub proposals: i64,
    pub feasible: i64,
    /// Confirmed ballots, over all the edition's budgets.
    pub ballots_internet: i64,
    pub ballots_paper: i64,
}

impl BudgetParticipation {
    pub fn ballots(&self) -> i64 {
        self.ballots_internet + self.ballots_paper
    }
}

/// A year's initiative as the activity report lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearInitiative {
    pub id: i64,
    pub title: String,
    pub lang: String,
    pub author: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub votes: i64,
    pub level: Option<Level>,
}

/// A year's poll with its results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearPoll {
    pub id: i64,
    pub question: super::Localized,
    pub opens_at: chrono::DateTime<chrono::Utc>,
    pub participants: i64,
    /// Label and votes, in the poll's order.
    pub options: Vec<(super::Localized, i64)>,
}

/// The yearly activity report, as the city published it for 2023.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearReport {
    pub year: i32,
    pub statistics: Statistics,
    pub initiatives: Vec<YearInitiative>,
    pub polls: Vec<YearPoll>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_order_and_step() {
        let jan = Month::parse("2026-01").expect("a month");
        assert_eq!(jan.key(), "2026-01");
        assert_eq!(Month::parse("2026-1"), None);
        assert_eq!(Month::parse("2026-13"), None);
        assert_eq!(Month::parse("nonsense"), None);
        let dec = Month { year: 2025, month: 12 };
        assert_eq!(dec.next(), jan);
        assert_eq!(dec.through(Month { year: 2026, month: 2 }).len(), 3);
        assert!(jan.through(dec).is_empty());
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let s = DurationSummary::from_counts(&[(60, 1), (10, 1), (30, 1), (20, 1)]);
        assert_eq!((s.reports, s.median_minutes, s.p90_minutes), (4, Some(20), Some(60)));
        let s = DurationSummary::from_counts(&[(5, 9), (100, 1)]);
        assert_eq!((s.median_minutes, s.p90_minutes), (Some(5), Some(5)));
        let s = DurationSummary::from_counts(&[(5, 8), (100, 2)]);
        assert_eq!(s.p90_minutes, Some(100));
        assert_eq!(DurationSummary::from_counts(&[]).median_minutes, None);
    }

    #[test]
    fn durations_are_exact_to_the_minute_for_a_day() {
        assert_eq!(duration_bucket(0), 0);
        assert_eq!(duration_bucket(1), 1);
        assert_eq!(duration_bucket(3600), 60);
        assert_eq!(duration_bucket(24 * 3600), 1440);
        assert_eq!(duration_bucket(2 * 24 * 3600 + 7 * 60), 2 * 1440);
        assert_eq!(duration_bucket(10 * 24 * 3600 + 59 * 60), 10 * 1440);
        assert_eq!(duration_bucket(-5), 0);
    }

    #[test]
    fn filters_read_the_address_and_write_it_back() {
        let f = StatsFilter::from_query(
            Some("2026-06"),
            Some("2026-01"),
            Some("roads,green-spaces,roads,<script>"),
            Some("3,0,x"),
            Some("new,bogus"),
        );
        assert_eq!(f.from, Month::parse("2026-01"));
        assert_eq!(f.to, Month::parse("2026-06"));
        assert_eq!(f.categories, vec!["green-spaces", "roads"]);
        assert_eq!(f.departments, vec![0, 3]);
        assert_eq!(f.statuses, vec![ReportStatus::New]);
        assert_eq!(
            f.to_query(),
            "from=2026-01&to=2026-06&category=green-spaces,roads&department=0,3&status=new"
        );
    }
}
