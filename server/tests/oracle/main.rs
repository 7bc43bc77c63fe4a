//! The civic budget's outcome rules against an independent implementation.
//!
//! Generates varied instances (voters, costs, amounts, knapsack and approval ballots, and
//! deliberate ties: projects of equal cost and equal votes), counts each with Agora's greedy
//! and Equal Shares rules, exports each as the two `.pb` files Agora would publish (rule greedy
//! and rule equalshares/add1), and runs `outcomes.py` beside this file with PyPI's `pabutools`
//! and `pabulib-checker` from the virtual environment `.ci/setup test` builds
//! (`~/.cache/agora/venv`, or `AGORA_ORACLE_PYTHON`). Asserted for every instance:
//!
//! - greedy: Agora's funded set equals `pabutools`' resolute outcome under Agora's documented
//!   tie-break, and is one of `pabutools`' irresolute (every tied) outcomes;
//! - Equal Shares with completion: Agora's funded set equals `pabutools`' resolute outcome under
//!   Agora's tie-break;
//! - Equal Shares without completion: Agora's funded set is one of `pabutools`' tied outcomes;
//! - `pabulib-checker` finds no error in the greedy file, and none in the Equal Shares file
//!   except where its own Equal Shares re-count, whose completion differs from `pabutools`'
//!   (it starts from a whole-leu share and does not stop at the first exhaustive outcome), does
//!   not give `pabutools`' outcome or cannot break a tie; those are counted and printed.
//!
//! Without the virtual environment the test fails and says how to build it.

use app::model::budget::{OutcomeRule, ProjectStatus};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use server::budget::pabulib::{self, Export, Sex, VoterInfo, VotingMethod};
use server::budget::{compute, equal_shares_uncompleted, BallotRule, Instance, Project};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const INSTANCES: u64 = 240;

/// One generated count and how its ballots were cast.
struct Case {
    instance: Instance,
    rule: BallotRule,
    voters: Vec<VoterInfo>,
}

/// A budget of 4 to 12 projects (half of them at round costs, some with a twin of the same
/// cost), an amount between the dearest project and most of the total (and sometimes all of
/// it), and 20 to 160 ballots that obey the budget's ballot rule.
fn generate(seed: u64) -> Case {
    let mut rng = StdRng::seed_from_u64(seed);
    let base = rng.random_range(4..=10usize);
    let mut costs: Vec<u64> = (0..base)
        .map(|_| {
            if rng.random_bool(0.5) {
                [50, 100, 150, 200, 250, 300, 400, 500][rng.random_range(0..8)]
            } else {
                rng.random_range(20..=700)
            }
        })
        .collect();
    // Twins: the same cost, and (below) the same voters wherever the ballot rule allows.
    let twins: Vec<usize> =
        (0..rng.random_range(0..=2usize)).map(|_| rng.random_range(0..base)).collect();
    for &t in &twins {
        costs.push(costs[t]);
    }
    let total: u64 = costs.iter().sum();
    let dearest = costs.iter().copied().max().unwrap_or(1);
    let amount = if rng.random_bool(0.08) {
        total
    } else {
        rng.random_range(dearest.max(total / 5)..=(total * 3 / 4).max(dearest))
    };
    let projects: Vec<Project> = costs
        .iter()
        .enumerate()
        .map(|(i, &cost)| Project { id: (i + 1).to_string(), cost })
        .collect();
    let m = projects.len();
    let rule = if rng.random_bool(0.5) {
        let share = if rng.random_bool(0.5) { 0 } else { rng.random_range(10..=50) };
        BallotRule::Knapsack { min_share_percent: share }
    } else {
        let min = rng.random_range(1..=2u32);
        BallotRule::Approval { min_projects: min, max_projects: rng.random_range(min..=m as u32) }
    };
    let popularity: Vec<f64> = (0..base).map(|_| rng.random_range(0.2..5.0)).collect();
    let voters = rng.random_range(20..=160usize);
    let mut ballots = Vec::new();
    let mut infos = Vec::new();
    while ballots.len() < voters {
        let Some(ballot) = ballot(&mut rng, &rule, amount, &costs, &popularity, &twins) else {
            continue;
        };
        ballots.push(ballot);
        infos.push(VoterInfo {
            age: rng.random_bool(0.6).then(|| {
                ["18-24", "25-34", "35-49", "50-64", "65-120", "41"][rng.random_range(0..6)]
                    .to_owned()
            }),
            sex: [None, Some(Sex::Female), Some(Sex::Male), Some(Sex::Other)]
                [rng.random_range(0..4)],
            // Agora records the channel of every ballot (pabulib-checker refuses an empty one).
            voting_method: Some(
                [VotingMethod::Internet, VotingMethod::Paper][rng.random_range(0..2)],
            ),
        });
    }
    let instance = Instance::new(amount, projects, ballots).expect("generated instances are valid");
    Case { instance, rule, voters: infos }
}

/// The size of the largest group of voted projects with the same votes and the same cost. An
/// irresolute oracle explores every order of such a group, so the test keeps them small.
fn largest_tie(instance: &Instance) -> usize {
    let votes = instance.votes();
    let mut groups: BTreeMap<(u64, u64), usize> = BTreeMap::new();
    for (p, project) in instance.projects().iter().enumerate() {
        if votes[p] > 0 {
            *groups.entry((votes[p], project.cost)).or_default() += 1;
        }
    }
    let mut by_votes: BTreeMap<u64, usize> = BTreeMap::new();
    for (p, _) in instance.projects().iter().enumerate() {
        if votes[p] > 0 {
            *by_votes.entry(votes[p]).or_default() += 1;
        }
    }
    groups.values().chain(by_votes.values()).copied().max().unwrap_or(0)
}

/// Instance `seed`: the first generated case whose tie groups hold at most 4 projects.
fn case(seed: u64) -> Case {
    (0..)
        .map(|attempt| generate(seed * 1000 + attempt))
        .find(|c| largest_tie(&c.instance) <= 4)
        .expect("some attempt has small ties")
}

/// A ballot that obeys `rule`: base projects in an order drawn by popularity, taken while the
/// rule allows, each twin joining its original where it still fits. `None` when the draw cannot
/// reach the rule's minimum.
fn ballot(
    rng: &mut StdRng,
    rule: &BallotRule,
    amount: u64,
    costs: &[u64],
    popularity: &[f64],
    twins: &[usize],
) -> Option<Vec<usize>> {
    let mut order: Vec<(f64, usize)> = popularity
        .iter()
        .enumerate()
        .map(|(p, w)| (rng.random::<f64>().powf(1.0 / w), p))
        .collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0));
    let wanted = match *rule {
        BallotRule::Knapsack { .. } => rng.random_range(1..=costs.len()),
        BallotRule::Approval { min_projects, max_projects } => {
            rng.random_range(min_projects..=max_projects) as usize
        }
    };
    let mut chosen: Vec<usize> = Vec::new();
    let chosen_costs = |chosen: &[usize]| chosen.iter().map(|&p| costs[p]).collect::<Vec<u64>>();
    for (_, p) in order {
        let mut group = vec![p];
        group.extend(
            twins.iter().enumerate().filter(|(_, &t)| t == p).map(|(i, _)| popularity.len() + i),
        );
        for q in group {
            if chosen.len() < wanted
                && rule.check_addition(amount, &chosen_costs(&chosen), costs[q]).is_ok()
            {
                chosen.push(q);
            }
        }
    }
    chosen.shuffle(rng);
    rule.check(amount, &chosen_costs(&chosen)).is_ok().then_some(chosen)
}

fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("AGORA_ORACLE_PYTHON") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    home.join(".cache/agora/venv/bin/python")
}

fn run_oracle(dir: &Path) -> BTreeMap<String, Value> {
    let python = python();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/outcomes.py");
    // A bound on the reference tools (pabulib-checker once looped forever on one kind of file):
    // the test fails rather than hold up `make test`.
    let output = Command::new("timeout")
        .arg("900")
        .arg(&python)
        .arg(&script)
        .arg(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run the oracle's Python ({}): {e}. The oracle needs PyPI's pabutools and \
             pabulib-checker: run `.ci/setup test`, which builds ~/.cache/agora/venv",
                python.display()
            )
        });
    assert!(
        output.status.success(),
        "the oracle script failed (is the virtual environment complete? `.ci/setup test` \
         builds it):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the oracle prints JSON")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

fn sorted(ids: &[String]) -> Vec<String> {
    let mut ids = ids.to_vec();
    ids.sort_by(|a, b| app::model::budget::natural_id_order(a, b));
    ids
}

fn contains(sets: &Value, ids: &[String]) -> bool {
    sets.as_array().is_some_and(|all| all.iter().any(|set| strings(set) == ids))
}

#[test]
fn outcomes_agree_with_pabutools_and_files_pass_pabulib_checker() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut agora = BTreeMap::new();
    for seed in 0..INSTANCES {
        let case = case(seed);
        let greedy = compute(OutcomeRule::Greedy, &case.instance);
        let mes = compute(OutcomeRule::EqualShares, &case.instance);
        let plain = equal_shares_uncompleted(&case.instance);
        let subunit = format!("case {seed}");
        for outcome in [&greedy, &mes] {
            let export = Export {
                description: "Generated civic budget; oracle test",
                country: "Moldova",
                unit: "Bălți",
                instance: "2026",
                subunit: Some(&subunit),
                date_begin: chrono::NaiveDate::from_ymd_opt(2026, 5, 1).expect("a date"),
                date_end: chrono::NaiveDate::from_ymd_opt(2026, 5, 31).expect("a date"),
                ballot_rule: case.rule,
                language: Some("ro"),
                currency: "MDL",
                projects: &[],
                voters: &case.voters,
            };
            let file = pabulib::export(&case.instance, outcome, &export);
            let text = pabulib::write(&file);
            assert_eq!(
                pabulib::read(&text).as_ref(),
                Ok(&file),
                "case {seed}: Agora reads its own file"
            );
            let kind = if outcome.rule == OutcomeRule::Greedy { "greedy" } else { "mes" };
            std::fs::write(dir.path().join(format!("{seed:03}-{kind}.pb")), text).expect("written");
        }
        let votes = case.instance.votes();
        let mut voted: Vec<u64> = votes.iter().copied().filter(|v| *v > 0).collect();
        voted.sort_unstable();
        let equal_votes = voted.windows(2).any(|w| w[0] == w[1]);
        agora.insert(format!("{seed:03}"), (greedy, mes, plain, equal_votes, case.rule));
    }

    let oracle = run_oracle(dir.path());
    assert_eq!(oracle.len() as u64, INSTANCES, "the oracle answered for every instance");

    let mut failures = Vec::new();
    let (mut tied_outcomes, mut tied_votes, mut knapsack, mut checker_variant) = (0, 0, 0, 0);
    let (mut unfunded_voted, mut fully_funded) = (0, 0);
    for (stem, (greedy, mes, plain, equal_votes, rule)) in &agora {
        let o = &oracle[stem];
        let mut fail = |what: String| failures.push(format!("case {stem}: {what}"));
        if !o["same_count_in_both_files"].as_bool().unwrap_or(false) {
            fail("the two files do not hold the same count".into());
        }
        let ours = sorted(&greedy.funded);
        if ours != strings(&o["greedy"]) {
            fail(format!("greedy: Agora {ours:?}, pabutools {}", o["greedy"]));
        }
        if !contains(&o["greedy_all"], &ours) {
            fail(format!("greedy: Agora {ours:?} is not among {}", o["greedy_all"]));
        }
        let ours = sorted(&mes.funded);
        if ours != strings(&o["mes"]) {
            fail(format!("equal shares: Agora {ours:?}, pabutools {}", o["mes"]));
        }
        let ours_plain = sorted(plain);
        if !contains(&o["mes_plain_all"], &ours_plain) {
            fail(format!(
                "equal shares without completion: Agora {ours_plain:?} is not among {}",
                o["mes_plain_all"]
            ));
        }
        let errors = |file: &str| -> Vec<String> {
            o[file]["errors"].as_object().map(|e| e.keys().cloned().collect()).unwrap_or_default()
        };
        let greedy_errors = errors("checker_greedy");
        if !greedy_errors.is_empty() || o["checker_greedy"]["invalid"] != 0 {
            fail(format!("pabulib-checker on the greedy file: {}", o["checker_greedy"]));
        }
        let mes_errors = errors("checker_mes");
        if !mes_errors.is_empty() || o["checker_mes"]["invalid"] != 0 {
            let recount = &o["checker_mes_recount"];
            let variant = match recount.as_str() {
                Some(tie) => tie.starts_with("tie-failure") && mes_errors == ["processing error"],
                None => {
                    strings(recount) != ours && mes_errors == ["equalshares/add1 rule not followed"]
                }
            };
            if variant {
                checker_variant += 1;
            } else {
                fail(format!("pabulib-checker on the equal shares file: {}", o["checker_mes"]));
            }
        }
        fully_funded += usize::from(o["fully_funded"] == true);
        let many = |key: &str| o[key].as_array().map_or(0, Vec::len) > 1;
        tied_outcomes += usize::from(many("greedy_all") || many("mes_plain_all"));
        tied_votes += usize::from(*equal_votes);
        knapsack += usize::from(matches!(rule, BallotRule::Knapsack { .. }));
        unfunded_voted +=
            mes.projects.iter().filter(|p| p.status == ProjectStatus::NotEnoughSupport).count();
    }
    println!(
        "{INSTANCES} instances ({knapsack} knapsack, {} approval): {tied_votes} with projects \
         tied on votes, {tied_outcomes} where a tie changes the outcome (pabutools finds several); \
         {unfunded_voted} voted projects left unfunded by Equal Shares; pabulib-checker's own \
         Equal Shares re-count differs from pabutools' in {checker_variant} files; \
         {fully_funded} budgets fund every project",
        INSTANCES as usize - knapsack
    );
    assert!(failures.is_empty(), "{} disagreements:\n{}", failures.len(), failures.join("\n"));
    assert!(tied_outcomes >= 20, "the generator must produce ties that matter ({tied_outcomes})");
}
