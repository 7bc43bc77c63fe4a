//! The NGO network's calendar: everyone reads published events; an organisation's members
//! propose events, which the network's secretariat publishes or refuses (its own are published
//! at once).

// A server function mirrors its HTML form, one argument per field.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::network::{Event, Organisation};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    api::auth::{current_viewer, require_user},
    api::organisations::is_secretariat,
    error::Problem,
    i18n::Locale,
    model::input::{self, Fields},
    model::network::{Audience, EventCategory, EventQuery, EventWindow, NewEvent, EVENT_LANGUAGES},
    model::{Locality, Viewer},
    store::services,
};

/// The longest an event may last (a festival, a training week).
pub const MAX_EVENT_DAYS: i64 = 31;

/// What the viewer may do on the calendar of a locality, and the events waiting on them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CalendarDesk {
    /// The organisations the viewer may propose events for (all, for staff).
    pub organisations: Vec<Organisation>,
    /// Publishes and refuses proposals.
    pub reviewer: bool,
    /// Proposals waiting for review and refused events: the locality's for staff, their
    /// organisations' for members.
    pub unpublished: Vec<Event>,
}

/// A calendar page's events, and the organisations it may be narrowed to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventList {
    pub events: Vec<Event>,
    pub organisations: Vec<Organisation>,
}

/// Which published events a page lists: `upcoming` (default) or `past`, or those of `month`
/// (`YYYY-MM`, city time); optionally one organisation's (`organisation`, its slug).
#[server(prefix = "/api", endpoint = "events/list", input = GetUrl)]
pub async fn list_events(
    past: Option<bool>,
    month: Option<String>,
    organisation: Option<String>,
    locality: Option<String>,
) -> Result<EventList, AppError> {
    super::reply(
        async {
            let store = services()?.store;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            let organisation_id = match organisation.as_deref().map(str::trim) {
                Some(slug) if !slug.is_empty() => {
                    Some(store.organisation_by_slug(locality.id, slug).await?.id)
                }
                _ => None,
            };
            let window = match month.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
                Some(month) => {
                    let (from, until) = crate::format::city_month(month)
                        .ok_or_else(|| AppError::invalid("month", Problem::Invalid))?;
                    EventWindow::Between(from, until)
                }
                None if past.unwrap_or(false) => EventWindow::Past,
                None => EventWindow::Upcoming,
            };
            let query = EventQuery { window, organisation_id, limit: 200 };
            Ok(EventList {
                events: store.events(locality.id, &query).await?,
                organisations: store.organisations(locality.id).await?,
            })
        }
        .await,
    )
}

/// The viewer's part in the locality's calendar (nothing for visitors).
#[server(prefix = "/api", endpoint = "events/desk", input = GetUrl)]
pub async fn event_desk(locality: Option<String>) -> Result<CalendarDesk, AppError> {
    super::reply(
        async {
            let viewer = current_viewer();
            let Some(user_id) = viewer.user_id() else { return Ok(CalendarDesk::default()) };
            let store = services()?.store;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            if is_secretariat(&viewer, &locality).await? {
                return Ok(CalendarDesk {
                    organisations: store.organisations(locality.id).await?,
                    reviewer: true,
                    unpublished: store.unpublished_events(locality.id, None).await?,
                });
            }
            let organisations: Vec<Organisation> = store
                .memberships(user_id)
                .await?
                .into_iter()
                .filter(|o| o.locality_id == locality.id)
                .collect();
            if organisations.is_empty() {
                return Ok(CalendarDesk::default());
            }
            let unpublished = store.unpublished_events(locality.id, Some(user_id)).await?;
            Ok(CalendarDesk { organisations, reviewer: false, unpublished })
        }
        .await,
    )
}

/// One event of the request's locality: published ones for everyone, the others only for
/// the network's secretariat and the organisation's members (404 for anyone else).
#[server(prefix = "/api", endpoint = "events/get", input = GetUrl)]
pub async fn get_event(id: i64, locality: Option<String>) -> Result<Event, AppError> {
    super::reply(
        async {
            let store = services()?.store;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            let event = store.event(id).await?;
            if event.locality_id != locality.id {
                return Err(AppError::NotFound);
            }
            if event.status != crate::model::network::EventStatus::Published
                && !may_act_for(&current_viewer(), &locality, event.organisation.id).await?
            {
                return Err(AppError::NotFound);
            }
            Ok(event)
        }
        .await,
    )
}

/// Staff of the locality, or a member of the organisation.
#[cfg(feature = "ssr")]
async fn may_act_for(
    viewer: &Viewer,
    locality: &Locality,
    organisation_id: i64,
) -> Result<bool, AppError> {
    if is_secretariat(viewer, locality).await? {
        return Ok(true);
    }
    let Some(user_id) = viewer.user_id() else { return Ok(false) };
    let store = services()?.store;
    Ok(store.memberships(user_id).await?.iter().any(|o| o.id == organisation_id))
}

/// Proposes an event for `organisation` (its members; staff's events are published at once):
/// `title_ro` (3–120) and `description_ro` (10–2000) required, the other languages optional;
/// `starts` and `ends` in city time; a `place` in words with an optional pin (`lat`, `lng`),
/// or an `online_url`, or both.
#[server(prefix = "/api", endpoint = "events/propose")]
pub async fn propose_event(
    organisation: String,
    title_ro: String,
    title_ru: String,
    title_uk: String,
    title_en: String,
    description_ro: String,
    description_ru: String,
    description_uk: String,
    description_en: String,
    starts: String,
    ends: String,
    place: String,
    lat: Option<String>,
    lng: Option<String>,
    online_url: String,
    language: String,
    audience: String,
    category: String,
    locality: Option<String>,
    lang: String,
) -> Result<i64, AppError> {
    let typed = [
        ("organisation", organisation.clone()),
        ("title_ro", title_ro.clone()),
        ("title_ru", title_ru.clone()),
        ("title_uk", title_uk.clone()),
        ("title_en", title_en.clone()),
        ("description_ro", description_ro.clone()),
        ("description_ru", description_ru.clone()),
        ("description_uk", description_uk.clone()),
        ("description_en", description_en.clone()),
        ("starts", starts.clone()),
        ("ends", ends.clone()),
        ("place", place.clone()),
        ("lat", lat.clone().unwrap_or_default()),
        ("lng", lng.clone().unwrap_or_default()),
        ("online_url", online_url.clone()),
        ("language", language.clone()),
        ("audience", audience.clone()),
        ("category", category.clone()),
    ];
    let locale = crate::locale::parse(&lang).unwrap_or(Locale::ro);
    let result = async {
        let (viewer, _) = require_user()?;
        let store = services()?.store;
        let locality = crate::store::request_locality(locality.as_deref()).await?;
        let organisation_id = organisation
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::invalid("organisation", Problem::Invalid))?;
        let organisation = store
            .organisation(organisation_id)
            .await
            .map_err(|_| AppError::invalid("organisation", Problem::Invalid))?;
        if organisation.locality_id != locality.id
            || !may_act_for(&viewer, &locality, organisation.id).await?
        {
            return Err(AppError::Forbidden);
        }
        let mut fields = Fields::default();
        let title = input::localized(
            &mut fields,
            "title",
            [&title_ro, &title_ru, &title_uk, &title_en],
            (3, 120),
            false,
        );
        let description = input::localized(
            &mut fields,
            "description",
            [&description_ro, &description_ru, &description_uk, &description_en],
            (10, 2000),
            true,
        );
        let starts_at = fields.check(input::city_datetime("starts", &starts));
        let ends_at = fields.check(input::city_datetime("ends", &ends));
        if let (Some(s), Some(e)) = (starts_at, ends_at) {
            if e <= s || e - s > chrono::TimeDelta::days(MAX_EVENT_DAYS) {
                fields.push("ends", Problem::Invalid);
            }
            if e <= chrono::Utc::now() {
                fields.push("ends", Problem::Invalid);
            }
        }
        let place = fields.check(input::line("place", &place, 0, 200)).unwrap_or_default();
        let at = fields
            .check(input::position(
                lat.as_deref().unwrap_or_default(),
                lng.as_deref().unwrap_or_default(),
                &locality.boundary,
            ))
            .flatten();
        if at.is_some() && place.is_empty() {
            fields.push("place", Problem::Required);
        }
        let online_url = fields
            .check(input::web_address("online_url", &online_url))
            .flatten()
            .unwrap_or_default();
        if place.is_empty() && online_url.is_empty() && at.is_none() {
            fields.push("place", Problem::Required);
        }
        let language = language.trim().to_owned();
        if !EVENT_LANGUAGES.contains(&language.as_str()) {
            fields.push("language", Problem::Invalid);
        }
        let audience = Audience::parse(audience.trim());
        if audience.is_none() {
            fields.push("audience", Problem::Invalid);
        }
        let category = EventCategory::parse(category.trim());
        if category.is_none() {
            fields.push("category", Problem::Invalid);
        }
        fields.finish()?;
        let (Some(starts_at), Some(ends_at), Some(audience), Some(category)) =
            (starts_at, ends_at, audience, category)
        else {
            return Err(AppError::Internal);
        };
        let event = NewEvent {
            locality_id: locality.id,
            organisation_id: organisation.id,
            title,
            description,
            starts_at,
            ends_at,
            place,
            at,
            online_url,
            language,
            audience,
            category,
        };
        let publish = is_secretariat(&viewer, &locality).await?;
        let id = store.create_event(&viewer, &event, publish).await?;
        let outcome = if publish { "published" } else { "proposed" };
        super::redirect(&crate::paths::page(locale, &format!("/events/{id}?{outcome}=1")));
        Ok(id)
    }
    .await;
    if let Err(err) = &result {
        let long = typed
            .iter()
            .filter(|(k, _)| k.starts_with("description_"))
            .map(|(_, v)| v.len() * 3)
            .sum::<usize>()
            > 12_000;
        super::back_to_form(
            <ProposeEvent as leptos::server_fn::ServerFn>::PATH,
            &crate::paths::page(locale, "/events/new"),
            err,
            // An address carries a few kilobytes safely; longer descriptions are not sent back.
            typed
                .iter()
                .filter(|(k, _)| !(long && k.starts_with("description_")))
                .map(|(k, v)| (*k, v.as_str())),
        );
    }
    super::reply(result)
}

/// Publishes (`decision=publish`) or refuses (`decision=reject`, with a `note` of 5–500
/// characters that the organisation sees) a proposed event; the network's secretariat only.
#[server(prefix = "/api", endpoint = "events/review")]
pub async fn review_event(
    id: String,
    decision: String,
    note: String,
    locality: Option<String>,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            let store = services()?.store;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            if !is_secretariat(&viewer, &locality).await? {
                return Err(AppError::Forbidden);
            }
            let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
            let event = store.event(id).await?;
            if event.locality_id != locality.id {
                return Err(AppError::NotFound);
            }
            let (publish, note) = input::review(&decision, "publish", &note)?;
            store.review_event(&viewer, id, publish, &note).await?;
            let locale = crate::locale::parse(&lang).unwrap_or(Locale::ro);
            let outcome = if publish { "published" } else { "rejected" };
            super::redirect(&crate::paths::page(locale, &format!("/events?{outcome}={id}")));
            Ok(())
        }
        .await,
    )
}
