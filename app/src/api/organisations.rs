//! The NGO network's organisations, kept by the locality's administrators: they register an
//! organisation and name the accounts that act for it (who then propose its events).

use crate::error::AppError;
use crate::model::network::OrganisationDetail;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
use crate::{
    api::admin::require_admin,
    error::Problem,
    model::input,
    store::{services, NewOrganisation, StoreError},
};

/// Whether `viewer` acts as the NGO network's secretariat in `locality`: approves its events
/// and resources and writes its newsletter ([`crate::model::Viewer::is_network_secretariat`]).
#[cfg(feature = "ssr")]
pub(crate) async fn is_secretariat(
    viewer: &crate::model::Viewer,
    locality: &crate::model::Locality,
) -> Result<bool, AppError> {
    if !viewer.is_staff_of(locality.id) {
        return Ok(false);
    }
    let departments = services()?.store.secretariat_departments(locality.id).await?;
    Ok(viewer.is_network_secretariat(locality.id, &departments))
}

/// The administered locality's organisations with their members, and its slug.
#[server(prefix = "/api", endpoint = "organisations/list", input = GetUrl)]
pub async fn list_organisations(
    locality: Option<String>,
) -> Result<(String, Vec<OrganisationDetail>), AppError> {
    super::reply(
        async {
            let (_, scope) = require_admin(locality.as_deref()).await?;
            let list = services()?.store.organisation_details(scope.id).await?;
            Ok((scope.slug, list))
        }
        .await,
    )
}

/// Back to the organisations page after a change, with a fresh marker so that it reads again.
#[cfg(feature = "ssr")]
fn back(lang: &str, locality: &str) {
    super::redirect(&format!(
        "/{}/admin/organisations?locality={locality}&saved={}",
        crate::locale::parse(lang).unwrap_or(crate::i18n::Locale::ro),
        chrono::Utc::now().timestamp_millis()
    ));
}

/// Registers an organisation: `name` (3–150), `slug` (its calendar feed's name, lower-case
/// letters, digits and dashes), optional `website` and `email`.
#[server(prefix = "/api", endpoint = "organisations/create")]
pub async fn create_organisation(
    name: String,
    slug: String,
    website: String,
    email: String,
    locality: Option<String>,
    lang: String,
) -> Result<i64, AppError> {
    super::reply(
        async {
            let (viewer, scope) = require_admin(locality.as_deref()).await?;
            let mut fields = input::Fields::default();
            let name = fields.check(input::line("name", &name, 3, 150));
            let slug = fields.check(input::slug("slug", &slug));
            let website = fields.check(input::web_address("website", &website)).flatten();
            let email = match email.trim() {
                "" => None,
                e => fields.check(input::Email::parse("email", e)).map(|e| e.into_inner()),
            };
            fields.finish()?;
            let (Some(name), Some(slug)) = (name, slug) else { return Err(AppError::Internal) };
            let organisation =
                NewOrganisation { locality_id: scope.id, slug, name, website, email };
            let id = services()?.store.create_organisation(&viewer, &organisation).await.map_err(
                |e| match e {
                    StoreError::Conflict(_) => AppError::invalid("slug", Problem::Taken),
                    other => other.into(),
                },
            )?;
            back(&lang, &scope.slug);
            Ok(id)
        }
        .await,
    )
}

/// The organisation, checked to be one of the administered locality's.
#[cfg(feature = "ssr")]
async fn organisation_of(locality_id: i64, organisation: &str) -> Result<i64, AppError> {
    let id = organisation.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
    let found = services()?.store.organisation(id).await?;
    if found.locality_id != locality_id {
        return Err(AppError::NotFound);
    }
    Ok(id)
}

/// Lets the account with `email` act for `organisation`.
#[server(prefix = "/api", endpoint = "organisations/add-member")]
pub async fn add_organisation_member(
    organisation: String,
    email: String,
    locality: Option<String>,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, scope) = require_admin(locality.as_deref()).await?;
            let organisation = organisation_of(scope.id, &organisation).await?;
            let email =
                input::Email::parse("email", &email).map_err(|e| AppError::Validation(vec![e]))?;
            services()?.store.add_member(&viewer, organisation, email.as_str()).await.map_err(
                |e| match e {
                    StoreError::NotFound => AppError::invalid("email", Problem::Invalid),
                    StoreError::Conflict(_) => AppError::invalid("email", Problem::AlreadyUsed),
                    other => other.into(),
                },
            )?;
            back(&lang, &scope.slug);
            Ok(())
        }
        .await,
    )
}

/// Ends `user`'s right to act for `organisation`.
#[server(prefix = "/api", endpoint = "organisations/remove-member")]
pub async fn remove_organisation_member(
    organisation: String,
    user: i64,
    locality: Option<String>,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, scope) = require_admin(locality.as_deref()).await?;
            let organisation = organisation_of(scope.id, &organisation).await?;
            services()?.store.remove_member(&viewer, organisation, user).await?;
            back(&lang, &scope.slug);
            Ok(())
        }
        .await,
    )
}
