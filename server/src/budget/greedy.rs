//! Greedy by votes: fund projects in order of votes, skipping any that no longer fits in what is
//! left of the amount. With cost utilities this is `pabutools`'
//! `greedy_utilitarian_welfare(..., sat_class=Cost_Sat)`: a project's welfare per leu is its
//! number of votes.

use super::{greedy_order, outcome, Instance};
use app::model::budget::{Outcome, OutcomeRule, ProjectStatus};

pub(super) fn greedy(instance: &Instance) -> Outcome {
    let votes = instance.votes();
    let mut left = instance.amount();
    let mut funded = Vec::new();
    // What was left of the amount when each project's turn came.
    let mut left_at_turn = vec![0u64; instance.projects().len()];
    for p in greedy_order(instance, &votes) {
        if votes[p] == 0 {
            break;
        }
        left_at_turn[p] = left;
        let cost = instance.projects()[p].cost;
        if cost <= left {
            left -= cost;
            funded.push(p);
        }
    }
    outcome(
        instance,
        OutcomeRule::Greedy,
        &votes,
        &funded,
        |p| ProjectStatus::DidNotFit { left: left_at_turn[p] },
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::super::{Instance, Project};
    use super::*;

    fn instance(amount: u64, costs: &[u64], ballots: &[&[usize]]) -> Instance {
        let projects = costs
            .iter()
            .enumerate()
            .map(|(i, &cost)| Project { id: (i + 1).to_string(), cost })
            .collect();
        Instance::new(amount, projects, ballots.iter().map(|b| b.to_vec()).collect())
            .expect("valid instance")
    }

    #[test]
    fn funds_by_votes_and_skips_what_does_not_fit() {
        // Votes: 1 → 3, 2 → 2, 3 → 1. Project 2 does not fit after 1; 3 still does.
        let i = instance(100, &[60, 50, 40], &[&[0, 1, 2], &[0, 1], &[0]]);
        let o = greedy(&i);
        assert_eq!(o.funded, ["1", "3"]);
        assert_eq!(o.spent, 100);
        assert_eq!(o.projects[2].id, "2");
        assert_eq!(o.projects[2].status, ProjectStatus::DidNotFit { left: 40 });
        assert_eq!(o.projects[2].votes, 2);
    }

    #[test]
    fn ties_go_to_the_cheaper_then_the_lower_id() {
        // All three have one vote; 2 and 3 cost the same; only two fit.
        let i = instance(100, &[60, 50, 50], &[&[0], &[1], &[2]]);
        assert_eq!(greedy(&i).funded, ["2", "3"]);
        let i = instance(60, &[30, 30, 30], &[&[2, 1, 0]]);
        assert_eq!(greedy(&i).funded, ["1", "2"]);
    }

    #[test]
    fn unvoted_projects_are_never_funded() {
        let i = instance(100, &[10, 10], &[&[0]]);
        let o = greedy(&i);
        assert_eq!(o.funded, ["1"]);
        assert_eq!(o.projects[1].status, ProjectStatus::NoVotes);
    }
}
