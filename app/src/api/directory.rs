//! The orientation and referral directory, read side: the finder, a service's page and the
//! desk of those who keep the entries. Everyone reads the directory, without an account;
//! `directory_edit` holds the writes.

// The finder takes its answers as separate query values.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::directory::{Service, ServiceChange, ServiceMatch};
use crate::model::network::Organisation;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    api::auth::current_viewer,
    error::Problem,
    model::directory::{FinderAnswers, Seeker, ServiceCategory, SERVICE_LANGUAGES},
    model::{Locality, Viewer},
    store::services,
};

/// A service as its page shows it: whether it is open now, whether its entry is out of date,
/// and what the viewer may do with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceView {
    pub service: Service,
    pub open_now: bool,
    pub stale: bool,
    /// Staff, or a member of the NGO that keeps it: may change it (members through review)
    /// and confirm it is still right.
    pub may_edit: bool,
    /// Staff: may remove it.
    pub may_remove: bool,
}

/// What the viewer may do in the directory, and what waits on them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServicesDesk {
    /// Staff of the locality: approve changes, edit any entry.
    pub reviewer: bool,
    /// The NGOs the viewer keeps entries for (every NGO of the locality, for staff).
    pub organisations: Vec<Organisation>,
    /// Changes waiting for review, and refused ones.
    pub changes: Vec<ServiceChange>,
    /// Entries the viewer keeps that were not checked for six months.
    pub stale: Vec<Service>,
}

/// The finder's answers as the address carries them (`need`, `speaks`, `who`, `refugee`
/// `yes`/`no`, `free` `1`, `lat`/`lng`); unknown or empty values mean "not answered".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FinderQuery {
    pub need: Option<String>,
    pub speaks: Option<String>,
    pub who: Option<String>,
    pub refugee: Option<String>,
    pub free: Option<String>,
    pub lat: Option<String>,
    pub lng: Option<String>,
}

#[cfg(feature = "ssr")]
impl FinderQuery {
    /// The answers, or the field that is not a possible answer (a forged or mistyped address).
    pub fn answers(&self, locality: &Locality) -> Result<FinderAnswers, AppError> {
        fn given(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|v| !v.is_empty())
        }
        let invalid = |field| AppError::invalid(field, Problem::Invalid);
        let need = match given(&self.need) {
            Some(n) => Some(ServiceCategory::parse(n).ok_or_else(|| invalid("need"))?),
            None => None,
        };
        let speaks = match given(&self.speaks) {
            Some(l) if SERVICE_LANGUAGES.contains(&l) => Some(l.to_owned()),
            Some(_) => return Err(invalid("speaks")),
            None => None,
        };
        let seeker = match given(&self.who) {
            Some(w) => Some(Seeker::parse(w).ok_or_else(|| invalid("who"))?),
            None => None,
        };
        let refugee_or_migrant = match given(&self.refugee) {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            Some(_) => return Err(invalid("refugee")),
            None => None,
        };
        let free_only = matches!(given(&self.free), Some("1" | "on" | "true"));
        let near = crate::model::input::position(
            given(&self.lat).unwrap_or_default(),
            given(&self.lng).unwrap_or_default(),
            &locality.boundary,
        )
        .map_err(|e| AppError::Validation(vec![e]))?;
        Ok(FinderAnswers { need, speaks, seeker, refugee_or_migrant, free_only, near })
    }
}

/// The locality's services that match the finder's answers (all of them when none is given),
/// nearest first when the visitor said where they are, each marked open or closed now.
#[server(prefix = "/api", endpoint = "services/find", input = GetUrl)]
pub async fn find_services(
    need: Option<String>,
    speaks: Option<String>,
    who: Option<String>,
    refugee: Option<String>,
    free: Option<String>,
    lat: Option<String>,
    lng: Option<String>,
    locality: Option<String>,
    lang: Option<String>,
) -> Result<Vec<ServiceMatch>, AppError> {
    super::reply(
        async {
            let store = services()?.store;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            let query = FinderQuery { need, speaks, who, refugee, free, lat, lng };
            let answers = query.answers(&locality)?;
            let locale =
                lang.as_deref().and_then(crate::locale::parse).unwrap_or(crate::locale::Locale::ro);
            let all = store.services(locality.id).await?;
            Ok(answers.find(all, chrono::Utc::now(), locale))
        }
        .await,
    )
}

/// Staff of the locality, or a member of the NGO `organisation_id`.
#[cfg(feature = "ssr")]
pub(crate) async fn keeps(
    viewer: &Viewer,
    locality: &Locality,
    organisation_id: Option<i64>,
) -> Result<bool, AppError> {
    if viewer.is_staff_of(locality.id) {
        return Ok(true);
    }
    let (Some(user_id), Some(organisation_id)) = (viewer.user_id(), organisation_id) else {
        return Ok(false);
    };
    let store = services()?.store;
    Ok(store.memberships(user_id).await?.iter().any(|o| o.id == organisation_id))
}

/// One service of the request's locality.
#[server(prefix = "/api", endpoint = "services/get", input = GetUrl)]
pub async fn get_service(id: i64, locality: Option<String>) -> Result<ServiceView, AppError> {
    super::reply(
        async {
            let store = services()?.store;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            let service = store.service(id).await?;
            if service.locality_id != locality.id {
                return Err(AppError::NotFound);
            }
            let viewer = current_viewer();
            let now = chrono::Utc::now();
            Ok(ServiceView {
                open_now: service.is_open(now),
                stale: service.is_stale(now),
                may_edit: keeps(&viewer, &locality, service.draft.organisation_id).await?,
                may_remove: viewer.is_staff_of(locality.id),
                service,
            })
        }
        .await,
    )
}

/// The viewer's part in the locality's directory (nothing for visitors and other citizens).
#[server(prefix = "/api", endpoint = "services/desk", input = GetUrl)]
pub async fn directory_desk(locality: Option<String>) -> Result<ServicesDesk, AppError> {
    super::reply(
        async {
            let viewer = current_viewer();
            let Some(user_id) = viewer.user_id() else { return Ok(ServicesDesk::default()) };
            let store = services()?.store;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            let now = chrono::Utc::now();
            let reviewer = viewer.is_staff_of(locality.id);
            let organisations: Vec<Organisation> = if reviewer {
                store.organisations(locality.id).await?
            } else {
                store
                    .memberships(user_id)
                    .await?
                    .into_iter()
                    .filter(|o| o.locality_id == locality.id)
                    .collect()
            };
            if !reviewer && organisations.is_empty() {
                return Ok(ServicesDesk::default());
            }
            let member = (!reviewer).then_some(user_id);
            let changes = store.service_changes(locality.id, member).await?;
            let kept = |s: &Service| {
                reviewer || organisations.iter().any(|o| Some(o.id) == s.draft.organisation_id)
            };
            let stale = store
                .services(locality.id)
                .await?
                .into_iter()
                .filter(|s| s.is_stale(now) && kept(s))
                .collect();
            Ok(ServicesDesk { reviewer, organisations, changes, stale })
        }
        .await,
    )
}
