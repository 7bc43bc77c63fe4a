//! The orientation and referral directory, write side. The locality's staff write entries
//! directly; a member of an NGO proposes new entries and changes to the entries their NGO
//! keeps, which staff approve or refuse. Either may confirm that an entry is still right.

// A server function mirrors its HTML form, one argument per field.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    api::auth::require_user,
    api::directory::keeps,
    error::Problem,
    i18n::Locale,
    model::directory::{
        OpeningHours, ServiceAudience, ServiceCategory, ServiceDraft, SERVICE_LANGUAGES,
    },
    model::input::{self, Fields},
    model::Locality,
    store::services,
};

/// The fields of the service form, as typed.
#[cfg(feature = "ssr")]
struct ServiceForm<'a> {
    organisation: &'a str,
    provider: &'a str,
    category: &'a str,
    name: [&'a str; 4],
    description: [&'a str; 4],
    eligibility: [&'a str; 4],
    address: &'a str,
    lat: &'a str,
    lng: &'a str,
    hours: &'a str,
    speaks: [bool; 4],
    free: bool,
    audience: &'a str,
    phone: &'a str,
    email: &'a str,
    website: &'a str,
}

#[cfg(feature = "ssr")]
impl ServiceForm<'_> {
    /// The entry it describes, or every problem with it.
    fn draft(&self, locality: &Locality) -> Result<ServiceDraft, AppError> {
        let mut fields = Fields::default();
        let organisation_id = match self.organisation.trim() {
            "" => None,
            id => fields.check(
                id.parse::<i64>()
                    .map_err(|_| crate::error::FieldError::new("organisation", Problem::Invalid)),
            ),
        };
        let provider = fields.check(input::line("provider", self.provider, 2, 150));
        let category = ServiceCategory::parse(self.category.trim());
        if category.is_none() {
            fields.push("category", Problem::Invalid);
        }
        let name = input::localized(&mut fields, "name", self.name, (3, 120), false);
        let description =
            input::localized(&mut fields, "description", self.description, (10, 2000), true);
        let eligibility =
            input::localized(&mut fields, "eligibility", self.eligibility, (0, 500), true);
        let address = fields.check(input::line("address", self.address, 3, 200));
        let at = fields.check(input::position(self.lat, self.lng, &locality.boundary)).flatten();
        let hours = OpeningHours::parse(self.hours).ok();
        if hours.is_none() {
            fields.push("hours", Problem::Invalid);
        }
        let languages: Vec<String> = SERVICE_LANGUAGES
            .iter()
            .zip(self.speaks)
            .filter(|(_, spoken)| *spoken)
            .map(|(l, _)| (*l).to_owned())
            .collect();
        if languages.is_empty() {
            fields.push("languages", Problem::Required);
        }
        let audience = ServiceAudience::parse(self.audience.trim());
        if audience.is_none() {
            fields.push("audience", Problem::Invalid);
        }
        let phone = fields.check(input::phone("phone", self.phone)).flatten();
        let email = match self.email.trim() {
            "" => None,
            e => fields.check(input::Email::parse("email", e)).map(input::Email::into_inner),
        };
        let website = fields.check(input::web_address("website", self.website)).flatten();
        fields.finish()?;
        let (Some(provider), Some(category), Some(address), Some(hours), Some(audience)) =
            (provider, category, address, hours, audience)
        else {
            return Err(AppError::Internal);
        };
        Ok(ServiceDraft {
            organisation_id,
            provider,
            category,
            name,
            description,
            eligibility,
            address,
            at,
            hours,
            languages,
            free: self.free,
            audience,
            phone,
            email,
            website,
        })
    }

    /// What was typed, to give the form back after a refusal (without script).
    fn typed(&self) -> Vec<(String, String)> {
        let on = |ticked: bool| if ticked { "on" } else { "" }.to_owned();
        let mut typed: Vec<(String, String)> = [
            ("organisation", self.organisation),
            ("provider", self.provider),
            ("category", self.category),
            ("address", self.address),
            ("lat", self.lat),
            ("lng", self.lng),
            ("hours", self.hours),
            ("audience", self.audience),
            ("phone", self.phone),
            ("email", self.email),
            ("website", self.website),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        typed.push(("free".to_owned(), on(self.free)));
        for (i, lang) in SERVICE_LANGUAGES.iter().enumerate() {
            typed.push((format!("name_{lang}"), self.name[i].to_owned()));
            typed.push((format!("description_{lang}"), self.description[i].to_owned()));
            typed.push((format!("eligibility_{lang}"), self.eligibility[i].to_owned()));
            typed.push((format!("speaks_{lang}"), on(self.speaks[i])));
        }
        typed
    }
}

#[cfg(feature = "ssr")]
fn locale_of(lang: &str) -> Locale {
    crate::locale::parse(lang).unwrap_or(Locale::ro)
}

/// Writes a service (`id` empty for a new one). Staff's entries are saved at once; a member
/// of the NGO `organisation` proposes it (or a change to an entry their NGO keeps) for staff
/// to approve. Required: `provider`, `category`, `name_ro` (3–120), `description_ro`
/// (10–2000), `address`, `audience`, at least one `speaks_*`; `hours` as
/// `mo-fr 08:00-17:00; sa 09:00-13:00`, `24/7` or empty (by appointment).
#[server(prefix = "/api", endpoint = "services/save")]
pub async fn save_service(
    id: String,
    organisation: String,
    provider: String,
    category: String,
    name_ro: String,
    name_ru: String,
    name_uk: String,
    name_en: String,
    description_ro: String,
    description_ru: String,
    description_uk: String,
    description_en: String,
    eligibility_ro: String,
    eligibility_ru: String,
    eligibility_uk: String,
    eligibility_en: String,
    address: String,
    lat: Option<String>,
    lng: Option<String>,
    hours: String,
    speaks_ro: Option<String>,
    speaks_ru: Option<String>,
    speaks_uk: Option<String>,
    speaks_en: Option<String>,
    free: Option<String>,
    audience: String,
    phone: String,
    email: String,
    website: String,
    locality: Option<String>,
    lang: String,
) -> Result<i64, AppError> {
    let form = ServiceForm {
        organisation: &organisation,
        provider: &provider,
        category: &category,
        name: [&name_ro, &name_ru, &name_uk, &name_en],
        description: [&description_ro, &description_ru, &description_uk, &description_en],
        eligibility: [&eligibility_ro, &eligibility_ru, &eligibility_uk, &eligibility_en],
        address: &address,
        lat: lat.as_deref().unwrap_or_default(),
        lng: lng.as_deref().unwrap_or_default(),
        hours: &hours,
        speaks: [&speaks_ro, &speaks_ru, &speaks_uk, &speaks_en].map(|s| s.is_some()),
        free: free.is_some(),
        audience: &audience,
        phone: &phone,
        email: &email,
        website: &website,
    };
    let locale = locale_of(&lang);
    let id = id.trim().to_owned();
    let result = save(&form, &id, locality.as_deref(), locale).await;
    if let Err(err) = &result {
        let page = match id.as_str() {
            "" => crate::paths::page(locale, "/services/new"),
            id => crate::paths::page(locale, &format!("/services/{id}/edit")),
        };
        let typed = form.typed();
        super::back_to_form(
            <SaveService as leptos::server_fn::ServerFn>::PATH,
            &page,
            err,
            typed.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        );
    }
    super::reply(result)
}

#[cfg(feature = "ssr")]
async fn save(
    form: &ServiceForm<'_>,
    id: &str,
    locality: Option<&str>,
    locale: Locale,
) -> Result<i64, AppError> {
    let (viewer, user_id) = require_user()?;
    let store = services()?.store;
    let locality = crate::store::request_locality(locality).await?;
    let existing = match id {
        "" => None,
        id => {
            let id = id.parse::<i64>().map_err(|_| AppError::NotFound)?;
            let service = store.service(id).await?;
            if service.locality_id != locality.id {
                return Err(AppError::NotFound);
            }
            Some(service)
        }
    };
    let staff = viewer.is_staff_of(locality.id);
    if let Some(service) = &existing {
        if !keeps(&viewer, &locality, service.draft.organisation_id).await? {
            return Err(AppError::Forbidden);
        }
    } else if !staff
        && !store.memberships(user_id).await?.iter().any(|o| o.locality_id == locality.id)
    {
        return Err(AppError::Forbidden);
    }
    let draft = form.draft(&locality)?;
    // The entry's keeper must be one of the locality's NGOs, and for a member one of theirs.
    match draft.organisation_id {
        Some(organisation_id) => {
            let organisation = store
                .organisation(organisation_id)
                .await
                .map_err(|_| AppError::invalid("organisation", Problem::Invalid))?;
            if organisation.locality_id != locality.id {
                return Err(AppError::invalid("organisation", Problem::Invalid));
            }
            if !keeps(&viewer, &locality, Some(organisation_id)).await? {
                return Err(AppError::Forbidden);
            }
        }
        None if !staff => return Err(AppError::invalid("organisation", Problem::Required)),
        None => {}
    }
    let existing_id = existing.as_ref().map(|s| s.id);
    if staff {
        let id = store.save_service(&viewer, locality.id, existing_id, &draft).await?;
        super::redirect(&crate::paths::page(locale, &format!("/services/{id}?saved=1")));
        Ok(id)
    } else {
        let change =
            store.propose_service_change(&viewer, locality.id, existing_id, &draft).await?;
        let page = match existing_id {
            Some(id) => format!("/services/{id}?proposed=1"),
            None => "/services?proposed=1".to_owned(),
        };
        super::redirect(&crate::paths::page(locale, &page));
        Ok(change)
    }
}

/// Approves (`decision=approve`) or refuses (`decision=reject`, with a `note` of 5–500
/// characters the NGO sees) a proposed change; the locality's staff only.
#[server(prefix = "/api", endpoint = "services/review")]
pub async fn review_service_change(
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
            if !viewer.is_staff_of(locality.id) {
                return Err(AppError::Forbidden);
            }
            let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
            let change = store.service_change(id).await?;
            if change.locality_id != locality.id {
                return Err(AppError::NotFound);
            }
            let (approve, note) = input::review(&decision, "approve", &note)?;
            let applied = store.review_service_change(&viewer, id, approve, &note).await?;
            let page = match applied {
                Some(service) => format!("/services/{service}?saved=1"),
                None => format!("/services?rejected={id}"),
            };
            super::redirect(&crate::paths::page(locale_of(&lang), &page));
            Ok(())
        }
        .await,
    )
}

/// The signed-in caller, the request's locality and its service `id` (404 for another
/// locality's or an unknown one).
#[cfg(feature = "ssr")]
async fn signed_in_with(
    id: &str,
    locality: Option<&str>,
) -> Result<(crate::model::Viewer, Locality, crate::model::directory::Service), AppError> {
    let (viewer, _) = require_user()?;
    let locality = crate::store::request_locality(locality).await?;
    let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
    let service = services()?.store.service(id).await?;
    if service.locality_id != locality.id {
        return Err(AppError::NotFound);
    }
    Ok((viewer, locality, service))
}

/// Confirms that a service's entry is still right (staff, or a member of the NGO keeping it).
#[server(prefix = "/api", endpoint = "services/confirm")]
pub async fn confirm_service(
    id: String,
    locality: Option<String>,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, locality, service) = signed_in_with(&id, locality.as_deref()).await?;
            if !keeps(&viewer, &locality, service.draft.organisation_id).await? {
                return Err(AppError::Forbidden);
            }
            let id = service.id;
            services()?.store.confirm_service(&viewer, id).await?;
            let page = format!("/services/{id}?confirmed=1");
            super::redirect(&crate::paths::page(locale_of(&lang), &page));
            Ok(())
        }
        .await,
    )
}

/// Takes a service out of the directory; the locality's staff only.
#[server(prefix = "/api", endpoint = "services/remove")]
pub async fn remove_service(
    id: String,
    locality: Option<String>,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, locality, service) = signed_in_with(&id, locality.as_deref()).await?;
            if !viewer.is_staff_of(locality.id) {
                return Err(AppError::Forbidden);
            }
            services()?.store.remove_service(&viewer, service.id).await?;
            super::redirect(&crate::paths::page(locale_of(&lang), "/services?removed=1"));
            Ok(())
        }
        .await,
    )
}
