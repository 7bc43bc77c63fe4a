//! The report filters: read from the address, edited in a plain GET form that reloads the
//! page with the new address. On the home page the map island takes the form over and applies
//! every change in place (`islands::city_map`).

use crate::components::status::status_label;
use crate::i18n::*;
use crate::model::{Category, ReportFilter, ReportSort, ReportStatus};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The filters in the current address: `?status=new&status=accepted&category=roads&since=…`
/// (repeated keys or comma lists both work).
pub fn filter_from_query() -> Signal<ReportFilter> {
    let query = use_query_map();
    Signal::derive(move || {
        query.with(|q| {
            let joined = |key: &str| q.get_all(key).map(|values| values.join(","));
            ReportFilter::from_query(joined("category").as_deref(), joined("status").as_deref())
                .with_extras(
                    q.get("since").as_deref(),
                    q.get("until").as_deref(),
                    q.get("q").as_deref(),
                )
        })
    })
}

/// Sends the browser on to the same address without the empty fields that a plain GET form
/// submits (`?waiting=&q=`), so that a filtered page has a short address worth sharing.
pub fn drop_empty_query_fields() {
    let location = leptos_router::hooks::use_location();
    let search = location.search.get_untracked();
    let kept: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| pair.split_once('=').is_some_and(|(k, v)| !k.is_empty() && !v.is_empty()))
        .collect();
    let pairs = search.trim_start_matches('?').split('&').filter(|p| !p.is_empty()).count();
    if kept.len() < pairs {
        let query = if kept.is_empty() { String::new() } else { format!("?{}", kept.join("&")) };
        crate::api::redirect(&format!("{}{query}", location.pathname.get_untracked()));
    }
}

/// One query-string value, if present.
pub fn query_value(key: &'static str) -> Signal<Option<String>> {
    let query = use_query_map();
    Signal::derive(move || query.with(|q| q.get(key).filter(|v| !v.is_empty())))
}

#[component]
pub fn FilterForm(
    filter: Signal<ReportFilter>,
    categories: Vec<Category>,
    /// Offer the sort order (lists; the map needs none).
    #[prop(optional)]
    sort: Option<Signal<ReportSort>>,
    /// Query values to carry along unchanged (e.g. `mine=1`).
    #[prop(optional)]
    keep: Vec<(&'static str, String)>,
    /// Start folded (phones, over the map).
    #[prop(optional)]
    folded: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let statuses = ReportStatus::ALL
        .into_iter()
        .map(|status| {
            let checked = move || filter.with(|f| f.statuses.contains(&status));
            view! {
                <label class=format!("chip chip--{}", status.as_str())>
                    <input type="checkbox" name="status" value=status.as_str() checked=checked />
                    {move || status_label(i18n.get_locale(), status)}
                </label>
            }
        })
        .collect_view();
    let category_boxes = categories
        .into_iter()
        .map(|c| {
            let slug = c.slug.clone();
            let checked = {
                let slug = slug.clone();
                move || filter.with(|f| f.categories.contains(&slug))
            };
            view! {
                <label class="chip">
                    <input type="checkbox" name="category" value=slug checked=checked />
                    <img src=format!("/icons/{}.svg", c.icon) alt="" width="16" height="16" class="chip__icon" />
                    {move || c.name.get(i18n.get_locale()).to_owned()}
                </label>
            }
        })
        .collect_view();
    let active = move || filter.with(|f| f.to_query_pairs().len());
    let since = move || filter.with(|f| f.since.map(|d| d.to_string()).unwrap_or_default());
    let until = move || filter.with(|f| f.until.map(|d| d.to_string()).unwrap_or_default());
    let text = move || filter.with(|f| f.text.clone().unwrap_or_default());
    let kept = keep
        .into_iter()
        .map(|(k, v)| view! { <input type="hidden" name=k value=v /> })
        .collect_view();
    let sort_field = sort.map(|sort| {
        let option = move |value: ReportSort, label: fn(Locale) -> &'static str| {
            view! {
                <option value=value.as_param() selected=move || sort.get() == value>
                    {move || label(i18n.get_locale())}
                </option>
            }
        };
        view! {
            <div class="field field--inline">
                <label for="filter-sort">{t!(i18n, filter.sort)}</label>
                <select id="filter-sort" name="sort">
                    {option(ReportSort::Newest, |l| td_string!(l, filter.sort_newest))}
                    {option(ReportSort::MostSupported, |l| td_string!(l, filter.sort_supported))}
                </select>
            </div>
        }
    });
    view! {
        <details class="filters-panel" open=!folded>
            <summary>
                {t!(i18n, filter.label)}
                " "<span class="count-badge" id="filter-count" hidden=move || active() == 0>{active}</span>
            </summary>
            <form method="get" action="" class="filters-form" id=crate::islands::city_map::FILTER_FORM_ID>
                {kept}
                <div class="field">
                    <label for="filter-q">{t!(i18n, filter.text)}</label>
                    <input id="filter-q" type="search" name="q" value=text maxlength="100" />
                </div>
                <fieldset class="filters">
                    <legend>{t!(i18n, status.label)}</legend>
                    {statuses}
                </fieldset>
                <fieldset class="filters">
                    <legend>{t!(i18n, filter.category)}</legend>
                    {category_boxes}
                </fieldset>
                <fieldset class="filters filters--dates">
                    <legend>{t!(i18n, filter.dates)}</legend>
                    <div class="field field--inline">
                        <label for="filter-since">{t!(i18n, filter.since)}</label>
                        <input id="filter-since" type="date" name="since" value=since />
                    </div>
                    <div class="field field--inline">
                        <label for="filter-until">{t!(i18n, filter.until)}</label>
                        <input id="filter-until" type="date" name="until" value=until />
                    </div>
                </fieldset>
                {sort_field}
                <div class="form-actions">
                    <button type="submit" class="button button--small">{t!(i18n, filter.apply)}</button>
                    <a class="button button--small button--secondary" href="?">{t!(i18n, filter.reset)}</a>
                </div>
            </form>
        </details>
    }
}
