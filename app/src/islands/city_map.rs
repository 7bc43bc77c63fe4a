//! The home page's map. The server renders a picture of the first view (its children) so the
//! city, its boundary and its pins show before any script; in the browser Leaflet takes over,
//! and the island keeps the pins, the list beside the map (`#in-view`) and the address in step
//! with the view and the filter form (`#report-filters`), without reloading the page.

use super::map_base::{MapBase, PinWords};
use crate::model::budget_works::ProjectMarks;
use leptos::prelude::*;

/// The filter form this island listens to, and the list it refreshes.
pub const FILTER_FORM_ID: &str = "report-filters";
pub const LIST_ID: &str = "in-view";
/// A live region outside the list that says how many reports the refreshed list holds (a
/// region that is itself replaced would not be announced).
pub const LIST_STATUS_ID: &str = "in-view-status";

#[island]
pub fn CityMap(
    base: MapBase,
    pins: PinWords,
    /// The civic budget's funded projects, when the visitor asked for them (else empty).
    projects: ProjectMarks,
    children: Children,
) -> impl IntoView {
    let container = NodeRef::<leptos::html::Div>::new();
    let tiles_failed = RwSignal::new(false);
    let label = base.words.label.clone();
    let no_tiles = base.words.no_tiles.clone();

    #[cfg(feature = "hydrate")]
    browser::start(container, base, pins, projects, tiles_failed);
    #[cfg(not(feature = "hydrate"))]
    let _ = (base, pins, projects);

    view! {
        <div class="map" node_ref=container role="region" aria-label=label
            aria-describedby="city-map-keys" data-testid="city-map">
            {children()}
        </div>
        <Show when=move || tiles_failed.get()>
            <p class="map__notice" role="status">{no_tiles.clone()}</p>
        </Show>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::super::leaflet::{
        base_map, draw_features, project_marker, translate_popup_close, view_of,
    };
    use super::super::map_base::{MapBase, PinWords};
    use super::{FILTER_FORM_ID, LIST_ID, LIST_STATUS_ID};
    use crate::api::map::{get_map_features, reports_in_view};
    use crate::locale::parse;
    use crate::model::budget_works::ProjectMarks;
    use crate::model::{BBox, ReportFilterArgs};
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    /// What the map shows and with which filters; every change refetches pins and list.
    #[derive(Clone, PartialEq)]
    struct Wanted {
        bbox: BBox,
        zoom: u8,
        filter: ReportFilterArgs,
    }

    pub fn start(
        container: NodeRef<leptos::html::Div>,
        base: MapBase,
        pins: PinWords,
        projects: ProjectMarks,
        tiles_failed: RwSignal<bool>,
    ) {
        let locale = parse(&base.lang).unwrap_or_default();
        let base_locality = base.locality.clone();
        let filter = RwSignal::new(ReportFilterArgs::from_search(&current_search()));
        let view = RwSignal::new(None::<(BBox, u8)>);
        let layer = StoredValue::new_local(None::<(leaflet::Map, leaflet::LayerGroup)>);
        listen_to_filter_form(filter);

        Effect::new(move |_| {
            let Some(el) = container.get() else { return };
            if layer.with_value(Option::is_some) {
                return;
            }
            let base = base.clone();
            let projects = projects.clone();
            super::super::leaflet::when_ready(move || {
                let map = match base_map(&el, &base, tiles_failed, true) {
                    Ok(map) => map,
                    Err(err) => {
                        leptos::logging::error!("could not create the map: {err:?}");
                        return;
                    }
                };
                translate_popup_close(&map, base.words.close_popup.clone());
                // The projects stay whatever the view and filters (they are few).
                for mark in &projects.marks {
                    project_marker(mark, &projects.open).add_to(&map);
                }
                let group = leaflet::LayerGroup::new();
                group.add_to(&map);
                let report = {
                    let map = map.clone();
                    move || view.set(view_of(&map))
                };
                report();
                map.on_move_end(Box::new(move |_| report()));
                super::super::leaflet::remove_on_cleanup(&map);
                layer.set_value(Some((map, group)));
            });
        });

        // Pins and list follow the view and the filters; an answer that arrives after a newer
        // request was made is dropped.
        let wanted = Memo::new(move |_| {
            view.get().map(|(bbox, zoom)| Wanted { bbox, zoom, filter: filter.get() })
        });
        let generation = StoredValue::new(0u64);
        Effect::new(move |_| {
            let Some(w) = wanted.get() else { return };
            let this = generation.get_value() + 1;
            generation.set_value(this);
            let pins = pins.clone();
            let (locality, list_locality) = (base_locality.clone(), base_locality.clone());
            let w2 = w.clone();
            spawn_local(async move {
                let w = w2;
                let f = w.filter.clone();
                let features = get_map_features(
                    w.bbox.to_param(),
                    Some(w.zoom),
                    f.category,
                    f.status,
                    f.since,
                    f.until,
                    f.q,
                    locality,
                )
                .await;
                if generation.get_value() != this {
                    return;
                }
                match features {
                    Ok(features) => layer.with_value(|l| {
                        if let Some((map, group)) = l {
                            draw_features(map, group, &features, &pins, locale);
                            mark_live(map);
                        }
                    }),
                    Err(err) => leptos::logging::warn!("map features: {err}"),
                }
            });
            spawn_local(async move {
                let f = w.filter;
                let list = reports_in_view(
                    locale.to_string(),
                    Some(w.bbox.to_param()),
                    f.category,
                    f.status,
                    f.since,
                    f.until,
                    f.q,
                    list_locality,
                )
                .await;
                if generation.get_value() != this {
                    return;
                }
                match list {
                    Ok(html) => {
                        if let Some(el) = document().get_element_by_id(LIST_ID) {
                            el.set_inner_html(&html);
                            let count = el.query_selector(".count").ok().flatten();
                            if let (Some(count), Some(status)) =
                                (count, document().get_element_by_id(LIST_STATUS_ID))
                            {
                                status.set_text_content(count.text_content().as_deref());
                            }
                        }
                    }
                    Err(err) => leptos::logging::warn!("reports in view: {err}"),
                }
            });
        });
    }

    /// Once Leaflet shows the pins, the server's picture underneath is hidden.
    fn mark_live(map: &leaflet::Map) {
        let _ = map.get_container().class_list().add_1("map--live");
    }

    fn current_search() -> String {
        window().location().search().unwrap_or_default()
    }

    /// The filter form applies as soon as a control changes (and on submit, which would
    /// otherwise reload the page): the new filters go into the address, replacing the entry
    /// so that Back leaves the page rather than stepping through every tick.
    fn listen_to_filter_form(filter: RwSignal<ReportFilterArgs>) {
        let Some(form) = document()
            .get_element_by_id(FILTER_FORM_ID)
            .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let apply = {
            let form = form.clone();
            move |ev: web_sys::Event| {
                ev.prevent_default();
                let Some(search) = form_search(&form) else { return };
                let address = if search.is_empty() {
                    window().location().pathname().unwrap_or_default()
                } else {
                    format!("?{search}")
                };
                if let Ok(history) = window().history() {
                    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&address));
                }
                let args = ReportFilterArgs::from_search(&search);
                if let Some(badge) = document().get_element_by_id("filter-count") {
                    let active = args.active_count();
                    badge.set_text_content(Some(&active.to_string()));
                    let _ = badge.toggle_attribute_with_force("hidden", active == 0);
                }
                filter.set(args);
            }
        };
        for event in ["change", "submit"] {
            let handler = Closure::<dyn Fn(web_sys::Event)>::new(apply.clone());
            let _ = form.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
            handler.forget();
        }
    }

    /// The form's fields as a query string, as the browser would send them.
    fn form_search(form: &web_sys::HtmlFormElement) -> Option<String> {
        let data = web_sys::FormData::new_with_form(form).ok()?;
        let params = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
        // Empty fields (an unset date, no text) stay out of the address.
        let keep = web_sys::UrlSearchParams::new().ok()?;
        let entries = js_sys::try_iter(&params).ok()??;
        for entry in entries.flatten() {
            let pair: js_sys::Array = entry.unchecked_into();
            let (key, value) = (pair.get(0).as_string()?, pair.get(1).as_string()?);
            if !value.is_empty() {
                keep.append(&key, &value);
            }
        }
        Some(String::from(keep.to_string()))
    }
}
