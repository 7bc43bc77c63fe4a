//! A `.pb` file as an Agora budget: what to store for it, read once and checked before anything
//! is written. The rules Agora knows are taken from the file; what Agora cannot model is refused
//! with the reason, never guessed.

use super::{read, PbError, PbFile, VoteType, VotingMethod};
use app::model::budget::{BallotRule, OutcomeRule};
use app::model::budget_setup::ImportRefusal;
use app::model::civic_budget::{Channel, DIRECTIONS};
use app::model::LatLng;

/// One project of the file as it will be stored.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedProject {
    /// The file's `project_id`, kept in the description so the project can be traced back.
    pub file_id: String,
    pub title: String,
    pub cost: u64,
    /// The first of the file's categories that is one of Agora's directions, else `other`.
    pub direction: &'static str,
    pub at: Option<LatLng>,
}

/// A budget from a `.pb` file: its rules, projects and ballots (indices into `projects`).
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedBudget {
    pub name: String,
    pub amount: u64,
    pub ballot_rule: BallotRule,
    pub outcome_rule: OutcomeRule,
    /// `ro`, `ru`, `uk` or `en`: the file's language when it is one of these, else Romanian.
    pub lang: &'static str,
    pub projects: Vec<ImportedProject>,
    pub ballots: Vec<(Channel, Vec<usize>)>,
}

impl From<PbError> for ImportRefusal {
    fn from(e: PbError) -> Self {
        ImportRefusal { line: e.line, detail: e.problem }
    }
}

/// The outcome rule a file names: Agora's own names, any Equal Shares variant as Agora's
/// Equal Shares, and anything else (`greedy-…`, `unknown`) as greedy, the rule most cities used.
fn outcome_rule(rule: &str) -> OutcomeRule {
    OutcomeRule::from_pabulib(rule).unwrap_or(if rule.starts_with("equalshares") {
        OutcomeRule::EqualShares
    } else {
        OutcomeRule::Greedy
    })
}

/// The ballot rule the file's limits describe: a cost limit makes it a knapsack ballot (its
/// minimum as a share of the amount), otherwise an approval ballot with the length limits.
fn ballot_rule(file: &PbFile) -> BallotRule {
    let meta = &file.meta;
    let projects = u32::try_from(file.projects.len()).unwrap_or(u32::MAX).max(1);
    match meta.vote_type {
        VoteType::ChooseOne => BallotRule::Approval { min_projects: 1, max_projects: 1 },
        VoteType::Approval if meta.max_sum_cost.is_some() => {
            let minimum = meta.min_sum_cost.unwrap_or(0);
            let share = (u128::from(minimum) * 100 / u128::from(meta.budget.max(1))).min(100);
            BallotRule::Knapsack { min_share_percent: u8::try_from(share).unwrap_or(100) }
        }
        VoteType::Approval => {
            let bound = |v: Option<u64>, default: u32| {
                v.map_or(default, |v| u32::try_from(v).unwrap_or(u32::MAX)).clamp(1, projects)
            };
            let min_projects = bound(meta.min_length, 1);
            let max_projects = bound(meta.max_length, projects).max(min_projects);
            BallotRule::Approval { min_projects, max_projects }
        }
    }
}

/// Reads `text` as a budget to import; `name` replaces the file's description.
pub fn import(text: &str, name: Option<&str>) -> Result<ImportedBudget, ImportRefusal> {
    let file = read(text)?;
    if file.meta.budget == 0 {
        return Err(ImportRefusal { line: 0, detail: "the budget is 0".to_owned() });
    }
    let index: std::collections::HashMap<&str, usize> =
        file.projects.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
    let projects = file
        .projects
        .iter()
        .map(|p| ImportedProject {
            file_id: p.id.clone(),
            title: p.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| p.id.clone()),
            cost: p.cost,
            direction: p
                .category
                .iter()
                .find_map(|c| DIRECTIONS.iter().find(|d| **d == c.trim()).copied())
                .unwrap_or("other"),
            at: p.latitude.zip(p.longitude).and_then(|(lat, lng)| LatLng::new(lat, lng).ok()),
        })
        .collect();
    let ballots = file
        .votes
        .iter()
        .filter(|v| !v.vote.is_empty())
        .map(|v| {
            let channel = match v.voting_method {
                Some(VotingMethod::Internet) => Channel::Internet,
                Some(VotingMethod::Paper) | None => Channel::Paper,
            };
            // The reader refused any vote for a project the file does not list.
            (channel, v.vote.iter().filter_map(|id| index.get(id.as_str()).copied()).collect())
        })
        .collect();
    let lang = match file.meta.language.as_deref().map(str::trim) {
        Some("ro") => "ro",
        Some("ru") => "ru",
        Some("uk") => "uk",
        Some("en") => "en",
        _ => "ro",
    };
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .or_else(|| file.meta.other.iter().find(|(k, _)| k == "subunit").map(|(_, v)| v.clone()))
        .unwrap_or_else(|| file.meta.description.clone());
    Ok(ImportedBudget {
        name,
        amount: file.meta.budget,
        ballot_rule: ballot_rule(&file),
        outcome_rule: outcome_rule(&file.meta.rule),
        lang,
        projects,
        ballots,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "META\nkey;value\ndescription;Bugetul civic 2024\ncountry;Moldova\nunit;Bălți\n\
        instance;2024\nnum_projects;3\nnum_votes;3\nbudget;1000\nvote_type;approval\nrule;equalshares\n\
        date_begin;01.09.2024\ndate_end;30.09.2024\nmin_length;1\nmax_length;2\nlanguage;ru\n\
        PROJECTS\nproject_id;cost;name;category;latitude;longitude\n\
        1;600;Парк;green;47.76;27.92\n2;300;Library;culture,education;;\n3;200;;sport;;\n\
        VOTES\nvoter_id;vote;voting_method\n1;1,2;internet\n2;2;paper\n3;3,1;\n";

    #[test]
    fn a_file_becomes_a_budget_with_its_rules_projects_and_channels() {
        let budget = import(FILE, None).expect("a valid file");
        assert_eq!(budget.name, "Bugetul civic 2024");
        assert_eq!(budget.amount, 1000);
        assert_eq!(budget.outcome_rule, OutcomeRule::EqualShares);
        assert_eq!(budget.ballot_rule, BallotRule::Approval { min_projects: 1, max_projects: 2 });
        assert_eq!(budget.lang, "ru");
        let titles: Vec<&str> = budget.projects.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["Парк", "Library", "3"]);
        let directions: Vec<&str> = budget.projects.iter().map(|p| p.direction).collect();
        assert_eq!(directions, ["green", "education", "other"]);
        assert!(budget.projects[0].at.is_some() && budget.projects[1].at.is_none());
        assert_eq!(
            budget.ballots,
            vec![
                (Channel::Internet, vec![0, 1]),
                (Channel::Paper, vec![1]),
                (Channel::Paper, vec![2, 0]),
            ]
        );
        assert_eq!(import(FILE, Some("  Tot orașul ")).map(|b| b.name), Ok("Tot orașul".into()));
    }

    #[test]
    fn cost_limits_make_a_knapsack_ballot_and_unknown_rules_count_greedily() {
        let file = FILE
            .replace("min_length;1\nmax_length;2\n", "min_sum_cost;250\nmax_sum_cost;1000\n")
            .replace("rule;equalshares", "rule;unknown");
        let budget = import(&file, None).expect("a valid file");
        assert_eq!(budget.ballot_rule, BallotRule::Knapsack { min_share_percent: 25 });
        assert_eq!(budget.outcome_rule, OutcomeRule::Greedy);
    }

    #[test]
    fn a_broken_file_is_refused_at_its_line() {
        let refusal = import(&FILE.replace("2;300;", "2;three hundred;"), None).expect_err("bad");
        assert_eq!(refusal.line, 20);
        assert!(refusal.detail.contains("cost"), "{}", refusal.detail);
        assert_eq!(import("", None).map_err(|r| r.line), Err(0));
    }
}
