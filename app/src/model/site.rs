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

impl SiteSettings {
    /// The origin map tiles load from, for the Content-Security-Policy (`{s}` subdomains
    /// become a wildcard); empty when there are no tiles.
    pub fn tile_origin(&self) -> String {
        let Some((scheme, rest)) = self.tile_url.split_once("://") else { return String::new() };
        let host = rest.split('/').next().unwrap_or_default().replace("{s}", "*");
        if host.is_empty() || host.contains(['{', '}', ' ', ';', '\'']) {
            return String::new();
        }
        format!("{scheme}://{host}")
    }
}

/// What every page needs to know about where it is: the locality and the site's settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteContext {
    pub locality: super::Locality,
    /// Every locality of the deployment, for the header's switcher.
    pub localities: Vec<super::LocalityInfo>,
    pub settings: SiteSettings,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_origin_allows_subdomains() {
        let s =
            |url: &str| SiteSettings { tile_url: url.into(), ..Default::default() }.tile_origin();
        assert_eq!(
            s("https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
            "https://tile.openstreetmap.org"
        );
        assert_eq!(s("https://{s}.tiles.example/{z}/{x}/{y}.png"), "https://*.tiles.example");
        assert_eq!(s(""), "");
    }
}
