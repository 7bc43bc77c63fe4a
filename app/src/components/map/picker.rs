//! Choosing where a problem is: tap or click drops the pin, which can be dragged, nudged with
//! buttons or the arrow keys, or set from the device's location; the coordinates are also
//! plain form fields, so the form works without WASM and for people who cannot use a map.

use crate::i18n::*;
use crate::model::{LatLng, SiteContext};
use leptos::prelude::*;

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
pub enum GeoFailure {
    Denied,
    Unavailable,
}

#[component]
pub fn LocationPicker(site: SiteContext, position: RwSignal<Option<LatLng>>) -> impl IntoView {
    let i18n = use_i18n();
    let container = NodeRef::<leptos::html::Div>::new();
    let tiles_failed = RwSignal::new(false);
    let geo_failure = RwSignal::new(None::<GeoFailure>);
    let boundary = site.locality.boundary.clone();
    let centre = site.locality.centre;

    #[cfg(feature = "hydrate")]
    super::leaflet_map::mount_picker(container, site.clone(), position, tiles_failed);
    #[cfg(not(feature = "hydrate"))]
    let _ = (&site, tiles_failed);

    let inside = {
        let boundary = boundary.clone();
        move || position.get().map(|p| boundary.0.len() < 3 || boundary.contains(p))
    };
    let announcement = move || {
        let l = i18n.get_locale();
        match position.get() {
            None => td_string!(l, newreport.no_pin).to_string(),
            Some(p) => {
                let place = format!("{:.5}, {:.5}", p.lat, p.lng);
                if inside().unwrap_or(true) {
                    td_string!(l, newreport.pin_at, place = place).to_string()
                } else {
                    td_string!(l, newreport.pin_outside, place = place).to_string()
                }
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
        super::leaflet_map::locate_device(position, geo_failure);
    };
    // The coordinate fields are plain inputs: a visitor may type into them before the page is
    // hydrated, so they are never bound to `position` as controlled values. Typing moves the pin
    // once both fields hold numbers; moving the pin writes into the fields, unless one of them
    // has the focus.
    let lat_input = NodeRef::<leptos::html::Input>::new();
    let lng_input = NodeRef::<leptos::html::Input>::new();
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
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let Some(p) = position.get() else { return };
        let active = leptos::prelude::document().active_element();
        for (input, value) in [(lat_input, p.lat), (lng_input, p.lng)] {
            if let Some(el) = input.get_untracked() {
                let focused = active.as_ref().is_some_and(|a| {
                    let el: &web_sys::Element = el.as_ref();
                    a == el
                });
                let text = format!("{value:.6}");
                if !focused && el.value() != text {
                    el.set_value(&text);
                }
            }
        }
    });
    view! {
        <div class="picker">
            <div class="map-wrap">
                <div class="map map--picker" node_ref=container role="application"
                    aria-label=move || t_string!(i18n, newreport.map_label) aria-describedby="picker-help">
                    <p class="map__placeholder">{t!(i18n, newreport.map_needs_script)}</p>
                </div>
                <Show when=move || tiles_failed.get()>
                    <p class="map__notice" role="status">{t!(i18n, map.no_tiles)}</p>
                </Show>
            </div>
            <p id="picker-help" class="field__hint">{t!(i18n, newreport.map_help)}</p>
            <p class="picker__status" role="status" aria-live="polite" data-testid="pin-status">{announcement}</p>
            <div class="picker__tools">
                <button type="button" class="button button--secondary button--small" on:click=use_my_location>
                    {t!(i18n, newreport.use_my_location)}
                </button>
                <div class="nudge" role="group" aria-label=move || t_string!(i18n, newreport.nudge)>
                    <button type="button" class="button button--small" on:click=nudge(0.0, 1.0)
                        aria-label=move || t_string!(i18n, newreport.nudge_north)>"↑"</button>
                    <button type="button" class="button button--small" on:click=nudge(-1.0, 0.0)
                        aria-label=move || t_string!(i18n, newreport.nudge_west)>"←"</button>
                    <button type="button" class="button button--small" on:click=nudge(1.0, 0.0)
                        aria-label=move || t_string!(i18n, newreport.nudge_east)>"→"</button>
                    <button type="button" class="button button--small" on:click=nudge(0.0, -1.0)
                        aria-label=move || t_string!(i18n, newreport.nudge_south)>"↓"</button>
                </div>
            </div>
            {move || geo_failure.get().map(|f| {
                let l = i18n.get_locale();
                let text = match f {
                    GeoFailure::Denied => td_string!(l, newreport.geo_denied),
                    GeoFailure::Unavailable => td_string!(l, newreport.geo_unavailable),
                };
                view! { <p class="notice notice--error" role="alert">{text}</p> }
            })}
            <fieldset class="coordinates">
                <legend>{t!(i18n, newreport.coordinates)}</legend>
                <div class="field field--inline">
                    <label for="field-lat">{t!(i18n, newreport.latitude)}</label>
                    <input id="field-lat" name="lat" type="text" inputmode="decimal" autocomplete="off"
                        node_ref=lat_input on:change=typed />
                </div>
                <div class="field field--inline">
                    <label for="field-lng">{t!(i18n, newreport.longitude)}</label>
                    <input id="field-lng" name="lng" type="text" inputmode="decimal" autocomplete="off"
                        node_ref=lng_input on:change=typed />
                </div>
            </fieldset>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nudge_moves_about_the_asked_distance() {
        let p = LatLng { lat: 47.7617, lng: 27.9291 };
        let north = nudged(p, 0.0, 5.0);
        assert!((p.distance_m(north) - 5.0).abs() < 0.05);
        let east = nudged(p, 5.0, 0.0);
        assert!((p.distance_m(east) - 5.0).abs() < 0.05);
    }
}
