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
        let text = match locale {
            Locale::ro => &self.ro,
            Locale::ru => &self.ru,
            Locale::uk => &self.uk,
            Locale::en => &self.en,
        };
        if text.is_empty() {
            &self.ro
        } else {
            text
        }
    }
}
