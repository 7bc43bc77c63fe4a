//! Reports of city problems as the map and lists show them.

use super::LatLng;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Where a report stands; Romanian names follow the city's own platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    New,
    Accepted,
    Resolved,
    Rejected,
    Duplicate,
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 5] =
        [Self::New, Self::Accepted, Self::Resolved, Self::Rejected, Self::Duplicate];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Accepted => "accepted",
            Self::Resolved => "resolved",
            Self::Rejected => "rejected",
            Self::Duplicate => "duplicate",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Pin colour; chosen for contrast against map tiles and for colour-blind readers
    /// (each status also has its own label and marker shape in the list).
    pub fn color(self) -> &'static str {
        match self {
            Self::New => "#c0392b",
            Self::Accepted => "#d68910",
            Self::Resolved => "#1e8449",
            Self::Rejected => "#5d6d7e",
            Self::Duplicate => "#7d3c98",
        }
    }
}

/// One pin or one cluster of pins on the map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MapFeature {
    Pin { id: i64, at: LatLng, status: ReportStatus, category: String, title: String },
    Cluster { at: LatLng, count: i64 },
}

/// What the map shows for one viewport.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MapFeatures {
    pub features: Vec<MapFeature>,
    /// Reports in the box, counting those inside clusters.
    pub total: i64,
}

/// A report as lists show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportSummary {
    pub id: i64,
    pub title: String,
    pub status: ReportStatus,
    pub category: String,
    pub at: LatLng,
    pub address: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The last change of status or answer (the staff queue flags reports in progress too long).
    pub updated_at: DateTime<Utc>,
    pub supporters: i64,
}

/// An open report near a new one's pin ("is this the same problem?"): just enough to
/// recognise it, so the browser parses no dates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NearbyReport {
    pub id: i64,
    pub title: String,
    pub status: ReportStatus,
}

impl From<ReportSummary> for NearbyReport {
    fn from(r: ReportSummary) -> Self {
        Self { id: r.id, title: r.title, status: r.status }
    }
}

/// The filters a map or list view is narrowed by; they live in the page's query string so a
/// filtered map can be bookmarked and shared.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFilter {
    /// Category slugs; empty means all.
    pub categories: Vec<String>,
    /// Empty means all.
    pub statuses: Vec<ReportStatus>,
    /// Reported on or after this day (city time).
    pub since: Option<NaiveDate>,
    /// Reported on or before this day (city time).
    pub until: Option<NaiveDate>,
    /// Words to find in the title, description or address.
    pub text: Option<String>,
    /// Only the reports of this locality (set by the server from the request, never typed).
    #[serde(default)]
    pub locality_id: Option<i64>,
}

impl ReportFilter {
    /// Narrows the filter to one locality's reports.
    pub fn in_locality(mut self, locality_id: i64) -> Self {
        self.locality_id = Some(locality_id);
        self
    }

    /// Reads `category=a,b&status=new,accepted` style values, ignoring unknown statuses.
    pub fn from_query(categories: Option<&str>, statuses: Option<&str>) -> Self {
        fn split(s: Option<&str>) -> impl Iterator<Item = &str> {
            s.unwrap_or_default().split(',').map(str::trim).filter(|p| !p.is_empty())
        }
        Self {
            categories: split(categories).map(str::to_owned).collect(),
            statuses: split(statuses).filter_map(ReportStatus::parse).collect(),
            ..Self::default()
        }
    }

    /// Adds the date range and free text (`since=2026-01-01&until=…&q=…`); invalid dates are
    /// ignored rather than refused, as they come from an address bar.
    pub fn with_extras(
        mut self,
        since: Option<&str>,
        until: Option<&str>,
        text: Option<&str>,
    ) -> Self {
        let date =
            |s: Option<&str>| s.and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok());
        self.since = date(since);
        self.until = date(until);
        self.text =
            text.map(str::trim).filter(|t| !t.is_empty()).map(|t| t.chars().take(100).collect());
        self
    }

    pub fn categories_param(&self) -> String {
        self.categories.join(",")
    }

    pub fn statuses_param(&self) -> String {
        self.statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")
    }

    /// The filter as query-string pairs (only the ones set).
    pub fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if !self.categories.is_empty() {
            pairs.push(("category", self.categories_param()));
        }
        if !self.statuses.is_empty() {
            pairs.push(("status", self.statuses_param()));
        }
        if let Some(d) = self.since {
            pairs.push(("since", d.to_string()));
        }
        if let Some(d) = self.until {
            pairs.push(("until", d.to_string()));
        }
        if let Some(t) = &self.text {
            pairs.push(("q", t.clone()));
        }
        pairs
    }
}

/// A filter as the report-listing server functions take it: the query values as typed, each
/// parsed on the server.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportFilterArgs {
    pub category: Option<String>,
    pub status: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub q: Option<String>,
}

impl ReportFilterArgs {
    /// The arguments that give `filter`.
    pub fn of(filter: &ReportFilter) -> Self {
        let some = |s: String| (!s.is_empty()).then_some(s);
        Self {
            category: some(filter.categories_param()),
            status: some(filter.statuses_param()),
            since: filter.since.map(|d| d.to_string()),
            until: filter.until.map(|d| d.to_string()),
            q: filter.text.clone(),
        }
    }

    /// Reads a query string such as `?status=new&status=accepted&category=roads&q=…`:
    /// repeated keys are joined with commas, other keys are ignored.
    pub fn from_search(search: &str) -> Self {
        let mut args = Self::default();
        for pair in search.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode_query_component(value);
            if value.is_empty() {
                continue;
            }
            let slot = match key {
                "category" => &mut args.category,
                "status" => &mut args.status,
                "since" => &mut args.since,
                "until" => &mut args.until,
                "q" => &mut args.q,
                _ => continue,
            };
            match slot {
                Some(joined) if matches!(key, "category" | "status") => {
                    joined.push(',');
                    joined.push_str(&value);
                }
                _ => *slot = Some(value),
            }
        }
        args
    }

    /// The filter these arguments give, as the server reads them.
    pub fn to_filter(&self) -> ReportFilter {
        ReportFilter::from_query(self.category.as_deref(), self.status.as_deref()).with_extras(
            self.since.as_deref(),
            self.until.as_deref(),
            self.q.as_deref(),
        )
    }

    /// How many kinds of filter are set (the number beside "Filters"); counted without
    /// parsing, so that the browser needs no date parser for it.
    pub fn active_count(&self) -> usize {
        [&self.category, &self.status, &self.since, &self.until, &self.q]
            .into_iter()
            .filter(|v| v.is_some())
            .count()
    }
}

/// `application/x-www-form-urlencoded` decoding of one value: `+` is a space, `%XX` a byte;
/// broken escapes are kept as written.
pub fn decode_query_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Lowercases and strips Romanian diacritics, so that "Pușkin" finds "puskin" and the reverse;
/// both the stored search text and the query go through it.
pub fn search_key(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ă' | 'â' => 'a',
            'î' => 'i',
            'ș' | 'ş' => 's',
            'ț' | 'ţ' => 't',
            other => other,
        })
        .collect()
}

/// How a list of reports is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportSort {
    #[default]
    Newest,
    MostSupported,
    /// Oldest first: the staff queue's order.
    Oldest,
}

impl ReportSort {
    pub fn parse(s: &str) -> Self {
        match s {
            "supported" | "most_supported" => Self::MostSupported,
            "oldest" => Self::Oldest,
            _ => Self::Newest,
        }
    }

    pub fn as_param(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::MostSupported => "supported",
            Self::Oldest => "oldest",
        }
    }
}

/// Staff-only narrowing of a list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffFilter {
    pub locality_id: i64,
    pub department_id: Option<i64>,
    /// Only reports waiting (not resolved, rejected or duplicate) for longer than this.
    pub waiting_days: Option<u32>,
    /// Only reports whose pin still needs placing.
    pub needs_location: bool,
}

/// A page of a list of reports.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportQuery {
    pub filter: ReportFilter,
    pub bbox: Option<super::BBox>,
    pub sort: ReportSort,
    /// 0-based.
    pub page: u32,
    pub per_page: u32,
    /// Only the reports of this account.
    pub reporter_id: Option<i64>,
    pub staff: Option<StaffFilter>,
}

/// A photo of a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoInfo {
    pub id: i64,
    pub width: u32,
    pub height: u32,
    /// Set when a moderator hid the photo; the public then sees only the reason.
    pub hidden_reason: Option<String>,
}

/// A status change or an official response, as the timeline shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub from: Option<ReportStatus>,
    pub to: Option<ReportStatus>,
    pub body: String,
    /// Written by the city hall (shown as such).
    pub official: bool,
    pub actor: String,
}

/// A citizen's comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentInfo {
    pub id: i64,
    pub author: String,
    /// Empty for the public when hidden by a moderator.
    pub body: String,
    pub at: DateTime<Utc>,
    pub hidden_reason: Option<String>,
}

/// Everything a report's page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportDetail {
    pub id: i64,
    pub locality_id: i64,
    pub title: String,
    pub description: String,
    pub category: String,
    pub category_id: i64,
    pub status: ReportStatus,
    pub at: LatLng,
    /// False until staff place the pin of a report sent without coordinates.
    pub location_confirmed: bool,
    pub address: Option<String>,
    /// The reporter's name, when they chose to show it.
    pub reporter: Option<String>,
    pub department: Option<String>,
    pub duplicate_of: Option<i64>,
    pub supporters: i64,
    pub created_at: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub photos: Vec<PhotoInfo>,
    pub timeline: Vec<TimelineEntry>,
    pub comments: Vec<CommentInfo>,
    /// The viewer already said "I have this problem too".
    pub supported_by_viewer: bool,
    pub subscribed_by_viewer: bool,
    /// For staff: who reported and how to reach them (never shown publicly).
    pub reporter_contact: Option<String>,
    /// For staff: the colleague who filed it at the desk on a visitor's behalf.
    #[serde(default)]
    pub assisted_by: Option<String>,
}

/// The workflow: which status may follow which.
pub fn transition_allowed(from: ReportStatus, to: ReportStatus) -> bool {
    use ReportStatus::*;
    matches!(
        (from, to),
        (New, Accepted | Rejected | Duplicate)
            | (Accepted, Resolved | Rejected | Duplicate)
            // Reopening.
            | (Resolved | Rejected | Duplicate, Accepted)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn filter_args_read_a_query_string() {
        use super::ReportFilterArgs;
        let args = ReportFilterArgs::from_search(
            "?status=new&status=accepted&category=roads&q=Pu%C8%99kin+street&since=&x=1",
        );
        assert_eq!(args.status.as_deref(), Some("new,accepted"));
        assert_eq!(args.category.as_deref(), Some("roads"));
        assert_eq!(args.q.as_deref(), Some("Pușkin street"));
        assert_eq!(args.since, None);
        assert_eq!(args.active_count(), 3);
        assert_eq!(ReportFilterArgs::from_search("").active_count(), 0);
        assert_eq!(super::decode_query_component("100%"), "100%");
        assert_eq!(super::decode_query_component("%zz%4"), "%zz%4");
    }

    use super::*;

    #[test]
    fn the_workflow_allows_only_its_transitions() {
        use ReportStatus::*;
        assert!(transition_allowed(New, Accepted));
        assert!(transition_allowed(Accepted, Resolved));
        assert!(transition_allowed(Resolved, Accepted));
        assert!(!transition_allowed(New, Resolved));
        assert!(!transition_allowed(New, New));
        assert!(!transition_allowed(Rejected, Resolved));
    }

    #[test]
    fn search_keys_ignore_case_and_diacritics() {
        assert_eq!(search_key("Strada PUȘKIN, Bălți"), "strada puskin, balti");
        assert_eq!(search_key("Фонарь"), "фонарь");
    }

    #[test]
    fn filters_round_trip_through_the_query_string() {
        let f = ReportFilter::from_query(Some("roads,waste"), Some("new,bogus")).with_extras(
            Some("2026-01-31"),
            Some("not a date"),
            Some("  groapă "),
        );
        assert_eq!(f.statuses, vec![ReportStatus::New]);
        assert_eq!(f.since, NaiveDate::from_ymd_opt(2026, 1, 31));
        assert_eq!(f.until, None);
        assert_eq!(f.text.as_deref(), Some("groapă"));
        assert_eq!(f.to_query_pairs().len(), 4);
    }
}

/// Properties that hold for any input whatsoever (proptest generates it).
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn filters_from_an_address_bar_never_panic(
            c in "\\PC{0,30}", st in "\\PC{0,30}|(new|accepted|resolved|x),?{1,4}",
            since in "\\PC{0,12}|20[0-9]{2}-[01][0-9]-[0-3][0-9]", q in "\\PC{0,300}",
        ) {
            let f = ReportFilter::from_query(Some(&c), Some(&st)).with_extras(Some(&since), None, Some(&q));
            prop_assert!(f.categories.iter().all(|c| !c.is_empty() && !c.contains(',')));
            prop_assert!(f.text.as_ref().is_none_or(|t| t.chars().count() <= 100 && !t.is_empty()));
        }
    }
}
