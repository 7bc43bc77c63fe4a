//! Every address of a page, built in one place, so that a change to the shape of the addresses
//! (a locality segment, say) is made here and nowhere else. Used by pages, redirects and islands.

use std::fmt::Display;

/// The address of a page in the visitor's language: `page(Locale::ro, "/reports/12")` is
/// `/ro/reports/12`; `rest` is empty for the home page and starts with `/` otherwise (a query or
/// fragment may follow).
pub fn page(lang: impl Display, rest: &str) -> String {
    format!("/{lang}{rest}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn pages_start_with_the_language() {
        assert_eq!(super::page("ro", ""), "/ro");
        assert_eq!(super::page("en", "/reports/12?created=1"), "/en/reports/12?created=1");
    }
}
