//! The demo's directory: a few dozen services of Bălți in the four languages
//! (`seed/services.json`), some kept by the demo's NGOs, a few not checked for months.

use super::{bind_draft, insert_sql};
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::model::directory::{OpeningHours, ServiceAudience, ServiceCategory, ServiceDraft};
use app::model::{LatLng, Localized};
use app::store::{StoreError, StoreResult};
use chrono::TimeDelta;
use serde::Deserialize;

const SERVICES: &str = include_str!("../../../seed/services.json");

#[derive(Deserialize)]
struct Directory {
    services: Vec<DemoService>,
}

#[derive(Deserialize)]
struct DemoService {
    /// The slug of the NGO that keeps it, if one does.
    organisation: Option<String>,
    provider: String,
    category: String,
    name: Localized,
    description: Localized,
    eligibility: Localized,
    address: String,
    lat: f64,
    lng: f64,
    hours: String,
    languages: Vec<String>,
    free: bool,
    audience: String,
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
    checked_days_ago: i64,
}

fn bad(what: String) -> StoreError {
    StoreError::Backend(what.into())
}

impl DemoService {
    fn draft(&self, organisation_id: Option<i64>) -> StoreResult<ServiceDraft> {
        Ok(ServiceDraft {
            organisation_id,
            provider: self.provider.clone(),
            category: ServiceCategory::parse(&self.category)
                .ok_or_else(|| bad(format!("unknown category {}", self.category)))?,
            name: self.name.clone(),
            description: self.description.clone(),
            eligibility: self.eligibility.clone(),
            address: self.address.clone(),
            at: Some(LatLng { lat: self.lat, lng: self.lng }),
            hours: OpeningHours::parse(&self.hours).map_err(|e| bad(e.to_string()))?,
            languages: self.languages.clone(),
            free: self.free,
            audience: ServiceAudience::parse(&self.audience)
                .ok_or_else(|| bad(format!("unknown audience {}", self.audience)))?,
            phone: self.phone.clone(),
            email: self.email.clone(),
            website: self.website.clone(),
        })
    }
}

impl Db {
    /// Loads the directory once (nothing happens when the locality has services already), in
    /// one transaction, after the network whose NGOs keep some of the entries.
    pub(crate) async fn load_directory_demo(&self, locality_id: i64) -> StoreResult<()> {
        let directory: Directory =
            serde_json::from_str(SERVICES).map_err(|e| bad(e.to_string()))?;
        let loaded = now();
        let insert = insert_sql();
        with_pool!(self, |pool| {
            async {
                let mut tx = pool.begin_write().await.map_err(store_err)?;
                let existing: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM services WHERE locality_id = $1")
                        .bind(locality_id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(store_err)?;
                if existing > 0 {
                    return Ok(());
                }
                for s in &directory.services {
                    let organisation_id: Option<i64> = match &s.organisation {
                        Some(slug) => Some(
                            sqlx::query_scalar(
                                "SELECT id FROM organisations WHERE locality_id = $1 AND slug = $2",
                            )
                            .bind(locality_id)
                            .bind(slug)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(store_err)?
                            .ok_or_else(|| bad(format!("unknown organisation {slug}")))?,
                        ),
                        None => None,
                    };
                    let draft = s.draft(organisation_id)?;
                    let checked = loaded - TimeDelta::days(s.checked_days_ago);
                    let _id: i64 = bind_draft!(sqlx::query_scalar(&insert), draft)
                        .bind(locality_id)
                        .bind(checked)
                        .bind(None::<i64>)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(store_err)?;
                }
                tx.commit().await.map_err(store_err)
            }
            .await
        })
    }
}
