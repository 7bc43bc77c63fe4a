//! Deployment settings that the browser needs too.

use serde::{Deserialize, Serialize};

/// The operator's choices that pages show: where map tiles come from and the public address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSettings {
    /// A Leaflet URL template such as `https://tile.openstreetmap.org/{z}/{x}/{y}.png`; empty means
    /// no background tiles (pins and boundary on a plain background).
    pub tile_url: String,
    /// HTML-free attribution text shown in the map's corner.
    pub tile_attribution: String,
    /// Absolute base URL, e.g. `https://agora.balti.md`, for links in e-mails and feeds.
    pub public_url: String,
}

/// What every page needs to know about where it is: the locality and the site's settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteContext {
    pub locality: super::Locality,
    pub settings: SiteSettings,
}
