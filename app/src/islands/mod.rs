//! The interactive parts of pages, hydrated in the browser (Leptos islands). Everything else on
//! a page is HTML from the server and costs the browser no code.
//!
//! An island's props are serialised into the page, so every word it shows comes from the
//! server already translated ([`words`], [`map_base`]); its children are server-rendered HTML.
//! A page with no island loads no WASM at all; a page with islands loads the one bundle that
//! holds them (`assets::Bundle`): the browser build compiles an island only when its
//! `island-*` feature is on, the server always has them all.

/// The id of the `<script>` that loads Leaflet, which map islands wait for.
pub const LEAFLET_SCRIPT_ID: &str = "leaflet-js";

#[cfg(any(feature = "ssr", feature = "island-poll"))]
pub mod choice_limit;
#[cfg(any(feature = "ssr", feature = "island-city"))]
pub mod city_map;
#[cfg(all(
    feature = "hydrate",
    any(feature = "island-city", feature = "island-picker", feature = "island-place")
))]
mod leaflet;
#[cfg(any(feature = "ssr", feature = "island-place"))]
pub mod live_count;
#[cfg(any(feature = "ssr", feature = "island-poll"))]
pub mod live_results;
#[cfg(any(feature = "ssr", feature = "island-picker"))]
pub mod location_picker;
pub mod map_base;
#[cfg(any(feature = "ssr", feature = "island-picker"))]
pub mod nearby_reports;
#[cfg(any(feature = "ssr", feature = "island-place"))]
pub mod place_map;
#[cfg(any(feature = "ssr", feature = "island-place"))]
pub mod replace_on_submit;
pub mod words;

#[cfg(any(feature = "ssr", feature = "island-poll"))]
pub use choice_limit::{ChoiceLimit, ChoiceWords};
#[cfg(any(feature = "ssr", feature = "island-city"))]
pub use city_map::CityMap;
#[cfg(any(feature = "ssr", feature = "island-place"))]
pub use live_count::LiveCount;
#[cfg(any(feature = "ssr", feature = "island-poll"))]
pub use live_results::{LiveResults, ResultsWords};
#[cfg(any(feature = "ssr", feature = "island-picker"))]
pub use location_picker::{LocationPicker, PickerWords};
pub use map_base::{MapBase, MapWords, PinWords};
#[cfg(any(feature = "ssr", feature = "island-picker"))]
pub use nearby_reports::NearbyWords;
#[cfg(any(feature = "ssr", feature = "island-place"))]
pub use place_map::{Place, PlaceMap};
#[cfg(any(feature = "ssr", feature = "island-place"))]
pub use replace_on_submit::ReplaceOnSubmit;
pub use words::Plural;
