//! The implementation of the civic budget's funded projects: where each stands, how far it
//! got, who does it, what it cost, and the dated milestones on the way.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a funded project's work stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkStatus {
    Planned,
    InProgress,
    Done,
}

impl WorkStatus {
    pub const ALL: [WorkStatus; 3] =
        [WorkStatus::Planned, WorkStatus::InProgress, WorkStatus::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            WorkStatus::Planned => "planned",
            WorkStatus::InProgress => "in_progress",
            WorkStatus::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.as_str() == s)
    }
}

/// A funded project's implementation, as staff keep it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectWork {
    pub status: WorkStatus,
    /// 0–100.
    pub progress: u8,
    pub department_id: Option<i64>,
    pub department: Option<String>,
    /// What it cost in the end, in lei, once known.
    pub actual_cost: Option<u64>,
}

/// A dated step of a project's implementation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub id: i64,
    pub proposal_id: i64,
    /// The day it happened, in the city.
    pub on: NaiveDate,
    /// The language it is written in.
    pub lang: String,
    pub body: String,
    /// Served at `/media/milestones/{id}`.
    pub has_photo: bool,
}

/// Staff's update of a project's implementation, once checked.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkUpdate {
    pub proposal_id: i64,
    pub status: WorkStatus,
    pub progress: u8,
    pub department_id: Option<i64>,
    pub actual_cost: Option<u64>,
}

/// A milestone as staff add it, once checked (its photo already stored under `photo_stem`).
#[derive(Clone, Debug, PartialEq)]
pub struct NewMilestone {
    pub proposal_id: i64,
    pub on: NaiveDate,
    pub lang: String,
    pub body: String,
    pub photo_stem: Option<String>,
}

/// A finished project is at 100 %; a planned one has not started.
pub fn consistent(status: WorkStatus, progress: u8) -> bool {
    match status {
        WorkStatus::Planned => progress == 0,
        WorkStatus::InProgress => progress < 100,
        WorkStatus::Done => progress == 100,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_back_and_progress_matches_them() {
        for s in WorkStatus::ALL {
            assert_eq!(WorkStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(WorkStatus::parse("finished"), None);
        assert!(consistent(WorkStatus::Planned, 0));
        assert!(!consistent(WorkStatus::Planned, 10));
        assert!(consistent(WorkStatus::InProgress, 0));
        assert!(!consistent(WorkStatus::InProgress, 100));
        assert!(consistent(WorkStatus::Done, 100));
        assert!(!consistent(WorkStatus::Done, 90));
    }
}

/// A funded project being implemented that has a place: what the city map's project layer
/// shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FundedPlace {
    pub proposal_id: i64,
    pub edition_slug: String,
    pub title: String,
    /// The language the title is written in.
    pub lang: String,
    pub at: super::LatLng,
    pub status: WorkStatus,
    pub progress: u8,
}

/// The project layer of the city map, its words already in the visitor's language, so the
/// browser draws it without formatting anything.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProjectMarks {
    /// The popups' link text.
    pub open: String,
    pub marks: Vec<ProjectMark>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectMark {
    pub at: super::LatLng,
    pub title: String,
    pub lang: String,
    /// Status and progress ("In progress · 60 %").
    pub caption: String,
    pub href: String,
    pub status: WorkStatus,
}
