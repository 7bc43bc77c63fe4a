//! Reading a `.pb` file: the sections and their rows, then every field checked, then the file
//! checked as a whole (declared counts against the rows, ballots against the declared limits).

use super::sections::{split_sections, Table};
use super::{Meta, PbError, PbFile, PbProject, PbVote, Sex, VoteType, VotingMethod};
use std::collections::{HashMap, HashSet};

/// Reads a `.pb` file, or says which line is wrong and why.
pub fn read(text: &str) -> Result<PbFile, PbError> {
    let sections = split_sections(text)?;
    let meta_rows = sections.meta.ok_or_else(|| PbError::new(0, "the META section is missing"))?;
    let projects =
        sections.projects.ok_or_else(|| PbError::new(0, "the PROJECTS section is missing"))?;
    let votes = sections.votes.ok_or_else(|| PbError::new(0, "the VOTES section is missing"))?;

    let (meta, meta_lines) = read_meta(&meta_rows)?;
    let (projects, project_lines) = read_projects(&projects)?;
    let (votes, vote_lines) = read_votes(&votes, meta.vote_type, &projects)?;

    let file = PbFile { meta, projects, votes };
    check_counts(&file, &meta_lines, &project_lines)?;
    check_ballots(&file, &vote_lines)?;
    Ok(file)
}

/// A whole non-negative number, written as digits, optionally with a zero fraction (`1500.00`).
fn whole(s: &str) -> Option<u64> {
    let (int, frac) = match s.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (s, None),
    };
    if int.is_empty() || !int.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if let Some(frac) = frac {
        if frac.is_empty() || !frac.bytes().all(|c| c == b'0') {
            return None;
        }
    }
    int.parse().ok()
}

/// Empty or Pabulib's `None` means absent.
fn present(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty() && !s.eq_ignore_ascii_case("none")).then_some(s)
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() == 4 {
        return b.iter().all(u8::is_ascii_digit);
    }
    b.len() == 10
        && b[2] == b'.'
        && b[5] == b'.'
        && chrono::NaiveDate::parse_from_str(s, "%d.%m.%Y").is_ok()
}

/// Lines of the META fields checked against the rest of the file.
struct MetaLines {
    num_projects: usize,
    num_votes: usize,
}

fn read_meta(table: &Table) -> Result<(Meta, MetaLines), PbError> {
    if table.header_line == 0 {
        return Err(PbError::new(0, "the META section has no 'key;value' header"));
    }
    if table.header != ["key", "value"] {
        return Err(PbError::new(table.header_line, "the META header must be 'key;value'"));
    }
    let mut fields: HashMap<String, (usize, String)> = HashMap::new();
    let mut other = Vec::new();
    for (line, cells) in &table.rows {
        if cells.len() != 2 {
            return Err(PbError::new(
                *line,
                format!("a META line has a key and a value, this one has {} fields", cells.len()),
            ));
        }
        let key = cells[0].trim().to_owned();
        if key.is_empty() {
            return Err(PbError::new(*line, "a META key is empty"));
        }
        if fields.contains_key(&key) {
            return Err(PbError::new(*line, format!("the META key '{key}' appears twice")));
        }
        if !KNOWN_META.contains(&key.as_str()) {
            other.push((key.clone(), cells[1].clone()));
        }
        fields.insert(key, (*line, cells[1].clone()));
    }
    let text = |key: &str| -> Result<(usize, String), PbError> {
        match fields.get(key) {
            Some((line, value)) if !value.trim().is_empty() => Ok((*line, value.clone())),
            Some((line, _)) => Err(PbError::new(*line, format!("the META field '{key}' is empty"))),
            None => {
                Err(PbError::new(table.header_line, format!("the META field '{key}' is missing")))
            }
        }
    };
    let number = |key: &str| -> Result<(usize, u64), PbError> {
        let (line, value) = text(key)?;
        whole(value.trim()).map(|n| (line, n)).ok_or_else(|| {
            PbError::new(line, format!("'{key}' must be a whole number, not '{value}'"))
        })
    };
    let optional_number = |key: &str| -> Result<Option<u64>, PbError> {
        match fields.get(key).and_then(|(line, v)| present(v).map(|v| (*line, v))) {
            None => Ok(None),
            Some((line, value)) => whole(value).map(Some).ok_or_else(|| {
                PbError::new(line, format!("'{key}' must be a whole number, not '{value}'"))
            }),
        }
    };
    let date = |key: &str| -> Result<String, PbError> {
        let (line, value) = text(key)?;
        if is_date(value.trim()) {
            Ok(value.trim().to_owned())
        } else {
            Err(PbError::new(
                line,
                format!("'{key}' must be a date as dd.mm.yyyy or yyyy, not '{value}'"),
            ))
        }
    };

    let (type_line, vote_type) = text("vote_type")?;
    let vote_type = match vote_type.trim() {
        "approval" => VoteType::Approval,
        "choose-1" => VoteType::ChooseOne,
        other => {
            return Err(PbError::new(
                type_line,
                format!("vote_type '{other}' is not supported: Agora counts approval ballots (approval, choose-1)"),
            ))
        }
    };
    let (projects_line, num_projects) = number("num_projects")?;
    let (votes_line, num_votes) = number("num_votes")?;
    let (budget_line, budget) = number("budget")?;
    if budget == 0 {
        return Err(PbError::new(budget_line, "the budget must be at least 1"));
    }
    let meta = Meta {
        description: text("description")?.1,
        country: text("country")?.1,
        unit: text("unit")?.1,
        instance: text("instance")?.1,
        num_projects,
        num_votes,
        budget,
        vote_type,
        rule: text("rule")?.1.trim().to_owned(),
        date_begin: date("date_begin")?,
        date_end: date("date_end")?,
        min_length: optional_number("min_length")?,
        max_length: optional_number("max_length")?,
        min_sum_cost: optional_number("min_sum_cost")?,
        max_sum_cost: optional_number("max_sum_cost")?,
        language: fields.get("language").and_then(|(_, v)| present(v)).map(str::to_owned),
        currency: fields.get("currency").and_then(|(_, v)| present(v)).map(str::to_owned),
        other,
    };
    Ok((meta, MetaLines { num_projects: projects_line, num_votes: votes_line }))
}

const KNOWN_META: [&str; 17] = [
    "description",
    "country",
    "unit",
    "instance",
    "num_projects",
    "num_votes",
    "budget",
    "vote_type",
    "rule",
    "date_begin",
    "date_end",
    "min_length",
    "max_length",
    "min_sum_cost",
    "max_sum_cost",
    "language",
    "currency",
];

/// Where each named column is, after checking the header has the required ones once.
fn columns(
    table: &Table,
    section: &str,
    required: &[&str],
) -> Result<HashMap<String, usize>, PbError> {
    if table.header_line == 0 {
        return Err(PbError::new(0, format!("the {section} section has no column header")));
    }
    let mut at = HashMap::new();
    for (i, name) in table.header.iter().enumerate() {
        if at.insert(name.clone(), i).is_some() {
            return Err(PbError::new(
                table.header_line,
                format!("the {section} column '{name}' appears twice"),
            ));
        }
    }
    for name in required {
        if !at.contains_key(*name) {
            return Err(PbError::new(
                table.header_line,
                format!("the {section} header lacks the '{name}' column"),
            ));
        }
    }
    Ok(at)
}

fn check_width(table: &Table, line: usize, cells: &[String]) -> Result<(), PbError> {
    if cells.len() == table.header.len() {
        Ok(())
    } else {
        Err(PbError::new(
            line,
            format!(
                "expected {} fields as in the header, found {}",
                table.header.len(),
                cells.len()
            ),
        ))
    }
}

fn read_projects(table: &Table) -> Result<(Vec<PbProject>, Vec<usize>), PbError> {
    let at = columns(table, "PROJECTS", &["project_id", "cost"])?;
    let cell = |cells: &[String], name: &str| -> Option<String> {
        at.get(name).and_then(|&i| present(&cells[i])).map(str::to_owned)
    };
    let mut ids = HashSet::new();
    let mut projects = Vec::with_capacity(table.rows.len());
    let mut lines = Vec::with_capacity(table.rows.len());
    for (line, cells) in &table.rows {
        let line = *line;
        check_width(table, line, cells)?;
        let id = cells[at["project_id"]].trim().to_owned();
        if id.is_empty() {
            return Err(PbError::new(line, "a project has no project_id"));
        }
        if id.contains(',') {
            return Err(PbError::new(line, format!("project id '{id}' contains a comma")));
        }
        if !ids.insert(id.clone()) {
            return Err(PbError::new(line, format!("project id '{id}' appears twice")));
        }
        let cost_text = &cells[at["cost"]];
        let cost = whole(cost_text.trim()).filter(|c| *c >= 1).ok_or_else(|| {
            PbError::new(
                line,
                format!("project {id}: the cost must be a whole number of at least 1, not '{cost_text}'"),
            )
        })?;
        let votes = match cell(cells, "votes") {
            None => None,
            Some(v) => Some(whole(&v).ok_or_else(|| {
                PbError::new(line, format!("project {id}: votes must be a whole number, not '{v}'"))
            })?),
        };
        let selected = match cell(cells, "selected") {
            None => None,
            Some(s) => Some(s.parse::<u8>().ok().filter(|s| *s <= 3).ok_or_else(|| {
                PbError::new(
                    line,
                    format!("project {id}: selected must be 0, 1, 2 or 3, not '{s}'"),
                )
            })?),
        };
        let coordinate = |name: &str, limit: f64| -> Result<Option<f64>, PbError> {
            match cell(cells, name) {
                None => Ok(None),
                Some(v) => v
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && x.abs() <= limit)
                    .map(Some)
                    .ok_or_else(|| {
                        PbError::new(
                            line,
                            format!("project {id}: {name} '{v}' is not a valid coordinate"),
                        )
                    }),
            }
        };
        let latitude = coordinate("latitude", 90.0)?;
        let longitude = coordinate("longitude", 180.0)?;
        let category = cell(cells, "category")
            .map(|c| {
                c.split(',').map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned).collect()
            })
            .unwrap_or_default();
        projects.push(PbProject {
            id,
            cost,
            votes,
            name: cell(cells, "name"),
            category,
            selected,
            latitude,
            longitude,
        });
        lines.push(line);
    }
    Ok((projects, lines))
}

fn read_votes(
    table: &Table,
    vote_type: VoteType,
    projects: &[PbProject],
) -> Result<(Vec<PbVote>, Vec<usize>), PbError> {
    let at = columns(table, "VOTES", &["voter_id", "vote"])?;
    if at.contains_key("points") {
        return Err(PbError::new(table.header_line, "approval ballots have no 'points' column"));
    }
    let known: HashSet<&str> = projects.iter().map(|p| p.id.as_str()).collect();
    let cell = |cells: &[String], name: &str| -> Option<String> {
        at.get(name).and_then(|&i| present(&cells[i])).map(str::to_owned)
    };
    let mut voters = HashSet::new();
    let mut votes = Vec::with_capacity(table.rows.len());
    let mut lines = Vec::with_capacity(table.rows.len());
    for (line, cells) in &table.rows {
        let line = *line;
        check_width(table, line, cells)?;
        let voter_id = cells[at["voter_id"]].trim().to_owned();
        if voter_id.is_empty() {
            return Err(PbError::new(line, "a vote has no voter_id"));
        }
        if !voters.insert(voter_id.clone()) {
            return Err(PbError::new(line, format!("voter id '{voter_id}' appears twice")));
        }
        let mut vote: Vec<String> = Vec::new();
        for id in cells[at["vote"]].split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if !known.contains(id) {
                return Err(PbError::new(
                    line,
                    format!("voter {voter_id} votes for project '{id}', which is not in PROJECTS"),
                ));
            }
            if vote.iter().any(|v| v == id) {
                return Err(PbError::new(
                    line,
                    format!("voter {voter_id} votes for project {id} twice"),
                ));
            }
            vote.push(id.to_owned());
        }
        if vote.is_empty() {
            return Err(PbError::new(line, format!("voter {voter_id} votes for no project")));
        }
        if vote_type == VoteType::ChooseOne && vote.len() != 1 {
            return Err(PbError::new(
                line,
                format!("voter {voter_id} votes for {} projects; choose-1 allows one", vote.len()),
            ));
        }
        let age = match cell(cells, "age") {
            None => None,
            Some(a) if is_age(&a) => Some(a),
            Some(a) => {
                return Err(PbError::new(
                    line,
                    format!("age '{a}' is neither an age nor a band like 25-34"),
                ))
            }
        };
        let sex = match cell(cells, "sex") {
            None => None,
            Some(s) => Some(
                Sex::parse(&s)
                    .ok_or_else(|| PbError::new(line, format!("sex '{s}' must be M, F or O")))?,
            ),
        };
        let voting_method = match cell(cells, "voting_method") {
            None => None,
            Some(m) => Some(VotingMethod::parse(&m).ok_or_else(|| {
                PbError::new(line, format!("voting_method '{m}' must be internet or paper"))
            })?),
        };
        votes.push(PbVote { voter_id, vote, age, sex, voting_method });
        lines.push(line);
    }
    Ok((votes, lines))
}

fn is_age(s: &str) -> bool {
    let digits = |t: &str| !t.is_empty() && t.len() <= 3 && t.bytes().all(|c| c.is_ascii_digit());
    match s.split_once('-') {
        Some((from, to)) => digits(from) && digits(to),
        None => digits(s),
    }
}

fn check_counts(file: &PbFile, meta: &MetaLines, project_lines: &[usize]) -> Result<(), PbError> {
    if file.meta.num_projects != file.projects.len() as u64 {
        return Err(PbError::new(
            meta.num_projects,
            format!(
                "num_projects is {}, but PROJECTS lists {}",
                file.meta.num_projects,
                file.projects.len()
            ),
        ));
    }
    if file.meta.num_votes != file.votes.len() as u64 {
        return Err(PbError::new(
            meta.num_votes,
            format!("num_votes is {}, but VOTES holds {}", file.meta.num_votes, file.votes.len()),
        ));
    }
    let mut counted: HashMap<&str, u64> = HashMap::new();
    for vote in &file.votes {
        for id in &vote.vote {
            *counted.entry(id.as_str()).or_default() += 1;
        }
    }
    for (project, line) in file.projects.iter().zip(project_lines) {
        let actual = counted.get(project.id.as_str()).copied().unwrap_or(0);
        if let Some(declared) = project.votes {
            if declared != actual {
                return Err(PbError::new(
                    *line,
                    format!(
                        "project {} declares {declared} votes, but VOTES gives it {actual}",
                        project.id
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn check_ballots(file: &PbFile, vote_lines: &[usize]) -> Result<(), PbError> {
    let cost: HashMap<&str, u64> = file.projects.iter().map(|p| (p.id.as_str(), p.cost)).collect();
    let meta = &file.meta;
    for (vote, line) in file.votes.iter().zip(vote_lines) {
        let length = vote.vote.len() as u64;
        let total = vote
            .vote
            .iter()
            .map(|id| cost.get(id.as_str()).copied().unwrap_or(0))
            .fold(0u64, u64::saturating_add);
        let refuse =
            |what: String| Err(PbError::new(*line, format!("voter {}: {what}", vote.voter_id)));
        if let Some(min) = meta.min_length.filter(|min| length < *min) {
            return refuse(format!("{length} projects, fewer than min_length {min}"));
        }
        if let Some(max) = meta.max_length.filter(|max| length > *max) {
            return refuse(format!("{length} projects, more than max_length {max}"));
        }
        if let Some(min) = meta.min_sum_cost.filter(|min| total < *min) {
            return refuse(format!("the projects cost {total}, less than min_sum_cost {min}"));
        }
        if let Some(max) = meta.max_sum_cost.filter(|max| total > *max) {
            return refuse(format!("the projects cost {total}, more than max_sum_cost {max}"));
        }
    }
    Ok(())
}
