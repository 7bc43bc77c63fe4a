//! The NGO network's educational resources: everyone searches the published ones; an
//! organisation's members propose links, which the network's secretariat publishes or refuses
//! (its own are published at once).

// A server function mirrors its HTML form, one argument per field.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::network::Organisation;
use crate::model::resources::Resource;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    api::auth::{current_viewer, require_user},
    api::organisations::is_secretariat,
    error::Problem,
    i18n::Locale,
    model::input::{self, Fields},
    model::network::{Audience, EVENT_LANGUAGES},
    model::resources::{NewResource, ResourceFile, ResourceFilter, Topic, MAX_RESOURCE_FILE_BYTES},
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

/// Proposes a resource for `organisation` (its members; the secretariat's are published at
/// once), as a multipart form: `title_ro` (3–120) and `description_ro` (10–1000) required, the
/// other languages optional; a link (`url`, `http(s)://`) or a `file` (a PDF of at most
/// [`MAX_RESOURCE_FILE_BYTES`]), not both; `language` (`ro`, `ru`, `uk`, `en`, `multi`),
/// `topic`, `audience`, `locality`, `lang`.
#[server(prefix = "/api", endpoint = "resources/propose", input = MultipartFormData)]
pub async fn propose_resource(data: MultipartData) -> Result<i64, AppError> {
    super::reply(
        async {
            let (viewer, user_id) = require_user()?;
            let form = super::upload::read_upload(data, "file", MAX_RESOURCE_FILE_BYTES).await?;
            let store = services()?.store;
            let locality = crate::store::request_locality(Some(form.get("locality"))).await?;
            let organisation = form
                .get("organisation")
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
            let text = |prefix: &str| {
                ["ro", "ru", "uk", "en"].map(|l| form.get(&format!("{prefix}_{l}")).to_owned())
            };
            let [tro, tru, tuk, ten] = text("title");
            let title =
                input::localized(&mut fields, "title", [&tro, &tru, &tuk, &ten], (3, 120), false);
            let [dro, dru, duk, den] = text("description");
            let description = input::localized(
                &mut fields,
                "description",
                [&dro, &dru, &duk, &den],
                (10, 1000),
                true,
            );
            let url = fields.check(input::web_address("url", form.get("url"))).flatten();
            let file = match (form.too_large, form.files.as_slice(), form.file_names.first()) {
                (true, _, _) => {
                    fields.push("file", Problem::FileTooLarge);
                    None
                }
                (false, [], _) => None,
                (false, [bytes], name) => {
                    let file = ResourceFile::pdf(name.map_or("", String::as_str), bytes.clone());
                    if file.is_none() {
                        fields.push("file", Problem::UnreadableFile);
                    }
                    file
                }
                (false, _, _) => {
                    fields.push("file", Problem::Invalid);
                    None
                }
            };
            let file_sent = !form.file_names.is_empty();
            match (url.is_some(), file_sent) {
                (false, false) if !fields.has("url") => fields.push("url", Problem::Required),
                (true, true) => fields.push("file", Problem::Invalid),
                _ => {}
            }
            let language = form.get("language").trim().to_owned();
            if !EVENT_LANGUAGES.contains(&language.as_str()) {
                fields.push("language", Problem::Invalid);
            }
            let topic = Topic::parse(form.get("topic").trim());
            if topic.is_none() {
                fields.push("topic", Problem::Invalid);
            }
            let audience = Audience::parse(form.get("audience").trim());
            if audience.is_none() {
                fields.push("audience", Problem::Invalid);
            }
            fields.finish()?;
            let (Some(topic), Some(audience)) = (topic, audience) else {
                return Err(AppError::Internal);
            };
            let resource = NewResource {
                locality_id: locality.id,
                organisation_id: organisation.id,
                title,
                description,
                url: url.unwrap_or_default(),
                file,
                language,
                topic,
                audience,
            };
            let id = store.create_resource(&viewer, &resource, secretariat).await?;
            let locale = crate::locale::parse(form.get("lang")).unwrap_or(Locale::ro);
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
