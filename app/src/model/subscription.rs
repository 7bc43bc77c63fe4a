//! Subscriptions: what a person follows and is mailed about.

use serde::{Deserialize, Serialize};

/// Which table a subscription lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionKind {
    /// Following one report: its status changes and official answers.
    Report,
    /// New reports around a place.
    Area,
}

impl SubscriptionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionKind::Report => "report",
            SubscriptionKind::Area => "area",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "report" => Some(SubscriptionKind::Report),
            "area" => Some(SubscriptionKind::Area),
            _ => None,
        }
    }
}

/// One subscription as the page that manages them shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    pub kind: SubscriptionKind,
    pub id: i64,
    /// The followed report (`Report`).
    pub report_id: Option<i64>,
    /// The report's title, or empty for an area.
    pub title: String,
    /// The area's centre and radius (`Area`).
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub radius_m: Option<i64>,
    /// A daily digest instead of a message per report (`Area`).
    pub digest: bool,
    /// False until an e-mail address confirmed by link.
    pub confirmed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_what_they_write() {
        for kind in [SubscriptionKind::Report, SubscriptionKind::Area] {
            assert_eq!(SubscriptionKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(SubscriptionKind::parse("poll"), None);
    }
}
