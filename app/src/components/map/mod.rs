//! Maps, as the server puts them on a page: a picture of the first view ([`StaticMap`]) inside
//! the island that turns it into a Leaflet map once the browser has the code. A page that
//! shows one names `app::MapScripts` at its top level.

pub mod static_map;

pub use static_map::{Mark, StaticMap};

use crate::i18n::*;
use crate::islands::{
    LocationPicker, MapBase, MapWords, NearbyWords, PickerWords, Place, PlaceMap,
};
use crate::locale::Locale;
use crate::model::{LatLng, ReportStatus, SiteContext};
use leptos::prelude::*;

/// What a map shows where no script runs: its picture, a note that the map needs JavaScript,
/// and a link to where the same things are listed.
#[component]
pub fn NoScriptNote(
    text: &'static str,
    /// The list's address and the link's words.
    #[prop(optional)]
    link: Option<(String, &'static str)>,
) -> impl IntoView {
    view! {
        <noscript>
            <p class="map__noscript">
                {text}
                {link.map(|(href, words)| view! { " " <a href=href>{words}</a> })}
            </p>
        </noscript>
    }
}

/// A report's or an initiative's place, on its page: one pin, no popup.
#[component]
pub fn PlaceOnMap(
    site: SiteContext,
    at: LatLng,
    /// A report's status and category icon; `None` for an initiative's star.
    look: Option<(ReportStatus, String)>,
    title: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let base = MapBase::for_site(&site, locale)
        .looking_at(at, 16)
        .labelled(td_string!(locale, report.map_label));
    let mark = match &look {
        Some((status, _)) => Mark::Pin { at, status: *status },
        None => Mark::Star { at },
    };
    let place = Place {
        at,
        title,
        look: look.map(|(status, icon)| (status.as_str().to_owned(), icon)),
        link: None,
    };
    view! {
        <div class="pin-map-wrap">
            <PlaceMap base=base.clone() places=vec![place] size="small".to_owned()>
                <StaticMap base marks=vec![mark] />
                <NoScriptNote text=td_string!(locale, ux.place_needs_script) />
            </PlaceMap>
            <p class="muted">
                <a href=format!("https://www.openstreetmap.org/?mlat={}&mlon={}#map=18/{}/{}", at.lat, at.lng, at.lat, at.lng)>
                    {t!(i18n, report.open_in_osm)}
                </a>
            </p>
        </div>
    }
}

/// Several places, each a star linking to its page (the initiatives list, the funded
/// civic-budget projects): `places` holds each page's address, its place and its title.
#[component]
pub fn PlacesOnMap(
    site: SiteContext,
    places: Vec<(String, LatLng, String)>,
    label: &'static str,
    /// The popup link's text.
    open: &'static str,
) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let base = MapBase::for_site(&site, locale).labelled(label);
    let marks = places.iter().map(|(_, at, _)| Mark::Star { at: *at }).collect();
    let places = places
        .into_iter()
        .map(|(page, at, title)| Place {
            at,
            title,
            look: None,
            link: Some((page, open.to_owned())),
        })
        .collect();
    view! {
        <PlaceMap base=base.clone() places size="wide".to_owned()>
            <StaticMap base marks />
            <NoScriptNote text=td_string!(locale, ux.places_needs_script) />
        </PlaceMap>
    }
}

/// The location picker of the report and initiative forms.
#[component]
pub fn PickLocation(
    site: SiteContext,
    /// "Is this the same problem?" (report form only): whether the visitor is signed in.
    #[prop(optional)]
    nearby_for: Option<bool>,
    /// The coordinates as typed, when the form comes back after a refusal.
    #[prop(optional)]
    typed: (String, String),
    /// What the pin marks, when it is not a problem's place (the finder: where you are).
    #[prop(optional)]
    pin_title: Option<&'static str>,
) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let base = MapBase::for_site(&site, locale);
    let base =
        MapBase { words: MapWords::new(locale, td_string!(locale, newreport.map_label)), ..base };
    let nearby = nearby_for.map(|signed_in| NearbyWords {
        lang: locale.to_string(),
        locality: site.locality.slug.clone(),
        signed_in,
        heading: td_string!(locale, newreport.same_problem).to_owned(),
        hint: td_string!(locale, newreport.same_problem_hint).to_owned(),
        support: td_string!(locale, report.support_button).to_owned(),
        supported: td_string!(locale, report.supported).to_owned(),
        statuses: ReportStatus::ALL
            .into_iter()
            .map(|s| (s, crate::components::status::status_label(locale, s).to_owned()))
            .collect(),
    });
    let picture = base.clone().looking_at(base.centre, base.zoom + 1);
    // The report form needs a place (a pin or an address); an initiative's is optional.
    let words = PickerWords {
        location_required: nearby
            .is_some()
            .then(|| td_string!(locale, ux.location_required).to_owned()),
        pin_title: pin_title.unwrap_or_else(|| td_string!(locale, newreport.pin_title)).to_owned(),
        ..picker_words(locale)
    };
    view! {
        <LocationPicker base words nearby typed_lat=typed.0 typed_lng=typed.1>
            <StaticMap base=picture marks=Vec::new() />
            <NoScriptNote text=td_string!(locale, newreport.map_needs_script) />
        </LocationPicker>
    }
}

fn picker_words(l: Locale) -> PickerWords {
    PickerWords {
        help: td_string!(l, newreport.map_help).to_owned(),
        no_pin: td_string!(l, newreport.no_pin).to_owned(),
        pin_at: td_string!(l, newreport.pin_at, place = "{place}").to_string(),
        pin_outside: td_string!(l, newreport.pin_outside, place = "{place}").to_string(),
        pin_title: td_string!(l, newreport.pin_title).to_owned(),
        use_my_location: td_string!(l, newreport.use_my_location).to_owned(),
        nudge: td_string!(l, newreport.nudge).to_owned(),
        nudge_north: td_string!(l, newreport.nudge_north).to_owned(),
        nudge_west: td_string!(l, newreport.nudge_west).to_owned(),
        nudge_east: td_string!(l, newreport.nudge_east).to_owned(),
        nudge_south: td_string!(l, newreport.nudge_south).to_owned(),
        geo_denied: td_string!(l, newreport.geo_denied).to_owned(),
        geo_unavailable: td_string!(l, newreport.geo_unavailable).to_owned(),
        coordinates: td_string!(l, newreport.coordinates).to_owned(),
        latitude: td_string!(l, newreport.latitude).to_owned(),
        longitude: td_string!(l, newreport.longitude).to_owned(),
        location_required: None,
    }
}
