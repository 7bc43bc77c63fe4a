use crate::api::map::{get_map_features, list_map_reports};
use crate::app::{MapScripts, SiteResource};
use crate::components::error::ErrorNotice;
use crate::components::filters::{filter_from_query, FilterForm};
use crate::components::map::static_map::covered_box;
use crate::components::map::{Mark, NoScriptNote, StaticMap};
use crate::components::report_list::InViewList;
use crate::i18n::*;
use crate::islands::city_map::LIST_ID;
use crate::islands::{CityMap, MapBase, PinWords};
use crate::model::{MapFeatures, ReportFilterArgs, SiteContext};
use leptos::prelude::*;

/// The map-centred home page: the city map, its filters, and the reports in view as a list.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<SiteResource>();
    view! {
        <MapScripts bundle=crate::assets::Bundle::City />
        <h1 class="visually-hidden">{t!(i18n, map.title)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match site.await {
                    Ok(ctx) => view! { <MapAndList site=ctx /> }.into_any(),
                    Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MapAndList(site: SiteContext) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let filter = filter_from_query();
    let args = ReportFilterArgs::of(&filter.get_untracked());
    let base = MapBase::for_site(&site, locale);
    let pins = PinWords::new(&site, locale);
    let categories = site.locality.categories.clone();

    // The list covers the whole locality until the map reports its view; the picture under the
    // map shows the same pins Leaflet will load for its first view.
    let home_bbox = site.locality.boundary.bounds();
    let picture_box = covered_box(&base);
    let zoom = base.zoom;
    let a = args.clone();
    let reports = Resource::new(
        || (),
        move |_| {
            let a = a.clone();
            list_map_reports(
                home_bbox.map(|b| b.to_param()),
                a.category,
                a.status,
                a.since,
                a.until,
                a.q,
            )
        },
    );
    let features = Resource::new(
        || (),
        move |_| {
            let a = args.clone();
            async move {
                match picture_box {
                    Some(bbox) => {
                        get_map_features(
                            bbox.to_param(),
                            Some(zoom),
                            a.category,
                            a.status,
                            a.since,
                            a.until,
                            a.q,
                        )
                        .await
                    }
                    None => Ok(MapFeatures::default()),
                }
            }
        },
    );
    let list_categories = categories.clone();

    view! {
        <div class="home">
            <div class="map-wrap">
                <Suspense fallback=|| ()>
                    {move || {
                        let (base, pins) = (base.clone(), pins.clone());
                        Suspend::new(async move {
                            let marks = features.await.map(|f| f.features.iter().map(Mark::from).collect()).unwrap_or_default();
                            view! {
                                <CityMap base=base.clone() pins>
                                    <StaticMap base marks />
                                    <NoScriptNote text=td_string!(locale, map.needs_script) />
                                </CityMap>
                            }
                        })
                    }}
                </Suspense>
            </div>
            <aside class="home__side" aria-labelledby="in-view-title">
                <a class="button report-cta" href=format!("/{locale}/reports/new")>
                    {t!(i18n, nav.report_problem)}
                </a>
                <FilterForm filter categories folded=true />
                <h2 id="in-view-title">{t!(i18n, map.pins_in_view)}</h2>
                <div id=LIST_ID>
                    <Suspense fallback=|| ()>
                        {move || {
                            let categories = list_categories.clone();
                            Suspend::new(async move {
                                match reports.await {
                                    Ok(page) => view! { <InViewList page categories /> }.into_any(),
                                    Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                                }
                            })
                        }}
                    </Suspense>
                </div>
            </aside>
        </div>
    }
}
