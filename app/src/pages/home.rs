use crate::api::budget_works::get_project_marks;
use crate::api::map::{get_map_features, list_map_reports};
use crate::app::{MapScripts, SiteResource};
use crate::components::error::ErrorNotice;
use crate::components::filters::{filter_from_query, FilterForm};
use crate::components::map::static_map::covered_box;
use crate::components::map::{Mark, NoScriptNote, StaticMap};
use crate::components::report_list::InViewList;
use crate::error::AppError;
use crate::i18n::*;
use crate::islands::city_map::{LIST_ID, LIST_STATUS_ID};
use crate::islands::{CityMap, MapBase, PinWords};
use crate::model::budget_works::ProjectMarks;
use crate::model::{Page, ReportFilter, ReportFilterArgs, ReportSummary, SiteContext};
use crate::paths;
use leptos::prelude::*;

/// The map-centred home page: the city map, its filters, and the reports in view as a list.
///
/// Pages render only on the server (the islands hydrate themselves from their props), so the
/// data is awaited directly inside one `Suspense` rather than read through resources, which
/// would also be serialised into the page for a client that never reads them.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<SiteResource>();
    let filter = filter_from_query();
    let locale = i18n.get_locale_untracked();
    // `?projects=1` adds the civic budget's funded projects to the map (a layer a visitor
    // chooses, so the plain home page loads nothing more).
    let projects_on = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("projects").is_some_and(|v| v == "1"));
    view! {
        <leptos_meta::Link rel="alternate" type_="application/atom+xml"
            href=format!("/feeds/reports.atom?lang={locale}") title=td_string!(locale, alerts.feed_link) />
        <leptos_meta::Link rel="alternate" type_="application/atom+xml"
            href=format!("/feeds/announcements.atom?lang={locale}") title=td_string!(locale, alerts.announcements_title) />
        <MapScripts bundle=crate::assets::Bundle::City />
        <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), map.title) hidden=true />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let site = match site.await {
                    Ok(site) => site,
                    Err(err) => return view! { <ErrorNotice error=err /> }.into_any(),
                };
                let args = ReportFilterArgs::of(&filter.get_untracked());
                let locale = i18n.get_locale_untracked();
                let base = MapBase::for_site(&site, locale);
                let marks = match covered_box(&base) {
                    Some(bbox) => get_map_features(
                        bbox.to_param(),
                        Some(base.zoom),
                        args.category.clone(),
                        args.status.clone(),
                        args.since.clone(),
                        args.until.clone(),
                        args.q.clone(),
                        Some(site.locality.slug.clone()),
                    )
                    .await
                    .map(|f| f.features.iter().map(Mark::from).collect())
                    .unwrap_or_default(),
                    None => Vec::new(),
                };
                let projects = if projects_on {
                    get_project_marks(locale.to_string(), Some(site.locality.slug.clone()))
                        .await
                        .unwrap_or_default()
                } else {
                    ProjectMarks::default()
                };
                let mut marks: Vec<Mark> = marks;
                marks.extend(projects.marks.iter().map(|p| Mark::Project { at: p.at, status: p.status }));
                // The list covers the whole locality until the map reports its view.
                let home_bbox = site.locality.boundary.bounds().map(|b| b.to_param());
                let reports = list_map_reports(
                    home_bbox,
                    args.category,
                    args.status,
                    args.since,
                    args.until,
                    args.q,
                    Some(site.locality.slug.clone()),
                )
                .await;
                let announcements = crate::api::announcements::list_announcements(Some(true), Some(site.locality.slug.clone()))
                    .await
                    .unwrap_or_default();
                view! {
                    <crate::components::announcements::AnnouncementBanner items=announcements />
                    <MapAndList site base marks reports filter projects projects_on />
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// The map (with the picture of its first view under it) and, beside it, the filters and the
/// reports in view.
#[component]
fn MapAndList(
    site: SiteContext,
    base: MapBase,
    marks: Vec<Mark>,
    reports: Result<Page<ReportSummary>, AppError>,
    filter: Signal<ReportFilter>,
    projects: ProjectMarks,
    projects_on: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let pins = PinWords::new(&site, locale);
    let categories = site.locality.categories.clone();
    // Changing the filters keeps the project layer.
    let keep = if projects_on { vec![("projects", "1".to_owned())] } else { Vec::new() };
    let list = match reports {
        Ok(page) => view! { <InViewList page categories=categories.clone() /> }.into_any(),
        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
    };
    view! {
        <div class="home">
            // The map is one Tab stop; keyboards may also pass it by, to the list of the same
            // reports beside it.
            <a class="skip-link" href="#home-side">{t!(i18n, ux.skip_map)}</a>
            <p id="city-map-keys" class="visually-hidden">{t!(i18n, ux.map_keys)}</p>
            <div class="map-wrap">
                <CityMap base=base.clone() pins projects=projects.clone()>
                    <StaticMap base marks />
                    <NoScriptNote text=td_string!(locale, map.needs_script)
                        link=("#in-view-title".to_owned(), td_string!(locale, ux.see_list)) />
                </CityMap>
            </div>
            <aside class="home__side" id="home-side" tabindex="-1" aria-labelledby="in-view-title">
                <a class="button report-cta" href=paths::page(locale, "/reports/new")>
                    {t!(i18n, nav.report_problem)}
                </a>
                <FilterForm filter categories folded=true keep />
                <ProjectsLayer projects projects_on />
                <h2 id="in-view-title">{t!(i18n, map.pins_in_view)}</h2>
                <p id=LIST_STATUS_ID class="visually-hidden" role="status"></p>
                <div id=LIST_ID>{list}</div>
            </aside>
        </div>
    }
}

/// The switch for the civic budget's layer and, when it is on, its projects as a list (what
/// the map shows, for keyboards and screen readers, and before any script).
#[component]
fn ProjectsLayer(projects: ProjectMarks, projects_on: bool) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let location = leptos_router::hooks::use_location();
    let (path, search) = (location.pathname.get_untracked(), location.search.get_untracked());
    let mut pairs: Vec<String> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("projects="))
        .map(str::to_owned)
        .collect();
    if !projects_on {
        pairs.push("projects=1".to_owned());
    }
    let toggle = if pairs.is_empty() { path } else { format!("{path}?{}", pairs.join("&")) };
    let text = if projects_on {
        td_string!(locale, map.projects_hide)
    } else {
        td_string!(locale, map.projects_show)
    };
    let list = projects_on.then(|| {
        let items = projects
            .marks
            .into_iter()
            .map(|p| {
                let lang = (p.lang != locale.as_str()).then_some(p.lang);
                view! {
                    <li><a href=p.href lang=lang>{p.title}</a> " — " <span class="muted">{p.caption}</span></li>
                }
            })
            .collect::<Vec<_>>();
        let empty = items.is_empty();
        view! {
            <section class="projects-on-map" aria-labelledby="projects-on-map">
                <h2 id="projects-on-map">{td_string!(locale, map.projects_heading)}</h2>
                {if empty {
                    view! { <p class="empty">{td_string!(locale, map.projects_none)}</p> }.into_any()
                } else {
                    view! { <ol>{items}</ol> }.into_any()
                }}
            </section>
        }
    });
    view! {
        <p><a class="button button--secondary" href=toggle>{text}</a></p>
        {list}
    }
}
