//! CSV downloads that are safe to open in a spreadsheet.

/// A cell as a spreadsheet may read it: text that starts like a formula (`=`, `+`, `-`, `@`,
/// a tab or a carriage return) gets a leading apostrophe, so that a value someone typed is
/// shown, never evaluated ("CSV injection"). Numbers written by Agora itself go through
/// unchanged.
pub fn text_cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

/// Writes `rows` (already rendered as cells) as RFC 4180 CSV with CRLF line ends.
pub fn to_csv<I, R>(rows: I) -> String
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = String>,
{
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        // Text always in quotes, numbers bare: what spreadsheets read most reliably.
        .quote_style(::csv::QuoteStyle::NonNumeric)
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        let cells: Vec<String> = row.into_iter().collect();
        // Writing to memory fails only on a bug in the csv crate; a short file is then logged.
        if let Err(err) = writer.write_record(&cells) {
            tracing::error!(error = %err, "could not write a CSV row");
        }
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_quotes_escaped() {
        assert_eq!(text_cell("=HYPERLINK(\"http://evil\")"), "'=HYPERLINK(\"http://evil\")");
        for start in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(text_cell(start).starts_with('\''), "{start:?}");
        }
        assert_eq!(text_cell("Parcul central"), "Parcul central");
        let csv = to_csv([vec!["a \"b\", c".to_owned(), "12".to_owned()]]);
        assert_eq!(csv, "\"a \"\"b\"\", c\",12\r\n");
    }
}
