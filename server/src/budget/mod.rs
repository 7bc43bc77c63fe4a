//! The civic budget's computational core: the outcome rules (greedy by votes and the Method of
//! Equal Shares with completion), the Pabulib `.pb` reader and writer, and a benchmark.
//!
//! Everything here is pure: an [`Instance`] (the amount, the projects and the confirmed
//! ballots) in, an [`Outcome`] out. Both rules agree with PyPI's `pabutools` (see
//! `server/tests/oracle/`), and both break ties by a fixed, documented order, so the same votes
//! always give the same result:
//!
//! - greedy: more votes first; among equal votes the cheaper project first; then the project
//!   id in natural order ([`natural_id_order`]);
//! - Equal Shares: the project whose supporters pay least per leu of its cost first; among
//!   equal payments the cheaper project, then the one with more votes (as equalshares.net and
//!   `pabulib-checker` do), then the project id in natural order.
//!
//! A project nobody voted for is never funded, under either rule.

pub mod bench;
mod equal_shares;
mod greedy;
pub mod pabulib;

use app::model::budget::{natural_id_order, Outcome, OutcomeRule, ProjectOutcome, ProjectStatus};
use std::cmp::Ordering;
use std::collections::HashSet;

pub use app::model::budget::{BallotRefusal, BallotRule};

/// A project on the ballot: its id and its cost in whole lei.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    pub id: String,
    pub cost: u64,
}

/// One budget's count: the amount, the projects and the confirmed ballots, each ballot the
/// indices (into `projects`) of the projects it approves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    amount: u64,
    projects: Vec<Project>,
    ballots: Vec<Vec<usize>>,
}

/// Why an [`Instance`] cannot be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InstanceError {
    #[error("the amount must be at least 1 leu")]
    NoAmount,
    #[error("project {0} has an empty id")]
    EmptyId(usize),
    #[error("project id {0} appears twice")]
    DuplicateProject(String),
    #[error("project {id} costs {cost} lei; a project costs at least 1 leu")]
    FreeProject { id: String, cost: u64 },
    #[error("project {id} costs {cost} lei, more than the whole amount of {amount} lei")]
    OverAmount { id: String, cost: u64, amount: u64 },
    #[error("ballot {ballot} names project number {project}, which does not exist")]
    UnknownProject { ballot: usize, project: usize },
    #[error("ballot {ballot} names project {id} twice")]
    RepeatedVote { ballot: usize, id: String },
    #[error("ballot {0} approves no project")]
    EmptyBallot(usize),
}

impl Instance {
    /// Checks and builds an instance. Every ballot approves at least one project (as every
    /// ballot rule demands): Equal Shares divides the amount among the ballots.
    pub fn new(
        amount: u64,
        projects: Vec<Project>,
        ballots: Vec<Vec<usize>>,
    ) -> Result<Self, InstanceError> {
        if amount == 0 {
            return Err(InstanceError::NoAmount);
        }
        let mut ids = HashSet::with_capacity(projects.len());
        for (i, p) in projects.iter().enumerate() {
            if p.id.is_empty() {
                return Err(InstanceError::EmptyId(i));
            }
            if !ids.insert(p.id.as_str()) {
                return Err(InstanceError::DuplicateProject(p.id.clone()));
            }
            if p.cost == 0 {
                return Err(InstanceError::FreeProject { id: p.id.clone(), cost: p.cost });
            }
            if p.cost > amount {
                return Err(InstanceError::OverAmount { id: p.id.clone(), cost: p.cost, amount });
            }
        }
        let mut seen = vec![usize::MAX; projects.len()];
        for (b, ballot) in ballots.iter().enumerate() {
            if ballot.is_empty() {
                return Err(InstanceError::EmptyBallot(b));
            }
            for &p in ballot {
                let Some(mark) = seen.get_mut(p) else {
                    return Err(InstanceError::UnknownProject { ballot: b, project: p });
                };
                if *mark == b {
                    return Err(InstanceError::RepeatedVote {
                        ballot: b,
                        id: projects[p].id.clone(),
                    });
                }
                *mark = b;
            }
        }
        Ok(Self { amount, projects, ballots })
    }

    pub fn amount(&self) -> u64 {
        self.amount
    }

    pub fn projects(&self) -> &[Project] {
        &self.projects
    }

    pub fn ballots(&self) -> &[Vec<usize>] {
        &self.ballots
    }

    /// How many ballots approve each project.
    pub fn votes(&self) -> Vec<u64> {
        let mut votes = vec![0u64; self.projects.len()];
        for ballot in &self.ballots {
            for &p in ballot {
                votes[p] += 1;
            }
        }
        votes
    }

    /// The instance restricted to the projects with at least one vote (what a Pabulib file
    /// lists), with ballots renumbered. Outcomes are the same: unvoted projects are never funded.
    pub fn without_unvoted(&self) -> Instance {
        let votes = self.votes();
        let mut new_index = vec![usize::MAX; self.projects.len()];
        let mut projects = Vec::new();
        for (i, p) in self.projects.iter().enumerate() {
            if votes[i] > 0 {
                new_index[i] = projects.len();
                projects.push(p.clone());
            }
        }
        let ballots =
            self.ballots.iter().map(|b| b.iter().map(|&p| new_index[p]).collect()).collect();
        Instance { amount: self.amount, projects, ballots }
    }
}

/// Counts the ballots with `rule`.
pub fn compute(rule: OutcomeRule, instance: &Instance) -> Outcome {
    match rule {
        OutcomeRule::Greedy => greedy::greedy(instance),
        OutcomeRule::EqualShares => equal_shares::equal_shares(instance),
    }
}

/// One Equal Shares count without completion (every voter's share exactly `amount / voters`):
/// the funded project ids in the order chosen. The results page can show how much completion
/// added; the oracle test compares it with every tied outcome `pabutools` finds.
pub fn equal_shares_uncompleted(instance: &Instance) -> Vec<String> {
    equal_shares::uncompleted(instance)
}

/// The projects in greedy order: more votes first, then cheaper, then by id. Pabulib files list
/// projects in this order too (`pabulib-checker` re-checks greedy outcomes in file order).
pub fn greedy_order(instance: &Instance, votes: &[u64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..instance.projects.len()).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&instance.projects[a], &instance.projects[b]);
        votes[b]
            .cmp(&votes[a])
            .then(pa.cost.cmp(&pb.cost))
            .then_with(|| natural_id_order(&pa.id, &pb.id))
    });
    order
}

/// Equal Shares' tie-break between two projects equally cheap for their supporters: the
/// cheaper first, then more votes, then by id.
fn equal_shares_tie(instance: &Instance, votes: &[u64], a: usize, b: usize) -> Ordering {
    let (pa, pb) = (&instance.projects[a], &instance.projects[b]);
    pa.cost
        .cmp(&pb.cost)
        .then(votes[b].cmp(&votes[a]))
        .then_with(|| natural_id_order(&pa.id, &pb.id))
}

/// The outcome's project list: the funded ones in the order chosen, then the others in greedy
/// order, each with its votes and status.
fn outcome(
    instance: &Instance,
    rule: OutcomeRule,
    votes: &[u64],
    funded: &[usize],
    unfunded_status: impl Fn(usize) -> ProjectStatus,
    equal_shares: Option<app::model::budget::EqualSharesDetails>,
) -> Outcome {
    let mut is_funded = vec![false; instance.projects.len()];
    for &p in funded {
        is_funded[p] = true;
    }
    let describe = |p: usize, status| ProjectOutcome {
        id: instance.projects[p].id.clone(),
        cost: instance.projects[p].cost,
        votes: votes[p],
        status,
    };
    let mut projects: Vec<ProjectOutcome> =
        funded.iter().map(|&p| describe(p, ProjectStatus::Funded)).collect();
    for p in greedy_order(instance, votes) {
        if !is_funded[p] {
            let status = if votes[p] == 0 { ProjectStatus::NoVotes } else { unfunded_status(p) };
            projects.push(describe(p, status));
        }
    }
    Outcome {
        rule,
        amount: instance.amount,
        spent: funded.iter().map(|&p| instance.projects[p].cost).fold(0, u64::saturating_add),
        voters: instance.ballots.len() as u64,
        funded: funded.iter().map(|&p| instance.projects[p].id.clone()).collect(),
        projects,
        equal_shares,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(id: &str, cost: u64) -> Project {
        Project { id: id.into(), cost }
    }

    #[test]
    fn instances_are_checked() {
        let p = || vec![project("1", 10), project("2", 20)];
        assert!(Instance::new(30, p(), vec![vec![0, 1], vec![1]]).is_ok());
        assert_eq!(Instance::new(30, p(), vec![vec![]]), Err(InstanceError::EmptyBallot(0)));
        assert_eq!(Instance::new(0, p(), vec![]), Err(InstanceError::NoAmount));
        assert!(matches!(
            Instance::new(15, p(), vec![]),
            Err(InstanceError::OverAmount { cost: 20, .. })
        ));
        assert!(matches!(
            Instance::new(30, vec![project("1", 0)], vec![]),
            Err(InstanceError::FreeProject { .. })
        ));
        assert!(matches!(
            Instance::new(30, vec![project("1", 1), project("1", 2)], vec![]),
            Err(InstanceError::DuplicateProject(_))
        ));
        assert!(matches!(
            Instance::new(30, p(), vec![vec![2]]),
            Err(InstanceError::UnknownProject { ballot: 0, project: 2 })
        ));
        assert!(matches!(
            Instance::new(30, p(), vec![vec![1], vec![1, 0, 1]]),
            Err(InstanceError::RepeatedVote { ballot: 1, .. })
        ));
    }

    #[test]
    fn unvoted_projects_are_dropped_and_ballots_renumbered() {
        let i = Instance::new(
            100,
            vec![project("a", 10), project("b", 10), project("c", 10)],
            vec![vec![2], vec![0, 2]],
        )
        .expect("valid");
        let j = i.without_unvoted();
        assert_eq!(j.projects(), &[project("a", 10), project("c", 10)]);
        assert_eq!(j.ballots(), &[vec![1], vec![0, 1]]);
    }
}
