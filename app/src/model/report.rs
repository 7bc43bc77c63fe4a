//! Reports of city problems as the map and lists show them.

use super::LatLng;
use chrono::{DateTime, Utc};
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
        }
    }

    pub fn categories_param(&self) -> String {
        self.categories.join(",")
    }

    pub fn statuses_param(&self) -> String {
        self.statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")
    }
}
