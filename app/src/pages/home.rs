use crate::api::map::list_map_reports;
use crate::app::SiteResource;
use crate::components::error::ErrorNotice;
use crate::components::map::{CityMap, MapView};
use crate::components::report_list::ReportList;
use crate::components::status::status_label;
use crate::i18n::*;
use crate::model::{ReportFilter, ReportStatus, SiteContext};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

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

/// Reads the filters from the address: `?status=new&status=accepted&category=lighting` or the
/// comma form `?status=new,accepted`.
fn filter_from_query() -> Signal<ReportFilter> {
    let query = use_query_map();
    Signal::derive(move || {
        query.with(|q| {
            let joined = |key: &str| q.get_all(key).map(|values| values.join(","));
            ReportFilter::from_query(joined("category").as_deref(), joined("status").as_deref())
        })
    })
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
            list_map_reports(
                bbox.map(|b| b.to_param()),
                Some(filter.categories_param()).filter(|s| !s.is_empty()),
                Some(filter.statuses_param()).filter(|s| !s.is_empty()),
            )
        },
    );

    view! {
        <div class="home">
            <CityMap site=site.clone() filter view />
            <aside class="home__side" aria-labelledby="in-view-title">
                <StatusFilter filter />
                <h2 id="in-view-title">{t!(i18n, map.pins_in_view)}</h2>
                <Transition fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                    {move || {
                        let categories = categories.clone();
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

/// Status filter as a GET form: without WASM it reloads with the new address; hydrated, the
/// router's `<Form>` navigates in place and the map and list follow the address.
#[component]
fn StatusFilter(filter: Signal<ReportFilter>) -> impl IntoView {
    let i18n = use_i18n();
    let boxes = ReportStatus::ALL
        .into_iter()
        .map(|status| {
            let checked = move || filter.with(|f| f.statuses.contains(&status));
            view! {
                <label class=format!("chip chip--{}", status.as_str())>
                    <input type="checkbox" name="status" value=status.as_str() prop:checked=checked checked=checked />
                    {move || status_label(i18n.get_locale(), status)}
                </label>
            }
        })
        .collect_view();
    view! {
        <leptos_router::components::Form method="GET" action="">
            <fieldset class="filters">
                <legend>{t!(i18n, status.label)}</legend>
                {boxes}
                <button type="submit" class="button button--small">{t!(i18n, filter.apply)}</button>
            </fieldset>
        </leptos_router::components::Form>
    }
}
