//! Localities (Bălți and the neighbouring towns that join) and their report categories.

use super::{LatLng, Localized, Polygon};
use serde::{Deserialize, Serialize};

/// A city or town with its own map, boundary and categories.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Locality {
    pub id: i64,
    pub slug: String,
    pub name: Localized,
    pub centre: LatLng,
    pub zoom: u8,
    pub boundary: Polygon,
    pub categories: Vec<Category>,
    /// The locality whose site has no segment of its own (`/{lang}`).
    #[serde(default)]
    pub is_default: bool,
    /// Days a report may stay in progress without news before staff see it flagged.
    #[serde(default = "default_stuck_days")]
    pub stuck_days: u32,
}

fn default_stuck_days() -> u32 {
    30
}

impl Locality {
    /// The slug as it appears in the locality's addresses: none for the default locality.
    pub fn site_slug(&self) -> Option<&str> {
        (!self.is_default).then_some(self.slug.as_str())
    }
}

/// A locality as the switcher and `GET /api/v1/localities` list it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocalityInfo {
    pub slug: String,
    pub name: Localized,
    pub centre: LatLng,
    pub is_default: bool,
}

impl LocalityInfo {
    pub fn site_slug(&self) -> Option<&str> {
        (!self.is_default).then_some(self.slug.as_str())
    }
}

/// Slugs a locality may not take: the first segment of a page's address after the language,
/// which `/{lang}/{slug}/…` would otherwise hide.
pub const RESERVED_SLUGS: &[&str] = &[
    "reports",
    "polls",
    "initiatives",
    "staff",
    "admin",
    "statistics",
    "budget",
    "open-data",
    "login",
    "signup",
    "confirm",
    "forgot",
    "reset",
    "account",
    "subscriptions",
    "announcements",
    "alerts",
    "is-it-fixed",
    "feeds",
    "api",
    "media",
    "pkg",
];

/// A kind of city problem, with the icon and colour the map uses for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: i64,
    pub slug: String,
    pub name: Localized,
    /// File stem of an SVG under `/icons/`.
    pub icon: String,
    /// CSS colour, `#rrggbb`.
    pub color: String,
}
