//! Initiatives and polls: what citizens vote on, and what the votes add up to.

use super::{LatLng, Localized, Viewer};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An initiative's badge, earned by its number of supporters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Start,
    Go,
    Popular,
    Viral,
    Gold,
}

impl Level {
    pub const ALL: [Level; 5] =
        [Level::Start, Level::Go, Level::Popular, Level::Viral, Level::Gold];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Start => "start",
            Level::Go => "go",
            Level::Popular => "popular",
            Level::Viral => "viral",
            Level::Gold => "gold",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The badge's name as the city's platform writes it (the same in every language).
    pub fn badge(self) -> &'static str {
        match self {
            Level::Start => "START",
            Level::Go => "GO",
            Level::Popular => "POPULAR",
            Level::Viral => "VIRAL",
            Level::Gold => "GOLD",
        }
    }
}

/// The supporters each level needs, per locality; START 10+, GO 100+, POPULAR 200+, VIRAL 500+,
/// GOLD 1000+ unless the locality sets others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds(pub [i64; 5]);

impl Default for Thresholds {
    fn default() -> Self {
        Self([10, 100, 200, 500, 1000])
    }
}

impl Thresholds {
    pub fn of(&self, level: Level) -> i64 {
        self.0[level as usize]
    }

    /// The highest level `votes` reach.
    pub fn level(&self, votes: i64) -> Option<Level> {
        Level::ALL.into_iter().rev().find(|l| votes >= self.of(*l))
    }

    /// The next level and the supporters it needs.
    pub fn next(&self, votes: i64) -> Option<(Level, i64)> {
        Level::ALL.into_iter().find(|l| votes < self.of(*l)).map(|l| (l, self.of(l)))
    }

    /// Every level `votes` reach.
    pub fn reached(&self, votes: i64) -> impl Iterator<Item = Level> + '_ {
        Level::ALL.into_iter().filter(move |l| votes >= self.of(*l))
    }
}

/// An initiative as lists show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InitiativeSummary {
    pub id: i64,
    pub title: String,
    /// The language it was written in.
    pub lang: String,
    pub category: Option<String>,
    pub author: String,
    pub created_at: DateTime<Utc>,
    pub closes_at: Option<DateTime<Utc>>,
    pub votes: i64,
    pub level: Option<Level>,
    pub at: Option<LatLng>,
    pub answered: bool,
}

/// Everything an initiative's page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InitiativeDetail {
    pub summary: InitiativeSummary,
    pub locality_id: i64,
    pub body: String,
    pub has_image: bool,
    pub thresholds: Thresholds,
    /// When each level was first reached.
    pub levels_reached: Vec<(Level, DateTime<Utc>)>,
    /// The level at which the city hall owes an answer.
    pub answer_level: Option<Level>,
    pub official_answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub supported_by_viewer: bool,
    /// Set when a moderator hid it; hidden initiatives accept no votes.
    pub hidden_reason: Option<String>,
}

impl InitiativeDetail {
    /// No more support is taken (deadline passed or hidden).
    pub fn closed(&self, now: DateTime<Utc>) -> bool {
        self.hidden_reason.is_some() || self.summary.closes_at.is_some_and(|c| c <= now)
    }
}

/// How initiatives are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InitiativeSort {
    #[default]
    MostSupported,
    Newest,
    ClosingSoon,
}

impl InitiativeSort {
    pub fn parse(s: &str) -> Self {
        match s {
            "newest" => Self::Newest,
            "closing" => Self::ClosingSoon,
            _ => Self::MostSupported,
        }
    }

    pub fn as_param(self) -> &'static str {
        match self {
            Self::MostSupported => "supported",
            Self::Newest => "newest",
            Self::ClosingSoon => "closing",
        }
    }
}

/// A page of the initiatives list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InitiativeQuery {
    pub locality_id: i64,
    pub sort: InitiativeSort,
    pub category: Option<String>,
    pub level: Option<Level>,
    pub author_id: Option<i64>,
    /// Only those that reached the answer level and still wait for the city hall.
    pub awaiting_answer: bool,
    pub page: u32,
    pub per_page: u32,
}

/// The supporters of an initiative after a vote or a withdrawal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub votes: i64,
    pub level: Option<Level>,
    pub supported: bool,
}

/// Whether a poll takes votes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PollStatus {
    Upcoming,
    Open,
    Closed,
}

impl PollStatus {
    pub fn at(opens: DateTime<Utc>, closes: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        if now < opens {
            Self::Upcoming
        } else if now < closes {
            Self::Open
        } else {
            Self::Closed
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Upcoming => "upcoming",
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }
}

/// A poll as lists show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PollSummary {
    pub id: i64,
    pub locality_id: i64,
    pub question: Localized,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub status: PollStatus,
    pub participants: i64,
}

/// One answer a poll offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollOption {
    pub id: i64,
    pub label: Localized,
    /// An outside document, e.g. a candidate's CV.
    pub link: Option<String>,
}

/// The counts of a poll: per option, and how many people took part.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollResults {
    pub poll_id: i64,
    pub participants: i64,
    /// (option id, votes), in the options' order.
    pub votes: Vec<(i64, i64)>,
}

impl PollResults {
    pub fn votes_for(&self, option: i64) -> i64 {
        self.votes.iter().find(|(o, _)| *o == option).map_or(0, |(_, n)| *n)
    }

    /// The share of participants who chose `option` (0 with no participants).
    pub fn share(&self, option: i64) -> f64 {
        if self.participants == 0 {
            0.0
        } else {
            self.votes_for(option) as f64 / self.participants as f64
        }
    }
}

/// Everything a poll's page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PollDetail {
    pub summary: PollSummary,
    pub description: Localized,
    pub options: Vec<PollOption>,
    /// 1 for single choice.
    pub max_choices: i64,
    pub results_before_vote: bool,
    /// `None` while the results are not to be shown to this viewer.
    pub results: Option<PollResults>,
    /// The viewer's own choices, once they voted.
    pub viewer_choices: Option<Vec<i64>>,
}

impl PollDetail {
    /// Whether `viewer` may see the counts now: when they are public before voting, once the
    /// viewer voted, once the poll closed, and always for the staff of the poll's locality.
    pub fn results_visible_to(&self, viewer: &Viewer) -> bool {
        self.results_before_vote
            || self.viewer_choices.is_some()
            || self.summary.status == PollStatus::Closed
            || viewer.is_staff_of(self.summary.locality_id)
    }
}

/// What a vote did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteOutcome {
    Recorded,
    /// The same person had already voted; nothing changed.
    AlreadyVoted,
}

/// One of a person's votes, for "my votes".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyVote {
    pub kind: SubjectKind,
    pub id: i64,
    pub title: String,
    pub cast_at: DateTime<Utc>,
}

/// What a ballot is cast on: the one voting mechanism serves initiatives and polls (the
/// `ballots.subject_kind` column holds `as_str`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubjectKind {
    Initiative,
    Poll,
}

impl SubjectKind {
    pub const ALL: [SubjectKind; 2] = [SubjectKind::Initiative, SubjectKind::Poll];

    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Initiative => "initiative",
            SubjectKind::Poll => "poll",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_thresholds() {
        let t = Thresholds::default();
        assert_eq!(t.level(9), None);
        assert_eq!(t.level(10), Some(Level::Start));
        assert_eq!(t.level(90), Some(Level::Start));
        assert_eq!(t.level(100), Some(Level::Go));
        assert_eq!(t.level(1000), Some(Level::Gold));
        assert_eq!(t.next(90), Some((Level::Go, 100)));
        assert_eq!(t.next(5000), None);
        assert_eq!(
            t.reached(250).collect::<Vec<_>>(),
            vec![Level::Start, Level::Go, Level::Popular]
        );
    }

    #[test]
    fn shares_and_status() {
        let r =
            PollResults { poll_id: 1, participants: 142, votes: vec![(1, 33), (2, 8), (3, 101)] };
        assert!((r.share(1) - 0.2324).abs() < 0.0001);
        assert!((r.share(3) - 0.7113).abs() < 0.0001);
        assert_eq!(r.votes_for(9), 0);
        let t = |s: &str| s.parse::<DateTime<Utc>>().expect("time");
        let (o, c) = (t("2023-05-25T06:00:00Z"), t("2023-06-09T21:00:00Z"));
        assert_eq!(PollStatus::at(o, c, t("2023-05-01T00:00:00Z")), PollStatus::Upcoming);
        assert_eq!(PollStatus::at(o, c, t("2023-06-01T00:00:00Z")), PollStatus::Open);
        assert_eq!(PollStatus::at(o, c, t("2026-01-01T00:00:00Z")), PollStatus::Closed);
    }
}
