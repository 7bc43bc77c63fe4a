//! A counted budget as a Pabulib file, the way Agora publishes results: projects in greedy
//! order with their votes and whether they were funded, voters numbered anew so the file says
//! nothing about who voted when, and the ballot rule as Pabulib's length and cost limits.

use super::{Meta, PbFile, PbProject, PbVote, Sex, VoteType, VotingMethod};
use crate::budget::{greedy_order, BallotRule, Instance};
use app::model::budget::{natural_id_order, Outcome};

/// What a Pabulib file says besides the count itself.
#[derive(Clone, Debug)]
pub struct Export<'a> {
    pub description: &'a str,
    pub country: &'a str,
    pub unit: &'a str,
    /// The edition ("2026").
    pub instance: &'a str,
    /// The budget within the edition, when there are several ("Incluziune").
    pub subunit: Option<&'a str>,
    pub date_begin: chrono::NaiveDate,
    pub date_end: chrono::NaiveDate,
    pub ballot_rule: BallotRule,
    /// ISO 639-1 code of the project names.
    pub language: Option<&'a str>,
    /// ISO 4217 code of the amounts ("MDL").
    pub currency: &'a str,
    /// Per project of the instance, in its order; empty for ids as names.
    pub projects: &'a [ProjectInfo],
    /// Per ballot of the instance, in its order; empty when nothing was declared.
    pub voters: &'a [VoterInfo],
}

/// What the file says about a project besides its cost and votes.
#[derive(Clone, Debug, Default)]
pub struct ProjectInfo {
    pub name: String,
    pub category: Vec<String>,
    pub position: Option<(f64, f64)>,
}

/// What a voter declared (all optional), and how the ballot was cast.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct VoterInfo {
    pub age: Option<String>,
    pub sex: Option<Sex>,
    pub voting_method: Option<VotingMethod>,
}

/// The file for `outcome`, which must have been computed from `instance`. Projects nobody
/// voted for are left out and named in a comment: `pabulib-checker` counts an unvoted project as
/// an error, and leaving it out changes no outcome (Agora never funds one).
pub fn export(instance: &Instance, outcome: &Outcome, info: &Export) -> PbFile {
    let votes = instance.votes();
    let all = instance.projects();
    let order = greedy_order(instance, &votes);
    let mut unvoted: Vec<&str> = Vec::new();
    let mut projects = Vec::new();
    let mut listed_cost = 0u64;
    for p in order {
        let project = &all[p];
        if votes[p] == 0 {
            unvoted.push(&project.id);
            continue;
        }
        listed_cost = listed_cost.saturating_add(project.cost);
        let extra = info.projects.get(p);
        let name = extra.map(|e| e.name.trim()).filter(|n| !n.is_empty());
        projects.push(PbProject {
            id: project.id.clone(),
            cost: project.cost,
            votes: Some(votes[p]),
            name: Some(name.map_or_else(|| format!("Project {}", project.id), str::to_owned)),
            category: extra.map(|e| e.category.clone()).unwrap_or_default(),
            selected: Some(u8::from(outcome.is_funded(&project.id))),
            latitude: extra.and_then(|e| e.position).map(|(lat, _)| lat),
            longitude: extra.and_then(|e| e.position).map(|(_, lng)| lng),
        });
    }

    // Each ballot as sorted ids with what its voter declared; sorting them all and numbering
    // from 1 keeps the counts and drops the order in which people voted.
    let mut ballots: Vec<(Vec<&str>, VoterInfo)> = instance
        .ballots()
        .iter()
        .enumerate()
        .map(|(b, ballot)| {
            let mut ids: Vec<&str> = ballot.iter().map(|&p| all[p].id.as_str()).collect();
            ids.sort_by(|a, b| natural_id_order(a, b));
            (ids, info.voters.get(b).cloned().unwrap_or_default())
        })
        .collect();
    ballots.sort_by(|(a, ia), (b, ib)| {
        a.iter()
            .zip(b.iter())
            .map(|(x, y)| natural_id_order(x, y))
            .find(|o| o.is_ne())
            .unwrap_or_else(|| a.len().cmp(&b.len()))
            .then_with(|| ia.cmp(ib))
    });
    let votes: Vec<PbVote> = ballots
        .into_iter()
        .enumerate()
        .map(|(i, (ids, voter))| PbVote {
            voter_id: (i + 1).to_string(),
            vote: ids.into_iter().map(str::to_owned).collect(),
            age: voter.age,
            sex: voter.sex,
            voting_method: voter.voting_method,
        })
        .collect();

    let amount = instance.amount();
    let (min_length, max_length, min_sum_cost, max_sum_cost) = match info.ballot_rule {
        BallotRule::Knapsack { .. } => {
            let minimum = info.ballot_rule.minimum_total(amount);
            (Some(1), None, (minimum > 0).then_some(minimum), Some(amount))
        }
        BallotRule::Approval { min_projects, max_projects } => {
            (Some(u64::from(min_projects)), Some(u64::from(max_projects)), None, None)
        }
    };
    let mut other = Vec::new();
    if let Some(subunit) = info.subunit {
        other.push(("subunit".to_owned(), subunit.to_owned()));
    }
    if listed_cost <= amount {
        other.push(("fully_funded".to_owned(), "1".to_owned()));
    }
    if !unvoted.is_empty() {
        unvoted.sort_by(|a, b| natural_id_order(a, b));
        other.push((
            "comment".to_owned(),
            format!(
                "#1: Projects without votes are not listed (Agora never funds them): {}.",
                unvoted.join(", ")
            ),
        ));
    }
    let meta = Meta {
        description: info.description.to_owned(),
        country: info.country.to_owned(),
        unit: info.unit.to_owned(),
        instance: info.instance.to_owned(),
        num_projects: projects.len() as u64,
        num_votes: votes.len() as u64,
        budget: amount,
        vote_type: VoteType::Approval,
        rule: outcome.rule.pabulib_name().to_owned(),
        date_begin: info.date_begin.format("%d.%m.%Y").to_string(),
        date_end: info.date_end.format("%d.%m.%Y").to_string(),
        min_length,
        max_length,
        min_sum_cost,
        max_sum_cost,
        language: info.language.map(str::to_owned),
        currency: Some(info.currency.to_owned()),
        other,
    };
    PbFile { meta, projects, votes }
}
