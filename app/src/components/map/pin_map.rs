//! A small map with one report's pin (report pages).

use crate::i18n::*;
use crate::model::{LatLng, ReportStatus};
use leptos::prelude::*;

#[component]
pub fn PinMap(at: LatLng, status: ReportStatus, icon: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let container = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    {
        let site = expect_context::<crate::app::SiteResource>();
        let tiles_failed = RwSignal::new(false);
        let slot = super::leaflet_map::MapSlot::new();
        Effect::new(move |_| {
            let (Some(el), Some(Ok(ctx))) = (container.get(), site.get()) else { return };
            if slot.is_mounted() {
                return;
            }
            el.set_inner_html("");
            let shown =
                super::leaflet_map::base_map(&el, &ctx, at, 16.0, tiles_failed).map(|map| {
                    let options = leaflet::MarkerOptions::new();
                    options.set_icon(super::leaflet_map::pin_icon(
                        status.as_str(),
                        &icon.get_untracked(),
                    ));
                    options.set_keyboard(false);
                    leaflet::Marker::new_with_options(&super::leaflet_map::latlng(at), &options)
                        .add_to(&map);
                    slot.hold(map);
                });
            if let Err(err) = shown {
                leptos::logging::error!("could not show the map: {err:?}");
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (status, icon);
    let coordinates = format!("{:.5}, {:.5}", at.lat, at.lng);
    view! {
        <div class="pin-map-wrap">
            <div class="pin-map" node_ref=container role="img" aria-label=move || t_string!(i18n, report.map_label)>
                <p class="map__placeholder">{coordinates.clone()}</p>
            </div>
            <p class="muted">
                <a href=format!("https://www.openstreetmap.org/?mlat={}&mlon={}#map=18/{}/{}", at.lat, at.lng, at.lat, at.lng)>
                    {t!(i18n, report.open_in_osm)}
                </a>
            </p>
        </div>
    }
}

/// A map of several places (initiatives), each a pin linking to its page.
#[component]
pub fn PointsMap(points: Vec<(i64, LatLng, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let container = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    {
        let site = expect_context::<crate::app::SiteResource>();
        let tiles_failed = RwSignal::new(false);
        let slot = super::leaflet_map::MapSlot::new();
        let points = points.clone();
        Effect::new(move |_| {
            let (Some(el), Some(Ok(ctx))) = (container.get(), site.get()) else { return };
            if slot.is_mounted() {
                return;
            }
            el.set_inner_html("");
            let locale = i18n.get_locale_untracked();
            let centre = ctx.locality.centre;
            match super::leaflet_map::base_map(
                &el,
                &ctx,
                centre,
                f64::from(ctx.locality.zoom),
                tiles_failed,
            ) {
                Ok(map) => {
                    for (id, at, title) in &points {
                        super::leaflet_map::link_pin(
                            &map,
                            *at,
                            title,
                            &format!("/{locale}/initiatives/{id}"),
                        );
                    }
                    slot.hold(map);
                }
                Err(err) => leptos::logging::error!("could not show the map: {err:?}"),
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = &points;
    view! {
        <div class="pin-map points-map" node_ref=container role="region" aria-label=move || t_string!(i18n, initiatives.on_map)>
            <p class="map__placeholder">{t!(i18n, map.loading)}</p>
        </div>
    }
}
