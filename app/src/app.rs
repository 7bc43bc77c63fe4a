//! The HTML shell, the router and the layout shared by every localized page.

use crate::api::auth::get_viewer;
use crate::api::site::get_site_context;
use crate::assets;
use crate::components::layout::{SiteFooter, SiteHeader};
use crate::i18n::Locale;
use crate::locale;
use crate::model::SiteContext;
use crate::pages::admin::{AdminPage, ApiKeysPage, AuditPage, LocalitiesPage, OutboxPage};
use crate::pages::auth::{
    ConfirmPage, ForgotPage, LoginPage, ResetPage, SignInLinkPage, SignupPage,
};
use crate::pages::budget::{
    BudgetReportPage, EditionPage, EditionSetupPage, EditionsPage, IndicatorsPage, NewEditionPage,
    PaperBallotPage, ProjectPage, ProposePage, ResultsPage, VotePage,
};
use crate::pages::initiatives::{InitiativePage, InitiativesPage, NewInitiativePage};
use crate::pages::open_data::OpenDataPage;
use crate::pages::polls::{NewPollPage, PollPage, PollsPage};
use crate::pages::reports::{
    ConfirmSubscriptionPage, NewReportPage, ReportPage, ReportsPage, StaffQueuePage,
};
use crate::pages::statistics::{StaffStatisticsPage, StatisticsPage, YearReportPage};
use crate::pages::{account::AccountPage, home::HomePage, not_found::NotFoundPage};
use leptos::prelude::*;
use leptos::reactive::owner::Owner;
use leptos_i18n::Locale as _;
use leptos_meta::{provide_meta_context, Html, Link, Meta, MetaTags, Script, Title};

use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::hooks::use_params_map;
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

/// The document around the app. Only what every page needs is linked here; a page that shows
/// a map or has islands asks for Leaflet and the WASM bundle itself ([`MapScripts`],
/// [`IslandScripts`]), and those land in `<head>` through `<MetaTags>`.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let _ = options;
    set_content_security_policy();
    // Islands mode: only islands carry hydration markers; the rest of the page is plain HTML.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b4f8a" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // Installable on a phone's home screen; `/scripts/offline.js` registers the
                // service worker that keeps recent pages, styles and Leaflet for offline use.
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/icons/app-192.png" />
                <script src="/scripts/offline.js" defer></script>
                <link rel="stylesheet" href=assets::url(assets::STYLESHEET) />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Imports a page's bundle and hydrates its islands; named at the page's top level, outside
/// any `Suspense` (whose content is rendered after the `<head>` has gone out).
#[component]
pub fn IslandScripts(bundle: assets::Bundle) -> impl IntoView {
    island_scripts(bundle, false)
}

/// As [`IslandScripts`], for pages that may show a map: Leaflet (a classic script the `leaflet`
/// crate binds to) is fetched too, but only when a map island is really on the page — an
/// initiatives list without placed initiatives, or a report without a place, loads none of it.
#[component]
pub fn MapScripts(bundle: assets::Bundle) -> impl IntoView {
    island_scripts(bundle, true)
}

fn island_scripts(bundle: assets::Bundle, with_leaflet: bool) -> impl IntoView {
    let (js, wasm) = bundle.files();
    let (js, wasm) = (assets::url(&js), assets::url(&wasm));
    let leaflet = if with_leaflet {
        format!(
            "{{ js: \"{}\", css: \"{}\", id: \"{}\" }}",
            assets::url(assets::LEAFLET_SCRIPT),
            assets::url(assets::LEAFLET_STYLESHEET),
            crate::islands::LEAFLET_SCRIPT_ID,
        )
    } else {
        "null".to_owned()
    };
    let loader =
        ISLAND_LOADER.replace("{js}", &js).replace("{wasm}", &wasm).replace("{leaflet}", &leaflet);
    // No `preload` links: a page whose islands turned out not to be needed (a report without
    // a place) would download the bundle for nothing; the loader starts it as soon as the HTML
    // is parsed.
    view! { <Script type_="module">{loader}</Script> }
}

/// Fetches Leaflet when a map island is on the page, imports the bundle, then hydrates each
/// island (nested ones after their parent, as Leptos's own loader does) and marks the document
/// as interactive. A page whose islands turned out not to be needed imports nothing.
const ISLAND_LOADER: &str = r#"const leaflet = {leaflet};
const maps = ["CityMap", "PlaceMap", "LocationPicker"]
  .map((name) => `leptos-island[data-component^="${name}_"]`).join(",");
if (leaflet && document.querySelector(maps)) {
  const css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = leaflet.css;
  const script = document.createElement("script");
  script.id = leaflet.id;
  script.src = leaflet.js;
  document.head.append(css, script);
}
const interactive = () => {
  document.documentElement.dataset.hydrated = "true";
  performance.mark("agora-interactive");
};
if (!document.querySelector("leptos-island")) {
  interactive();
} else import("{js}").then(async (mod) => {
  await mod.default({ module_or_path: "{wasm}" });
  mod.hydrate();
  const callbacks = [];
  const visit = async (node) => {
    for (const child of node.children) {
      const tag = child.tagName.toLowerCase();
      if (tag === "leptos-island") {
        const hydrateIsland = mod[child.dataset.component];
        const onChildren = callbacks[callbacks.length - 1];
        if (onChildren) onChildren();
        if (hydrateIsland) await hydrateIsland(child);
        else console.warn("no WASM function for the island " + child.dataset.component);
        await visit(child);
      } else if (tag === "leptos-children") {
        callbacks.push(child.$$on_hydrate);
        await visit(child);
        callbacks.pop();
      } else {
        await visit(child);
      }
    }
  };
  await visit(document.body);
  interactive();
});"#;

/// Scripts run only with this render's nonce (the island loader) or from this origin; the
/// WASM may compile; images come from here and the tile server. No inline styles or handlers.
fn set_content_security_policy() {
    use axum::http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
    let (Some(nonce), Some(options)) =
        (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    let tiles =
        use_context::<crate::store::Services>().map(|s| s.site.tile_origin()).unwrap_or_default();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data: blob: {tiles}; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        options.insert_header(CONTENT_SECURITY_POLICY, value);
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
                    <Route path=StaticSegment("reports") view=ReportsPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("reports"), StaticSegment("new")) view=NewReportPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("reports"), ParamSegment("id")) view=ReportPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("staff") view=StaffQueuePage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("staff"), StaticSegment("statistics")) view=StaffStatisticsPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("statistics") view=StatisticsPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("offline") view=crate::pages::offline::OfflinePage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("statistics"), StaticSegment("year"), ParamSegment("year")) view=YearReportPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("subscriptions"), StaticSegment("confirm")) view=ConfirmSubscriptionPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("subscriptions") view=crate::pages::subscriptions::SubscriptionsPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("announcements") view=crate::pages::announcements::AnnouncementsPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("is-it-fixed") view=crate::pages::reports::FixedCheckPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("alerts") view=crate::pages::alerts::AlertsPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("alerts"), StaticSegment("confirm")) view=crate::pages::alerts::ConfirmAlertPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("initiatives") view=InitiativesPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("initiatives"), StaticSegment("new")) view=NewInitiativePage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("initiatives"), ParamSegment("id")) view=InitiativePage ssr=SsrMode::Async />
                    <Route path=StaticSegment("polls") view=PollsPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("polls"), StaticSegment("new")) view=NewPollPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("polls"), ParamSegment("id")) view=PollPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("surveys") view=crate::pages::surveys::SurveysPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("surveys"), StaticSegment("new")) view=crate::pages::surveys::NewSurveyPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("surveys"), ParamSegment("id")) view=crate::pages::surveys::SurveyAnswerPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("surveys"), ParamSegment("id"), StaticSegment("results")) view=crate::pages::surveys::SurveyResultsPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("surveys"), ParamSegment("id"), StaticSegment("edit")) view=crate::pages::surveys::EditSurveyPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("budget") view=EditionsPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("budget"), StaticSegment("new")) view=NewEditionPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("budget"), ParamSegment("edition")) view=EditionPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("budget"), ParamSegment("edition"), StaticSegment("projects"), ParamSegment("id")) view=ProjectPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("budget"), ParamSegment("edition"), StaticSegment("propose")) view=ProposePage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("budget"), ParamSegment("edition"), StaticSegment("vote")) view=VotePage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("budget"), ParamSegment("edition"), StaticSegment("results")) view=ResultsPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("budget"), ParamSegment("edition"), StaticSegment("indicators")) view=IndicatorsPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("budget"), ParamSegment("edition"), StaticSegment("report")) view=BudgetReportPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("budget"), ParamSegment("edition"), StaticSegment("paper")) view=PaperBallotPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("budget"), ParamSegment("edition"), StaticSegment("setup")) view=EditionSetupPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("events") view=crate::pages::events::EventsPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("events"), StaticSegment("new")) view=crate::pages::events::NewEventPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("events"), ParamSegment("id")) view=crate::pages::events::EventPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("services") view=crate::pages::services::ServicesPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("services"), StaticSegment("new")) view=crate::pages::services::NewServicePage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("services"), ParamSegment("id")) view=crate::pages::services::ServicePage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("services"), ParamSegment("id"), StaticSegment("edit")) view=crate::pages::services::EditServicePage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("services"), ParamSegment("id"), StaticSegment("sheet")) view=crate::pages::services::ReferralSheetPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("resources") view=crate::pages::resources::ResourcesPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("resources"), StaticSegment("new")) view=crate::pages::resources::NewResourcePage ssr=SsrMode::Async />
                    <Route path=StaticSegment("newsletters") view=crate::pages::newsletters::NewslettersPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("newsletters"), StaticSegment("new")) view=crate::pages::newsletters::NewNewsletterPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("newsletters"), StaticSegment("confirm")) view=crate::pages::newsletters::ConfirmNewsletterPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("newsletters"), ParamSegment("id")) view=crate::pages::newsletters::NewsletterPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("newsletters"), ParamSegment("id"), StaticSegment("edit")) view=crate::pages::newsletters::EditNewsletterPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("kiosk") view=crate::pages::kiosk::KioskStartPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("kiosk"), StaticSegment("glance")) view=crate::pages::kiosk::GlancePage ssr=SsrMode::Async />
                    <Route path=StaticSegment("login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("login"), StaticSegment("link")) view=SignInLinkPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("signup") view=SignupPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("confirm") view=ConfirmPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("forgot") view=ForgotPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("reset") view=ResetPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("admin") view=AdminPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("admin"), StaticSegment("audit")) view=AuditPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("admin"), StaticSegment("organisations")) view=crate::pages::admin::OrganisationsPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("admin"), StaticSegment("api-keys")) view=ApiKeysPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("open-data") view=OpenDataPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("admin"), StaticSegment("outbox")) view=OutboxPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("admin"), StaticSegment("localities")) view=LocalitiesPage ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The site context (locality, categories, map settings), loaded once per page and shared.
pub type SiteResource = Resource<Result<SiteContext, crate::error::AppError>>;

/// Who is looking; reloaded on every navigation so signing in or out shows at once.
pub type ViewerResource = Resource<Result<crate::model::Viewer, crate::error::AppError>>;

fn provide_page_resources() {
    let site: SiteResource = Resource::new(|| (), |_| get_site_context(None));
    provide_context(site);
    let location = leptos_router::hooks::use_location();
    let viewer: ViewerResource =
        Resource::new(move || (location.pathname.get(), location.search.get()), |_| get_viewer());

    provide_context(viewer);
}

/// Everything under `/{lang}`: an unknown language is a 404; otherwise the page gets the i18n
/// context, `<html lang>`, the header and the footer.
#[component]
fn LocalizedLayout() -> impl IntoView {
    let params = use_params_map();
    let requested =
        Memo::new(move |_| params.with(|p| p.get("lang").and_then(|l| locale::parse(&l))));
    let current = Signal::derive(move || requested.get().unwrap_or(Locale::ro));
    locale::provide(current.get_untracked());
    provide_page_resources();

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
    locale::provide(guessed.get_untracked());
    provide_page_resources();
    view! { <PageFrame><NotFoundPage /></PageFrame> }
}

#[component]
fn PageFrame(children: Children) -> impl IntoView {
    let locale = crate::i18n::use_i18n().get_locale_untracked();
    // Plain strings, not closures: leptos_meta reads the title after the page has rendered,
    // outside the request's reactive arena (under load another request's), so a title that
    // read a signal then would panic.
    view! {
        <Html {..} lang=locale.as_str() />
        <Title text=crate::i18n::td_string!(locale, site.name) />
        <Meta name="description" content=crate::i18n::td_string!(locale, site.tagline) />
        <AlternateLinks />
        {match crate::api::kiosk::kiosk_idle() {
            // A kiosk: its own bar, no site navigation to wander off through, no footer.
            Some(idle) => view! {
                <crate::components::kiosk::KioskBar idle />
                <crate::components::outbox::Outbox />
                <main id="main" class="kiosk-main" tabindex="-1">{children()}</main>
            }.into_any(),
            None => view! {
                <SiteHeader />
                <crate::components::outbox::Outbox />
                <main id="main" tabindex="-1">{children()}</main>
                <SiteFooter />
            }.into_any(),
        }}
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
            .map(|l| view! { <Link rel="alternate" hreflang=l.as_str() href=crate::paths::switch_language(&path, "", l) /> })
            .collect_view()
    }
}
