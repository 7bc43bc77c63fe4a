//! The HTML shell, the router and the layout shared by every localized page.

use crate::api::site::get_site_context;
use crate::components::layout::{SiteFooter, SiteHeader};
use crate::i18n::Locale;
use crate::locale;
use crate::model::SiteContext;
use crate::pages::{home::HomePage, not_found::NotFoundPage, placeholder::PlaceholderPage};
use leptos::prelude::*;
use leptos_i18n::Locale as _;
#[cfg(feature = "ssr")]
use leptos_meta::MetaTags;
use leptos_meta::{provide_meta_context, Html, Link, Meta, Title};
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::hooks::use_params_map;
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

/// The document around the app: assets that must load before hydration (Leaflet is a classic
/// script the `leaflet` crate binds to), then the hydration module.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b4f8a" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href="/leaflet/leaflet.css" />
                <link rel="stylesheet" href="/pkg/agora.css" />
                <script src="/leaflet/leaflet.js"></script>
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Routes fallback=|| view! { <FallbackLayout /> }>
                // Async rendering sends complete HTML, so every page reads and works before (or
                // without) the WASM.
                <ParentRoute path=ParamSegment("lang") view=LocalizedLayout ssr=SsrMode::Async>
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async />
                    <Route path=StaticSegment("reports") view=PlaceholderPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("initiatives") view=PlaceholderPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("polls") view=PlaceholderPage ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The site context (locality, categories, map settings), loaded once per page and shared.
pub type SiteResource = Resource<Result<SiteContext, crate::error::AppError>>;

/// Everything under `/{lang}`: an unknown language is a 404; otherwise the page gets the i18n
/// context, `<html lang>`, the header and the footer.
#[component]
fn LocalizedLayout() -> impl IntoView {
    let params = use_params_map();
    let requested =
        Memo::new(move |_| params.with(|p| p.get("lang").and_then(|l| locale::parse(&l))));
    let current = Signal::derive(move || requested.get().unwrap_or(Locale::ro));
    locale::provide(current);

    let site: SiteResource = Resource::new(|| (), |_| get_site_context(None));
    provide_context(site);

    move || match requested.get() {
        None => view! { <NotFoundPage /> }.into_any(),
        Some(_) => view! { <PageFrame><Outlet /></PageFrame> }.into_any(),
    }
}

/// Addresses outside `/{lang}`: a 404 in the language the address starts with, else Romanian.
#[component]
fn FallbackLayout() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let guessed = Signal::derive(move || {
        location.pathname.with(|p| {
            p.trim_start_matches('/')
                .split('/')
                .next()
                .and_then(locale::parse)
                .unwrap_or(Locale::ro)
        })
    });
    locale::provide(guessed);
    let site: SiteResource = Resource::new(|| (), |_| get_site_context(None));
    provide_context(site);
    view! { <PageFrame><NotFoundPage /></PageFrame> }
}

#[component]
fn PageFrame(children: Children) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    view! {
        <Html {..} lang=move || i18n.get_locale().as_str() />
        <Title text=move || crate::i18n::t_string!(i18n, site.name).to_string() />
        <Meta name="description" content=move || crate::i18n::t_string!(i18n, site.tagline).to_string() />
        <AlternateLinks />
        <SiteHeader />
        <main id="main" tabindex="-1">{children()}</main>
        <SiteFooter />
    }
}

/// `<link rel="alternate" hreflang>` for each language, so search engines and assistive tools
/// find the same page in the other languages.
#[component]
fn AlternateLinks() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    move || {
        let path = location.pathname.get();
        locale::ALL
            .into_iter()
            .map(|l| view! { <Link rel="alternate" hreflang=l.as_str() href=locale::switch_path(&path, "", l) /> })
            .collect_view()
    }
}
