//! Writing a `.pb` file: META in the specification's order, then PROJECTS and VOTES with only the
//! columns some row fills. Fields are trimmed, line breaks become spaces, and a field holding `;`
//! or `"` is quoted with inner quotes doubled, as CSV does.

use super::{PbFile, PbProject, PbVote};
use std::fmt::Write as _;

/// The file as text (UTF-8, `\n` line ends).
pub fn write(file: &PbFile) -> String {
    let mut out = String::new();
    let meta = &file.meta;
    out.push_str("META\nkey;value\n");
    let mut pair = |key: &str, value: &str| {
        let _ = writeln!(out, "{};{}", cell(key), cell(value));
    };
    pair("description", &meta.description);
    pair("country", &meta.country);
    pair("unit", &meta.unit);
    pair("instance", &meta.instance);
    pair("num_projects", &meta.num_projects.to_string());
    pair("num_votes", &meta.num_votes.to_string());
    pair("budget", &meta.budget.to_string());
    pair("vote_type", meta.vote_type.as_str());
    pair("rule", &meta.rule);
    pair("date_begin", &meta.date_begin);
    pair("date_end", &meta.date_end);
    let numbers = [
        ("min_length", meta.min_length),
        ("max_length", meta.max_length),
        ("min_sum_cost", meta.min_sum_cost),
        ("max_sum_cost", meta.max_sum_cost),
    ];
    for (key, value) in numbers {
        if let Some(value) = value {
            pair(key, &value.to_string());
        }
    }
    if let Some(language) = &meta.language {
        pair("language", language);
    }
    if let Some(currency) = &meta.currency {
        pair("currency", currency);
    }
    for (key, value) in &meta.other {
        pair(key, value);
    }
    write_projects(&mut out, &file.projects);
    write_votes(&mut out, &file.votes);
    out
}

type Column<T> = (&'static str, fn(&T) -> Option<String>);

const PROJECT_COLUMNS: [Column<PbProject>; 8] = [
    ("project_id", |p| Some(p.id.clone())),
    ("cost", |p| Some(p.cost.to_string())),
    ("votes", |p| p.votes.map(|v| v.to_string())),
    ("name", |p| p.name.clone()),
    ("category", |p| (!p.category.is_empty()).then(|| p.category.join(","))),
    ("selected", |p| p.selected.map(|s| s.to_string())),
    ("latitude", |p| p.latitude.map(|x| x.to_string())),
    ("longitude", |p| p.longitude.map(|x| x.to_string())),
];

const VOTE_COLUMNS: [Column<PbVote>; 5] = [
    ("voter_id", |v| Some(v.voter_id.clone())),
    ("vote", |v| Some(v.vote.join(","))),
    ("age", |v| v.age.clone()),
    ("sex", |v| v.sex.map(|s| s.as_str().to_owned())),
    ("voting_method", |v| v.voting_method.map(|m| m.as_str().to_owned())),
];

fn write_projects(out: &mut String, projects: &[PbProject]) {
    out.push_str("PROJECTS\n");
    write_table(out, &PROJECT_COLUMNS, projects);
}

fn write_votes(out: &mut String, votes: &[PbVote]) {
    out.push_str("VOTES\n");
    write_table(out, &VOTE_COLUMNS, votes);
}

/// The two required columns always, the others when some row has a value.
fn write_table<T>(out: &mut String, columns: &[Column<T>], rows: &[T]) {
    let used: Vec<&Column<T>> = columns
        .iter()
        .enumerate()
        .filter(|(i, (_, get))| *i < 2 || rows.iter().any(|r| get(r).is_some()))
        .map(|(_, c)| c)
        .collect();
    let header: Vec<&str> = used.iter().map(|(name, _)| *name).collect();
    out.push_str(&header.join(";"));
    out.push('\n');
    for row in rows {
        let cells: Vec<String> =
            used.iter().map(|(_, get)| cell(&get(row).unwrap_or_default())).collect();
        out.push_str(&cells.join(";"));
        out.push('\n');
    }
}

/// One field as the file holds it.
pub(super) fn cell(value: &str) -> String {
    let value: String = value
        .chars()
        .map(|c| if super::sections::LINE_BREAKS.contains(&c) { ' ' } else { c })
        .collect();
    let value = value.trim();
    if value.contains(';') || value.contains('"') {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}
