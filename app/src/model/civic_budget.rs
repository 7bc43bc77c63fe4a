//! The civic budget as people use it: editions with dated phases, budgets, proposals and the
//! projects they become, ballots and results. The rules themselves are in [`super::budget`].

use super::budget::{BallotRefusal, BallotRule, Outcome, OutcomeRule};
use super::{LatLng, Localized};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The phases of an edition, in order. Staff move an edition from one to the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Information,
    Proposals,
    Review,
    Voting,
    Results,
    Implementation,
}

impl Phase {
    pub const ALL: [Phase; 6] = [
        Phase::Information,
        Phase::Proposals,
        Phase::Review,
        Phase::Voting,
        Phase::Results,
        Phase::Implementation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Information => "information",
            Phase::Proposals => "proposals",
            Phase::Review => "review",
            Phase::Voting => "voting",
            Phase::Results => "results",
            Phase::Implementation => "implementation",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn next(self) -> Option<Self> {
        Self::ALL.into_iter().find(|p| *p > self)
    }
}

/// When each phase starts (UTC); a phase ends when the next one starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseDates(pub [DateTime<Utc>; 6]);

impl PhaseDates {
    pub fn start(&self, phase: Phase) -> DateTime<Utc> {
        self.0[phase as usize]
    }

    /// The end of `phase`; the implementation phase has none.
    pub fn end(&self, phase: Phase) -> Option<DateTime<Utc>> {
        phase.next().map(|p| self.start(p))
    }

    /// Whether the dates follow the phases' order.
    pub fn in_order(&self) -> bool {
        self.0.windows(2).all(|w| w[0] <= w[1])
    }
}

/// An edition as lists show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditionSummary {
    pub id: i64,
    pub locality_id: i64,
    pub slug: String,
    pub title: Localized,
    pub phase: Phase,
    pub dates: PhaseDates,
    /// Confirmed ballots over all its budgets.
    pub confirmed_ballots: i64,
    /// Who may vote: people of at least this age, who say so when confirming (0: any age).
    #[serde(default)]
    pub min_voter_age: u8,
}

impl EditionSummary {
    /// Whether `phase` is the current one and its deadline has not passed at `at`.
    pub fn allows(&self, phase: Phase, at: DateTime<Utc>) -> bool {
        self.phase == phase && self.dates.end(phase).is_none_or(|end| at < end)
    }
}

/// One budget of an edition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetInfo {
    pub id: i64,
    pub edition_id: i64,
    pub name: Localized,
    /// In whole lei.
    pub amount: u64,
    pub ballot_rule: BallotRule,
    pub outcome_rule: OutcomeRule,
}

/// Where a proposal stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatus {
    Draft,
    Submitted,
    /// On the ballot.
    Feasible,
    Unfeasible,
}

impl ProposalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalStatus::Draft => "draft",
            ProposalStatus::Submitted => "submitted",
            ProposalStatus::Feasible => "feasible",
            ProposalStatus::Unfeasible => "unfeasible",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Draft, Self::Submitted, Self::Feasible, Self::Unfeasible]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// The directions of the city's plan (each a translation key under `budget.direction.`).
pub const DIRECTIONS: [&str; 9] = [
    "romanian_courses",
    "labour_market",
    "social_services",
    "community_cohesion",
    "green",
    "cultural",
    "sports",
    "education",
    "other",
];

/// A proposal, and once found feasible a project on the ballot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    pub id: i64,
    pub budget_id: i64,
    pub author_id: Option<i64>,
    /// The language the author wrote in.
    pub lang: String,
    pub title: String,
    pub description: String,
    /// The author's estimate, in lei.
    pub cost: u64,
    /// The cost after review, when staff revised it.
    pub revised_cost: Option<u64>,
    /// None: the whole city.
    pub at: Option<LatLng>,
    pub direction: String,
    pub mixed_team: bool,
    pub cohesion_actions: bool,
    pub status: ProposalStatus,
    /// The public reason of the review.
    pub review_reason: Option<String>,
    /// Confirmed ballots that chose it (shown once results are out).
    pub votes: i64,
    /// Its implementation, once it was funded and the edition reached that phase.
    pub work: Option<super::budget_works::ProjectWork>,
    /// The author's photos, in their order.
    pub photos: Vec<ProposalPhoto>,
}

/// The most photos a proposal carries: as many as a report (the refusal says so).
pub const MAX_PROPOSAL_PHOTOS: usize = 5;

/// A photo of a proposal, served at `/media/proposals/{id}` (and `/thumb`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalPhoto {
    pub id: i64,
    pub width: u32,
    pub height: u32,
}

impl Proposal {
    /// What the project costs on the ballot.
    pub fn ballot_cost(&self) -> u64 {
        self.revised_cost.unwrap_or(self.cost)
    }
}

/// An edition with its budgets and every proposal (callers filter what a viewer may see).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditionDetail {
    pub edition: EditionSummary,
    pub budgets: Vec<BudgetInfo>,
    pub proposals: Vec<Proposal>,
    /// The milestones of its funded projects, oldest first.
    pub milestones: Vec<super::budget_works::Milestone>,
}

/// How a ballot was cast.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Internet,
    Paper,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Internet => "internet",
            Channel::Paper => "paper",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Internet, Self::Paper].into_iter().find(|c| c.as_str() == s)
    }
}

/// A person's ballot in one budget, as saved so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BallotState {
    pub id: i64,
    pub budget_id: i64,
    /// The receipt's code.
    pub code: String,
    pub channel: Channel,
    /// Chosen project ids.
    pub choices: Vec<i64>,
    /// What the chosen projects cost together, in lei.
    pub total: u64,
    /// Only confirmed ballots count.
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// What a change to a ballot did: the ballot as it now stands, and the refusal if the change
/// broke the rule (then nothing changed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BallotChange {
    pub ballot: BallotState,
    pub refusal: Option<BallotRefusal>,
}

/// One budget's count, with what the results page says beside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetResults {
    pub budget: BudgetInfo,
    pub outcome: Outcome,
    /// Project ids (as in the outcome) and titles.
    pub titles: Vec<(String, String)>,
    pub internet_ballots: u64,
    pub paper_ballots: u64,
    /// Ballots with at least one funded project.
    pub voters_with_funded: u64,
}

impl BudgetResults {
    pub fn title_of<'a>(&'a self, id: &'a str) -> &'a str {
        self.titles.iter().find(|(i, _)| i == id).map(|(_, t)| t.as_str()).unwrap_or(id)
    }
}

/// A refusal in a page address (`?refused=over_amount.1100.1000.100`), so that a plain form
/// post can show it after the redirect.
pub fn refusal_query(refusal: &BallotRefusal) -> String {
    match refusal {
        BallotRefusal::UnknownProject { project } => format!("unknown_project.{project}"),
        BallotRefusal::DuplicateProject { project } => format!("duplicate_project.{project}"),
        BallotRefusal::OverAmount { total, amount, over_by } => {
            format!("over_amount.{total}.{amount}.{over_by}")
        }
        BallotRefusal::UnderMinimum { total, minimum, short_by } => {
            format!("under_minimum.{total}.{minimum}.{short_by}")
        }
        BallotRefusal::TooFewProjects { chosen, minimum } => {
            format!("too_few_projects.{chosen}.{minimum}")
        }
        BallotRefusal::TooManyProjects { chosen, maximum } => {
            format!("too_many_projects.{chosen}.{maximum}")
        }
    }
}

/// Reads what [`refusal_query`] wrote; anything else is ignored.
pub fn parse_refusal(s: &str) -> Option<BallotRefusal> {
    let mut parts = s.split('.');
    let kind = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    let n = |i: usize| rest.get(i).and_then(|v| v.parse::<u64>().ok());
    let m = |i: usize| rest.get(i).and_then(|v| v.parse::<u32>().ok());
    let project =
        || rest.first().filter(|p| p.bytes().all(|b| b.is_ascii_digit())).map(|p| p.to_string());
    Some(match kind {
        "unknown_project" => BallotRefusal::UnknownProject { project: project()? },
        "duplicate_project" => BallotRefusal::DuplicateProject { project: project()? },
        "over_amount" => BallotRefusal::OverAmount { total: n(0)?, amount: n(1)?, over_by: n(2)? },
        "under_minimum" => {
            BallotRefusal::UnderMinimum { total: n(0)?, minimum: n(1)?, short_by: n(2)? }
        }
        "too_few_projects" => BallotRefusal::TooFewProjects { chosen: m(0)?, minimum: m(1)? },
        "too_many_projects" => BallotRefusal::TooManyProjects { chosen: m(0)?, maximum: m(1)? },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn refusals_survive_the_address() {
        for r in [
            BallotRefusal::OverAmount { total: 1100, amount: 1000, over_by: 100 },
            BallotRefusal::UnderMinimum { total: 1, minimum: 5, short_by: 4 },
            BallotRefusal::TooFewProjects { chosen: 0, minimum: 1 },
            BallotRefusal::TooManyProjects { chosen: 4, maximum: 3 },
            BallotRefusal::UnknownProject { project: "17".into() },
        ] {
            assert_eq!(parse_refusal(&refusal_query(&r)), Some(r));
        }
        assert_eq!(parse_refusal("over_amount.x"), None);
    }

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, d, 0, 0, 0).single().unwrap_or_default()
    }

    #[test]
    fn a_phase_allows_its_action_until_the_next_one_starts() {
        let e = EditionSummary {
            id: 1,
            locality_id: 1,
            slug: "2026".into(),
            title: Localized::default(),
            phase: Phase::Voting,
            dates: PhaseDates([day(1), day(2), day(3), day(4), day(5), day(6)]),
            confirmed_ballots: 0,
            min_voter_age: 0,
        };
        assert!(e.allows(Phase::Voting, day(4)));
        assert!(!e.allows(Phase::Voting, day(5)));
        assert!(!e.allows(Phase::Proposals, day(2)));
        assert!(e.dates.in_order());
        assert_eq!(Phase::Results.next(), Some(Phase::Implementation));
        assert_eq!(Phase::parse("voting"), Some(Phase::Voting));
    }
}
