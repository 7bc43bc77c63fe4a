//! The Method of Equal Shares with cost utilities and the "add one" completion, computed
//! exactly. It agrees with `pabutools`' `method_of_equal_shares(..., sat_class=Cost_Sat,
//! voter_budget_increment=1)`:
//!
//! 1. every voter gets an equal share of the amount, `amount / voters` (an exact fraction);
//! 2. repeatedly, among the projects whose supporters can still pay for them, fund the one whose
//!    supporters pay least per leu of its cost, each paying an equal part or, if they have less,
//!    all they have left (ties: see `super::equal_shares_tie`);
//! 3. completion: while the outcome is not exhaustive (some unfunded voted project still fits in
//!    what is left of the amount), raise every share by one leu and count again; stop at the
//!    first exhaustive outcome, or keep the previous one as soon as an outcome would cost more
//!    than the amount.
//!
//! Money is exact: every voter's remaining share is `numerator / D` with one common
//! denominator `D` (big integers), so comparisons are integer comparisons and nothing depends
//! on float rounding. Voters with identical ballots always have identical shares, so they are
//! counted once with a weight.

use super::{equal_shares_tie, outcome, Instance};
use app::model::budget::{EqualSharesDetails, Outcome, OutcomeRule, ProjectStatus};
use num_bigint::BigUint;
use num_integer::Integer;
use num_traits::Zero;
use std::cmp::Ordering;
use std::collections::HashMap;

pub(super) fn equal_shares(instance: &Instance) -> Outcome {
    let votes = instance.votes();
    let count = Count::new(instance, &votes);
    let voters = instance.ballots().len() as u64;
    let mut raised_by = 0u64;
    let mut funded = Vec::new();
    if voters > 0 {
        funded = count.run(0);
        loop {
            if count.is_exhaustive(&funded) {
                break;
            }
            let next = count.run(raised_by + 1);
            if count.cost(&next) > instance.amount() {
                break;
            }
            funded = next;
            raised_by += 1;
        }
    }
    let share = |raised_by: u64| {
        if voters == 0 {
            return "0".to_owned();
        }
        fraction(u128::from(instance.amount()) + u128::from(raised_by) * u128::from(voters), voters)
    };
    let details =
        EqualSharesDetails { initial_share: share(0), final_share: share(raised_by), raised_by };
    outcome(
        instance,
        OutcomeRule::EqualShares,
        &votes,
        &funded,
        |_| ProjectStatus::NotEnoughSupport,
        Some(details),
    )
}

pub(super) fn uncompleted(instance: &Instance) -> Vec<String> {
    if instance.ballots().is_empty() {
        return Vec::new();
    }
    let votes = instance.votes();
    let count = Count::new(instance, &votes);
    count.run(0).into_iter().map(|p| instance.projects()[p].id.clone()).collect()
}

/// `numerator / denominator` in lowest terms, as text.
fn fraction(numerator: u128, denominator: u64) -> String {
    let d = u128::from(denominator);
    let g = numerator.gcd(&d);
    if d / g == 1 {
        (numerator / g).to_string()
    } else {
        format!("{}/{}", numerator / g, d / g)
    }
}

/// What a count needs, prepared once for all completion steps.
struct Count<'a> {
    instance: &'a Instance,
    votes: &'a [u64],
    /// How many voters cast each distinct non-empty ballot.
    weights: Vec<u64>,
    /// For each project, the distinct ballots that approve it.
    supporters: Vec<Vec<usize>>,
    /// Projects with at least one vote: the only ones Equal Shares can fund.
    candidates: Vec<usize>,
}

/// A price per leu of cost, `num / den`, compared exactly.
#[derive(Clone, Debug)]
struct Rate {
    num: BigUint,
    den: BigUint,
}

impl Rate {
    fn cmp(&self, other: &Rate) -> Ordering {
        (&self.num * &other.den).cmp(&(&other.num * &self.den))
    }
}

impl<'a> Count<'a> {
    fn new(instance: &'a Instance, votes: &'a [u64]) -> Self {
        let mut index: HashMap<Vec<usize>, usize> = HashMap::new();
        let mut weights = Vec::new();
        let mut supporters = vec![Vec::new(); instance.projects().len()];
        for ballot in instance.ballots() {
            if ballot.is_empty() {
                continue;
            }
            let mut key = ballot.clone();
            key.sort_unstable();
            let next = weights.len();
            let group = *index.entry(key).or_insert(next);
            if group == next {
                weights.push(0);
                for &p in ballot {
                    supporters[p].push(group);
                }
            }
            weights[group] += 1;
        }
        let candidates = (0..instance.projects().len()).filter(|&p| votes[p] > 0).collect();
        Self { instance, votes, weights, supporters, candidates }
    }

    fn cost(&self, funded: &[usize]) -> u64 {
        funded.iter().map(|&p| self.instance.projects()[p].cost).fold(0, u64::saturating_add)
    }

    /// No unfunded voted project fits in what the funded ones leave of the amount.
    fn is_exhaustive(&self, funded: &[usize]) -> bool {
        let spent = self.cost(funded);
        self.candidates.iter().all(|p| {
            funded.contains(p)
                || spent.saturating_add(self.instance.projects()[*p].cost) > self.instance.amount()
        })
    }

    /// One run of Equal Shares with every voter's share raised by `raised_by` lei: the funded
    /// projects in the order chosen.
    fn run(&self, raised_by: u64) -> Vec<usize> {
        let voters = self.instance.ballots().len() as u64;
        // Shares are numerator / denominator; at the start (amount + raised_by·voters) / voters.
        let mut denominator = BigUint::from(voters);
        let start = BigUint::from(self.instance.amount())
            + BigUint::from(raised_by) * BigUint::from(voters);
        let mut shares = vec![start; self.weights.len()];

        // A lower bound of each project's rate: its last computed one (shares only shrink, so
        // rates only grow), at first cost / (supporters · cost) = 1 / supporters.
        let mut bound: HashMap<usize, Rate> = self
            .candidates
            .iter()
            .map(|&p| (p, Rate { num: BigUint::from(1u8), den: BigUint::from(self.votes[p]) }))
            .collect();
        let mut funded = Vec::new();
        loop {
            let mut order: Vec<usize> = bound.keys().copied().collect();
            order.sort_by(|a, b| bound[a].cmp(&bound[b]).then(a.cmp(b)));
            let mut best: Option<(Rate, Vec<(usize, Payment)>)> = None;
            for p in order {
                if let Some((rate, _)) = &best {
                    if bound[&p].cmp(rate) == Ordering::Greater {
                        break;
                    }
                }
                let Some(payment) = self.payment(p, &shares, &denominator) else {
                    bound.remove(&p);
                    continue;
                };
                let rate = payment.rate(self.instance.projects()[p].cost, &denominator);
                bound.insert(p, rate.clone());
                match &mut best {
                    Some((best_rate, tied)) => match rate.cmp(best_rate) {
                        Ordering::Less => best = Some((rate, vec![(p, payment)])),
                        Ordering::Equal => tied.push((p, payment)),
                        Ordering::Greater => {}
                    },
                    None => best = Some((rate, vec![(p, payment)])),
                }
            }
            let Some((_, tied)) = best else {
                return funded;
            };
            let Some((chosen, payment)) = tied
                .into_iter()
                .min_by(|(a, _), (b, _)| equal_shares_tie(self.instance, self.votes, *a, *b))
            else {
                return funded;
            };
            self.pay(chosen, &payment, &mut shares, &mut denominator);
            bound.remove(&chosen);
            funded.push(chosen);
        }
    }

    /// What each supporter who can pay in full would pay for `p`, or `None` when its supporters
    /// together have less than its cost.
    fn payment(&self, p: usize, shares: &[BigUint], denominator: &BigUint) -> Option<Payment> {
        let cost = BigUint::from(self.instance.projects()[p].cost) * denominator;
        let groups = &self.supporters[p];
        let money: BigUint = groups.iter().map(|&g| &shares[g] * self.weights[g]).sum();
        if money < cost {
            return None;
        }
        let mut by_share = groups.clone();
        by_share.sort_unstable_by(|&a, &b| shares[a].cmp(&shares[b]));
        // Walk up from the poorest: those who cannot pay an equal part of what remains pay all
        // they have; the rest split what remains equally.
        let mut remaining = cost;
        let mut payers: u64 = by_share.iter().map(|&g| self.weights[g]).sum();
        for g in by_share {
            if remaining <= &shares[g] * payers {
                break;
            }
            remaining -= &shares[g] * self.weights[g];
            payers -= self.weights[g];
        }
        Some(Payment { remaining, payers })
    }

    /// Funds `p`: supporters with less than the equal part pay all they have, the others pay it.
    fn pay(&self, p: usize, payment: &Payment, shares: &mut [BigUint], denominator: &mut BigUint) {
        // The equal part is remaining / (payers · D); bring every share to a denominator where
        // it is a whole numerator.
        let payers = BigUint::from(payment.payers);
        let common = payment.remaining.gcd(&payers);
        let scale = &payers / &common;
        let part = &payment.remaining / &common;
        if scale != BigUint::from(1u8) {
            for share in shares.iter_mut() {
                *share *= &scale;
            }
            *denominator *= &scale;
        }
        for &g in &self.supporters[p] {
            if shares[g] <= part {
                shares[g].set_zero();
            } else {
                shares[g] -= &part;
            }
        }
    }
}

/// How a project would be paid for: `remaining` (over the common denominator) split equally
/// among `payers` voters, the others having paid all they had.
#[derive(Debug)]
struct Payment {
    remaining: BigUint,
    payers: u64,
}

impl Payment {
    /// The price per leu of cost for each payer: remaining / (payers · D · cost).
    fn rate(&self, cost: u64, denominator: &BigUint) -> Rate {
        Rate {
            num: self.remaining.clone(),
            den: BigUint::from(u128::from(self.payers) * u128::from(cost)) * denominator,
        }
    }
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
    fn a_minority_gets_its_proportional_share() {
        // 6 voters want red projects 1–3, 4 voters want blue 4–6; each costs 100, amount 500.
        // Greedy would fund three red and two blue only by luck of ties; Equal Shares gives the
        // 60 % three projects and the 40 % two.
        let red: &[usize] = &[0, 1, 2];
        let blue: &[usize] = &[3, 4, 5];
        let ballots = [red, red, red, red, red, red, blue, blue, blue, blue];
        let o = equal_shares(&instance(500, &[100; 6], &ballots));
        let reds = o.funded.iter().filter(|id| ["1", "2", "3"].contains(&id.as_str())).count();
        assert_eq!((reds, o.funded.len()), (3, 5));
    }

    #[test]
    fn poorer_supporters_pay_what_they_have() {
        // Amount 30, 3 voters: shares of 10. Voter 1 alone wants project 1 (cost 8): rate 1.
        // Project 2 (cost 24) is wanted by all three: 8 each, rate 1/3 — funded first. Then
        // voter 1 has 2 left, too little for project 1; completion raises shares until
        // project 1 fits or nothing more can be afforded within 30.
        let i = instance(30, &[8, 24], &[&[0, 1], &[1], &[1]]);
        let o = equal_shares(&i);
        assert_eq!(o.funded, ["2"]);
        assert_eq!(o.projects[1].status, ProjectStatus::NotEnoughSupport);
        let details = o.equal_shares.expect("details");
        assert_eq!(details.initial_share, "10");
    }

    #[test]
    fn shares_are_exact_fractions() {
        let i = instance(1000, &[300, 400, 500], &[&[0], &[1], &[2]]);
        let o = equal_shares(&i);
        let details = o.equal_shares.expect("details");
        assert_eq!(details.initial_share, "1000/3");
        // Shares of 333⅓ pay for project 1 alone (300); at 400⅓ project 2 is affordable too
        // (700 ≤ 1000) and the outcome is exhaustive (500 more would exceed 1000).
        assert_eq!(o.funded, ["1", "2"]);
        assert_eq!(details.raised_by, 67);
        assert_eq!(details.final_share, "1201/3");
    }

    #[test]
    fn ties_go_to_the_cheaper_then_more_votes_then_lower_id() {
        // Projects 1 and 2: same supporters and cost → equal rates; only one fits.
        let i = instance(100, &[60, 60], &[&[1, 0], &[0, 1]]);
        assert_eq!(equal_shares(&i).funded, ["1"]);
    }

    #[test]
    fn no_voters_fund_nothing() {
        let o = equal_shares(&instance(100, &[10], &[]));
        assert!(o.funded.is_empty());
        assert_eq!(o.projects[0].status, ProjectStatus::NoVotes);
    }
}
