//! Text that the city writes in each of Agora's four languages.

use crate::locale::Locale;
use serde::{Deserialize, Serialize};

/// One text in Romanian, Russian, Ukrainian and English; empty translations fall back to Romanian.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Localized {
    pub ro: String,
    pub ru: String,
    pub uk: String,
    pub en: String,
}

impl Localized {
    pub fn get(&self, locale: Locale) -> &str {
        self.get_in(locale).0
    }

    /// The text for `locale` and the language it is really in: Romanian when there is no
    /// translation, so that a page can mark it (`lang`) and say so.
    pub fn get_in(&self, locale: Locale) -> (&str, Locale) {
        let text = match locale {
            Locale::ro => &self.ro,
            Locale::ru => &self.ru,
            Locale::uk => &self.uk,
            Locale::en => &self.en,
        };
        if text.is_empty() {
            (&self.ro, Locale::ro)
        } else {
            (text, locale)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_translation_falls_back_to_romanian_and_says_so() {
        let t = Localized { ro: "Parc".into(), en: "Park".into(), ..Default::default() };
        assert_eq!(t.get_in(Locale::en), ("Park", Locale::en));
        assert_eq!(t.get_in(Locale::ru), ("Parc", Locale::ro));
        assert_eq!(t.get(Locale::uk), "Parc");
    }
}
