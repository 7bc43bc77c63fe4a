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
}

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
