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
    /// Following an initiative: levels reached and the city hall's answer.
    Initiative,
    /// Following a poll: its results when it closes.
    Poll,
    /// Following a civic-budget project: its review and the edition's results.
    Project,
    /// The NGO network's quarterly newsletter of a locality.
    Newsletter,
}

impl SubscriptionKind {
    pub const ALL: [SubscriptionKind; 6] = [
        SubscriptionKind::Report,
        SubscriptionKind::Area,
        SubscriptionKind::Initiative,
        SubscriptionKind::Poll,
        SubscriptionKind::Project,
        SubscriptionKind::Newsletter,
    ];

    /// Whether this kind is kept in `follows` (a signed-in person following one thing).
    pub fn is_follow(self) -> bool {
        matches!(
            self,
            SubscriptionKind::Initiative | SubscriptionKind::Poll | SubscriptionKind::Project
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionKind::Report => "report",
            SubscriptionKind::Area => "area",
            SubscriptionKind::Initiative => "initiative",
            SubscriptionKind::Poll => "poll",
            SubscriptionKind::Project => "project",
            SubscriptionKind::Newsletter => "newsletter",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "report" => Some(SubscriptionKind::Report),
            "area" => Some(SubscriptionKind::Area),
            "initiative" => Some(SubscriptionKind::Initiative),
            "poll" => Some(SubscriptionKind::Poll),
            "project" => Some(SubscriptionKind::Project),
            "newsletter" => Some(SubscriptionKind::Newsletter),
            _ => None,
        }
    }
}

/// One subscription as the page that manages them shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    pub kind: SubscriptionKind,
    pub id: i64,
    /// The followed report, initiative, poll or project (none for an area or a newsletter).
    pub target_id: Option<i64>,
    /// The followed thing's page on its locality's site, after `/{lang}` (`/reports/7`,
    /// `/sangerei/polls/3`).
    pub page: Option<String>,
    /// Its title in the subscriber's language, or empty for an area; a newsletter's
    /// locality's name.
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
        for kind in SubscriptionKind::ALL {
            assert_eq!(SubscriptionKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(SubscriptionKind::parse("survey"), None);
    }
}
