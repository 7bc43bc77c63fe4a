//! The first step of reading a `.pb` file: its lines split into the META, PROJECTS and VOTES
//! sections, and each line into its `;`-separated cells.

use super::PbError;

/// A section: the line of its column header, the header, and its rows with their lines.
pub(super) struct Table {
    pub header_line: usize,
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

#[derive(Default)]
pub(super) struct Sections {
    pub meta: Option<Table>,
    pub projects: Option<Table>,
    pub votes: Option<Table>,
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Section {
    Meta,
    Projects,
    Votes,
}

pub(super) fn split_sections(text: &str) -> Result<Sections, PbError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).replace("\r\n", "\n");
    let mut sections = Sections::default();
    let mut current: Option<Section> = None;
    for (i, raw) in text.split(LINE_BREAKS).enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let cells = split_cells(raw, line)?;
        if let Some(section) = section_marker(&cells) {
            if section != Section::Meta && sections.meta.is_none() {
                return Err(PbError::new(line, "the file must start with the META section"));
            }
            let slot = match section {
                Section::Meta => &mut sections.meta,
                Section::Projects => &mut sections.projects,
                Section::Votes => &mut sections.votes,
            };
            if slot.is_some() {
                return Err(PbError::new(
                    line,
                    format!("the {} section appears twice", cells[0].trim()),
                ));
            }
            *slot = Some(Table { header_line: 0, header: Vec::new(), rows: Vec::new() });
            current = Some(section);
            continue;
        }
        let table = match current {
            None => {
                return Err(PbError::new(line, "text before the META section"));
            }
            Some(Section::Meta) => sections.meta.as_mut(),
            Some(Section::Projects) => sections.projects.as_mut(),
            Some(Section::Votes) => sections.votes.as_mut(),
        };
        let Some(table) = table else { continue };
        if table.header_line == 0 {
            table.header_line = line;
            table.header = cells.iter().map(|c| c.trim().to_ascii_lowercase()).collect();
        } else {
            table.rows.push((line, cells));
        }
    }
    Ok(sections)
}

/// What ends a line: Python's `str.splitlines`, as `pabutools` reads files (`\r\n` counts once).
pub(super) const LINE_BREAKS: [char; 10] = [
    '\n', '\r', '\u{0b}', '\u{0c}', '\u{1c}', '\u{1d}', '\u{1e}', '\u{85}', '\u{2028}', '\u{2029}',
];

pub(super) fn section_marker(cells: &[String]) -> Option<Section> {
    if cells.iter().skip(1).any(|c| !c.trim().is_empty()) {
        return None;
    }
    match cells.first()?.trim().to_ascii_lowercase().as_str() {
        "meta" => Some(Section::Meta),
        "projects" => Some(Section::Projects),
        "votes" => Some(Section::Votes),
        _ => None,
    }
}

/// Splits one line at `;`, honouring CSV double quotes (`"a;b"`, `"say ""hi"""`). Fields are
/// trimmed, inside quotes too (Agora's values never start or end with spaces, and
/// `pabulib-checker` counts such a field as an error). Fields never span lines.
pub(super) fn split_cells(line: &str, line_no: usize) -> Result<Vec<String>, PbError> {
    let mut cells = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while matches!(chars.peek(), Some(' ' | '\t')) {
            chars.next();
        }
        if chars.peek() == Some(&'"') {
            chars.next();
            let mut cell = String::new();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        cell.push('"');
                    }
                    Some('"') => break,
                    Some(c) => cell.push(c),
                    None => {
                        return Err(PbError::new(line_no, "a quoted field is not closed"));
                    }
                }
            }
            while matches!(chars.peek(), Some(' ' | '\t')) {
                chars.next();
            }
            cells.push(cell.trim().to_owned());
            match chars.next() {
                None => return Ok(cells),
                Some(';') => {}
                Some(c) => {
                    return Err(PbError::new(
                        line_no,
                        format!("unexpected {c:?} after a closing quote (a field ends at ';')"),
                    ))
                }
            }
        } else {
            let mut cell = String::new();
            loop {
                match chars.next() {
                    None => {
                        cells.push(cell.trim().to_owned());
                        return Ok(cells);
                    }
                    Some(';') => break,
                    Some(c) => cell.push(c),
                }
            }
            cells.push(cell.trim().to_owned());
        }
    }
}
