//! What names a page: its `<h1>` and the document's `<title>`, from one string.

use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

/// The document's title, "{page} · {site}". A plain string computed during the render: a title
/// that read a signal would be read after the render, outside its reactive owner (see "The
/// panic under load" in docs/architecture.md). The deepest `PageTitle` of a page wins.
#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    view! { <Title text=format!("{text} · {}", td_string!(locale, site.name)) /> }
}

/// A page's heading and, from the same words, its title.
#[component]
pub fn PageHeading(
    #[prop(into)] text: String,
    /// The language of the words when they are not the visitor's (citizen-written titles).
    #[prop(into, default = None)]
    lang: Option<String>,
    /// Heading for screen readers only (the map page).
    #[prop(optional)]
    hidden: bool,
) -> impl IntoView {
    view! {
        <PageTitle text=text.clone() />
        <h1 lang=lang class=hidden.then_some("visually-hidden")>{text}</h1>
    }
}
