//! The reader never panics, whatever it is given, and reads back exactly what the writer wrote.

use super::*;
use proptest::collection::vec;
use proptest::prelude::*;

/// Text as a field holds it after writing: no line breaks, no surrounding spaces, not empty and
/// not Pabulib's `None`, but with `;`, `"`, commas and letters from the four languages.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9ăâîșțĂÎȘȚыщёїєґ ;\",.'()-]{1,24}"
        .prop_map(|s| s.trim().to_owned())
        .prop_filter("a present value", |s| !s.is_empty() && !s.eq_ignore_ascii_case("none"))
}

fn list_item() -> impl Strategy<Value = String> {
    text()
        .prop_map(|s| s.replace(',', " ").trim().to_owned())
        .prop_filter("non-empty", |s| !s.is_empty() && !s.eq_ignore_ascii_case("none"))
}

fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u32..=28, 1u32..=12, 1990u32..=2100).prop_map(|(d, m, y)| format!("{d:02}.{m:02}.{y}")),
        (1990u32..=2100).prop_map(|y| y.to_string()),
    ]
}

fn project() -> impl Strategy<Value = PbProject> {
    (
        1u64..=1_000_000_000,
        proptest::option::of(text()),
        vec(list_item(), 0..3),
        proptest::option::of(0u8..=3),
        proptest::option::of((-90.0f64..=90.0, -180.0f64..=180.0)),
    )
        .prop_map(|(cost, name, category, selected, position)| PbProject {
            id: String::new(),
            cost,
            votes: None,
            name,
            category,
            selected,
            latitude: position.map(|p| p.0),
            longitude: position.map(|p| p.1),
        })
}

fn vote(projects: usize) -> impl Strategy<Value = PbVote> {
    (
        proptest::sample::subsequence((0..projects).collect::<Vec<_>>(), 1..=projects)
            .prop_shuffle(),
        proptest::option::of(prop_oneof!["[0-9]{1,3}", "[0-9]{1,2}-[0-9]{1,3}"]),
        proptest::option::of(prop_oneof![Just(Sex::Female), Just(Sex::Male), Just(Sex::Other)]),
        proptest::option::of(prop_oneof![Just(VotingMethod::Internet), Just(VotingMethod::Paper)]),
    )
        .prop_map(|(vote, age, sex, voting_method)| PbVote {
            voter_id: String::new(),
            vote: vote.into_iter().map(|p| format!("p{p}")).collect(),
            age,
            sex,
            voting_method,
        })
}

fn file() -> impl Strategy<Value = PbFile> {
    (1usize..8)
        .prop_flat_map(|n| {
            (
                vec(project(), n),
                vec(vote(n), 1..12),
                (text(), text(), text(), text(), 1u64..=u64::MAX / 2, date(), date()),
                (
                    proptest::bool::ANY,
                    proptest::option::of("[a-z]{2}"),
                    vec(("x_[a-z_]{1,8}", text()), 0..3),
                ),
                prop_oneof![Just("greedy"), Just("equalshares/add1"), Just("unknown")],
            )
        })
        .prop_map(|(mut projects, mut votes, texts, extra, rule)| {
            for (i, p) in projects.iter_mut().enumerate() {
                p.id = format!("p{i}");
                p.votes = Some(votes.iter().filter(|v| v.vote.contains(&p.id)).count() as u64);
            }
            for (i, v) in votes.iter_mut().enumerate() {
                v.voter_id = (i + 1).to_string();
            }
            let (description, country, unit, instance, budget, date_begin, date_end) = texts;
            let (with_language, language, mut other) = extra;
            other.sort();
            other.dedup_by(|a, b| a.0 == b.0);
            PbFile {
                meta: Meta {
                    description,
                    country,
                    unit,
                    instance,
                    num_projects: projects.len() as u64,
                    num_votes: votes.len() as u64,
                    budget,
                    vote_type: VoteType::Approval,
                    rule: rule.to_owned(),
                    date_begin,
                    date_end,
                    min_length: Some(1),
                    max_length: None,
                    min_sum_cost: None,
                    max_sum_cost: None,
                    language: language.filter(|_| with_language),
                    currency: Some("MDL".into()),
                    other,
                },
                projects,
                votes,
            }
        })
}

/// A change a careless editor or a hostile upload might make to a file.
#[derive(Clone, Debug)]
enum Mangle {
    Insert(usize, String),
    Delete(usize, usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Truncate(usize),
}

fn mangle() -> impl Strategy<Value = Mangle> {
    prop_oneof![
        (any::<usize>(), "[;,\"\n\r a-z0-9.-]{1,6}|META|PROJECTS|VOTES")
            .prop_map(|(at, s)| Mangle::Insert(at, s)),
        (any::<usize>(), 1usize..40).prop_map(|(at, n)| Mangle::Delete(at, n)),
        any::<usize>().prop_map(Mangle::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mangle::SwapLines(a, b)),
        any::<usize>().prop_map(Mangle::Truncate),
    ]
}

fn apply(text: &str, change: &Mangle) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = |i: usize| if chars.is_empty() { 0 } else { i % (chars.len() + 1) };
    let mut lines: Vec<&str> = text.lines().collect();
    match change {
        Mangle::Insert(i, s) => {
            let i = at(*i);
            chars[..i]
                .iter()
                .chain(s.chars().collect::<Vec<_>>().iter())
                .chain(chars[i..].iter())
                .collect()
        }
        Mangle::Delete(i, n) => {
            let i = at(*i);
            let end = (i + n).min(chars.len());
            chars[..i].iter().chain(chars[end..].iter()).collect()
        }
        Mangle::DuplicateLine(i) if !lines.is_empty() => {
            let i = i % lines.len();
            lines.insert(i, lines[i]);
            lines.join("\n")
        }
        Mangle::SwapLines(a, b) if !lines.is_empty() => {
            let n = lines.len();
            lines.swap(a % n, b % n);
            lines.join("\n")
        }
        Mangle::Truncate(i) => chars[..at(*i)].iter().collect(),
        _ => text.to_owned(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn written_files_read_back_unchanged(file in file()) {
        let text = write(&file);
        prop_assert_eq!(read(&text), Ok(file));
    }

    #[test]
    fn any_text_gives_a_file_or_an_error(text in "(?s).{0,400}") {
        let _ = read(&text);
    }

    #[test]
    fn mangled_files_give_a_file_or_an_error_with_a_line(
        file in file(),
        changes in vec(mangle(), 1..4),
    ) {
        let mut text = write(&file);
        for change in &changes {
            text = apply(&text, change);
        }
        match read(&text) {
            Ok(read_back) => {
                // Whatever it accepts, it writes and reads again to the same file.
                prop_assert_eq!(read(&write(&read_back)), Ok(read_back));
            }
            Err(e) => {
                let lines = text.replace("\r\n", "\n").split(super::sections::LINE_BREAKS).count();
                prop_assert!(e.line <= lines, "line {} of {}", e.line, lines);
                prop_assert!(!e.problem.is_empty());
            }
        }
    }
}
