//! City announcements ("notificări importante").

use super::{LatLng, Localized};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An announcement as pages and feeds show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Announcement {
    pub id: i64,
    pub locality_id: i64,
    pub title: Localized,
    pub body: Localized,
    /// The circle it concerns; `None` for the whole locality.
    pub centre: Option<LatLng>,
    pub radius_m: Option<i64>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// An announcement as staff write it, once parsed and checked.
#[derive(Clone, Debug)]
pub struct NewAnnouncement {
    pub locality_id: i64,
    pub title: Localized,
    pub body: Localized,
    pub centre: Option<LatLng>,
    pub radius_m: Option<i64>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
}
