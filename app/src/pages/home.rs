use crate::api::map::list_map_reports;
use crate::app::SiteResource;
use crate::components::error::ErrorNotice;
use crate::components::filters::{filter_args, filter_from_query, FilterForm};
use crate::components::map::{CityMap, MapView};
use crate::components::report_list::ReportList;
use crate::i18n::*;
use crate::model::SiteContext;
use leptos::prelude::*;

/// The map-centred home page: the city map, its filters, and the reports in view as a list.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<SiteResource>();
    view! {
        <h1 class="visually-hidden">{t!(i18n, map.title)}</h1>
        <Suspense fallback=move || view! { <p class="map__placeholder">{t!(i18n, map.loading)}</p> }>
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
    let filter = filter_from_query();
    let view = RwSignal::new(None::<MapView>);
    let home_bbox = site.locality.boundary.bounds();
    let categories = site.locality.categories.clone();

    // The list follows the map once it has reported its view; before that (and on the server)
    // it covers the whole locality.
    let reports = Resource::new(
        move || (view.get().map(|v| v.bbox).or(home_bbox), filter.get()),
        |(bbox, filter)| {
            let (category, status, since, until, q) = filter_args(&filter);
            list_map_reports(bbox.map(|b| b.to_param()), category, status, since, until, q)
        },
    );
    let list_categories = categories.clone();

    view! {
        <div class="home">
            <CityMap site=site.clone() filter view />
            <aside class="home__side" aria-labelledby="in-view-title">
                <a class="button report-cta" href=move || format!("/{}/reports/new", i18n.get_locale())>
                    {t!(i18n, nav.report_problem)}
                </a>
                <FilterForm filter categories folded=true />
                <h2 id="in-view-title">{t!(i18n, map.pins_in_view)}</h2>
                <Transition fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                    {move || {
                        let categories = list_categories.clone();
                        Suspend::new(async move {
                            match reports.await {
                                Ok(page) => {
                                    let total = page.total;
                                    view! {
                                        <p class="count" aria-live="polite">
                                            {move || t_string!(i18n, map.count_in_view, count = crate::format::integer(total, i18n.get_locale()))}
                                        </p>
                                        <ReportList page categories />
                                    }
                                        .into_any()
                                }
                                Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                            }
                        })
                    }}
                </Transition>
            </aside>
        </div>
    }
}
