//! "Is it fixed?": the question put to a reporter some days after the city hall marked their
//! report resolved. "No" reopens the report.

use super::ReportStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The reporter's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FixedAnswer {
    Fixed,
    NotFixed,
}

impl FixedAnswer {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fixed => "fixed",
            Self::NotFixed => "not_fixed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "fixed" => Some(Self::Fixed),
            "not_fixed" => Some(Self::NotFixed),
            _ => None,
        }
    }
}

/// The question as its page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FixedCheck {
    pub report_id: i64,
    pub locality_id: i64,
    pub title: String,
    /// The report's status now (a reopened report is in progress again).
    pub status: ReportStatus,
    /// When the city hall marked it resolved: the resolution the question is about.
    pub resolved_at: DateTime<Utc>,
    pub answer: Option<FixedAnswer>,
}

#[cfg(test)]
mod tests {
    use super::FixedAnswer;

    #[test]
    fn answers_read_back_what_they_write() {
        for a in [FixedAnswer::Fixed, FixedAnswer::NotFixed] {
            assert_eq!(FixedAnswer::parse(a.as_str()), Some(a));
        }
        assert_eq!(FixedAnswer::parse("maybe"), None);
    }
}
