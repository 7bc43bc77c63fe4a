//! Words for islands. The browser build carries no translations: the server looks every text up
//! in `locales/` and hands it to the island as a prop. Only counts that change in the browser
//! (live results, clusters) need more, a message in each plural form its language has.

use crate::locale::Locale;
use serde::{Deserialize, Serialize};

/// The placeholder for the number in a [`Plural`] form.
const COUNT: &str = "{count}";

/// One message with a count, in the CLDR plural forms of its language (`{count}` marks the
/// number). Forms a language does not use stay empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plural {
    pub one: String,
    pub few: String,
    pub many: String,
    pub other: String,
}

/// The CLDR plural categories our four languages use for whole numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PluralForm {
    One,
    Few,
    Many,
    Other,
}

/// The CLDR rule (plurals.xml, cardinal) for a whole number `n` in `locale`.
pub fn plural_form(locale: Locale, n: i64) -> PluralForm {
    let n = n.unsigned_abs();
    let (n10, n100) = (n % 10, n % 100);
    match locale {
        // one: i = 1 and v = 0; few: n = 0, or n != 1 and n % 100 = 1..19
        Locale::ro if n == 1 => PluralForm::One,
        Locale::ro if n == 0 || (1..=19).contains(&n100) => PluralForm::Few,
        Locale::ro => PluralForm::Other,
        // one: i % 10 = 1 and i % 100 != 11; few: i % 10 = 2..4 and i % 100 != 12..14
        Locale::ru | Locale::uk if n10 == 1 && n100 != 11 => PluralForm::One,
        Locale::ru | Locale::uk if (2..=4).contains(&n10) && !(12..=14).contains(&n100) => {
            PluralForm::Few
        }
        Locale::ru | Locale::uk => PluralForm::Many,
        Locale::en if n == 1 => PluralForm::One,
        Locale::en => PluralForm::Other,
    }
}

impl Plural {
    /// The message for `n`, with the number written as `written` (e.g. grouped by locale).
    pub fn format_with(&self, locale: Locale, n: i64, written: &str) -> String {
        let form = match plural_form(locale, n) {
            PluralForm::One => &self.one,
            PluralForm::Few => &self.few,
            PluralForm::Many => &self.many,
            PluralForm::Other => &self.other,
        };
        // A form left empty falls back to "other", which every language has.
        let form = if form.is_empty() { &self.other } else { form };
        form.replacen(COUNT, written, 1)
    }

    /// The message for `n`, the number written as plain digits (as `locales/` interpolates it).
    pub fn format(&self, locale: Locale, n: i64) -> String {
        self.format_with(locale, n, &n.to_string())
    }

    /// Builds the forms from a translation rendered at sample counts (`render(n)` is, on the
    /// server, `td_string!(locale, key, count = n)`). Each sample lands in one category and is
    /// large enough never to occur in the text itself.
    pub fn from_samples(locale: Locale, render: impl Fn(i64) -> String) -> Self {
        let template = |n: i64| {
            let digits = n.to_string();
            let text = render(n);
            match standalone(&text, &digits) {
                Some(at) => format!("{}{COUNT}{}", &text[..at], &text[at + digits.len()..]),
                None => text,
            }
        };
        match locale {
            Locale::ro => Plural {
                one: template(1),
                few: template(100_002),
                many: String::new(),
                other: template(100_020),
            },
            Locale::ru | Locale::uk => Plural {
                one: template(100_001),
                few: template(100_002),
                many: template(100_005),
                other: template(100_005),
            },
            Locale::en => Plural {
                one: template(1),
                few: String::new(),
                many: String::new(),
                other: template(100_000),
            },
        }
    }
}

/// Where `digits` occurs in `text` as a number of its own (no digit right before or after it).
fn standalone(text: &str, digits: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(pos) = text[from..].find(digits) {
        let at = from + pos;
        let end = at + digits.len();
        let before = at > 0 && bytes[at - 1].is_ascii_digit();
        let after = end < bytes.len() && bytes[end].is_ascii_digit();
        if !before && !after {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cldr_rules_for_whole_numbers() {
        use PluralForm::*;
        let ro: Vec<_> =
            [0, 1, 2, 19, 20, 101, 102, 120].map(|n| plural_form(Locale::ro, n)).into();
        assert_eq!(ro, [Few, One, Few, Few, Other, Few, Few, Other]);
        let ru: Vec<_> =
            [0, 1, 2, 5, 11, 12, 21, 22, 25, 111].map(|n| plural_form(Locale::ru, n)).into();
        assert_eq!(ru, [Many, One, Few, Many, Many, Many, One, Few, Many, Many]);
        assert_eq!(plural_form(Locale::en, 1), One);
        assert_eq!(plural_form(Locale::en, 0), Other);
    }

    #[test]
    fn samples_become_templates() {
        let p = Plural::from_samples(Locale::ro, |n| {
            if n == 1 {
                format!("{n} vot")
            } else {
                format!("{n} de voturi (2024)")
            }
        });
        assert_eq!(p.one, "{count} vot");
        assert_eq!(p.other, "{count} de voturi (2024)");
        assert_eq!(p.format(Locale::ro, 20), "20 de voturi (2024)");
        assert_eq!(p.format_with(Locale::ro, 1, "1"), "1 vot");
    }
}

/// The translations themselves agree: a template filled in gives exactly what `locales/`
/// gives for every count, in every language.
#[cfg(all(test, feature = "ssr"))]
mod translation_tests {
    use super::*;
    use crate::i18n::td_string;

    /// A key, its plural built from samples, and the translation to compare it with.
    type Case = (&'static str, Plural, fn(Locale, i64) -> String);

    #[test]
    fn templates_reproduce_the_translations() {
        for locale in crate::locale::ALL {
            let keys: [Case; 3] = [
                (
                    "polls.participants",
                    Plural::from_samples(locale, |n| {
                        td_string!(locale, polls.participants, count = n).to_string()
                    }),
                    |l, n| td_string!(l, polls.participants, count = n).to_string(),
                ),
                (
                    "polls.votes",
                    Plural::from_samples(locale, |n| {
                        td_string!(locale, polls.votes, count = n).to_string()
                    }),
                    |l, n| td_string!(l, polls.votes, count = n).to_string(),
                ),
                (
                    "report.supporters",
                    Plural::from_samples(locale, |n| {
                        td_string!(locale, report.supporters, count = n).to_string()
                    }),
                    |l, n| td_string!(l, report.supporters, count = n).to_string(),
                ),
            ];
            for (key, plural, expected) in keys {
                for n in 0..=2_000 {
                    assert_eq!(plural.format(locale, n), expected(locale, n), "{key} {locale} {n}");
                }
            }
        }
    }
}
