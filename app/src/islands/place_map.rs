//! A map of fixed places: one report's pin on its page, or the initiatives that have a place.
//! Like the city map it starts as the server's picture (its children) and becomes Leaflet.

use super::map_base::MapBase;
use crate::model::LatLng;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One place on the map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub at: LatLng,
    pub title: String,
    /// A report's status and category icon; `None` draws an initiative's star.
    pub look: Option<(String, String)>,
    /// The place's page and the popup link's text; `None` for a pin without popup.
    pub link: Option<(String, String)>,
}

#[island]
pub fn PlaceMap(
    base: MapBase,
    places: Vec<Place>,
    /// `small` for a report page's map, `wide` for a list's.
    size: String,
    children: Children,
) -> impl IntoView {
    let container = NodeRef::<leptos::html::Div>::new();
    let tiles_failed = RwSignal::new(false);
    let label = base.words.label.clone();
    let no_tiles = base.words.no_tiles.clone();
    // A map whose pins are links is a region to explore; a single pin is a picture.
    let interactive = places.iter().any(|p| p.link.is_some());

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let Some(el) = container.get() else { return };
        let (base, places) = (base.clone(), places.clone());
        super::leaflet::when_ready(move || {
            use super::leaflet::{
                base_map, place_marker, remove_on_cleanup, translate_popup_close,
            };
            let map = match base_map(&el, &base, tiles_failed, interactive) {
                Ok(map) => map,
                Err(err) => {
                    leptos::logging::error!("could not show the map: {err:?}");
                    return;
                }
            };
            translate_popup_close(&map, base.words.close_popup.clone());
            for p in &places {
                let look = p.look.as_ref().map(|(s, i)| (s.as_str(), i.as_str()));
                let link = p.link.as_ref().map(|(h, t)| (h.as_str(), t.as_str()));
                place_marker(p.at, look, &p.title, link).add_to(&map);
            }
            let _ = map.get_container().class_list().add_1("map--live");
            remove_on_cleanup(&map);
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (base, places);

    view! {
        <div class="map-wrap">
            <div class=format!("pin-map pin-map--{size}") node_ref=container
                role=if interactive { "region" } else { "group" } aria-label=label>
                {children()}
            </div>
            <Show when=move || tiles_failed.get()>
                <p class="map__notice" role="status">{no_tiles.clone()}</p>
            </Show>
        </div>
    }
}
