//! The NGO network: its organisations and the events calendar they fill.

use super::{LatLng, Localized};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An organisation of a locality's network (NGOs, and the city hall's secretariat).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: i64,
    pub locality_id: i64,
    /// Its name in the per-organiser calendar feed's address.
    pub slug: String,
    pub name: String,
    pub website: Option<String>,
    pub email: Option<String>,
}

/// A person who acts for an organisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
}

/// An organisation with the people who act for it (the administrators' page).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganisationDetail {
    pub organisation: Organisation,
    pub members: Vec<Member>,
}

/// What kind of event it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventCategory {
    Workshop,
    Consultation,
    Culture,
    Volunteering,
    Information,
    Networking,
}

/// Whom an event is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Everyone,
    RefugeesMigrants,
    Youth,
    Elderly,
    Families,
    Ngos,
}

/// Where an event is in its review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    /// Waiting for staff; seen only by its organisation and staff.
    Proposed,
    Published,
    Rejected,
}

/// The languages an event is held in: one of the four, or several.
pub const EVENT_LANGUAGES: [&str; 5] = ["ro", "ru", "uk", "en", "multi"];

macro_rules! string_enum {
    ($ty:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

pub(crate) use string_enum;

string_enum!(EventCategory {
    Workshop = "workshop",
    Consultation = "consultation",
    Culture = "culture",
    Volunteering = "volunteering",
    Information = "information",
    Networking = "networking",
});

string_enum!(Audience {
    Everyone = "everyone",
    RefugeesMigrants = "refugees_migrants",
    Youth = "youth",
    Elderly = "elderly",
    Families = "families",
    Ngos = "ngos",
});

string_enum!(EventStatus { Proposed = "proposed", Published = "published", Rejected = "rejected" });

/// An event as pages, the open-data API and the calendar feed show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: i64,
    pub locality_id: i64,
    pub organisation: Organisation,
    pub title: Localized,
    pub description: Localized,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Where, in words; empty for an event held only online.
    pub place: String,
    pub at: Option<LatLng>,
    /// Empty for an event held only in person.
    pub online_url: String,
    pub language: String,
    pub audience: Audience,
    pub category: EventCategory,
    pub status: EventStatus,
    /// Staff's reason for refusing it.
    pub review_note: String,
    pub created_at: DateTime<Utc>,
    /// The last change (its review): the calendar feed's `LAST-MODIFIED`.
    pub updated_at: DateTime<Utc>,
}

impl Event {
    /// Over by `now` (kept, listed among past events).
    pub fn is_past(&self, now: DateTime<Utc>) -> bool {
        self.ends_at <= now
    }
}

/// An event as its organisation proposes it, once checked.
#[derive(Clone, Debug)]
pub struct NewEvent {
    pub locality_id: i64,
    pub organisation_id: i64,
    pub title: Localized,
    pub description: Localized,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub at: Option<LatLng>,
    pub online_url: String,
    pub language: String,
    pub audience: Audience,
    pub category: EventCategory,
}

/// Which published events a calendar shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventWindow {
    /// Not over yet, soonest first.
    Upcoming,
    /// Over, latest first.
    Past,
    /// Those that touch the interval, soonest first (a month's grid).
    Between(DateTime<Utc>, DateTime<Utc>),
    /// Those not over by then, soonest first (a feed, which keeps recent past events).
    Since(DateTime<Utc>),
}

/// A calendar's question: a window, optionally one organisation's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventQuery {
    pub window: EventWindow,
    pub organisation_id: Option<i64>,
    pub limit: u32,
}
