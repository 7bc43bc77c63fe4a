//! The imperative Leaflet side of the map islands (browser only).
//!
//! Leaflet is a classic script loaded with `defer` on pages that show a map; an island may run
//! before it has arrived, so [`when_ready`] waits for its `load` event.

// Shared by the map bundles; each uses only some of these helpers.
#![cfg_attr(
    not(all(feature = "island-city", feature = "island-picker", feature = "island-place")),
    allow(dead_code)
)]

use super::map_base::{MapBase, PinWords};
use crate::locale::Locale;
use crate::model::budget_works::{ProjectMark, WorkStatus};
use crate::model::{LatLng as Point, MapFeature, MapFeatures};
use leaflet::{
    DivIconOptions, Icon, LatLng, LayerGroup, Map, MapOptions, Marker, MarkerOptions, MouseEvents,
    Polygon, PolylineOptions, TileLayer, TileLayerOptions,
};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// `L.divIcon`: leaflet 0.5's `DivIcon::new` binds `L.Icon` by mistake, which then demands
    /// an image URL, so the factory is bound here directly.
    #[wasm_bindgen(js_namespace = L, js_name = divIcon)]
    fn div_icon(options: &DivIconOptions) -> Icon;
}

/// Runs `f` once Leaflet's global `L` exists: at once, or when its script has loaded.
pub fn when_ready(f: impl FnOnce() + 'static) {
    let loaded = js_sys::Reflect::has(&js_sys::global(), &JsValue::from_str("L")).unwrap_or(false);
    if loaded {
        f();
        return;
    }
    let Some(script) = document().get_element_by_id(super::LEAFLET_SCRIPT_ID) else {
        leptos::logging::error!("the Leaflet script is missing from the page");
        return;
    };
    let on_load = Closure::once_into_js(f);
    let _ = script.add_event_listener_with_callback("load", on_load.unchecked_ref());
}

/// A Leaflet map on `el` at the base's view, with its tiles (a failure to load them sets
/// `tiles_failed`), its boundary and its controls in the visitor's language. With `keyboard`
/// the map is one Tab stop whose arrow keys pan and `+`/`-` zoom; its pins are never Tab stops
/// of their own (the list beside a map is the keyboard's way to its reports).
pub fn base_map(
    el: &web_sys::HtmlElement,
    base: &MapBase,
    tiles_failed: RwSignal<bool>,
    keyboard: bool,
) -> Result<Map, JsValue> {
    let options = MapOptions::new();
    options.set_center(latlng(base.centre));
    options.set_zoom(f64::from(base.zoom));
    options.set_min_zoom(10.0);
    options.set_max_zoom(19.0);
    options.set_keyboard(keyboard);
    options.set_zoom_control(false);
    // On a phone one finger scrolls the page past the map and two fingers move it, as map
    // embeds usually do; a map that took every swipe would trap the page under it.
    let touch = touch_first();
    options.set_dragging(!touch);
    let map = Map::new_with_element(el, &options)?;
    add_zoom_control(&map, &base.words.zoom_in, &base.words.zoom_out);
    if touch {
        hint_two_fingers(el, &base.words.two_fingers);
    }

    if !base.tile_url.is_empty() {
        let tile_options = TileLayerOptions::new();
        tile_options.set_attribution(base.tile_attribution.clone());
        tile_options.set_max_zoom(19.0);
        let tiles = TileLayer::new_options(&base.tile_url, &tile_options);
        // Without a network the tiles fail; say so once instead of showing broken images.
        let on_error = Closure::<dyn Fn(JsValue)>::new(move |_| tiles_failed.set(true));
        tiles.on("tileerror", on_error.as_ref().unchecked_ref());
        on_error.forget();
        tiles.add_to(&map);
        // The credits' links too: the map stays one Tab stop.
        out_of_tab_order(el, ".leaflet-control-attribution a");
    }

    if base.boundary.len() >= 3 {
        let ring: js_sys::Array =
            base.boundary.iter().map(|p| JsValue::from(LatLng::new(p.lat, p.lng))).collect();
        let line = PolylineOptions::new();
        line.set_color("#0b4f8a".into());
        line.set_weight(2.0);
        line.set_dash_array("6 4".into());
        line.set_fill(true);
        line.set_fill_opacity(0.03);
        line.set_interactive(false);
        Polygon::new_with_options(&ring, &line).add_to(&map);
    }
    Ok(map)
}

/// `L.control.zoom` with translated titles (Leaflet's own are English). Its buttons stay out of
/// the Tab order: the focused map zooms with `+` and `-`, and a map is one Tab stop.
fn add_zoom_control(map: &Map, zoom_in: &str, zoom_out: &str) {
    let mut options = leaflet::ZoomOptions::new();
    options.set_zoom_in_title(zoom_in);
    options.set_zoom_out_title(zoom_out);
    let control = leaflet::Zoom::new(&options);
    control.add_to(map);
    out_of_tab_order(&control.get_container(), "a");
}

/// Takes the links and buttons under `root` out of the Tab order; they still work with a
/// pointer and for screen readers.
fn out_of_tab_order(root: &web_sys::Element, selector: &str) {
    let Ok(found) = root.query_selector_all(selector) else { return };
    for node in (0..found.length()).filter_map(|i| found.item(i)) {
        if let Ok(el) = node.dyn_into::<web_sys::Element>() {
            let _ = el.set_attribute("tabindex", "-1");
        }
    }
}

/// Whether the device's main pointer is a finger (phones, tablets): then one finger scrolls
/// the page and the map moves with two. A laptop with a touch screen keeps mouse dragging.
fn touch_first() -> bool {
    window().match_media("(pointer: coarse)").ok().flatten().is_some_and(|m| m.matches())
}

/// A hint over the map while one finger moves on it: the page scrolls, and two fingers move
/// the map. It fades after a moment, or as soon as a second finger lands.
fn hint_two_fingers(el: &web_sys::HtmlElement, text: &str) {
    let Ok(hint) = document().create_element("p") else { return };
    hint.set_class_name("map__gesture-hint");
    hint.set_text_content(Some(text));
    let _ = hint.set_attribute("aria-hidden", "true");
    let _ = el.append_with_node_1(&hint);
    let timer = std::rc::Rc::new(std::cell::Cell::new(0));
    let show = {
        let hint = hint.clone();
        move |ev: web_sys::TouchEvent| {
            let fingers = ev.touches().length();
            // Dragging the picker's pin is a one-finger gesture that belongs to the map.
            let on_pin = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|t| t.closest(".leaflet-marker-draggable").ok().flatten())
                .is_some();
            let class_list = hint.class_list();
            if fingers > 1 {
                // Two fingers are the map's: the page must not scroll along (Leaflet reads
                // pointer events, which cannot stop the scrolling).
                ev.prevent_default();
            }
            if fingers != 1 || on_pin {
                let _ = class_list.remove_1("map__gesture-hint--shown");
                return;
            }
            // A tap (a pin, a place for the picker's pin) is no attempt to move the map.
            if ev.type_() == "touchstart" {
                return;
            }
            let _ = class_list.add_1("map__gesture-hint--shown");
            let hide = {
                let hint = hint.clone();
                Closure::once_into_js(move || {
                    let _ = hint.class_list().remove_1("map__gesture-hint--shown");
                })
            };
            window().clear_timeout_with_handle(timer.get());
            if let Ok(id) = window()
                .set_timeout_with_callback_and_timeout_and_arguments_0(hide.unchecked_ref(), 1500)
            {
                timer.set(id);
            }
        }
    };
    for event in ["touchstart", "touchmove"] {
        let handler = Closure::<dyn Fn(web_sys::TouchEvent)>::new(show.clone());
        let _ = el.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
        handler.forget();
    }
}

pub fn latlng(p: Point) -> LatLng {
    LatLng::new(p.lat, p.lng)
}

/// Status and category names come from our own closed sets; they are reduced to `[a-z0-9-]`
/// anyway before they enter markup.
fn css_token(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-').collect()
}

pub fn pin_icon(status: &str, icon: &str) -> Icon {
    let options = DivIconOptions::new();
    options.set_class_name(format!("pin pin--{}", css_token(status)));
    options.set_html(format!(
        r#"<span class="pin__dot"><img class="pin__icon" src="/icons/{}.svg" alt=""></span>"#,
        css_token(icon)
    ));
    options.set_icon_size(leaflet::Point::new(30.0, 30.0));
    options.set_icon_anchor(leaflet::Point::new(15.0, 15.0));
    div_icon(&options)
}

fn star_icon() -> Icon {
    let icon = DivIconOptions::new();
    icon.set_class_name("pin pin--initiative".to_owned());
    icon.set_html(r#"<span class="pin__dot"><span class="pin__star">★</span></span>"#.to_owned());
    icon.set_icon_size(leaflet::Point::new(30.0, 30.0));
    icon.set_icon_anchor(leaflet::Point::new(15.0, 15.0));
    div_icon(&icon)
}

/// A funded project's pin: a square in its work status's colour, with a sign that does not rely
/// on the colour (a tick when done, a play sign in progress, a dot when planned).
fn project_icon(status: WorkStatus) -> Icon {
    let sign = match status {
        WorkStatus::Done => "✓",
        WorkStatus::InProgress => "▶",
        WorkStatus::Planned => "•",
    };
    let icon = DivIconOptions::new();
    icon.set_class_name(format!("pin pin--project pin--project-{}", status.as_str()));
    icon.set_html(format!(r#"<span class="pin__square">{sign}</span>"#));
    icon.set_icon_size(leaflet::Point::new(32.0, 32.0));
    icon.set_icon_anchor(leaflet::Point::new(16.0, 16.0));
    div_icon(&icon)
}

/// A funded project on the city map, with a popup: its title, status and progress, and a link.
pub fn project_marker(mark: &ProjectMark, open: &str) -> Marker {
    let options = MarkerOptions::new();
    options.set_icon(project_icon(mark.status));
    options.set_title(format!("{} — {}", mark.title, mark.caption));
    options.set_keyboard(false);
    // Above the report pins: a visitor switched the layer on to see these.
    options.set_z_index_offset(1000.0);
    let marker = Marker::new_with_options(&latlng(mark.at), &options);
    if let Some(content) = popup(&mark.title, Some(&mark.caption), &mark.href, open) {
        marker.bind_popup_with_options(&content, &JsValue::UNDEFINED);
    }
    marker
}

fn cluster_icon(count: i64, written: &str) -> Icon {
    let options = DivIconOptions::new();
    let size = if count >= 1000 {
        52.0
    } else if count >= 100 {
        44.0
    } else {
        36.0
    };
    options.set_class_name("cluster".to_owned());
    options.set_html(format!("<span>{}</span>", css_token_digits(written)));
    options.set_icon_size(leaflet::Point::new(size, size));
    div_icon(&options)
}

/// A formatted number keeps only digits and the separators our locales write.
fn css_token_digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '\u{a0}')).collect()
}

/// Replaces the pins on `layer` with `features`: report pins with popups, and clusters that
/// zoom in when chosen.
pub fn draw_features(
    map: &Map,
    layer: &LayerGroup,
    features: &MapFeatures,
    words: &PinWords,
    locale: Locale,
) {
    layer.clear_layers();
    for feature in &features.features {
        match feature {
            MapFeature::Pin { id, at, status, category, title } => {
                let options = MarkerOptions::new();
                options.set_icon(pin_icon(status.as_str(), words.icon(category)));
                let status_name = words.status(*status);
                options.set_title(format!("{title} — {status_name}"));
                options.set_keyboard(false);
                let marker = Marker::new_with_options(&latlng(*at), &options);
                let href = crate::paths::site_page(
                    words.site.as_deref(),
                    locale,
                    &format!("/reports/{id}"),
                );
                if let Some(popup) = popup(title, Some(status_name), &href, &words.open_report) {
                    marker.bind_popup_with_options(&popup, &JsValue::UNDEFINED);
                }
                layer.add_layer(&marker);
            }
            MapFeature::Cluster { at, count } => {
                let options = MarkerOptions::new();
                let written = crate::format::integer(*count, locale);
                options.set_icon(cluster_icon(*count, &written));
                options.set_title(words.cluster.format_with(locale, *count, &written));
                options.set_keyboard(false);
                let marker = Marker::new_with_options(&latlng(*at), &options);
                let map = map.clone();
                let target = latlng(*at);
                marker.on_click(Box::new(move |_| {
                    map.set_view(&target, map.get_zoom() + 2.0);
                }));
                layer.add_layer(&marker);
            }
        }
    }
}

/// A fixed pin: a report's own (its status and category icon) or an initiative's star, with a
/// popup linking to its page when it has one.
pub fn place_marker(
    at: Point,
    look: Option<(&str, &str)>,
    title: &str,
    link: Option<(&str, &str)>,
) -> Marker {
    let options = MarkerOptions::new();
    options.set_icon(match look {
        Some((status, icon)) => pin_icon(status, icon),
        None => star_icon(),
    });
    options.set_title(title.to_owned());
    options.set_keyboard(false);
    let marker = Marker::new_with_options(&latlng(at), &options);
    if let Some((href, text)) = link {
        if let Some(content) = popup(title, None, href, text) {
            marker.bind_popup_with_options(&content, &JsValue::UNDEFINED);
        }
    }
    marker
}

/// The popup is built as DOM nodes with text content: a report's title is citizen text and
/// never becomes markup.
fn popup(title: &str, status: Option<&str>, href: &str, link_text: &str) -> Option<JsValue> {
    let doc = document();
    let root = doc.create_element("div").ok()?;
    root.set_class_name("popup");
    let heading = doc.create_element("strong").ok()?;
    heading.set_text_content(Some(title));
    root.append_child(&heading).ok()?;
    if let Some(status) = status {
        let badge = doc.create_element("span").ok()?;
        badge.set_text_content(Some(status));
        badge.set_class_name("popup__status");
        root.append_child(&badge).ok()?;
    }
    let link = doc.create_element("a").ok()?;
    link.set_attribute("href", href).ok()?;
    link.set_text_content(Some(link_text));
    root.append_child(&link).ok()?;
    Some(root.into())
}

/// Gives popups' close buttons a translated name whenever one opens (Leaflet writes "Close
/// popup" in English).
pub fn translate_popup_close(map: &Map, close: String) {
    let on_open = Closure::<dyn Fn(JsValue)>::new(move |ev: JsValue| {
        let popup = js_sys::Reflect::get(&ev, &"popup".into()).ok();
        let element = popup
            .and_then(|p| js_sys::Reflect::get(&p, &"_container".into()).ok())
            .and_then(|c| c.dyn_into::<web_sys::Element>().ok());
        if let Some(button) =
            element.and_then(|el| el.query_selector(".leaflet-popup-close-button").ok().flatten())
        {
            let _ = button.set_attribute("aria-label", &close);
            let _ = button.set_attribute("title", &close);
        }
    });
    map.on("popupopen", on_open.as_ref().unchecked_ref());
    on_open.forget();
}

/// `marker.getElement()`, which the `leaflet` crate does not bind.
pub fn marker_element(marker: &Marker) -> Option<web_sys::HtmlElement> {
    let get = js_sys::Reflect::get(marker, &JsValue::from_str("getElement")).ok()?;
    let get = get.dyn_into::<js_sys::Function>().ok()?;
    get.call0(marker).ok()?.dyn_into::<web_sys::HtmlElement>().ok()
}

/// The map's visible box and zoom.
pub fn view_of(map: &Map) -> Option<(crate::model::BBox, u8)> {
    let b = map.get_bounds();
    let (sw, ne) = (b.get_south_west(), b.get_north_east());
    let bbox = crate::model::BBox::new(sw.lng(), sw.lat(), ne.lng(), ne.lat()).ok()?;
    Some((bbox, map.get_zoom().round() as u8))
}

/// Removes the map when the island's owner goes away.
pub fn remove_on_cleanup(map: &Map) {
    let slot = StoredValue::new_local(Some(map.clone()));
    on_cleanup(move || {
        if let Some(Some(map)) = slot.try_update_value(Option::take) {
            map.remove();
        }
    });
}
