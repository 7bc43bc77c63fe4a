//! What every map island starts from: where it looks, its background, the locality's boundary,
//! and the words Leaflet shows. Built by the server from the site context.

use crate::model::{LatLng, ReportStatus};
use serde::{Deserialize, Serialize};

/// A map's first view and background, with its words in the visitor's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapBase {
    /// The visitor's language (`ro`, `ru`, `uk`, `en`): links and numbers follow it.
    pub lang: String,
    pub centre: LatLng,
    pub zoom: u8,
    /// The locality's boundary ring; empty when it has none.
    pub boundary: Vec<LatLng>,
    /// A Leaflet tile URL template; empty for no background.
    pub tile_url: String,
    pub tile_attribution: String,
    pub words: MapWords,
    /// The locality's site slug (`None` for the default locality): what the map's requests and
    /// links are scoped to.
    #[serde(default)]
    pub locality: Option<String>,
}

/// Text on and around a map.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapWords {
    /// The map region's accessible name.
    pub label: String,
    /// Shown when the background tiles cannot load.
    pub no_tiles: String,
    pub zoom_in: String,
    pub zoom_out: String,
    pub close_popup: String,
    /// Shown over a touch screen's map when one finger tries to move it (it scrolls the page).
    pub two_fingers: String,
}

/// How pins look and what their popups say: category icons and status names.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PinWords {
    /// Category slug → icon file stem (under `/icons/`).
    pub icons: Vec<(String, String)>,
    /// Each status with its name.
    pub statuses: Vec<(ReportStatus, String)>,
    /// The popup's link to the report.
    pub open_report: String,
    /// A cluster's accessible name ("{count} reports here; zoom in").
    pub cluster: super::words::Plural,
    /// The site the popups link to (`None`: the default locality's).
    #[serde(default)]
    pub site: Option<String>,
}

impl MapBase {
    /// The same map, looking at `centre` from `zoom`.
    pub fn looking_at(mut self, centre: LatLng, zoom: u8) -> Self {
        self.centre = centre;
        self.zoom = zoom;
        self
    }
}

impl PinWords {
    pub fn icon(&self, category: &str) -> &str {
        self.icons.iter().find(|(slug, _)| slug == category).map_or("dots", |(_, i)| i.as_str())
    }

    pub fn status(&self, status: ReportStatus) -> &str {
        self.statuses.iter().find(|(s, _)| *s == status).map_or("", |(_, name)| name.as_str())
    }
}

#[cfg(feature = "ssr")]
mod server_side {
    use super::*;
    use crate::i18n::td_string;
    use crate::locale::Locale;
    use crate::model::SiteContext;

    impl MapBase {
        /// The locality's own view, as the site context describes it.
        pub fn for_site(site: &SiteContext, locale: Locale) -> Self {
            let locality = &site.locality;
            Self {
                lang: locale.to_string(),
                centre: locality.centre,
                zoom: locality.zoom,
                boundary: locality.boundary.0.clone(),
                tile_url: site.settings.tile_url.clone(),
                tile_attribution: site.settings.tile_attribution.clone(),
                words: MapWords::new(locale, td_string!(locale, map.region_label)),
                locality: Some(locality.slug.clone()),
            }
        }

        /// The same map with another accessible name.
        pub fn labelled(mut self, label: &str) -> Self {
            label.clone_into(&mut self.words.label);
            self
        }
    }

    impl MapWords {
        pub fn new(locale: Locale, label: &str) -> Self {
            Self {
                label: label.to_owned(),
                no_tiles: td_string!(locale, map.no_tiles).to_owned(),
                zoom_in: td_string!(locale, map.zoom_in).to_owned(),
                zoom_out: td_string!(locale, map.zoom_out).to_owned(),
                close_popup: td_string!(locale, map.close_popup).to_owned(),
                two_fingers: td_string!(locale, ux.map_two_fingers).to_owned(),
            }
        }
    }

    impl PinWords {
        pub fn new(site: &SiteContext, locale: Locale) -> Self {
            Self {
                icons: site
                    .locality
                    .categories
                    .iter()
                    .map(|c| (c.slug.clone(), c.icon.clone()))
                    .collect(),
                statuses: ReportStatus::ALL
                    .into_iter()
                    .map(|s| (s, crate::components::status::status_label(locale, s).to_owned()))
                    .collect(),
                open_report: td_string!(locale, map.open_report).to_owned(),
                cluster: super::super::words::Plural::from_samples(locale, |n| {
                    td_string!(locale, map.cluster, count = n).to_string()
                }),
                site: site.locality.site_slug().map(str::to_owned),
            }
        }
    }
}
