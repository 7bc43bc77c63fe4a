use super::{LanguageSwitch, LocalitySwitch, UserMenu};
use crate::i18n::*;
use crate::paths;
use leptos::prelude::*;
use leptos_router::components::A;

/// The site's header: name, main navigation (a disclosure on phones, which works without WASM)
/// and the language switch.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let i18n = use_i18n();
    let home = move || paths::page(i18n.get_locale(), "");
    view! {
        <a class="skip-link" href="#main">{t!(i18n, site.skip_to_content)}</a>
        <header class="site-header">
            <a class="brand" href=home>
                <img src="/favicon.svg" alt="" width="28" height="28" />
                <span>{t!(i18n, site.name)}</span>
            </a>
            <LocalitySwitch />
            // Wide screens show the links inline; phones get a disclosure that needs no script.
            // Only one of the two is displayed at a time, so screen readers meet one menu.
            <nav class="site-nav site-nav--inline" aria-label=move || t_string!(i18n, nav.label)>
                <NavLinks />
            </nav>
            <details class="site-menu">
                <summary>{t!(i18n, nav.menu)}</summary>
                <nav class="site-nav" aria-label=move || t_string!(i18n, nav.label)>
                    <NavLinks />
                </nav>
            </details>
            <LanguageSwitch />
            <UserMenu />
        </header>
    }
}

#[component]
fn NavLinks() -> impl IntoView {
    let i18n = use_i18n();
    let to = move |rest: &'static str| move || paths::page(i18n.get_locale(), rest);
    view! {
        <ul>
            <li><A href=to("") exact=true>{t!(i18n, nav.map)}</A></li>
            <li><A href=to("/reports") exact=true>{t!(i18n, nav.reports)}</A></li>
            <li><A href=to("/initiatives")>{t!(i18n, nav.initiatives)}</A></li>
            <li><A href=to("/polls")>{t!(i18n, nav.polls)}</A></li>
            <li><A href=to("/surveys")>{t!(i18n, nav.surveys)}</A></li>
            <li><A href=to("/budget")>{t!(i18n, nav.budget)}</A></li>
            <li><A href=to("/services")>{t!(i18n, nav.services)}</A></li>
            <li><A href=to("/events")>{t!(i18n, nav.events)}</A></li>
            // The main action, reachable from every page (on the map page a phone also keeps it
            // in view at the bottom of the screen).
            <li class="site-nav__action"><A href=to("/reports/new")>{t!(i18n, nav.report_problem)}</A></li>
        </ul>
    }
}
