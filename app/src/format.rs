//! Numbers and dates written the way each language writes them (CLDR conventions), computed the
//! same on the server and in the browser so hydration never disagrees.

use crate::locale::Locale;
use chrono::{DateTime, Datelike, NaiveDate, Utc};

const NBSP: char = '\u{a0}';

fn group_separator(locale: Locale) -> char {
    match locale {
        Locale::ro => '.',
        Locale::ru | Locale::uk => NBSP,
        Locale::en => ',',
    }
}

fn decimal_separator(locale: Locale) -> char {
    match locale {
        Locale::en => '.',
        _ => ',',
    }
}

/// `12345` → `12.345` (ro), `12 345` (ru, uk), `12,345` (en).
pub fn integer(n: i64, locale: Locale) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = group_separator(locale);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    // Romanian, like CLDR, does not group four-digit numbers.
    let group = digits.len() > 4 || (locale != Locale::ro && digits.len() > 3);
    for (i, ch) in digits.chars().enumerate() {
        if group && i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// A share in percent with two decimals: `23,24 %` (ro, ru), `23,24%` (uk), `23.24%` (en).
pub fn percent(share: f64, locale: Locale) -> String {
    let hundredths = (share * 10_000.0).round() as i64;
    let whole = integer(hundredths / 100, locale);
    let frac = (hundredths % 100).abs();
    let sign = match locale {
        Locale::ro | Locale::ru => format!("{NBSP}%"),
        Locale::uk | Locale::en => "%".to_owned(),
    };
    format!("{whole}{}{frac:02}{sign}", decimal_separator(locale))
}

/// A share in whole percent, for targets: `30 %` (ro, ru), `30%` (uk, en).
pub fn whole_percent(share: f64, locale: Locale) -> String {
    let n = integer((share * 100.0).round() as i64, locale);
    match locale {
        Locale::ro | Locale::ru => format!("{n}{NBSP}%"),
        Locale::uk | Locale::en => format!("{n}%"),
    }
}

/// A number with one decimal: `4,5` (ro, ru, uk), `4.5` (en).
pub fn one_decimal(value: f64, locale: Locale) -> String {
    let tenths = (value * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let tenths = tenths.abs();
    format!("{sign}{}{}{}", integer(tenths / 10, locale), decimal_separator(locale), tenths % 10)
}

/// `23.02.2023` (ro, ru, uk) or `23 Feb 2023` (en).
pub fn date(d: NaiveDate, locale: Locale) -> String {
    const EN_MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    match locale {
        Locale::en => format!("{} {} {}", d.day(), EN_MONTHS[d.month0() as usize], d.year()),
        _ => format!("{:02}.{:02}.{}", d.day(), d.month(), d.year()),
    }
}

/// The calendar day of `t` in the city's time zone (Moldova: UTC+2, UTC+3 in summer).
pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&chrono_tz::Europe::Chisinau).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_group_per_locale() {
        assert_eq!(integer(1234, Locale::ro), "1234");
        assert_eq!(integer(12345, Locale::ro), "12.345");
        assert_eq!(integer(1234, Locale::en), "1,234");
        assert_eq!(integer(1_000_000, Locale::ru), "1\u{a0}000\u{a0}000");
        assert_eq!(integer(-42, Locale::uk), "-42");
        assert_eq!(integer(0, Locale::en), "0");
    }

    #[test]
    fn targets_and_means_read_per_locale() {
        assert_eq!(whole_percent(0.3, Locale::ro), "30\u{a0}%");
        assert_eq!(whole_percent(0.1, Locale::en), "10%");
        assert_eq!(one_decimal(4.25, Locale::ro), "4,3");
        assert_eq!(one_decimal(4.0, Locale::en), "4.0");
        assert_eq!(one_decimal(-0.35, Locale::en), "-0.4");
    }

    #[test]
    fn percents_use_the_local_decimal_mark() {
        assert_eq!(percent(0.2324, Locale::ro), "23,24\u{a0}%");
        assert_eq!(percent(0.7113, Locale::en), "71.13%");
        assert_eq!(percent(0.0563, Locale::uk), "5,63%");
    }

    #[test]
    fn dates_per_locale() {
        let d = NaiveDate::from_ymd_opt(2023, 2, 23).expect("valid date");
        assert_eq!(date(d, Locale::ro), "23.02.2023");
        assert_eq!(date(d, Locale::en), "23 Feb 2023");
    }
}

/// The first instant of `day` in the city's time zone, in UTC (for "reported since" filters).
pub fn day_start_utc(day: NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone;
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    chrono_tz::Europe::Chisinau
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
}

#[cfg(test)]
mod city_time_tests {
    use super::*;

    #[test]
    fn city_days_start_two_or_three_hours_before_utc_midnight() {
        let winter = NaiveDate::from_ymd_opt(2026, 1, 15).expect("date");
        assert_eq!(day_start_utc(winter).to_rfc3339(), "2026-01-14T22:00:00+00:00");
        let summer = NaiveDate::from_ymd_opt(2026, 7, 15).expect("date");
        assert_eq!(day_start_utc(summer).to_rfc3339(), "2026-07-14T21:00:00+00:00");
        let late = "2026-07-14T21:30:00Z".parse::<DateTime<Utc>>().expect("time");
        assert_eq!(local_date(late), summer);
    }
}

/// Day and time in the city: `23.02.2023, 14:05` (ro, ru, uk) or `23 Feb 2023, 14:05` (en).
pub fn date_time(t: DateTime<Utc>, locale: Locale) -> String {
    let local = t.with_timezone(&chrono_tz::Europe::Chisinau);
    format!("{}, {}", date(local.date_naive(), locale), local.format("%H:%M"))
}

/// A waiting time in the largest sensible unit: minutes, hours or days.
#[cfg(feature = "ssr")]
pub fn duration(d: chrono::TimeDelta, locale: Locale) -> String {
    use crate::i18n::td_string;
    let minutes = d.num_minutes().max(0);
    if minutes < 120 {
        td_string!(locale, time.minutes, count = minutes).to_string()
    } else if minutes < 48 * 60 {
        td_string!(locale, time.hours, count = minutes / 60).to_string()
    } else {
        td_string!(locale, time.days, count = minutes / (24 * 60)).to_string()
    }
}

/// A wall-clock time in the city (as a `datetime-local` field gives it) in UTC; `None` for a
/// time that does not exist there (skipped by the spring clock change).
pub fn city_time_to_utc(t: chrono::NaiveDateTime) -> Option<DateTime<Utc>> {
    use chrono::TimeZone;
    chrono_tz::Europe::Chisinau.from_local_datetime(&t).earliest().map(|t| t.with_timezone(&Utc))
}

/// A UTC time as a city wall-clock `YYYY-MM-DDTHH:MM`, for `datetime-local` fields.
pub fn utc_to_city_input(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::Chisinau).format("%Y-%m-%dT%H:%M").to_string()
}

/// A month written `YYYY-MM` as the instants it spans in the city: from its first midnight to
/// the next month's. `None` for anything else (or a year before 2000).
pub fn city_month(month: &str) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let (year, month) = month.split_once('-')?;
    let (year, month) = (year.parse::<i32>().ok()?, month.parse::<u32>().ok()?);
    if !(2000..=9999).contains(&year) {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = first.checked_add_months(chrono::Months::new(1))?;
    Some((day_start_utc(first), day_start_utc(next)))
}

#[cfg(test)]
mod month_tests {
    use super::*;

    #[test]
    fn a_month_spans_city_midnights_across_the_clock_change() {
        let (from, until) = city_month("2026-03").expect("month");
        assert_eq!(from.to_rfc3339(), "2026-02-28T22:00:00+00:00");
        // Summer time began on 29 March: April starts at 21:00 UTC.
        assert_eq!(until.to_rfc3339(), "2026-03-31T21:00:00+00:00");
        for bad in ["2026-13", "2026", "26-01", "1999-12", "2026-1x", ""] {
            assert!(city_month(bad).is_none(), "{bad}");
        }
    }
}

/// A month and its year in the visitor's language: `decembrie 2026`, `December 2026`.
#[cfg(feature = "ssr")]
pub fn month_name(d: NaiveDate, locale: Locale) -> String {
    let months = crate::i18n::td_string!(locale, time.months);
    let name = months.split(',').nth(d.month0() as usize).unwrap_or_default().trim();
    format!("{name} {}", d.year())
}
