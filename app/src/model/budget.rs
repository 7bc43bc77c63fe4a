//! The civic budget's rules as data: how a ballot may be filled in (knapsack or approval), how
//! the votes become funded projects (greedy or the Method of Equal Shares), and what an outcome
//! says about every project. The computation lives in `server::budget`; the ballot check is here
//! because the browser uses it too (the budget bar refuses a choice that would not fit).

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// How a ballot may be filled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BallotRule {
    /// Projects whose costs add up to at most the amount and, when `min_share_percent` is above
    /// zero, to at least that share of it (Decidim's "minimum budget %").
    Knapsack { min_share_percent: u8 },
    /// Between `min_projects` and `max_projects` projects, whatever they cost.
    Approval { min_projects: u32, max_projects: u32 },
}

/// Why a ballot is refused: the rule it breaks and by how much. Each variant is a translation
/// key under `budget_ballot.` (see [`BallotRefusal::key`]); amounts are whole lei.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BallotRefusal {
    /// A project that is not on this budget's ballot.
    UnknownProject { project: String },
    /// The same project chosen twice.
    DuplicateProject { project: String },
    /// Knapsack: the chosen projects cost more than the amount.
    OverAmount { total: u64, amount: u64, over_by: u64 },
    /// Knapsack: the chosen projects cost less than the minimum share of the amount.
    UnderMinimum { total: u64, minimum: u64, short_by: u64 },
    /// Fewer projects than the rule asks for (a knapsack ballot needs at least one).
    TooFewProjects { chosen: u32, minimum: u32 },
    /// Approval: more projects than the rule allows.
    TooManyProjects { chosen: u32, maximum: u32 },
}

impl BallotRefusal {
    /// The translation key of this refusal.
    pub fn key(&self) -> &'static str {
        match self {
            BallotRefusal::UnknownProject { .. } => "budget_ballot.unknown_project",
            BallotRefusal::DuplicateProject { .. } => "budget_ballot.duplicate_project",
            BallotRefusal::OverAmount { .. } => "budget_ballot.over_amount",
            BallotRefusal::UnderMinimum { .. } => "budget_ballot.under_minimum",
            BallotRefusal::TooFewProjects { .. } => "budget_ballot.too_few_projects",
            BallotRefusal::TooManyProjects { .. } => "budget_ballot.too_many_projects",
        }
    }
}

impl std::fmt::Display for BallotRefusal {
    /// English, for logs; people see the translated key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BallotRefusal::UnknownProject { project } => {
                write!(f, "project {project} is not on this ballot")
            }
            BallotRefusal::DuplicateProject { project } => {
                write!(f, "project {project} is chosen twice")
            }
            BallotRefusal::OverAmount { total, amount, over_by } => {
                write!(f, "the projects cost {total} lei, {over_by} more than the {amount} lei")
            }
            BallotRefusal::UnderMinimum { total, minimum, short_by } => write!(
                f,
                "the projects cost {total} lei, {short_by} less than the minimum {minimum} lei"
            ),
            BallotRefusal::TooFewProjects { chosen, minimum } => {
                write!(f, "{chosen} projects chosen, at least {minimum} needed")
            }
            BallotRefusal::TooManyProjects { chosen, maximum } => {
                write!(f, "{chosen} projects chosen, at most {maximum} allowed")
            }
        }
    }
}

impl BallotRule {
    /// Whether the rule itself makes sense for a budget of `amount` lei with `projects` on the
    /// ballot (staff set it up; a rule no ballot can satisfy is refused there).
    pub fn is_satisfiable(&self, amount: u64, projects: u32) -> bool {
        match *self {
            BallotRule::Knapsack { min_share_percent } => amount > 0 && min_share_percent <= 100,
            BallotRule::Approval { min_projects, max_projects } => {
                min_projects >= 1 && min_projects <= max_projects && min_projects <= projects
            }
        }
    }

    /// The least the chosen projects may cost together (knapsack), rounded up to whole lei.
    pub fn minimum_total(&self, amount: u64) -> u64 {
        match *self {
            BallotRule::Knapsack { min_share_percent } => {
                let share = u128::from(min_share_percent.min(100));
                u64::try_from((u128::from(amount) * share).div_ceil(100)).unwrap_or(amount)
            }
            BallotRule::Approval { .. } => 0,
        }
    }

    /// The most the chosen projects may cost together, if the rule limits it.
    pub fn maximum_total(&self, amount: u64) -> Option<u64> {
        match self {
            BallotRule::Knapsack { .. } => Some(amount),
            BallotRule::Approval { .. } => None,
        }
    }

    /// The fewest and the most projects a ballot may hold.
    pub fn length_bounds(&self, projects: u32) -> (u32, u32) {
        match *self {
            BallotRule::Knapsack { .. } => (1, projects),
            BallotRule::Approval { min_projects, max_projects } => {
                (min_projects, max_projects.min(projects))
            }
        }
    }

    /// Checks a complete ballot (the confirm step): `chosen` holds the cost of each chosen
    /// project, in lei. Upper limits are checked before lower ones, so a voter who must remove
    /// something hears that first.
    pub fn check(&self, amount: u64, chosen: &[u64]) -> Result<(), BallotRefusal> {
        self.check_upper(amount, chosen)?;
        let count = count(chosen);
        let minimum = match *self {
            BallotRule::Knapsack { .. } => 1,
            BallotRule::Approval { min_projects, .. } => min_projects,
        };
        if count < minimum {
            return Err(BallotRefusal::TooFewProjects { chosen: count, minimum });
        }
        let total = total(chosen);
        let minimum = self.minimum_total(amount);
        if total < minimum {
            return Err(BallotRefusal::UnderMinimum { total, minimum, short_by: minimum - total });
        }
        Ok(())
    }

    /// Checks that adding a project of `cost` lei to a ballot holding `chosen` keeps it within
    /// the rule's upper limits (a ballot being built may still be below the minimums).
    pub fn check_addition(
        &self,
        amount: u64,
        chosen: &[u64],
        cost: u64,
    ) -> Result<(), BallotRefusal> {
        let mut with = chosen.to_vec();
        with.push(cost);
        self.check_upper(amount, &with)
    }

    fn check_upper(&self, amount: u64, chosen: &[u64]) -> Result<(), BallotRefusal> {
        match *self {
            BallotRule::Knapsack { .. } => {
                let total = total(chosen);
                if total > amount {
                    return Err(BallotRefusal::OverAmount {
                        total,
                        amount,
                        over_by: total - amount,
                    });
                }
            }
            BallotRule::Approval { max_projects, .. } => {
                let count = count(chosen);
                if count > max_projects {
                    return Err(BallotRefusal::TooManyProjects {
                        chosen: count,
                        maximum: max_projects,
                    });
                }
            }
        }
        Ok(())
    }
}

fn total(costs: &[u64]) -> u64 {
    costs.iter().fold(0u64, |sum, c| sum.saturating_add(*c))
}

fn count(costs: &[u64]) -> u32 {
    u32::try_from(costs.len()).unwrap_or(u32::MAX)
}

/// Turns the project ids a voter chose into their costs, refusing ids not on the ballot and ids
/// chosen twice. `offered` lists the ballot's projects with their costs.
pub fn chosen_costs<K: PartialEq + ToString>(
    offered: &[(K, u64)],
    chosen: &[K],
) -> Result<Vec<u64>, BallotRefusal> {
    let mut costs = Vec::with_capacity(chosen.len());
    for (i, id) in chosen.iter().enumerate() {
        if chosen[..i].contains(id) {
            return Err(BallotRefusal::DuplicateProject { project: id.to_string() });
        }
        match offered.iter().find(|(k, _)| k == id) {
            Some((_, cost)) => costs.push(*cost),
            None => return Err(BallotRefusal::UnknownProject { project: id.to_string() }),
        }
    }
    Ok(costs)
}

/// How the votes become funded projects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeRule {
    /// Fund in order of votes, skipping what no longer fits.
    Greedy,
    /// The Method of Equal Shares with cost utilities, completed by raising every voter's share
    /// one leu at a time while the outcome stays within the amount.
    EqualShares,
}

impl OutcomeRule {
    /// The rule as the database and forms name it.
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeRule::Greedy => "greedy",
            OutcomeRule::EqualShares => "equal_shares",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [OutcomeRule::Greedy, OutcomeRule::EqualShares].into_iter().find(|r| r.as_str() == s)
    }

    /// The rule's name in a Pabulib file's `rule` field.
    pub fn pabulib_name(self) -> &'static str {
        match self {
            OutcomeRule::Greedy => "greedy",
            OutcomeRule::EqualShares => "equalshares/add1",
        }
    }

    /// The rule a Pabulib `rule` field names, if Agora computes it.
    pub fn from_pabulib(name: &str) -> Option<Self> {
        match name {
            "greedy" => Some(OutcomeRule::Greedy),
            "equalshares/add1" => Some(OutcomeRule::EqualShares),
            _ => None,
        }
    }
}

/// What happened to one project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProjectStatus {
    Funded,
    /// Nobody voted for it; a project without votes is never funded.
    NoVotes,
    /// Greedy: when its turn came, only `left` lei of the amount remained.
    DidNotFit {
        left: u64,
    },
    /// Equal Shares: what its voters had left of their equal shares could not pay for it.
    NotEnoughSupport,
}

/// One project in an outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectOutcome {
    pub id: String,
    pub cost: u64,
    pub votes: u64,
    pub status: ProjectStatus,
}

/// Details of an Equal Shares count, for the results page's explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EqualSharesDetails {
    /// Each voter's share of the amount before completion: the amount over the voters, as an
    /// exact fraction ("1000000/6586").
    pub initial_share: String,
    /// The share the outcome was computed with, after completion, as an exact fraction.
    pub final_share: String,
    /// How many whole lei completion added to every voter's share.
    pub raised_by: u64,
}

/// The result of counting one budget.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub rule: OutcomeRule,
    /// The budget's amount in lei.
    pub amount: u64,
    /// What the funded projects cost together.
    pub spent: u64,
    pub voters: u64,
    /// Funded project ids, in the order the rule chose them.
    pub funded: Vec<String>,
    /// Every project, funded first in the order chosen, then the others by votes.
    pub projects: Vec<ProjectOutcome>,
    pub equal_shares: Option<EqualSharesDetails>,
}

impl Outcome {
    /// Whether the project with this id was funded.
    pub fn is_funded(&self, id: &str) -> bool {
        self.funded.iter().any(|f| f == id)
    }
}

/// Project ids in their natural order, the last step of every tie-break: ids made of digits
/// compare as numbers ("9" before "10"), and come before other ids, which compare as text.
pub fn natural_id_order(a: &str, b: &str) -> Ordering {
    fn numeric(s: &str) -> Option<&str> {
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())).then(|| s.trim_start_matches('0'))
    }
    match (numeric(a), numeric(b)) {
        (Some(x), Some(y)) => x.len().cmp(&y.len()).then_with(|| x.cmp(y)).then_with(|| a.cmp(b)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNAPSACK: BallotRule = BallotRule::Knapsack { min_share_percent: 0 };

    #[test]
    fn knapsack_refuses_over_the_amount_by_how_much() {
        assert_eq!(KNAPSACK.check(1000, &[600, 400]), Ok(()));
        assert_eq!(
            KNAPSACK.check(1000, &[600, 500]),
            Err(BallotRefusal::OverAmount { total: 1100, amount: 1000, over_by: 100 })
        );
        assert_eq!(
            KNAPSACK.check(1000, &[]),
            Err(BallotRefusal::TooFewProjects { chosen: 0, minimum: 1 })
        );
    }

    #[test]
    fn knapsack_minimum_share_is_rounded_up() {
        let rule = BallotRule::Knapsack { min_share_percent: 70 };
        assert_eq!(rule.minimum_total(1001), 701);
        assert_eq!(
            rule.check(1001, &[700]),
            Err(BallotRefusal::UnderMinimum { total: 700, minimum: 701, short_by: 1 })
        );
        assert_eq!(rule.check(1001, &[701]), Ok(()));
        // Over the amount is reported before under the minimum.
        assert!(matches!(rule.check(1001, &[2000]), Err(BallotRefusal::OverAmount { .. })));
    }

    #[test]
    fn approval_counts_projects() {
        let rule = BallotRule::Approval { min_projects: 2, max_projects: 3 };
        assert_eq!(rule.check(10, &[100, 100]), Ok(()));
        assert_eq!(
            rule.check(10, &[1]),
            Err(BallotRefusal::TooFewProjects { chosen: 1, minimum: 2 })
        );
        assert_eq!(
            rule.check(10, &[1, 1, 1, 1]),
            Err(BallotRefusal::TooManyProjects { chosen: 4, maximum: 3 })
        );
        assert_eq!(
            rule.check_addition(10, &[1, 1, 1], 5),
            Err(BallotRefusal::TooManyProjects { chosen: 4, maximum: 3 })
        );
        assert_eq!(rule.check_addition(10, &[1], 5), Ok(()));
        assert!(!BallotRule::Approval { min_projects: 3, max_projects: 2 }.is_satisfiable(10, 5));
    }

    #[test]
    fn chosen_ids_must_be_offered_once() {
        let offered = [(1, 100), (2, 200)];
        assert_eq!(chosen_costs(&offered, &[2, 1]), Ok(vec![200, 100]));
        assert_eq!(
            chosen_costs(&offered, &[2, 2]),
            Err(BallotRefusal::DuplicateProject { project: "2".into() })
        );
        assert_eq!(
            chosen_costs(&offered, &[3]),
            Err(BallotRefusal::UnknownProject { project: "3".into() })
        );
    }

    #[test]
    fn natural_order_puts_numbers_first_by_value() {
        let mut ids = vec!["b", "10", "9", "a", "010", "1"];
        ids.sort_by(|a, b| natural_id_order(a, b));
        assert_eq!(ids, ["1", "9", "010", "10", "a", "b"]);
    }

    #[test]
    fn refusals_serialize_with_their_numbers() {
        let json = serde_json::to_string(&BallotRefusal::OverAmount {
            total: 1100,
            amount: 1000,
            over_by: 100,
        })
        .unwrap_or_default();
        assert_eq!(json, r#"{"kind":"over_amount","total":1100,"amount":1000,"over_by":100}"#);
    }
}
