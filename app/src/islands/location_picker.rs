//! Where is the problem: a pin placed on a map, nudged with buttons or arrow keys, or set from
//! the device's location. The coordinates are also plain form fields, so the form works
//! without WASM and for people who cannot use a map. On the report form the island also shows
//! open reports of the chosen category near the pin ("is this the same problem?",
//! `nearby_reports.rs`).

use super::map_base::MapBase;
use super::nearby_reports::{NearbyReports, NearbyWords};
use crate::model::geo::fixed;
use crate::model::LatLng;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How far one nudge moves the pin, in metres.
pub const NUDGE_METRES: f64 = 5.0;

/// The pin's position moved by `dx`, `dy` metres east and north.
pub fn nudged(p: LatLng, dx: f64, dy: f64) -> LatLng {
    let d_lat = dy / 111_320.0;
    let d_lng = dx / (111_320.0 * p.lat.to_radians().cos().max(0.01));
    LatLng { lat: p.lat + d_lat, lng: p.lng + d_lng }
}

/// Why the device's location could not be used (only the browser build reports it).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum GeoFailure {
    Denied,
    Unavailable,
}

/// The picker's words, in the visitor's language (`{place}` marks the coordinates).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickerWords {
    pub help: String,
    pub no_pin: String,
    pub pin_at: String,
    pub pin_outside: String,
    pub pin_title: String,
    pub use_my_location: String,
    pub nudge: String,
    pub nudge_north: String,
    pub nudge_west: String,
    pub nudge_east: String,
    pub nudge_south: String,
    pub geo_denied: String,
    pub geo_unavailable: String,
    pub coordinates: String,
    pub latitude: String,
    pub longitude: String,
    /// Where a place is required (a report): what the form's address field says, as the
    /// browser's own check before sending, while there is neither a pin nor an address.
    pub location_required: Option<String>,
}

#[island]
pub fn LocationPicker(
    base: MapBase,
    words: PickerWords,
    /// Offered on the report form only.
    nearby: Option<NearbyWords>,
    /// The coordinate fields as typed, when a refused form comes back.
    typed_lat: String,
    typed_lng: String,
    /// The server's picture of the map, shown until Leaflet has loaded.
    children: Children,
) -> impl IntoView {
    let container = NodeRef::<leptos::html::Div>::new();
    let number = |s: &str| s.trim().replace(',', ".").parse::<f64>().ok();
    let start = number(&typed_lat)
        .zip(number(&typed_lng))
        .and_then(|(lat, lng)| LatLng::new(lat, lng).ok());
    let position = RwSignal::new(start);
    let tiles_failed = RwSignal::new(false);
    let geo_failure = RwSignal::new(None::<GeoFailure>);
    let boundary = crate::model::Polygon(base.boundary.clone());
    let centre = base.centre;
    let lat_input = NodeRef::<leptos::html::Input>::new();
    let lng_input = NodeRef::<leptos::html::Input>::new();
    let label = base.words.label.clone();
    let no_tiles = base.words.no_tiles.clone();

    #[cfg(feature = "hydrate")]
    {
        browser::mount(container, base, words.pin_title.clone(), position, tiles_failed);
        browser::fill_inputs(position, lat_input, lng_input);
        if let Some(message) = words.location_required.clone() {
            browser::require_a_place(container, position, message);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = &base;

    let announcement = {
        let words = words.clone();
        move || match position.get() {
            None => words.no_pin.clone(),
            Some(p) => {
                let place = format!("{}, {}", fixed(p.lat, 5), fixed(p.lng, 5));
                let inside = boundary.0.len() < 3 || boundary.contains(p);
                let text = if inside { &words.pin_at } else { &words.pin_outside };
                text.replace("{place}", &place)
            }
        }
    };
    let nudge = move |dx: f64, dy: f64| {
        move |_| {
            let from = position.get_untracked().unwrap_or(centre);
            position.set(Some(nudged(from, dx * NUDGE_METRES, dy * NUDGE_METRES)));
        }
    };
    let use_my_location = move |_| {
        geo_failure.set(None);
        #[cfg(feature = "hydrate")]
        browser::locate_device(position, geo_failure);
    };
    // The coordinate fields are plain inputs: a visitor may type into them before the page is
    // hydrated, so they are never bound to `position` as controlled values. Typing moves the pin
    // once both fields hold numbers; moving the pin writes into the fields, unless one of them
    // has the focus.
    let typed = move |_| {
        let read = |r: NodeRef<leptos::html::Input>| {
            r.get_untracked().and_then(|i| i.value().trim().replace(',', ".").parse::<f64>().ok())
        };
        if let (Some(lat), Some(lng)) = (read(lat_input), read(lng_input)) {
            if let Ok(p) = LatLng::new(lat, lng) {
                position.set(Some(p));
            }
        }
    };
    let (denied, unavailable) = (words.geo_denied.clone(), words.geo_unavailable.clone());
    view! {
        <div class="picker">
            <div class="map-wrap">
                <div class="map map--picker" node_ref=container role="application"
                    aria-label=label aria-describedby="picker-help">
                    {children()}
                </div>
                <Show when=move || tiles_failed.get()>
                    <p class="map__notice" role="status">{no_tiles.clone()}</p>
                </Show>
            </div>
            <p id="picker-help" class="field__hint">{words.help.clone()}</p>
            <p class="picker__status" role="status" aria-live="polite" data-testid="pin-status">{announcement}</p>
            <div class="picker__tools">
                <button type="button" class="button button--secondary button--small" on:click=use_my_location>
                    {words.use_my_location.clone()}
                </button>
                <div class="nudge" role="group" aria-label=words.nudge.clone()>
                    <button type="button" class="button button--small" on:click=nudge(0.0, 1.0)
                        aria-label=words.nudge_north.clone()>"↑"</button>
                    <button type="button" class="button button--small" on:click=nudge(-1.0, 0.0)
                        aria-label=words.nudge_west.clone()>"←"</button>
                    <button type="button" class="button button--small" on:click=nudge(1.0, 0.0)
                        aria-label=words.nudge_east.clone()>"→"</button>
                    <button type="button" class="button button--small" on:click=nudge(0.0, -1.0)
                        aria-label=words.nudge_south.clone()>"↓"</button>
                </div>
            </div>
            {move || geo_failure.get().map(|f| {
                let text = match f {
                    GeoFailure::Denied => denied.clone(),
                    GeoFailure::Unavailable => unavailable.clone(),
                };
                view! { <p class="notice notice--error" role="alert">{text}</p> }
            })}
            <fieldset class="coordinates">
                <legend>{words.coordinates.clone()}</legend>
                <div class="field field--inline">
                    <label for="field-lat">{words.latitude.clone()}</label>
                    <input id="field-lat" name="lat" type="text" inputmode="decimal" autocomplete="off"
                        value=typed_lat node_ref=lat_input on:change=typed />
                </div>
                <div class="field field--inline">
                    <label for="field-lng">{words.longitude.clone()}</label>
                    <input id="field-lng" name="lng" type="text" inputmode="decimal" autocomplete="off"
                        value=typed_lng node_ref=lng_input on:change=typed />
                </div>
            </fieldset>
            {nearby.map(|words| view! { <NearbyReports position words /> })}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::super::leaflet::{base_map, latlng, marker_element, pin_icon, remove_on_cleanup};
    use super::{GeoFailure, NUDGE_METRES};
    use crate::islands::map_base::MapBase;
    use crate::model::LatLng as Point;
    use leaflet::{DragEvents, Marker, MarkerOptions};
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    /// Mounts the picker's map: a click drops the pin; the pin can be dragged or, once focused,
    /// moved with the arrow keys; it follows `position` whichever way that changes.
    pub fn mount(
        container: NodeRef<leptos::html::Div>,
        base: MapBase,
        pin_title: String,
        position: RwSignal<Option<Point>>,
        tiles_failed: RwSignal<bool>,
    ) {
        let map_slot = StoredValue::new_local(None::<leaflet::Map>);
        let marker_slot = StoredValue::new_local(None::<Marker>);
        let ready = RwSignal::new(false);

        Effect::new(move |_| {
            let Some(el) = container.get() else { return };
            if map_slot.with_value(Option::is_some) {
                return;
            }
            let base = base.clone();
            super::super::leaflet::when_ready(move || {
                let start = position.get_untracked();
                let base = match start {
                    Some(p) => base.looking_at(p, 17),
                    None => {
                        let zoom = base.zoom + 1;
                        let centre = base.centre;
                        base.looking_at(centre, zoom)
                    }
                };
                match base_map(&el, &base, tiles_failed, true) {
                    Ok(map) => {
                        map.on_mouse_click(Box::new(move |e: leaflet::MouseEvent| {
                            let at = e.lat_lng();
                            position.set(Some(Point { lat: at.lat(), lng: at.lng() }));
                        }));
                        remove_on_cleanup(&map);
                        let _ = map.get_container().class_list().add_1("map--live");
                        map_slot.set_value(Some(map));
                        ready.set(true);
                    }
                    Err(err) => leptos::logging::error!("could not create the map: {err:?}"),
                }
            });
        });

        Effect::new(move |_| {
            let target = position.get();
            if !ready.get() {
                return;
            }
            let Some(map) = map_slot.with_value(Clone::clone) else { return };
            match (target, marker_slot.with_value(Clone::clone)) {
                (None, Some(marker)) => {
                    marker.remove();
                    marker_slot.set_value(None);
                }
                (None, None) => {}
                (Some(p), Some(marker)) => {
                    marker.set_lat_lng(&latlng(p));
                    map.pan_inside(&latlng(p));
                }
                (Some(p), None) => {
                    let marker = draggable_pin(p, position, &pin_title);
                    marker.add_to(&map);
                    map.pan_inside(&latlng(p));
                    if let Some(el) = marker_element(&marker) {
                        listen_for_arrows(&el, position);
                    }
                    marker_slot.set_value(Some(marker));
                }
            }
        });
    }

    fn draggable_pin(p: Point, position: RwSignal<Option<Point>>, title: &str) -> Marker {
        let options = MarkerOptions::new();
        options.set_icon(pin_icon("new", "dots"));
        options.set_draggable(true);
        options.set_keyboard(true);
        options.set_title(title.to_owned());
        let marker = Marker::new_with_options(&latlng(p), &options);
        let dragged = marker.clone();
        marker.on_drag_end(Box::new(move |_| {
            let at = dragged.get_lat_lng();
            position.set(Some(Point { lat: at.lat(), lng: at.lng() }));
        }));
        marker
    }

    /// Arrow keys nudge a focused pin (Shift for ten times as far).
    fn listen_for_arrows(el: &web_sys::HtmlElement, position: RwSignal<Option<Point>>) {
        let on_key =
            Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |ev: web_sys::KeyboardEvent| {
                let (dx, dy) = match ev.key().as_str() {
                    "ArrowUp" => (0.0, 1.0),
                    "ArrowDown" => (0.0, -1.0),
                    "ArrowLeft" => (-1.0, 0.0),
                    "ArrowRight" => (1.0, 0.0),
                    _ => return,
                };
                ev.prevent_default();
                ev.stop_propagation();
                let step = if ev.shift_key() { 10.0 } else { 1.0 } * NUDGE_METRES;
                if let Some(p) = position.get_untracked() {
                    position.set(Some(super::nudged(p, dx * step, dy * step)));
                }
            });
        let _ = el.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
        on_key.forget();
    }

    /// Moving the pin writes into the coordinate fields, unless one of them has the focus.
    pub fn fill_inputs(
        position: RwSignal<Option<Point>>,
        lat_input: NodeRef<leptos::html::Input>,
        lng_input: NodeRef<leptos::html::Input>,
    ) {
        Effect::new(move |_| {
            let Some(p) = position.get() else { return };
            let active = document().active_element();
            for (input, value) in [(lat_input, p.lat), (lng_input, p.lng)] {
                if let Some(el) = input.get_untracked() {
                    let focused = active.as_ref().is_some_and(|a| {
                        let el: &web_sys::Element = el.as_ref();
                        a == el
                    });
                    let text = crate::model::geo::fixed(value, 6);
                    if !focused && el.value() != text {
                        el.set_value(&text);
                    }
                }
            }
        });
    }

    /// While there is neither a pin nor an address, the form's address field is invalid with
    /// `message`, so the browser's check before sending stops at it and says what to do: no
    /// round trip to the server, and the chosen photos stay chosen.
    pub fn require_a_place(
        container: NodeRef<leptos::html::Div>,
        position: RwSignal<Option<Point>>,
        message: String,
    ) {
        Effect::new(move |_| {
            let Some(el) = container.get() else { return };
            let element: &web_sys::Element = el.as_ref();
            let Some(address) = element
                .closest("form")
                .ok()
                .flatten()
                .and_then(|f| f.query_selector("input[name=address]").ok().flatten())
                .and_then(|a| a.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let check = {
                let (address, message) = (address.clone(), message.clone());
                move || {
                    let missing =
                        position.get_untracked().is_none() && address.value().trim().is_empty();
                    address.set_custom_validity(if missing { &message } else { "" });
                }
            };
            check();
            let on_input = Closure::<dyn Fn(web_sys::Event)>::new({
                let check = check.clone();
                move |_| check()
            });
            let _ = address
                .add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref());
            on_input.forget();
            Effect::new(move |_| {
                position.track();
                check();
            });
        });
    }

    /// Asks the browser for the device's position; a refusal or failure is reported, not hidden.
    pub fn locate_device(position: RwSignal<Option<Point>>, failure: RwSignal<Option<GeoFailure>>) {
        let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
            failure.set(Some(GeoFailure::Unavailable));
            return;
        };
        let found = Closure::once(move |pos: web_sys::Position| {
            let c = pos.coords();
            position.set(Some(Point { lat: c.latitude(), lng: c.longitude() }));
        });
        let failed = Closure::once(move |err: web_sys::PositionError| {
            failure.set(Some(if err.code() == 1 {
                GeoFailure::Denied
            } else {
                GeoFailure::Unavailable
            }));
        });
        let options = web_sys::PositionOptions::new();
        options.set_enable_high_accuracy(true);
        options.set_timeout(15_000);
        if geo
            .get_current_position_with_error_callback_and_options(
                found.as_ref().unchecked_ref(),
                Some(failed.as_ref().unchecked_ref()),
                &options,
            )
            .is_err()
        {
            failure.set(Some(GeoFailure::Unavailable));
        }
        found.forget();
        failed.forget();
    }
}
