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
                    <MapAndList site base marks reports filter />
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
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let pins = PinWords::new(&site, locale);
    let categories = site.locality.categories.clone();
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
                <CityMap base=base.clone() pins>
                    <StaticMap base marks />
                    <NoScriptNote text=td_string!(locale, map.needs_script)
                        link=("#in-view-title".to_owned(), td_string!(locale, ux.see_list)) />
                </CityMap>
            </div>
            <aside class="home__side" id="home-side" tabindex="-1" aria-labelledby="in-view-title">
                <a class="button report-cta" href=paths::page(locale, "/reports/new")>
                    {t!(i18n, nav.report_problem)}
                </a>
                <FilterForm filter categories folded=true />
                <h2 id="in-view-title">{t!(i18n, map.pins_in_view)}</h2>
                <p id=LIST_STATUS_ID class="visually-hidden" role="status"></p>
                <div id=LIST_ID>{list}</div>
            </aside>
        </div>
    }
}
