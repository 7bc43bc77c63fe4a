//! Weekly opening hours in the city's time, written as people do on a door:
//! `mo-fr 08:00-12:00,13:00-17:00; sa 09:00-13:00`, `24/7`, or nothing (by appointment).
//! A small subset of OpenStreetMap's `opening_hours`, so entries can be exchanged with it.

use chrono::{Datelike, NaiveDateTime, Timelike};
use serde::{Deserialize, Serialize};
use std::fmt;

const DAYS: [&str; 7] = ["mo", "tu", "we", "th", "fr", "sa", "su"];
const DAY_MINUTES: u16 = 24 * 60;

/// A week of opening times: per weekday (Monday first) the minutes of the day it is open,
/// as sorted, separate `[start, end)` ranges.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OpeningHours {
    always: bool,
    week: [Vec<(u16, u16)>; 7],
}

/// Why a text is not opening hours.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoursError(String);

impl fmt::Display for HoursError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not opening hours: {}", self.0)
    }
}

fn minutes(text: &str) -> Option<u16> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m) = (h.parse::<u16>().ok()?, m.parse::<u16>().ok()?);
    let total = h * 60 + m;
    (m < 60 && total <= DAY_MINUTES).then_some(total)
}

fn days(text: &str) -> Option<Vec<usize>> {
    let day = |d: &str| DAYS.iter().position(|x| *x == d);
    let mut out = Vec::new();
    for part in text.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day(a)?, day(b)?);
                if a > b {
                    return None;
                }
                out.extend(a..=b);
            }
            None => out.push(day(part)?),
        }
    }
    Some(out)
}

impl OpeningHours {
    /// Reads hours as written on the form (case and spaces around separators do not matter).
    pub fn parse(text: &str) -> Result<Self, HoursError> {
        let bad = || HoursError(text.chars().take(80).collect());
        let normalized = text.trim().to_lowercase();
        let mut hours = OpeningHours::default();
        if normalized == "24/7" {
            hours.always = true;
            return Ok(hours);
        }
        for rule in normalized.split(';').map(str::trim).filter(|r| !r.is_empty()) {
            let (day_part, time_part) = rule.split_once(char::is_whitespace).ok_or_else(bad)?;
            let days = days(day_part.trim()).ok_or_else(bad)?;
            let mut ranges = Vec::new();
            for range in time_part.split(',').map(str::trim) {
                let (from, to) = range.split_once('-').ok_or_else(bad)?;
                let (from, to) =
                    (minutes(from.trim()).ok_or_else(bad)?, minutes(to.trim()).ok_or_else(bad)?);
                if from >= to {
                    return Err(bad());
                }
                ranges.push((from, to));
            }
            for d in days {
                hours.week[d].extend(ranges.iter().copied());
            }
        }
        for day in &mut hours.week {
            day.sort_unstable();
            if day.windows(2).any(|w| w[0].1 > w[1].0) {
                return Err(bad());
            }
        }
        Ok(hours)
    }

    /// Open day and night, every day.
    pub fn always(&self) -> bool {
        self.always
    }

    /// No hours at all: visits by appointment only.
    pub fn by_appointment(&self) -> bool {
        !self.always && self.week.iter().all(Vec::is_empty)
    }

    /// The ranges of a weekday, Monday being 0.
    pub fn day(&self, weekday: usize) -> &[(u16, u16)] {
        self.week.get(weekday).map(Vec::as_slice).unwrap_or_default()
    }

    /// Open at this wall-clock time of the city.
    pub fn is_open_at(&self, local: NaiveDateTime) -> bool {
        if self.always {
            return true;
        }
        let day = local.weekday().num_days_from_monday() as usize;
        let minute = (local.hour() * 60 + local.minute()) as u16;
        self.day(day).iter().any(|&(from, to)| from <= minute && minute < to)
    }

    /// A range as shown on pages: `08:00–17:00`.
    pub fn range_text((from, to): (u16, u16)) -> String {
        format!("{:02}:{:02}–{:02}:{:02}", from / 60, from % 60, to / 60, to % 60)
    }
}

impl fmt::Display for OpeningHours {
    /// The canonical text: consecutive days with the same hours grouped, `mo-fr 08:00-17:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.always {
            return f.write_str("24/7");
        }
        let mut rules = Vec::new();
        let mut d = 0;
        while d < 7 {
            let mut last = d;
            while last + 1 < 7 && self.week[last + 1] == self.week[d] {
                last += 1;
            }
            if !self.week[d].is_empty() {
                let days = if last == d {
                    DAYS[d].to_owned()
                } else {
                    format!("{}-{}", DAYS[d], DAYS[last])
                };
                let ranges: Vec<String> = self.week[d]
                    .iter()
                    .map(|(a, b)| {
                        format!("{:02}:{:02}-{:02}:{:02}", a / 60, a % 60, b / 60, b % 60)
                    })
                    .collect();
                rules.push(format!("{days} {}", ranges.join(",")));
            }
            d = last + 1;
        }
        f.write_str(&rules.join("; "))
    }
}

impl TryFrom<String> for OpeningHours {
    type Error = HoursError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<OpeningHours> for String {
    fn from(hours: OpeningHours) -> Self {
        hours.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32, time: &str) -> NaiveDateTime {
        // 2 March 2026 is a Monday.
        NaiveDateTime::parse_from_str(&format!("2026-03-{day:02} {time}"), "%Y-%m-%d %H:%M")
            .expect("time")
    }

    #[test]
    fn hours_read_as_written_on_a_door_and_print_back_grouped() {
        let h = OpeningHours::parse(
            " Mo-Th 08:00-12:00, 13:00-17:00 ; fr 08:00-12:00,13:00-17:00;sa 09:00-13:00",
        )
        .expect("hours");
        assert_eq!(h.to_string(), "mo-fr 08:00-12:00,13:00-17:00; sa 09:00-13:00");
        assert!(h.is_open_at(at(2, "08:00")));
        assert!(!h.is_open_at(at(2, "12:30")));
        assert!(!h.is_open_at(at(2, "17:00")));
        assert!(h.is_open_at(at(7, "12:59")));
        assert!(!h.is_open_at(at(8, "10:00")));
        let h = OpeningHours::parse("mo,we,fr 10:00-24:00").expect("hours");
        assert_eq!(h.to_string(), "mo 10:00-24:00; we 10:00-24:00; fr 10:00-24:00");
        assert!(h.is_open_at(at(4, "23:59")));
        assert_eq!(OpeningHours::parse("24/7").expect("always").to_string(), "24/7");
        assert!(OpeningHours::parse("").expect("empty").by_appointment());
    }

    #[test]
    fn what_is_not_hours_is_refused() {
        for bad in [
            "mo-fr",
            "monday 08:00-17:00",
            "fr-mo 08:00-17:00",
            "mo 17:00-08:00",
            "mo 08:00-08:00",
            "mo 8:00-17:00",
            "mo 08:00-24:30",
            "mo 08:00-12:00,11:00-13:00",
            "mo 08:00-17:00; mo 16:00-18:00",
            "<b>",
        ] {
            assert!(OpeningHours::parse(bad).is_err(), "{bad}");
        }
    }
}
