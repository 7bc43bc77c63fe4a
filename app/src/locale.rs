//! The visitor's language comes from the first segment of the address (`/ro`, `/ru`, `/uk`, `/en`).
//!
//! On the server `Locale` is the one `leptos_i18n` generates from `locales/`; the browser build
//! carries no translations (islands get their words as props), so there it is a plain enum with
//! the same variants.

#[cfg(feature = "ssr")]
pub use crate::i18n::Locale;
#[cfg(feature = "ssr")]
use leptos_i18n::Locale as _;

/// The four languages, as the browser build knows them (named like the generated ones).
#[cfg(not(feature = "ssr"))]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    #[default]
    ro,
    ru,
    uk,
    en,
}

#[cfg(not(feature = "ssr"))]
impl Locale {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ro => "ro",
            Self::ru => "ru",
            Self::uk => "uk",
            Self::en => "en",
        }
    }
}

#[cfg(not(feature = "ssr"))]
impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every locale, Romanian (the default) first.
pub const ALL: [Locale; 4] = [Locale::ro, Locale::ru, Locale::uk, Locale::en];

/// The locale named by an address segment, if it is one of ours.
pub fn parse(segment: &str) -> Option<Locale> {
    ALL.into_iter().find(|l| l.as_str() == segment)
}

/// Chooses from an `Accept-Language` header: the first supported language by weight, else Romanian.
pub fn negotiate(accept_language: &str) -> Locale {
    let mut ranked: Vec<(f32, &str)> = accept_language
        .split(',')
        .filter_map(|item| {
            let mut parts = item.trim().split(';');
            let tag = parts.next()?.trim();
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            Some((weight, tag))
        })
        .collect();
    // Stable sort keeps the header's order among equal weights.
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked
        .into_iter()
        .filter(|(weight, _)| *weight > 0.0)
        .find_map(|(_, tag)| {
            let primary = tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
            // Moldovan ("mo") is Romanian.
            parse(if primary == "mo" { "ro" } else { &primary })
        })
        .unwrap_or(Locale::ro)
}

/// Provides the i18n context for `locale` to the components below the caller.
#[cfg(feature = "ssr")]
pub fn provide(locale: Locale) {
    use leptos::prelude::*;
    let context =
        leptos_i18n::context::init_i18n_subcontext::<Locale>(Some(Signal::stored(locale)));
    provide_context(context);
}

/// `path` with its language segment replaced by `locale`, keeping the rest of the address.
pub fn switch_path(path: &str, search: &str, locale: Locale) -> String {
    let rest = path.trim_start_matches('/');
    let rest = match rest.split_once('/') {
        Some((first, tail)) if parse(first).is_some() => tail,
        None if parse(rest).is_some() => "",
        _ => rest,
    };
    let mut out = format!("/{}", locale.as_str());
    if !rest.is_empty() {
        out.push('/');
        out.push_str(rest);
    }
    if !search.is_empty() {
        if !search.starts_with('?') {
            out.push('?');
        }
        out.push_str(search);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_by_weight_and_falls_back_to_romanian() {
        assert_eq!(negotiate("ru-RU,ru;q=0.9,en;q=0.8"), Locale::ru);
        assert_eq!(negotiate("de-DE,uk;q=0.5,en;q=0.7"), Locale::en);
        assert_eq!(negotiate("fr, de"), Locale::ro);
        assert_eq!(negotiate(""), Locale::ro);
        assert_eq!(negotiate("mo-MD"), Locale::ro);
        assert_eq!(negotiate("en;q=0, uk"), Locale::uk);
    }

    #[test]
    fn switch_path_keeps_the_rest_of_the_address() {
        assert_eq!(switch_path("/ro", "", Locale::ru), "/ru");
        assert_eq!(
            switch_path("/ro/reports/5", "?status=new", Locale::en),
            "/en/reports/5?status=new"
        );
        assert_eq!(switch_path("/", "", Locale::uk), "/uk");
    }
}

#[cfg(test)]
mod parity_tests {
    /// Every locale file has exactly the keys of the Romanian one.
    #[test]
    fn all_locales_have_the_same_keys() {
        fn keys(v: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
            if let Some(map) = v.as_object() {
                for (k, v) in map {
                    keys(v, &format!("{prefix}{k}."), out);
                }
            } else {
                out.push(prefix.trim_end_matches('.').to_owned());
            }
        }
        let read = |lang: &str| {
            let path = format!("{}/../locales/{lang}.json", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let json: serde_json::Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
            let mut out = Vec::new();
            keys(&json, "", &mut out);
            out.sort();
            out
        };
        let reference = read("ro");
        for lang in ["ru", "uk", "en"] {
            assert_eq!(read(lang), reference, "{lang}.json differs from ro.json");
        }
    }
}
