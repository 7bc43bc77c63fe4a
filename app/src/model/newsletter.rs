//! The NGO network's quarterly newsletter.

use super::Localized;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A calendar quarter: `2026` and `1` to `4`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Quarter {
    pub year: i32,
    pub quarter: u32,
}

impl Quarter {
    /// The quarter `year`/`quarter`, when it is one (years 2000–2100, as the table allows).
    pub fn new(year: i32, quarter: u32) -> Option<Self> {
        ((2000..=2100).contains(&year) && (1..=4).contains(&quarter))
            .then_some(Quarter { year, quarter })
    }

    /// The quarter the city's calendar day `day` falls in.
    pub fn of(day: NaiveDate) -> Self {
        Quarter { year: day.year(), quarter: day.month0() / 3 + 1 }
    }

    /// The quarter before this one.
    pub fn previous(self) -> Self {
        match self.quarter {
            1 => Quarter { year: self.year - 1, quarter: 4 },
            q => Quarter { year: self.year, quarter: q - 1 },
        }
    }

    /// The quarter after this one.
    pub fn next(self) -> Self {
        match self.quarter {
            4 => Quarter { year: self.year + 1, quarter: 1 },
            q => Quarter { year: self.year, quarter: q + 1 },
        }
    }

    /// Its first day and the first day of the next quarter.
    pub fn days(self) -> (NaiveDate, NaiveDate) {
        let first = |q: Quarter| {
            NaiveDate::from_ymd_opt(q.year, (q.quarter - 1) * 3 + 1, 1).unwrap_or_default()
        };
        (first(self), first(self.next()))
    }

    /// The instants it spans in the city's time zone: from its first midnight to the next
    /// quarter's.
    pub fn span(self) -> (DateTime<Utc>, DateTime<Utc>) {
        let (from, to) = self.days();
        (crate::format::day_start_utc(from), crate::format::day_start_utc(to))
    }
}

/// One issue of the newsletter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Newsletter {
    pub id: i64,
    pub locality_id: i64,
    pub quarter: Quarter,
    pub title: Localized,
    /// Plain text; paragraphs are separated by blank lines.
    pub body: Localized,
    /// `None` while it is a draft only staff see.
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Newsletter {
    pub fn is_published(&self) -> bool {
        self.published_at.is_some()
    }
}

/// An issue as the secretariat writes it, once checked.
#[derive(Clone, Debug)]
pub struct NewsletterDraft {
    pub locality_id: i64,
    pub quarter: Quarter,
    pub title: Localized,
    pub body: Localized,
}

/// A text's paragraphs: split at blank lines, each trimmed, empty ones dropped.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push('\n');
            }
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_span_the_city_calendar() {
        let q = Quarter::new(2026, 2).expect("quarter");
        let (from, to) = q.span();
        // April begins at 21:00 UTC on 31 March (summer time), July likewise.
        assert_eq!(from.to_rfc3339(), "2026-03-31T21:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-06-30T21:00:00+00:00");
        let q4 = Quarter::new(2026, 4).expect("quarter");
        assert_eq!(q4.span().1.to_rfc3339(), "2026-12-31T22:00:00+00:00");
        assert_eq!(Quarter::of(NaiveDate::from_ymd_opt(2026, 12, 4).expect("day")), q4);
        assert_eq!(
            Quarter::new(2026, 1).expect("q").previous(),
            Quarter { year: 2025, quarter: 4 }
        );
        assert_eq!(q4.next(), Quarter { year: 2027, quarter: 1 });
        assert_eq!(Quarter::new(2026, 5), None);
        assert_eq!(Quarter::new(1999, 1), None);
    }

    #[test]
    fn paragraphs_split_at_blank_lines() {
        let text = "First line\n  second line \n\n\n Next one\r\n\r\nLast";
        assert_eq!(paragraphs(text), vec!["First line\nsecond line", "Next one", "Last"]);
        assert!(paragraphs(" \n\n").is_empty());
    }
}
