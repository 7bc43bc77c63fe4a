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
use num_traits::{ToPrimitive, Zero};
use wallets::{ratio, Wallets};

mod wallets;
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
    /// Tests set this to compute every payment on exact wallets alone.
    exact_only: bool,
}

/// A price per leu of cost, `num / den`, compared exactly; `approx` is about its value.
#[derive(Clone, Debug)]
struct Rate {
    num: BigUint,
    den: BigUint,
    approx: f64,
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
        Self { instance, votes, weights, supporters, candidates, exact_only: false }
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
        let start = BigUint::from(self.instance.amount())
            + BigUint::from(raised_by) * BigUint::from(voters);
        let mut wallets = Wallets::new(self.weights.len(), start, voters);

        // A lower bound of each project's price per leu (in lei per leu of cost): its last
        // computed price (wallets only shrink, so prices only grow), at first 1 / supporters.
        let mut bound: Vec<Option<f64>> = vec![None; self.instance.projects().len()];
        for &p in &self.candidates {
            bound[p] = Some(1.0 / self.votes[p] as f64);
        }
        let mut funded = Vec::new();
        loop {
            let mut order: Vec<(f64, usize)> =
                bound.iter().enumerate().filter_map(|(p, b)| b.map(|b| (b, p))).collect();
            order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut best: Option<(Rate, Vec<(usize, Payment)>)> = None;
            for (lower, p) in order {
                if let Some((rate, _)) = &best {
                    // Skip only what is surely dearer; a near tie is computed exactly.
                    if lower > rate.approx * (1.0 + 1e-9) {
                        break;
                    }
                }
                let Some(payment) = self.payment(p, &mut wallets) else {
                    bound[p] = None;
                    continue;
                };
                let rate = payment.rate(self.instance.projects()[p].cost, wallets.denominator());
                bound[p] = Some(rate.approx);
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
            self.pay(chosen, &payment, &mut wallets);
            bound[chosen] = None;
            funded.push(chosen);
        }
    }

    /// How `p` would be paid for, or `None` when its supporters together have less than its
    /// cost. Found on the approximate wallets, then confirmed exactly; when the confirmation
    /// fails (a wallet within rounding of the equal part), found exactly.
    fn payment(&self, p: usize, wallets: &mut Wallets) -> Option<Payment> {
        const CLOSE: f64 = 1e-9;
        if self.exact_only {
            return self.exact_payment(p, wallets);
        }
        let groups = &self.supporters[p];
        let cost = self.instance.projects()[p].cost;
        let cost_f = cost as f64;
        let money: f64 = groups.iter().map(|&g| self.weights[g] as f64 * wallets.approx(g)).sum();
        if money < cost_f * (1.0 - CLOSE) {
            return None;
        }
        if money <= cost_f * (1.0 + CLOSE) {
            let cost_exact = BigUint::from(cost) * wallets.denominator();
            let mut exact = BigUint::zero();
            for &g in groups {
                exact += wallets.exact(g) * self.weights[g];
            }
            if exact < cost_exact {
                return None;
            }
        }
        // Those with less than the equal part pay all they have. Start from the part if all
        // could pay it and raise it as the poorest drop out, until no one else drops out (this
        // approaches the exact part from below, without sorting the supporters).
        let all: u64 = groups.iter().map(|&g| self.weights[g]).sum();
        let mut part = cost_f / all as f64;
        let mut poor: Vec<usize> = Vec::new();
        let mut rich: Vec<usize> = groups.clone();
        loop {
            let before = poor.len();
            rich.retain(|&g| {
                let is_poor = wallets.approx(g) < part;
                if is_poor {
                    poor.push(g);
                }
                !is_poor
            });
            if poor.len() == before || rich.is_empty() {
                break;
            }
            let paid: f64 = poor.iter().map(|&g| self.weights[g] as f64 * wallets.approx(g)).sum();
            let payers: u64 = rich.iter().map(|&g| self.weights[g]).sum();
            part = (cost_f - paid) / payers as f64;
        }
        self.confirm(p, &poor, &rich, part, wallets).or_else(|| self.exact_payment(p, wallets))
    }

    /// The exact payment when `poor` pay all they have and `rich` an equal part of about `part`
    /// lei, or `None` if that split is not exactly right.
    fn confirm(
        &self,
        p: usize,
        poor: &[usize],
        rich: &[usize],
        part: f64,
        wallets: &mut Wallets,
    ) -> Option<Payment> {
        let cost = BigUint::from(self.instance.projects()[p].cost) * wallets.denominator();
        let mut paid = BigUint::zero();
        for &g in poor {
            paid += wallets.exact(g) * self.weights[g];
        }
        if paid >= cost {
            return None;
        }
        let remaining = cost - paid;
        let payers: u64 = rich.iter().map(|&g| self.weights[g]).sum();
        if payers == 0 {
            return None;
        }
        // Poor: less than the equal part, remaining / payers. Rich: at least that much; only
        // wallets near the part need an exact look.
        for &g in poor {
            if wallets.exact(g) * payers >= remaining {
                return None;
            }
        }
        for &g in rich {
            if wallets.approx(g) <= part * (1.0 + 1e-6) && wallets.exact(g) * payers < remaining {
                return None;
            }
        }
        Some(Payment { remaining, payers, part })
    }

    /// The payment found on exact wallets alone (the fallback of `payment`).
    fn exact_payment(&self, p: usize, wallets: &mut Wallets) -> Option<Payment> {
        let groups = &self.supporters[p];
        let cost = BigUint::from(self.instance.projects()[p].cost) * wallets.denominator();
        let mut money = BigUint::zero();
        for &g in groups {
            money += wallets.exact(g) * self.weights[g];
        }
        if money < cost {
            return None;
        }
        let mut by_share = groups.clone();
        by_share.sort_by_cached_key(|&g| wallets.exact(g).clone());
        let mut remaining = cost;
        let mut payers: u64 = by_share.iter().map(|&g| self.weights[g]).sum();
        for g in by_share {
            if remaining <= wallets.exact(g) * payers {
                break;
            }
            remaining -= wallets.exact(g) * self.weights[g];
            payers -= self.weights[g];
        }
        let part = ratio(&remaining, &(wallets.denominator() * payers));
        Some(Payment { remaining, payers, part })
    }

    /// Funds `p`: supporters with less than the equal part pay all they have, the others pay it.
    fn pay(&self, p: usize, payment: &Payment, wallets: &mut Wallets) {
        // The equal part is remaining / (payers · D); over the denominator D · payers / h it
        // is a whole numerator (h = gcd(remaining, payers)).
        let h = (&payment.remaining % payment.payers).to_u64().unwrap_or(0).gcd(&payment.payers);
        let h = if h == 0 { payment.payers } else { h };
        wallets.rescale(payment.payers / h);
        let part = &payment.remaining / h;
        for &g in &self.supporters[p] {
            wallets.pay(g, &part);
        }
    }
}

/// How a project would be paid for: `remaining` (over the common denominator) split equally
/// among `payers` voters, the others having paid all they had; `part` is about one payer's
/// part in lei.
#[derive(Debug)]
struct Payment {
    remaining: BigUint,
    payers: u64,
    part: f64,
}

impl Payment {
    /// The price per leu of cost for each payer: remaining / (payers · D · cost).
    fn rate(&self, cost: u64, denominator: &BigUint) -> Rate {
        Rate {
            num: self.remaining.clone(),
            den: BigUint::from(u128::from(self.payers) * u128::from(cost)) * denominator,
            approx: self.part / cost as f64,
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

    /// The float-filtered payments give exactly what exact payments alone give, on instances
    /// large enough for wallets to hold many different fractions.
    #[test]
    fn float_filter_changes_nothing() {
        for seed in 0..6 {
            let i =
                crate::budget::bench::generate(seed, 300 + 100 * seed as usize, 12 + seed as usize);
            let votes = i.votes();
            let fast = Count::new(&i, &votes);
            let mut exact = Count::new(&i, &votes);
            exact.exact_only = true;
            for raised_by in [0, 7, 40] {
                assert_eq!(fast.run(raised_by), exact.run(raised_by), "seed {seed} +{raised_by}");
            }
        }
    }

    #[test]
    fn no_voters_fund_nothing() {
        let o = equal_shares(&instance(100, &[10], &[]));
        assert!(o.funded.is_empty());
        assert_eq!(o.projects[0].status, ProjectStatus::NoVotes);
    }
}
