use super::*;
use crate::budget::{compute, BallotRule, Instance, Project};
use app::model::budget::OutcomeRule;

const WIELICZKA: &str = "META
key; value
description; Municipal PB in Wieliczka
country; Poland
unit; Wieliczka
instance; 2020
num_projects; 5
num_votes; 10
budget; 2500
rule; greedy
vote_type; approval
min_length; 1
max_length; 3
date_begin; 16.09.2023
date_end; 04.10.2023
PROJECTS
project_id; cost; category
1; 600; culture, education
2; 800; sport
4; 1400; culture
5; 1000; health, sport
7; 1200; education
VOTES
voter_id; age; sex; vote
1; 34; f; 1,2,4
2; 51; m; 1,2
3; 23; m; 2,4,5
4; 19; f; 5,7
5; 62; f; 1,4,7
6; 54; m; 1,7
7; 49; m; 5
8; 27; f; 4
9; 39; f; 2,4,5
10; 44; m; 4,5
";

fn error_of(text: &str) -> PbError {
    match read(text) {
        Err(e) => e,
        Ok(_) => panic!("expected an error"),
    }
}

#[test]
fn reads_the_specification_example() {
    let file = read(WIELICZKA).expect("the example is valid");
    assert_eq!(file.meta.budget, 2500);
    assert_eq!(file.meta.vote_type, VoteType::Approval);
    assert_eq!(file.meta.max_length, Some(3));
    assert_eq!(file.projects.len(), 5);
    assert_eq!(file.projects[0].category, ["culture", "education"]);
    assert_eq!(file.votes[0].vote, ["1", "2", "4"]);
    assert_eq!(file.votes[0].age.as_deref(), Some("34"));
    assert_eq!(file.votes[0].sex, Some(Sex::Female));
    let instance = file.to_instance().expect("a valid count");
    // Votes: 4 → 6, 5 → 4, 1 → 3, 2 → 3 (cheaper first), 7 → 2.
    assert_eq!(compute(OutcomeRule::Greedy, &instance).funded, ["4", "5"]);
}

#[test]
fn errors_name_the_line_and_the_problem() {
    let broken = WIELICZKA.replace("rule; greedy", "rule: greedy");
    assert_eq!(
        error_of(&broken),
        PbError::new(10, "a META line has a key and a value, this one has 1 fields")
    );
    let e = error_of(&WIELICZKA.replace("2; 800; sport", "2; 8OO; sport"));
    assert_eq!(e.line, 19);
    assert!(e.problem.contains("cost must be a whole number"), "{e}");
    let e = error_of(&WIELICZKA.replace("7; 49; m; 5", "7; 49; m; 5,9"));
    assert_eq!(
        (e.line, e.problem.as_str()),
        (31, "voter 7 votes for project '9', which is not in PROJECTS")
    );
    let e = error_of(&WIELICZKA.replace("num_votes; 10", "num_votes; 11"));
    assert_eq!((e.line, e.problem.as_str()), (8, "num_votes is 11, but VOTES holds 10"));
    let e = error_of(&WIELICZKA.replace("1; 34; f; 1,2,4", "1; 34; f; 1,2,4,5"));
    assert_eq!(e.line, 25);
    assert!(e.problem.contains("more than max_length 3"), "{e}");
    let e = error_of(&WIELICZKA.replace("vote_type; approval", "vote_type; ordinal"));
    assert!(e.problem.contains("not supported"), "{e}");
    let e = error_of(&WIELICZKA.replace("date_end; 04.10.2023", "date_end; 31.02.2023"));
    assert_eq!(e.line, 15);
    let e = error_of(&WIELICZKA.replace("VOTES\n", ""));
    assert_eq!(e.line, 0);
    let e = error_of("\"unclosed;\n");
    assert_eq!((e.line, e.problem.as_str()), (1, "a quoted field is not closed"));
    assert_eq!(error_of("").problem, "the META section is missing");
    let e = error_of(&WIELICZKA.replace("10; 44; m; 4,5", "10; 44; m; 4,5\n9; 1; m; 4"));
    assert!(e.problem.contains("voter id '9' appears twice"), "{e}");
}

#[test]
fn quoted_fields_follow_csv() {
    assert_eq!(
        sections::split_cells(r#"50;1000000;"Zielona obwodnica; ETAP II";"""Konikowo"" plac""#, 1),
        Ok(vec![
            "50".to_owned(),
            "1000000".to_owned(),
            "Zielona obwodnica; ETAP II".to_owned(),
            "\"Konikowo\" plac".to_owned()
        ])
    );
    assert_eq!(write::cell("a;b"), "\"a;b\"");
    assert_eq!(write::cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_eq!(write::cell(" two\nlines "), "two lines");
}

fn sample_instance() -> Instance {
    let projects = [("1", 600), ("2", 800), ("4", 1400), ("5", 1000), ("7", 1200), ("8", 300)]
        .iter()
        .map(|(id, cost)| Project { id: (*id).to_owned(), cost: *cost })
        .collect();
    let ballots = vec![vec![0, 1], vec![0, 1], vec![1, 2], vec![2, 3], vec![3, 4], vec![2]];
    Instance::new(2500, projects, ballots).expect("valid")
}

fn sample_export(rule: BallotRule, voters: &[VoterInfo]) -> Export<'_> {
    Export {
        description: "Bugetul civic 2026; orașul Bălți",
        country: "Moldova",
        unit: "Bălți",
        instance: "2026",
        subunit: None,
        date_begin: chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap_or_default(),
        date_end: chrono::NaiveDate::from_ymd_opt(2026, 5, 31).unwrap_or_default(),
        ballot_rule: rule,
        language: Some("ro"),
        currency: "MDL",
        projects: &[],
        voters,
    }
}

#[test]
fn export_lists_voted_projects_in_greedy_order_and_reads_back() {
    let instance = sample_instance();
    let outcome = compute(OutcomeRule::EqualShares, &instance);
    let voters = vec![
        VoterInfo {
            age: Some("25-34".into()),
            sex: Some(Sex::Male),
            voting_method: Some(VotingMethod::Paper),
        },
        VoterInfo::default(),
        VoterInfo { age: None, sex: None, voting_method: Some(VotingMethod::Internet) },
        VoterInfo::default(),
        VoterInfo::default(),
    ];
    let file = export(
        &instance,
        &outcome,
        &sample_export(BallotRule::Knapsack { min_share_percent: 10 }, &voters),
    );
    let ids: Vec<&str> = file.projects.iter().map(|p| p.id.as_str()).collect();
    // Votes: 2 → 3, 4 → 3 (2 is cheaper), 1 → 2, 5 → 2 (1 is cheaper), 7 → 1; 8 has none.
    assert_eq!(ids, ["2", "4", "1", "5", "7"]);
    assert_eq!(file.meta.rule, "equalshares/add1");
    assert_eq!(file.meta.max_sum_cost, Some(2500));
    assert_eq!(file.meta.min_sum_cost, Some(250));
    assert!(file.meta.other.iter().any(|(k, v)| k == "comment" && v.ends_with(": 8.")));
    let text = write(&file);
    assert!(text.contains("description;\"Bugetul civic 2026; orașul Bălți\"\n"), "{text}");
    let back = read(&text).expect("Agora reads what it writes");
    assert_eq!(back, file);
    // The file is the count without project 8, and gives the same outcome.
    let counted = compute(OutcomeRule::EqualShares, &back.to_instance().expect("valid"));
    assert_eq!(counted.funded, outcome.funded);
    let paper = back.votes.iter().filter(|v| v.voting_method == Some(VotingMethod::Paper)).count();
    assert_eq!(paper, 1);
}

#[test]
fn export_states_an_approval_rule_as_lengths() {
    let instance = sample_instance();
    let outcome = compute(OutcomeRule::Greedy, &instance);
    let rule = BallotRule::Approval { min_projects: 1, max_projects: 3 };
    let file = export(&instance, &outcome, &sample_export(rule, &[]));
    assert_eq!((file.meta.min_length, file.meta.max_length), (Some(1), Some(3)));
    assert_eq!(file.meta.max_sum_cost, None);
    let selected: Vec<&str> =
        file.projects.iter().filter(|p| p.selected == Some(1)).map(|p| p.id.as_str()).collect();
    assert_eq!(selected, outcome.funded.iter().map(String::as_str).collect::<Vec<_>>());
}
