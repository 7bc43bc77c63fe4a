//! `/{lang}/offline`: what the service worker (`/sw.js`) shows when a page is opened without a
//! connection and was not kept on the device. Fetched without cookies when the worker installs,
//! so it never holds anyone's name.

use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn OfflinePage() -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    view! {
        <section class="page page--narrow offline-page" data-offline-page="">
            <crate::components::page_title::PageHeading text=td_string!(locale, offline.title) />
            <p>{td_string!(locale, offline.body)}</p>
            <p>{td_string!(locale, offline.kept)}</p>
            // An empty address reloads the page the visitor asked for (this one stood in for it).
            <p><a class="button" href="">{td_string!(locale, offline.retry)}</a></p>
        </section>
    }
}
