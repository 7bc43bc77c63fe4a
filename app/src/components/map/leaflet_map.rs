//! The imperative Leaflet side of the map (browser only).

use super::MapView;
use crate::api::map::get_map_features;
use crate::components::status::status_label;
use crate::i18n::*;
use crate::model::{BBox, LatLng as Point, MapFeature, MapFeatures, ReportFilter, SiteContext};
use leaflet::{
    DivIconOptions, Icon, LatLng, LayerGroup, Map, MapOptions, Marker, MarkerOptions, MouseEvents,
    Polygon, PolylineOptions, TileLayer, TileLayerOptions,
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

    Effect::new(move |_| {
        let Some(el) = container.get() else { return };
        if mounted.with_value(Option::is_some) {
            return;
        }
        el.set_inner_html("");
        match create(&el, &site, view, tiles_failed) {
            Ok(m) => mounted.set_value(Some(m)),
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
            let answer = get_map_features(
                bbox.to_param(),
                Some(zoom),
                Some(filter.categories_param()).filter(|s| !s.is_empty()),
                Some(filter.statuses_param()).filter(|s| !s.is_empty()),
            )
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

fn create(
    el: &web_sys::HtmlDivElement,
    site: &SiteContext,
    view: RwSignal<Option<MapView>>,
    tiles_failed: RwSignal<bool>,
) -> Result<Mounted, JsValue> {
    let locality = &site.locality;
    let options = MapOptions::new();
    options.set_center(LatLng::new(locality.centre.lat, locality.centre.lng));
    options.set_zoom(f64::from(locality.zoom));
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

fn latlng(p: Point) -> LatLng {
    LatLng::new(p.lat, p.lng)
}

/// Status and category names come from our own closed sets; they are reduced to `[a-z0-9-]`
/// anyway before they enter markup.
fn css_token(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-').collect()
}

fn pin_icon(status: &str, icon: &str) -> Icon {
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
