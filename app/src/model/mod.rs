//! Wire types shared by the server and the browser, and the newtypes that parse user input.

pub mod account;
pub mod admin;
pub mod announcement;
pub mod budget;
pub mod budget_setup;
pub mod budget_works;
pub mod civic_budget;
pub mod directory;
pub mod fixed_check;
pub mod geo;
pub mod inclusion;
pub mod input;
pub mod locality;
pub mod localized;
pub mod network;
pub mod newsletter;
pub mod open_data;
pub mod report;
pub mod resources;
pub mod site;
pub mod statistics;
pub mod subscription;
pub mod survey;
pub mod vote;

pub use account::{CivicGroup, Grant, Profile, Role, UserInfo, Viewer};
pub use geo::{BBox, LatLng, Polygon};
pub use locality::{Category, Locality, LocalityInfo};
pub use localized::Localized;
pub use report::{
    CommentInfo, MapFeature, MapFeatures, NearbyReport, PhotoInfo, ReportDetail, ReportFilter,
    ReportFilterArgs, ReportQuery, ReportSort, ReportStatus, ReportSummary, StaffFilter,
    TimelineEntry,
};
pub use site::{SiteContext, SiteSettings};

/// One screen's worth of rows and how many there are in all.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}
