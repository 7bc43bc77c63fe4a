//! The outcome rules' benchmark, called by `agora-bench` (`make bench`): a generated budget of
//! realistic shape, counted with each rule.

use super::{compute, Instance, Project};
use app::model::budget::OutcomeRule;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::{Duration, Instant};

/// A budget like a city's: `projects` projects of 20,000 to 400,000 lei, an amount of about a
/// third of what they cost together, and `voters` approval ballots of 1 to 10 projects each,
/// some projects far more popular than others. The same seed gives the same instance.
pub fn generate(seed: u64, voters: usize, projects: usize) -> Instance {
    let mut rng = StdRng::seed_from_u64(seed);
    let projects: Vec<Project> = (0..projects)
        .map(|i| Project { id: (i + 1).to_string(), cost: rng.random_range(20..=400) * 1000 })
        .collect();
    let total: u64 = projects.iter().map(|p| p.cost).sum();
    let largest = projects.iter().map(|p| p.cost).max().unwrap_or(1);
    let amount = (total / 3).max(largest);
    // Popularity from 1 to 20: a project is that many times likelier to be picked.
    let popularity: Vec<u32> = projects.iter().map(|_| rng.random_range(1..=20)).collect();
    let weight: u32 = popularity.iter().sum();
    let ballots = (0..voters)
        .map(|_| {
            let wanted = rng.random_range(1..=10usize).min(projects.len());
            let mut ballot: Vec<usize> = Vec::with_capacity(wanted);
            while ballot.len() < wanted {
                let mut pick = rng.random_range(0..weight);
                let mut p = 0;
                while pick >= popularity[p] {
                    pick -= popularity[p];
                    p += 1;
                }
                if !ballot.contains(&p) {
                    ballot.push(p);
                }
            }
            ballot
        })
        .collect();
    match Instance::new(amount, projects, ballots) {
        Ok(instance) => instance,
        Err(e) => unreachable!("the generator builds valid instances: {e}"),
    }
}

/// One rule's measurement.
pub struct Timing {
    pub rule: OutcomeRule,
    /// The fastest of the runs.
    pub best: Duration,
    pub runs: u32,
    pub funded: usize,
    pub spent: u64,
    pub amount: u64,
}

/// Counts the generated instance with each rule `runs` times.
pub fn time_rules(voters: usize, projects: usize, runs: u32) -> Vec<Timing> {
    let instance = generate(2026, voters, projects);
    [OutcomeRule::Greedy, OutcomeRule::EqualShares]
        .into_iter()
        .map(|rule| {
            let mut best = Duration::MAX;
            let mut last = None;
            for _ in 0..runs.max(1) {
                let started = Instant::now();
                let outcome = compute(rule, &instance);
                best = best.min(started.elapsed());
                last = Some(outcome);
            }
            let (funded, spent) = last.map(|o| (o.funded.len(), o.spent)).unwrap_or_default();
            Timing { rule, best, runs: runs.max(1), funded, spent, amount: instance.amount() }
        })
        .collect()
}
