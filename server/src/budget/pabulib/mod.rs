//! Pabulib `.pb` files, the open format of the participatory budgeting data library
//! (`pb_file_format.md`): a META section of `key;value` pairs, a PROJECTS and a VOTES table,
//! `;`-separated, with CSV's double-quote rules for fields holding `;` or `"`.
//!
//! Agora counts approval ballots (knapsack ballots are approval ballots with `max_sum_cost`), so
//! the reader accepts the `approval` and `choose-1` vote types and refuses the others with a
//! clear error. Every problem in a file is a [`PbError`] naming the line; reading never panics.

mod export;
mod import;
mod read;
mod sections;
mod write;

pub use export::{export, Export, ProjectInfo, VoterInfo};
pub use import::{import, ImportedBudget, ImportedProject};
pub use read::read;
pub use write::write;

use super::{Instance, InstanceError, Project};

/// A whole `.pb` file.
#[derive(Clone, Debug, PartialEq)]
pub struct PbFile {
    pub meta: Meta,
    pub projects: Vec<PbProject>,
    pub votes: Vec<PbVote>,
}

/// The META section. Fields Agora does not model are kept, in order, in `other`.
#[derive(Clone, Debug, PartialEq)]
pub struct Meta {
    pub description: String,
    pub country: String,
    pub unit: String,
    pub instance: String,
    pub num_projects: u64,
    pub num_votes: u64,
    /// The amount, in whole units of the currency.
    pub budget: u64,
    pub vote_type: VoteType,
    /// The rule as written (`greedy`, `equalshares/add1`, `unknown`, …).
    pub rule: String,
    /// `dd.mm.yyyy` or `yyyy`.
    pub date_begin: String,
    pub date_end: String,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub min_sum_cost: Option<u64>,
    pub max_sum_cost: Option<u64>,
    pub language: Option<String>,
    pub currency: Option<String>,
    pub other: Vec<(String, String)>,
}

/// The ballot types Agora reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteType {
    Approval,
    ChooseOne,
}

impl VoteType {
    pub fn as_str(self) -> &'static str {
        match self {
            VoteType::Approval => "approval",
            VoteType::ChooseOne => "choose-1",
        }
    }
}

/// One row of PROJECTS. Columns Agora does not model are not kept.
#[derive(Clone, Debug, PartialEq)]
pub struct PbProject {
    pub id: String,
    pub cost: u64,
    pub votes: Option<u64>,
    pub name: Option<String>,
    pub category: Vec<String>,
    /// 1 funded, 0 not; 2 and 3 are Pabulib's special cases, explained in a comment.
    pub selected: Option<u8>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// One row of VOTES: an anonymous voter's approved projects and what they declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PbVote {
    pub voter_id: String,
    pub vote: Vec<String>,
    /// An age (`34`) or an age band (`25-34`).
    pub age: Option<String>,
    pub sex: Option<Sex>,
    pub voting_method: Option<VotingMethod>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sex {
    Female,
    Male,
    Other,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "F",
            Sex::Male => "M",
            Sex::Other => "O",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "F" | "f" => Some(Sex::Female),
            "M" | "m" => Some(Sex::Male),
            "O" | "o" => Some(Sex::Other),
            _ => None,
        }
    }
}

/// How the ballot was cast: online or on paper at the information centre.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum VotingMethod {
    Internet,
    Paper,
}

impl VotingMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            VotingMethod::Internet => "internet",
            VotingMethod::Paper => "paper",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "internet" => Some(VotingMethod::Internet),
            "paper" => Some(VotingMethod::Paper),
            _ => None,
        }
    }
}

/// A problem in a `.pb` file, at a line (1-based; 0 when it concerns the file as a whole).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct PbError {
    pub line: usize,
    pub problem: String,
}

impl PbError {
    fn new(line: usize, problem: impl Into<String>) -> Self {
        Self { line, problem: problem.into() }
    }
}

impl PbFile {
    /// The count this file describes: its budget, projects and ballots.
    pub fn to_instance(&self) -> Result<Instance, InstanceError> {
        let projects: Vec<Project> =
            self.projects.iter().map(|p| Project { id: p.id.clone(), cost: p.cost }).collect();
        let index: std::collections::HashMap<&str, usize> =
            projects.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
        // The reader guarantees every vote names a listed project; a hand-built file that does
        // not is reported as Instance::new reports an unknown project.
        let ballots = self
            .votes
            .iter()
            .map(|v| {
                v.vote
                    .iter()
                    .map(|id| index.get(id.as_str()).copied().unwrap_or(usize::MAX))
                    .collect()
            })
            .collect();
        Instance::new(self.meta.budget, projects, ballots)
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod proptests;
