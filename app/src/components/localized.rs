//! Text the city wrote in several languages, shown in the visitor's or, failing a
//! translation, in Romanian: marked with `lang` (so a screen reader reads it in the right voice)
//! and, where it is a passage, with a note naming its language in the visitor's.

use crate::i18n::*;
use crate::model::Localized;
use leptos::prelude::*;

/// A short text (a title, an option): `lang` when it is not in the visitor's language.
#[component]
pub fn LocalizedText(text: Localized) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let (words, lang) = text.get_in(locale);
    let lang = (lang != locale).then(|| lang.as_str());
    view! { <span lang=lang>{words.to_owned()}</span> }
}

/// A passage (a description) in a `<p>`: when untranslated, marked and followed by a note such
/// as "(на румынском языке)".
#[component]
pub fn LocalizedPassage(text: Localized, #[prop(optional)] class: &'static str) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let (words, lang) = text.get_in(locale);
    let foreign = lang != locale;
    view! {
        <p class=class>
            <span lang=foreign.then(|| lang.as_str())>{words.to_owned()}</span>
            {foreign.then(|| view! { " " <span class="muted">"(" {td_string!(locale, ux.in_romanian)} ")"</span> })}
        </p>
    }
}
