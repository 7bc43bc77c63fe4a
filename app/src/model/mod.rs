//! Wire types shared by the server and the browser, and the newtypes that parse user input.

pub mod geo;
pub mod locality;
pub mod localized;
pub mod report;
pub mod site;

pub use geo::{BBox, LatLng, Polygon};
pub use locality::{Category, Locality};
pub use localized::Localized;
pub use report::{MapFeature, MapFeatures, ReportFilter, ReportStatus, ReportSummary};
pub use site::{SiteContext, SiteSettings};

/// One screen's worth of rows and how many there are in all.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}
