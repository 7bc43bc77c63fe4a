//! The imperative Leaflet side of the map (browser only).

use super::MapView;
use crate::api::map::get_map_features;
use crate::components::status::status_label;
use crate::i18n::*;
use crate::model::{BBox, LatLng as Point, MapFeature, MapFeatures, ReportFilter, SiteContext};
use leaflet::{
    DivIconOptions, DragEvents, Icon, LatLng, LayerGroup, Map, MapOptions, Marker, MarkerOptions,
    MouseEvents, Polygon, PolylineOptions, TileLayer, TileLayerOptions,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// `L.divIcon`: leaflet 0.5's `DivIcon::new` binds `L.Icon` by mistake, which then demands
    /// an image URL, so the factory is bound here directly.
    #[wasm_bindgen(js_namespace = L, js_name = divIcon)]
    fn div_icon(options: &DivIconOptions) -> Icon;
}

/// Owns a Leaflet map for the lifetime of the component that made it: when the component goes
/// away (navigation, or a re-render that keeps the same container element), the map is
/// removed, so the container can be mounted again.
#[derive(Clone, Copy)]
pub struct MapSlot(StoredValue<Option<Map>, LocalStorage>);

impl MapSlot {
    pub fn new() -> Self {
        let slot = StoredValue::new_local(None::<Map>);
        on_cleanup(move || {
            if let Some(Some(map)) = slot.try_update_value(Option::take) {
                map.remove();
            }
        });
        Self(slot)
    }

    pub fn is_mounted(&self) -> bool {
        self.0.with_value(Option::is_some)
    }

    pub fn hold(&self, map: Map) {
        self.0.set_value(Some(map));
    }

    pub fn get(&self) -> Option<Map> {
        self.0.with_value(Clone::clone)
    }
}

/// The Leaflet objects a mounted map keeps.
struct Mounted {
    map: Map,
    pins: LayerGroup,
    /// Category slug → icon file stem.
    icons: Vec<(String, String)>,
}

/// Mounts Leaflet on `container` once it exists, then keeps the pins in step with the view and
/// the filters.
pub fn mount(
    container: NodeRef<leptos::html::Div>,
    site: SiteContext,
    filter: Signal<ReportFilter>,
    view: RwSignal<Option<MapView>>,
    tiles_failed: RwSignal<bool>,
) {
    let i18n = use_i18n();
    let mounted = StoredValue::new_local(None::<Mounted>);
    let slot = MapSlot::new();

    Effect::new(move |_| {
        let Some(el) = container.get() else { return };
        if mounted.with_value(Option::is_some) {
            return;
        }
        el.set_inner_html("");
        match create(&el, &site, view, tiles_failed) {
            Ok(m) => {
                slot.hold(m.map.clone());
                mounted.set_value(Some(m));
            }
            Err(err) => leptos::logging::error!("could not create the map: {err:?}"),
        }
    });

    // Fetch and draw whenever the view or the filters change; a stale answer is dropped.
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let Some(MapView { bbox, zoom }) = view.get() else { return };
        let filter = filter.get();
        let locale = i18n.get_locale();
        let this = generation.get_value() + 1;
        generation.set_value(this);
        spawn_local(async move {
            let (category, status, since, until, q) =
                crate::components::filters::filter_args(&filter);
            let answer =
                get_map_features(bbox.to_param(), Some(zoom), category, status, since, until, q)
                    .await;
            if generation.get_value() != this {
                return;
            }
            match answer {
                Ok(features) => mounted.with_value(|m| {
                    if let Some(m) = m {
                        draw(m, &features, locale);
                    }
                }),
                Err(err) => leptos::logging::warn!("map features: {err}"),
            }
        });
    });
}

/// A Leaflet map on `el` centred on `centre`, with the configured tiles (a failure to load them
/// sets `tiles_failed`) and the locality's boundary.
pub fn base_map(
    el: &web_sys::HtmlElement,
    site: &SiteContext,
    centre: Point,
    zoom: f64,
    tiles_failed: RwSignal<bool>,
) -> Result<Map, JsValue> {
    let locality = &site.locality;
    let options = MapOptions::new();
    options.set_center(latlng(centre));
    options.set_zoom(zoom);
    options.set_min_zoom(10.0);
    options.set_max_zoom(19.0);
    options.set_keyboard(true);
    let map = Map::new_with_element(el, &options)?;

    if !site.settings.tile_url.is_empty() {
        let tile_options = TileLayerOptions::new();
        tile_options.set_attribution(site.settings.tile_attribution.clone());
        tile_options.set_max_zoom(19.0);
        let tiles = TileLayer::new_options(&site.settings.tile_url, &tile_options);
        // Without a network the tiles fail; say so once instead of showing broken images.
        let on_error = Closure::<dyn Fn(JsValue)>::new(move |_| tiles_failed.set(true));
        tiles.on("tileerror", on_error.as_ref().unchecked_ref());
        on_error.forget();
        tiles.add_to(&map);
    }

    if locality.boundary.0.len() >= 3 {
        let ring: js_sys::Array =
            locality.boundary.0.iter().map(|p| JsValue::from(LatLng::new(p.lat, p.lng))).collect();
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

fn create(
    el: &web_sys::HtmlDivElement,
    site: &SiteContext,
    view: RwSignal<Option<MapView>>,
    tiles_failed: RwSignal<bool>,
) -> Result<Mounted, JsValue> {
    let locality = &site.locality;
    let map = base_map(el, site, locality.centre, f64::from(locality.zoom), tiles_failed)?;
    let pins = LayerGroup::new();
    pins.add_to(&map);

    let report_view = {
        let map = map.clone();
        move || {
            let b = map.get_bounds();
            let (sw, ne) = (b.get_south_west(), b.get_north_east());
            let bbox = BBox::new(sw.lng(), sw.lat(), ne.lng(), ne.lat());
            if let Ok(bbox) = bbox {
                view.set(Some(MapView { bbox, zoom: map.get_zoom().round() as u8 }));
            }
        }
    };
    report_view();
    map.on_move_end(Box::new(move |_| report_view()));

    let icons = locality.categories.iter().map(|c| (c.slug.clone(), c.icon.clone())).collect();
    Ok(Mounted { map, pins, icons })
}

fn draw(m: &Mounted, features: &MapFeatures, locale: Locale) {
    m.pins.clear_layers();
    for feature in &features.features {
        match feature {
            MapFeature::Pin { id, at, status, category, title } => {
                let options = MarkerOptions::new();
                let icon = m
                    .icons
                    .iter()
                    .find(|(slug, _)| slug == category)
                    .map_or("dots", |(_, icon)| icon.as_str());
                options.set_icon(pin_icon(status.as_str(), icon));
                options.set_title(format!("{title} — {}", status_label(locale, *status)));
                options.set_keyboard(true);
                let marker = Marker::new_with_options(&latlng(*at), &options);
                if let Some(popup) = popup(*id, title, status_label(locale, *status), locale) {
                    marker.bind_popup_with_options(&popup, &JsValue::UNDEFINED);
                }
                m.pins.add_layer(&marker);
            }
            MapFeature::Cluster { at, count } => {
                let options = MarkerOptions::new();
                options.set_icon(cluster_icon(*count));
                let count_text = crate::format::integer(*count, locale);
                options.set_title(td_string!(locale, map.cluster, count = count_text).to_string());
                options.set_keyboard(true);
                let marker = Marker::new_with_options(&latlng(*at), &options);
                let map = m.map.clone();
                let target = latlng(*at);
                marker.on_click(Box::new(move |_| {
                    map.set_view(&target, map.get_zoom() + 2.0);
                }));
                m.pins.add_layer(&marker);
            }
        }
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

fn cluster_icon(count: i64) -> Icon {
    let options = DivIconOptions::new();
    let size = if count >= 1000 {
        52.0
    } else if count >= 100 {
        44.0
    } else {
        36.0
    };
    options.set_class_name("cluster".to_owned());
    options.set_html(format!("<span>{count}</span>"));
    options.set_icon_size(leaflet::Point::new(size, size));
    div_icon(&options)
}

/// The popup is built as DOM nodes with text content: a report's title is citizen text and
/// never becomes markup.
fn popup(id: i64, title: &str, status: &str, locale: Locale) -> Option<JsValue> {
    let doc = web_sys::window()?.document()?;
    let root = doc.create_element("div").ok()?;
    root.set_class_name("popup");
    let heading = doc.create_element("strong").ok()?;
    heading.set_text_content(Some(title));
    let badge = doc.create_element("span").ok()?;
    badge.set_text_content(Some(status));
    badge.set_class_name("popup__status");
    let link = doc.create_element("a").ok()?;
    link.set_attribute("href", &format!("/{}/reports/{id}", locale)).ok()?;
    link.set_text_content(Some(td_string!(locale, map.open_report)));
    for child in [&heading, &badge, &link] {
        root.append_child(child).ok()?;
    }
    Some(root.into())
}

/// `marker.getElement()`, which the `leaflet` crate does not bind.
fn marker_element(marker: &Marker) -> Option<web_sys::HtmlElement> {
    let get = js_sys::Reflect::get(marker, &JsValue::from_str("getElement")).ok()?;
    let get = get.dyn_into::<js_sys::Function>().ok()?;
    get.call0(marker).ok()?.dyn_into::<web_sys::HtmlElement>().ok()
}

/// Mounts the location picker's map: a click drops the pin; the pin can be dragged or, once
/// focused, moved with the arrow keys; it follows `position` whichever way that changes.
pub fn mount_picker(
    container: NodeRef<leptos::html::Div>,
    site: SiteContext,
    position: RwSignal<Option<Point>>,
    tiles_failed: RwSignal<bool>,
) {
    let i18n = use_i18n();
    let map_slot = MapSlot::new();
    let marker_slot = StoredValue::new_local(None::<Marker>);
    let ready = RwSignal::new(false);

    Effect::new(move |_| {
        let Some(el) = container.get() else { return };
        if map_slot.is_mounted() {
            return;
        }
        el.set_inner_html("");
        let start = position.get_untracked();
        let zoom = if start.is_some() { 17.0 } else { f64::from(site.locality.zoom) + 1.0 };
        match base_map(&el, &site, start.unwrap_or(site.locality.centre), zoom, tiles_failed) {
            Ok(map) => {
                map.on_mouse_click(Box::new(move |e: leaflet::MouseEvent| {
                    let at = e.lat_lng();
                    position.set(Some(Point { lat: at.lat(), lng: at.lng() }));
                }));
                map_slot.hold(map);
                ready.set(true);
            }
            Err(err) => leptos::logging::error!("could not create the map: {err:?}"),
        }
    });

    Effect::new(move |_| {
        let target = position.get();
        if !ready.get() {
            return;
        }
        let Some(map) = map_slot.get() else { return };
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
                let marker = new_draggable_pin(p, position, i18n.get_locale_untracked());
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

fn new_draggable_pin(p: Point, position: RwSignal<Option<Point>>, locale: Locale) -> Marker {
    let options = MarkerOptions::new();
    options.set_icon(pin_icon("new", "dots"));
    options.set_draggable(true);
    options.set_keyboard(true);
    options.set_title(td_string!(locale, newreport.pin_title).to_owned());
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
            let step = if ev.shift_key() { 10.0 } else { 1.0 } * super::picker::NUDGE_METRES;
            if let Some(p) = position.get_untracked() {
                position.set(Some(super::nudged(p, dx * step, dy * step)));
            }
        });
    let _ = el.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
    on_key.forget();
}

/// Asks the browser for the device's position; a refusal or failure is reported, not hidden.
pub fn locate_device(
    position: RwSignal<Option<Point>>,
    failure: RwSignal<Option<super::picker::GeoFailure>>,
) {
    use super::picker::GeoFailure;
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

/// A star pin at `at` whose popup links to `href` (text content only: titles are citizens' text).
pub fn link_pin(map: &Map, at: Point, title: &str, href: &str) {
    let options = MarkerOptions::new();
    let icon = DivIconOptions::new();
    icon.set_class_name("pin pin--initiative".to_owned());
    icon.set_html(r#"<span class="pin__dot"><span class="pin__star">★</span></span>"#.to_owned());
    icon.set_icon_size(leaflet::Point::new(30.0, 30.0));
    icon.set_icon_anchor(leaflet::Point::new(15.0, 15.0));
    options.set_icon(div_icon(&icon));
    options.set_title(title.to_owned());
    options.set_keyboard(true);
    let marker = Marker::new_with_options(&latlng(at), &options);
    if let Some(content) = web_sys::window().and_then(|w| w.document()).and_then(|doc| {
        let link = doc.create_element("a").ok()?;
        link.set_attribute("href", href).ok()?;
        link.set_text_content(Some(title));
        Some(link)
    }) {
        marker.bind_popup_with_options(&content.into(), &JsValue::UNDEFINED);
    }
    marker.add_to(map);
}
