//! The NGO network's educational resources: everyone searches the published ones; an
//! organisation's members propose links, which the network's secretariat publishes or refuses
//! (its own are published at once).

// A server function mirrors its HTML form, one argument per field.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::network::Organisation;
use crate::model::resources::Resource;
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
    model::network::{Audience, EVENT_LANGUAGES},
    model::resources::{NewResource, ResourceFilter, Topic},
    store::services,
};

/// What the viewer may do with the locality's resources, and what waits on them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResourceRoles {
    /// The organisations the viewer may propose resources for (all, for staff).
    pub organisations: Vec<Organisation>,
    /// Publishes and refuses proposals.
    pub reviewer: bool,
    /// Proposals waiting for review, and refused ones, the viewer may see.
    pub unpublished: Vec<Resource>,
}

/// The published resources that match: `words` in any language (case and Romanian
/// diacritics ignored), `topic`, `language` (`ro`, `ru`, `uk`, `en`; resources in several
/// languages always pass), `audience`. Newest first.
#[server(prefix = "/api", endpoint = "resources/list", input = GetUrl)]
pub async fn list_resources(
    words: Option<String>,
    topic: Option<String>,
    language: Option<String>,
    audience: Option<String>,
    locality: Option<String>,
) -> Result<Vec<Resource>, AppError> {
    super::reply(
        async {
            let store = services()?.store;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            let given =
                |v: Option<String>| v.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
            let words = given(words).unwrap_or_default();
            if words.chars().count() > 200 {
                return Err(AppError::invalid("words", Problem::TooLong));
            }
            let topic = match given(topic) {
                Some(t) => {
                    Some(Topic::parse(&t).ok_or(AppError::invalid("topic", Problem::Invalid))?)
                }
                None => None,
            };
            let language = match given(language) {
                Some(l) if EVENT_LANGUAGES.contains(&l.as_str()) && l != "multi" => Some(l),
                Some(_) => return Err(AppError::invalid("language", Problem::Invalid)),
                None => None,
            };
            let audience = match given(audience) {
                Some(a) => Some(
                    Audience::parse(&a).ok_or(AppError::invalid("audience", Problem::Invalid))?,
                ),
                None => None,
            };
            let filter = ResourceFilter { words, topic, language, audience };
            let all = store.published_resources(locality.id).await?;
            Ok(all.into_iter().filter(|r| filter.matches(r)).collect())
        }
        .await,
    )
}

/// The viewer's part in the locality's resources (nothing for visitors).
#[server(prefix = "/api", endpoint = "resources/desk", input = GetUrl)]
pub async fn resource_desk(locality: Option<String>) -> Result<ResourceRoles, AppError> {
    super::reply(
        async {
            let viewer = current_viewer();
            let Some(user_id) = viewer.user_id() else { return Ok(ResourceRoles::default()) };
            let store = services()?.store;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            if is_secretariat(&viewer, &locality).await? {
                return Ok(ResourceRoles {
                    organisations: store.organisations(locality.id).await?,
                    reviewer: true,
                    unpublished: store.unpublished_resources(locality.id, None).await?,
                });
            }
            let organisations: Vec<Organisation> = store
                .memberships(user_id)
                .await?
                .into_iter()
                .filter(|o| o.locality_id == locality.id)
                .collect();
            if organisations.is_empty() {
                return Ok(ResourceRoles::default());
            }
            let unpublished = store.unpublished_resources(locality.id, Some(user_id)).await?;
            Ok(ResourceRoles { organisations, reviewer: false, unpublished })
        }
        .await,
    )
}

/// Proposes a link for `organisation` (its members; staff's are published at once):
/// `title_ro` (3–120) and `description_ro` (10–1000) required, the other languages optional;
/// `url` (`http(s)://`), `language` (`ro`, `ru`, `uk`, `en`, `multi`), `topic`, `audience`.
#[server(prefix = "/api", endpoint = "resources/propose")]
pub async fn propose_resource(
    organisation: String,
    title_ro: String,
    title_ru: String,
    title_uk: String,
    title_en: String,
    description_ro: String,
    description_ru: String,
    description_uk: String,
    description_en: String,
    url: String,
    language: String,
    topic: String,
    audience: String,
    locality: Option<String>,
    lang: String,
) -> Result<i64, AppError> {
    super::reply(
        async {
            let (viewer, user_id) = require_user()?;
            let store = services()?.store;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            let organisation = organisation
                .trim()
                .parse::<i64>()
                .map_err(|_| AppError::invalid("organisation", Problem::Invalid))?;
            let organisation = store
                .organisation(organisation)
                .await
                .map_err(|_| AppError::invalid("organisation", Problem::Invalid))?;
            let secretariat = is_secretariat(&viewer, &locality).await?;
            let member = store.memberships(user_id).await?.iter().any(|o| o.id == organisation.id);
            if organisation.locality_id != locality.id || !(secretariat || member) {
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
                (10, 1000),
                true,
            );
            let url = fields.check(input::web_address("url", &url)).flatten();
            if url.is_none() && !fields.has("url") {
                fields.push("url", Problem::Required);
            }
            let language = language.trim().to_owned();
            if !EVENT_LANGUAGES.contains(&language.as_str()) {
                fields.push("language", Problem::Invalid);
            }
            let topic = Topic::parse(topic.trim());
            if topic.is_none() {
                fields.push("topic", Problem::Invalid);
            }
            let audience = Audience::parse(audience.trim());
            if audience.is_none() {
                fields.push("audience", Problem::Invalid);
            }
            fields.finish()?;
            let (Some(url), Some(topic), Some(audience)) = (url, topic, audience) else {
                return Err(AppError::Internal);
            };
            let resource = NewResource {
                locality_id: locality.id,
                organisation_id: organisation.id,
                title,
                description,
                url,
                language,
                topic,
                audience,
            };
            let id = store.create_resource(&viewer, &resource, secretariat).await?;
            let locale = crate::locale::parse(&lang).unwrap_or(Locale::ro);
            let outcome = if secretariat { "published" } else { "proposed" };
            super::redirect(&crate::paths::page(locale, &format!("/resources?{outcome}={id}")));
            Ok(id)
        }
        .await,
    )
}

/// Publishes (`decision=publish`) or refuses (`decision=reject`, with a `note` of 5–500
/// characters the organisation sees) a proposed resource; the network's secretariat only.
#[server(prefix = "/api", endpoint = "resources/review")]
pub async fn review_resource(
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
            if store.resource(id).await?.locality_id != locality.id {
                return Err(AppError::NotFound);
            }
            let (publish, note) = input::review(&decision, "publish", &note)?;
            store.review_resource(&viewer, id, publish, &note).await?;
            let locale = crate::locale::parse(&lang).unwrap_or(Locale::ro);
            let outcome = if publish { "published" } else { "rejected" };
            super::redirect(&crate::paths::page(locale, &format!("/resources?{outcome}={id}")));
            Ok(())
        }
        .await,
    )
}
