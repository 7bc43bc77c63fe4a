//! Parse, don't validate: user input becomes these types or a field error, on the server (and
//! in the browser where early feedback helps).

use crate::error::{FieldError, Problem};
use crate::model::{LatLng, Polygon};

/// Checks a trimmed text's length in characters, returning it trimmed with its line breaks as
/// `\n`. Control characters (NUL among them) are refused: they are never typed, only forged,
/// and would reach CSV files, mail and other people's screens. Tabs and line breaks stay.
pub fn text(field: &str, value: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let normalized = value.replace("\r\n", "\n");
    let trimmed = normalized.trim();
    if trimmed.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t')) {
        return Err(FieldError::new(field, Problem::Invalid));
    }
    let len = trimmed.chars().count();
    if len == 0 && min > 0 {
        Err(FieldError::new(field, Problem::Required))
    } else if len < min {
        Err(FieldError::new(field, Problem::TooShort))
    } else if len > max {
        Err(FieldError::new(field, Problem::TooLong))
    } else {
        Ok(trimmed.to_owned())
    }
}

/// A single line of text (a title, a name): as [`text`], without line breaks or tabs.
pub fn line(field: &str, value: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let checked = text(field, value, min, max)?;
    if checked.contains(['\n', '\t']) {
        return Err(FieldError::new(field, Problem::Invalid));
    }
    Ok(checked)
}

/// A `datetime-local` field's city wall-clock time, in UTC.
pub fn city_datetime(
    field: &str,
    value: &str,
) -> Result<chrono::DateTime<chrono::Utc>, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .ok()
        .and_then(crate::format::city_time_to_utc)
        .ok_or_else(|| FieldError::new(field, Problem::Invalid))
}

/// An optional text: empty becomes `None`.
/// A pin typed or dropped on a form, reported under `location`: both coordinates empty means
/// no pin; otherwise both must be numbers (a decimal comma is accepted) inside `boundary` when
/// the locality has one.
pub fn position(lat: &str, lng: &str, boundary: &Polygon) -> Result<Option<LatLng>, FieldError> {
    let invalid = || FieldError::new("location", Problem::Invalid);
    let (lat, lng) = match (lat.trim(), lng.trim()) {
        ("", "") => return Ok(None),
        (lat, lng) => (lat.replace(',', "."), lng.replace(',', ".")),
    };
    let (Ok(lat), Ok(lng)) = (lat.parse::<f64>(), lng.parse::<f64>()) else {
        return Err(invalid());
    };
    let point = LatLng::new(lat, lng).map_err(|_| invalid())?;
    if boundary.0.len() >= 3 && !boundary.contains(point) {
        return Err(FieldError::new("location", Problem::OutsideBoundary));
    }
    Ok(Some(point))
}

pub fn optional_text(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => text(field, v, 1, max).map(Some),
    }
}

/// An e-mail address, lower-cased. Deliberately permissive: the confirmation mail is the real check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub const MAX: usize = 254;

    pub fn parse(field: &str, value: &str) -> Result<Self, FieldError> {
        let v = value.trim().to_lowercase();
        if v.is_empty() {
            return Err(FieldError::new(field, Problem::Required));
        }
        let valid = v.chars().count() <= Self::MAX
            && !v.chars().any(|c| c.is_whitespace() || c.is_control())
            && match v.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                }
                None => false,
            };
        if valid {
            Ok(Self(v))
        } else {
            Err(FieldError::new(field, Problem::Invalid))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A new password: long enough to resist guessing, short enough to hash cheaply.
pub fn new_password(field: &str, value: &str) -> Result<String, FieldError> {
    let len = value.chars().count();
    if len == 0 {
        Err(FieldError::new(field, Problem::Required))
    } else if len < 10 {
        Err(FieldError::new(field, Problem::TooShort))
    } else if len > 200 {
        Err(FieldError::new(field, Problem::TooLong))
    } else {
        Ok(value.to_owned())
    }
}

/// A text in the four languages from the form fields `{prefix}_ro` … `{prefix}_en`: Romanian
/// of `min` to `max` characters, the others empty or within `max` (one line unless
/// `multiline`). Problems go to `fields`; what was refused comes back empty.
pub fn localized(
    fields: &mut Fields,
    prefix: &str,
    [ro, ru, uk, en]: [&str; 4],
    (min, max): (usize, usize),
    multiline: bool,
) -> crate::model::Localized {
    let mut one = |lang: &str, value: &str, min: usize| {
        let field = format!("{prefix}_{lang}");
        let checked =
            if multiline { text(&field, value, min, max) } else { line(&field, value, min, max) };
        fields.check(checked).unwrap_or_default()
    };
    crate::model::Localized {
        ro: one("ro", ro, min),
        ru: one("ru", ru, 0),
        uk: one("uk", uk, 0),
        en: one("en", en, 0),
    }
}

/// A telephone number as people write it: digits, spaces, `+`, `-`, `(`, `)`, 5 to 40
/// characters; empty is `None`.
pub fn phone(field: &str, value: &str) -> Result<Option<String>, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let valid = (5..=40).contains(&value.chars().count())
        && digits >= 5
        && value.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if valid {
        Ok(Some(value.to_owned()))
    } else {
        Err(FieldError::new(field, Problem::Invalid))
    }
}

/// A reviewer's decision as a form sends it: `accept` (the word the form uses for yes,
/// `publish` or `approve`) or `reject`, with a `note` of 5–500 characters that tells the
/// author why (optional on acceptance). `true` for acceptance; the note trimmed.
pub fn review(
    decision: &str,
    accept: &str,
    note: &str,
) -> Result<(bool, String), crate::error::AppError> {
    let mut fields = Fields::default();
    let accepted = match decision.trim() {
        "reject" => false,
        d if d == accept => true,
        _ => {
            fields.push("decision", Problem::Invalid);
            false
        }
    };
    let min = if accepted { 0 } else { 5 };
    let note = fields.check(text("note", note, min, 500)).unwrap_or_default();
    fields.finish()?;
    Ok((accepted, note))
}

/// Gathers field errors so a form reports all its problems at once.
#[derive(Default)]
pub struct Fields(Vec<FieldError>);

impl Fields {
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    /// Whether `field` has a problem already.
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    pub fn push(&mut self, field: &str, problem: Problem) {
        self.0.push(FieldError::new(field, problem));
    }

    /// `Err` with every problem, or `Ok` when there were none.
    pub fn finish(self) -> Result<(), crate::error::AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(crate::error::AppError::Validation(self.0))
        }
    }
}

/// A path on this site to return to after signing in; anything else becomes the home page.
pub fn local_path(next: Option<&str>, fallback: &str) -> String {
    match next {
        Some(p) if is_local_path(p) => p.to_owned(),
        _ => fallback.to_owned(),
    }
}

/// Whether `p` is a path on this site and nothing else. Browsers drop tabs and line breaks from
/// addresses and read `\` as `/`, so `/\t/evil.example` and `/\\evil.example` would be
/// `//evil.example`, another site: any control character, white space or backslash is refused,
/// as is a second leading `/`. Only visible ASCII may go into a `Location` header.
pub fn is_local_path(p: &str) -> bool {
    p.starts_with('/')
        && !p[1..].starts_with(['/', '\\'])
        && p.len() <= 2048
        && p.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
}

/// A web address typed in a form (a website, an online meeting's link): empty is `None`;
/// otherwise `http://` or `https://` followed by a host, with nothing a browser would read
/// differently (white space, control characters, quotes, angle brackets, backslashes).
pub fn web_address(field: &str, value: &str) -> Result<Option<String>, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://"));
    let valid = value.len() <= 500
        && rest.is_some_and(|r| !r.is_empty() && !r.starts_with(['/', '.', '@', ':']))
        && value.bytes().all(|b| b.is_ascii_graphic() && !b"\\\"'<>`".contains(&b));
    if valid {
        Ok(Some(value.to_owned()))
    } else {
        Err(FieldError::new(field, Problem::Invalid))
    }
}

/// A locality's slug as it appears in addresses: lower-case letters, digits and dashes.
pub fn slug(field: &str, value: &str) -> Result<String, FieldError> {
    let value = value.trim();
    let valid = !value.is_empty()
        && value.len() <= 40
        && value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if valid {
        Ok(value.to_owned())
    } else {
        Err(FieldError::new(field, Problem::Invalid))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses_are_plain_http_links() {
        assert_eq!(web_address("u", " ").expect("empty"), None);
        let ok = web_address("u", "https://meet.example.org/ngo?x=1").expect("valid");
        assert_eq!(ok.as_deref(), Some("https://meet.example.org/ngo?x=1"));
        for bad in [
            "javascript:alert(1)",
            "https://",
            "https:///x",
            "ftp://a.md",
            "https://a .md",
            "https://a.md/\"x\"",
            "//evil.example",
            "https://a.md/<b>",
            "https://a.md\\x",
        ] {
            assert!(web_address("u", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn positions_parse_with_either_decimal_mark_and_respect_the_boundary() {
        let square = Polygon(
            [(47.70, 27.88), (47.70, 27.98), (47.80, 27.98), (47.80, 27.88)]
                .into_iter()
                .map(|(lat, lng)| LatLng::new(lat, lng).expect("corner"))
                .collect(),
        );
        assert_eq!(position(" ", "", &square), Ok(None));
        let inside = position("47,76", "27.93", &square).expect("inside").expect("a pin");
        assert!((inside.lat - 47.76).abs() < 1e-9 && (inside.lng - 27.93).abs() < 1e-9);
        let problem = |lat, lng| position(lat, lng, &square).map_err(|e| e.problem);
        assert_eq!(problem("47.0", "28.8"), Err(Problem::OutsideBoundary));
        assert_eq!(problem("47.76", ""), Err(Problem::Invalid));
        assert_eq!(problem("north", "27.93"), Err(Problem::Invalid));
        assert_eq!(problem("95", "27.93"), Err(Problem::Invalid));
        // Without a boundary, any real point on Earth is accepted.
        assert!(position("47.0", "28.8", &Polygon(Vec::new())).expect("valid").is_some());
    }

    #[test]
    fn city_times_become_utc_and_nonsense_is_refused() {
        // Chișinău is UTC+2 in winter and UTC+3 in summer.
        let winter = city_datetime("t", "2026-01-15T10:00").expect("valid");
        assert_eq!(winter.to_rfc3339(), "2026-01-15T08:00:00+00:00");
        let summer = city_datetime("t", "2026-07-15T10:00").expect("valid");
        assert_eq!(summer.to_rfc3339(), "2026-07-15T07:00:00+00:00");
        assert_eq!(city_datetime("t", " "), Err(FieldError::new("t", Problem::Required)));
        assert_eq!(city_datetime("t", "tomorrow"), Err(FieldError::new("t", Problem::Invalid)));
        // 02:30 on the last Sunday of March does not exist in the city.
        assert_eq!(
            city_datetime("t", "2026-03-29T02:30"),
            Err(FieldError::new("t", Problem::Invalid))
        );
    }

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(text("t", "  hi  ", 1, 5), Ok("hi".into()));
        assert_eq!(text("t", "   ", 1, 5).map_err(|e| e.problem), Err(Problem::Required));
        assert_eq!(text("t", "a", 2, 5).map_err(|e| e.problem), Err(Problem::TooShort));
        assert_eq!(text("t", "ăâîșț!", 1, 5).map_err(|e| e.problem), Err(Problem::TooLong));
        assert_eq!(text("t", "ăâîșț", 1, 5), Ok("ăâîșț".into()));
    }

    #[test]
    fn emails_are_lowercased_and_checked() {
        assert_eq!(
            Email::parse("e", " Ion@Balti.MD ").map(Email::into_inner),
            Ok("ion@balti.md".into())
        );
        for bad in
            ["", "ion", "ion@", "@balti.md", "ion@balti", "i on@balti.md", "a@b@c.md", "ion@.md"]
        {
            assert!(Email::parse("e", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/ro/reports/1"), "/ro"), "/ro/reports/1");
        assert_eq!(local_path(Some("//evil.example"), "/ro"), "/ro");
        assert_eq!(local_path(Some("https://evil.example"), "/ro"), "/ro");
        assert_eq!(local_path(None, "/en"), "/en");
    }
}

/// Properties that hold for any input whatsoever (proptest generates it).
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// What a browser makes of a `Location` value: tabs and line breaks dropped, `\` read as `/`.
    fn as_browser_reads(p: &str) -> String {
        p.chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .map(|c| if c == '\\' { '/' } else { c })
            .collect()
    }

    proptest! {
        #[test]
        fn a_local_path_stays_on_the_site(p in "\\PC{0,40}|/[/\\\\\t\n ]{0,3}[a-z.:]{0,12}") {
            let chosen = local_path(Some(&p), "/ro");
            let read = as_browser_reads(&chosen);
            prop_assert!(read.starts_with('/') && !read.starts_with("//"), "{chosen:?}");
            prop_assert!(chosen.bytes().all(|b| b.is_ascii_graphic()));
        }

        #[test]
        fn typed_positions_never_panic_and_stay_on_earth(lat in "\\PC{0,12}", lng in "\\PC{0,12}") {
            if let Ok(Some(p)) = position(&lat, &lng, &Polygon(Vec::new())) {
                prop_assert!((-90.0..=90.0).contains(&p.lat) && (-180.0..=180.0).contains(&p.lng));
            }
        }

        #[test]
        fn positions_round_trip_with_either_decimal_mark(lat in -90.0f64..90.0, lng in -180.0f64..180.0) {
            let dot = position(&format!("{lat}"), &format!("{lng}"), &Polygon(Vec::new()));
            prop_assert_eq!(dot, Ok(Some(LatLng { lat, lng })));
            let comma = position(&format!("{lat}").replace('.', ","), &format!("{lng}").replace('.', ","), &Polygon(Vec::new()));
            prop_assert_eq!(comma, Ok(Some(LatLng { lat, lng })));
        }

        #[test]
        fn positions_outside_a_boundary_are_refused(lat in 40.0f64..55.0, lng in 20.0f64..35.0) {
            let square = Polygon(
                [(47.70, 27.88), (47.70, 27.98), (47.80, 27.98), (47.80, 27.88)]
                    .into_iter()
                    .map(|(lat, lng)| LatLng { lat, lng })
                    .collect(),
            );
            let inside = (47.70..=47.80).contains(&lat) && (27.88..=27.98).contains(&lng);
            match position(&format!("{lat}"), &format!("{lng}"), &square) {
                Ok(Some(_)) => {
                    let contained = inside || square.contains(LatLng { lat, lng });
                    prop_assert!(contained);
                }
                Err(e) => prop_assert_eq!(e.problem, Problem::OutsideBoundary),
                Ok(None) => prop_assert!(false, "a pin was typed"),
            }
        }

        #[test]
        fn accepted_emails_are_plain(v in "\\PC{0,30}|[a-zA-Z0-9.]{1,10}@[a-z0-9]{1,8}\\.[a-z]{2,4}") {
            if let Ok(e) = Email::parse("email", &v) {
                let s = e.as_str();
                prop_assert_eq!(s.matches('@').count(), 1);
                prop_assert!(!s.chars().any(|c| c.is_whitespace() || c.is_control()));
                prop_assert_eq!(s.to_lowercase(), s);
                prop_assert!(s.chars().count() <= Email::MAX);
            }
        }

        #[test]
        fn accepted_text_holds_no_control_characters(v in "\\PC{0,20}|[\\x00-\\x1f\\x7f a-z]{0,20}", min in 0usize..4, max in 4usize..30) {
            if let Ok(t) = text("f", &v, min, max) {
                prop_assert!(!t.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
                let n = t.chars().count();
                prop_assert!(n >= min && n <= max);
                prop_assert_eq!(t.trim(), t.as_str());
            }
            if let Ok(l) = line("f", &v, min, max) {
                prop_assert!(!l.contains(['\n', '\t']));
            }
        }

        #[test]
        fn slugs_are_address_safe(v in "\\PC{0,20}|[a-z0-9-]{1,20}") {
            if let Ok(s) = slug("locality", &v) {
                prop_assert!(s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
                let path = format!("/ro/{s}");
                prop_assert!(is_local_path(&path));
            }
        }

        #[test]
        fn datetimes_never_panic(v in "\\PC{0,20}|20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]") {
            let _ = city_datetime("opens_at", &v);
        }
    }
}
