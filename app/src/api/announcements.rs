//! City announcements: staff publish them; everyone reads them.

// A server function mirrors its HTML form, one argument per field.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::announcement::Announcement;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
use crate::{
    api::auth::require_user,
    error::Problem,
    i18n::Locale,
    model::announcement::NewAnnouncement,
    model::input::{self, Fields},
    store::services,
};

/// The radii an announcement's area may have, in metres.
pub const AREA_RADII: [i64; 4] = [250, 500, 1000, 2000];

/// The locality's announcements, newest first: only those valid now (`current=true`, the
/// banner), or all of them (the list).
#[server(prefix = "/api", endpoint = "announcements/list", input = GetUrl)]
pub async fn list_announcements(
    current: Option<bool>,
    locality: Option<String>,
) -> Result<Vec<Announcement>, AppError> {
    super::reply(
        async {
            let store = services()?.store;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            let at = current.unwrap_or(false).then(chrono::Utc::now);
            Ok(store.announcements(locality.id, at).await?)
        }
        .await,
    )
}

/// Publishes an announcement of the request's locality: `title_ro` (3–150) and `body_ro`
/// (10–4000) required, the other languages optional; `scope` is `locality` or `area` (then
/// `lat`, `lng` and `radius`); valid from `valid_from` to `valid_until` (city time).
#[server(prefix = "/api", endpoint = "announcements/create")]
pub async fn create_announcement(
    title_ro: String,
    title_ru: String,
    title_uk: String,
    title_en: String,
    body_ro: String,
    body_ru: String,
    body_uk: String,
    body_en: String,
    scope: String,
    lat: Option<String>,
    lng: Option<String>,
    radius: Option<String>,
    valid_from: String,
    valid_until: String,
    locality: Option<String>,
    lang: String,
) -> Result<i64, AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            let store = services()?.store;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            if !viewer.is_staff_of(locality.id) {
                return Err(AppError::Forbidden);
            }
            let mut fields = Fields::default();
            let title = input::localized(
                &mut fields,
                "title",
                [&title_ro, &title_ru, &title_uk, &title_en],
                (3, 150),
                true,
            );
            let body = input::localized(
                &mut fields,
                "body",
                [&body_ro, &body_ru, &body_uk, &body_en],
                (10, 4000),
                true,
            );
            let (centre, radius_m) = match scope.trim() {
                "locality" => (None, None),
                "area" => {
                    let at = input::position(
                        lat.as_deref().unwrap_or_default(),
                        lng.as_deref().unwrap_or_default(),
                        &locality.boundary,
                    );
                    let centre = match fields.check(at) {
                        Some(Some(p)) => Some(p),
                        Some(None) => {
                            fields.push("location", Problem::Required);
                            None
                        }
                        None => None,
                    };
                    let radius = radius
                        .as_deref()
                        .and_then(|r| r.trim().parse::<i64>().ok())
                        .filter(|r| AREA_RADII.contains(r));
                    if radius.is_none() {
                        fields.push("radius", Problem::Invalid);
                    }
                    (centre, radius)
                }
                _ => {
                    fields.push("scope", Problem::Invalid);
                    (None, None)
                }
            };
            let from = fields.check(input::city_datetime("valid_from", &valid_from));
            let until = fields.check(input::city_datetime("valid_until", &valid_until));
            if let (Some(f), Some(u)) = (from, until) {
                if u <= f || u <= chrono::Utc::now() {
                    fields.push("valid_until", Problem::Invalid);
                }
            }
            fields.finish()?;
            let (Some(valid_from), Some(valid_until)) = (from, until) else {
                return Err(AppError::Internal);
            };
            let announcement = NewAnnouncement {
                locality_id: locality.id,
                title,
                body,
                centre,
                radius_m,
                valid_from,
                valid_until,
            };
            let id = store.publish_announcement(&viewer, &announcement).await?;
            let locale = crate::locale::parse(&lang).unwrap_or(Locale::ro);
            super::redirect(&crate::paths::page(locale, "/announcements?published=1"));
            Ok(id)
        }
        .await,
    )
}
