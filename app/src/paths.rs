//! Every address of a page, built in one place, so that a change to the shape of the addresses
//! is made here and nowhere else. Used by pages, redirects and islands.
//!
//! Each locality has its own site: the default one at `/{lang}/…`, every other one at
//! `/{lang}/{slug}/…`. On the server, [`page`] builds addresses on the site the request is for,
//! so that links on a locality's pages stay on that locality's site.

use std::fmt::Display;

/// The address of a page in the visitor's language, on the site of the current request:
/// `page(Locale::ro, "/reports/12")` is `/ro/reports/12`, or `/ro/singerei/reports/12` on
/// Sîngerei's site; `rest` is empty for the home page and starts with `/` otherwise (a query or
/// fragment may follow).
pub fn page(lang: impl Display, rest: &str) -> String {
    site_page(current_site().as_deref(), lang, rest)
}

/// The address of a page on the site of the locality `site` (`None`: the default locality).
pub fn site_page(site: Option<&str>, lang: impl Display, rest: &str) -> String {
    match site {
        Some(slug) => format!("/{lang}/{slug}{rest}"),
        None => format!("/{lang}{rest}"),
    }
}

/// The address of a page on `locality`'s own site.
pub fn locality_page(locality: &crate::model::Locality, lang: impl Display, rest: &str) -> String {
    site_page(locality.site_slug(), lang, rest)
}

/// The address of the page at `path` (as the router sees it, `/{lang}/…`) in `locale`, on the
/// same site: the language switch and the pages' `hreflang` links.
pub fn switch_language(path: &str, search: &str, locale: crate::locale::Locale) -> String {
    let switched = crate::locale::switch_path(path, search, locale);
    let lang = locale.to_string();
    let rest = switched.strip_prefix(&format!("/{lang}")).unwrap_or(&switched);
    page(lang, rest)
}

/// `v` made safe for a query value or a path segment: everything but unreserved ASCII is
/// percent-encoded as UTF-8.
pub fn encode_component(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The site that pieces of HTML rendered outside a page (for an island) link to, provided as
/// context where the request itself does not say (a server function called by an island).
#[derive(Clone, Debug)]
pub struct Site(pub Option<String>);

/// The slug of the locality whose site the request is for, `None` on the default locality's
/// (server only; the browser's islands are given their addresses). Forms send it back as their
/// hidden `locality` field.
pub fn current_site() -> Option<String> {
    if let Some(Site(site)) = leptos::prelude::use_context::<Site>() {
        return site;
    }
    #[cfg(feature = "ssr")]
    {
        crate::store::site_slug()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn components_are_percent_encoded_as_utf8() {
        assert_eq!(super::encode_component("Bălți & co/?"), "B%C4%83l%C8%9Bi%20%26%20co%2F%3F");
    }

    #[test]
    fn pages_start_with_the_language() {
        assert_eq!(super::page("ro", ""), "/ro");
        assert_eq!(super::page("en", "/reports/12?created=1"), "/en/reports/12?created=1");
    }

    #[test]
    fn other_localities_have_a_segment_of_their_own() {
        assert_eq!(super::site_page(Some("singerei"), "ro", ""), "/ro/singerei");
        assert_eq!(super::site_page(Some("singerei"), "ru", "/polls/3"), "/ru/singerei/polls/3");
        assert_eq!(super::site_page(None, "ru", "/polls/3"), "/ru/polls/3");
    }
}
