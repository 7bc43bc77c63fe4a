//! Reports of city problems as the map and lists show them.

use super::LatLng;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Where a report stands; Romanian names follow the city's own platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    pub supporters: i64,
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
}

impl ReportFilter {
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
