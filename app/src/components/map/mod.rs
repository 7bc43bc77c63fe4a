//! The city map. The server renders an empty, labelled region; the browser mounts Leaflet on it
//! after hydration. The list of reports beside it is the accessible alternative.

#[cfg(feature = "hydrate")]
mod leaflet_map;
mod picker;
mod pin_map;

pub use picker::{nudged, LocationPicker};
pub use pin_map::{PinMap, PointsMap};

use crate::i18n::*;
use crate::model::{BBox, ReportFilter, SiteContext};
use leptos::prelude::*;

/// The part of the city the map shows, as the map reports it after each move.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapView {
    pub bbox: BBox,
    pub zoom: u8,
}

#[component]
pub fn CityMap(
    site: SiteContext,
    /// The filters the pins obey.
    filter: Signal<ReportFilter>,
    /// Set by the map whenever the visible area settles.
    view: RwSignal<Option<MapView>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let container = NodeRef::<leptos::html::Div>::new();
    let tiles_failed = RwSignal::new(false);

    #[cfg(feature = "hydrate")]
    leaflet_map::mount(container, site, filter, view, tiles_failed);
    #[cfg(not(feature = "hydrate"))]
    let _ = (site, filter, view);

    view! {
        <div class="map-wrap">
            <div
                class="map"
                node_ref=container
                role="region"
                aria-label=move || t_string!(i18n, map.region_label)
                data-testid="city-map"
            >
                <p class="map__placeholder">{t!(i18n, map.loading)}</p>
            </div>
            <Show when=move || tiles_failed.get()>
                <p class="map__notice" role="status">{t!(i18n, map.no_tiles)}</p>
            </Show>
        </div>
    }
}
