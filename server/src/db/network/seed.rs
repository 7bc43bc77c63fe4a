//! The demo's NGO network: six organisations of Bălți and their events in the four languages
//! (`seed/network.json`), the events placed relative to the day the demo is loaded.

use super::newsletters::insert_newsletter;
use super::resources::insert_resource;
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::model::network::{Audience, EventStatus};
use app::model::resources::{NewResource, Topic};
use app::model::Localized;
use app::store::{StoreError, StoreResult};
use chrono::{NaiveTime, TimeDelta};
use serde::Deserialize;

const NETWORK: &str = include_str!("../../../seed/network.json");
const RESOURCES: &str = include_str!("../../../seed/resources.json");
const NEWSLETTERS: &str = include_str!("../../../seed/newsletters.json");

/// The demo account that acts for an NGO, and the organisation it acts for.
pub const DEMO_NGO_MEMBER: (&str, &str) = ("ong@balti.demo", "ao-casa-deschisa");

#[derive(Deserialize)]
struct Network {
    organisations: Vec<DemoOrganisation>,
    events: Vec<DemoEvent>,
}

#[derive(Deserialize)]
struct DemoOrganisation {
    slug: String,
    name: String,
    website: Option<String>,
    email: Option<String>,
}

#[derive(Deserialize)]
struct DemoEvent {
    organisation: String,
    title: Localized,
    description: Localized,
    /// Days after the load (negative: before).
    day: i64,
    /// City wall-clock time, `HH:MM`.
    start: String,
    minutes: i64,
    place: Option<String>,
    lat: Option<f64>,
    lng: Option<f64>,
    online_url: Option<String>,
    language: String,
    audience: String,
    category: String,
}

#[derive(Deserialize)]
struct Resources {
    resources: Vec<DemoResource>,
}

#[derive(Deserialize)]
struct DemoResource {
    organisation: String,
    title: Localized,
    description: Localized,
    url: String,
    language: String,
    topic: String,
    audience: String,
    /// When it was added, in days before the load.
    days_ago: i64,
}

/// A published issue of the quarterly newsletter.
#[derive(Deserialize)]
struct DemoNewsletter {
    year: i32,
    quarter: u32,
    published_at: chrono::DateTime<chrono::Utc>,
    title: Localized,
    body: Localized,
}

fn bad(what: String) -> StoreError {
    StoreError::Backend(what.into())
}

impl Db {
    /// Loads the network once (nothing happens when the locality has organisations already),
    /// in one transaction, and lets [`DEMO_NGO_MEMBER`] act for its organisation.
    pub(crate) async fn load_network_demo(&self, locality_id: i64) -> StoreResult<()> {
        let network: Network = serde_json::from_str(NETWORK).map_err(|e| bad(e.to_string()))?;
        let resources: Resources =
            serde_json::from_str(RESOURCES).map_err(|e| bad(e.to_string()))?;
        let newsletters: Vec<DemoNewsletter> =
            serde_json::from_str(NEWSLETTERS).map_err(|e| bad(e.to_string()))?;
        let loaded = now();
        let today = app::format::local_date(loaded);
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let existing: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM organisations WHERE locality_id = $1")
                    .bind(locality_id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(store_err)?;
            if existing > 0 {
                return Ok(());
            }
            let mut ids = Vec::new();
            for o in &network.organisations {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO organisations (locality_id, slug, name, website, email, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(locality_id)
                .bind(&o.slug)
                .bind(&o.name)
                .bind(&o.website)
                .bind(&o.email)
                .bind(loaded)
                .fetch_one(&mut *tx)
                .await
                .map_err(store_err)?;
                ids.push((o.slug.as_str(), id));
            }
            for e in &network.events {
                let organisation = ids
                    .iter()
                    .find(|(slug, _)| *slug == e.organisation)
                    .map(|(_, id)| *id)
                    .ok_or_else(|| bad(format!("unknown organisation {}", e.organisation)))?;
                let time = NaiveTime::parse_from_str(&e.start, "%H:%M")
                    .map_err(|_| bad(format!("bad start {}", e.start)))?;
                let day = today + TimeDelta::days(e.day);
                let starts_at = app::format::city_time_to_utc(day.and_time(time))
                    .ok_or_else(|| bad(format!("no such time {day} {time}")))?;
                let ends_at = starts_at + TimeDelta::minutes(e.minutes);
                sqlx::query(
                    "INSERT INTO events (locality_id, organisation_id, title_ro, title_ru, title_uk, \
                     title_en, description_ro, description_ru, description_uk, description_en, \
                     starts_at, ends_at, place, lat, lng, online_url, language, audience, category, \
                     status, reviewed_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
                     $11, $12, $13, $14, $15, $16, $17, $18, $19, 'published', $20, $20)",
                )
                .bind(locality_id)
                .bind(organisation)
                .bind(&e.title.ro)
                .bind(&e.title.ru)
                .bind(&e.title.uk)
                .bind(&e.title.en)
                .bind(&e.description.ro)
                .bind(&e.description.ru)
                .bind(&e.description.uk)
                .bind(&e.description.en)
                .bind(starts_at)
                .bind(ends_at)
                .bind(e.place.as_deref().unwrap_or_default())
                .bind(e.lat)
                .bind(e.lng)
                .bind(e.online_url.as_deref().unwrap_or_default())
                .bind(&e.language)
                .bind(&e.audience)
                .bind(&e.category)
                .bind(loaded)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
            }
            for r in &resources.resources {
                let organisation_id = ids
                    .iter()
                    .find(|(slug, _)| *slug == r.organisation)
                    .map(|(_, id)| *id)
                    .ok_or_else(|| bad(format!("unknown organisation {}", r.organisation)))?;
                let resource = NewResource {
                    locality_id,
                    organisation_id,
                    title: r.title.clone(),
                    description: r.description.clone(),
                    url: r.url.clone(),
                    file: None,
                    language: r.language.clone(),
                    topic: Topic::parse(&r.topic)
                        .ok_or_else(|| bad(format!("unknown topic {}", r.topic)))?,
                    audience: Audience::parse(&r.audience)
                        .ok_or_else(|| bad(format!("unknown audience {}", r.audience)))?,
                };
                let added = loaded - TimeDelta::days(r.days_ago);
                insert_resource!(&mut *tx, resource, EventStatus::Published, None::<i64>, added)
                    .await
                    .map_err(store_err)?;
            }
            for n in &newsletters {
                let quarter = app::model::newsletter::Quarter::new(n.year, n.quarter)
                    .ok_or_else(|| bad(format!("no quarter {}/{}", n.year, n.quarter)))?;
                let issue = app::model::newsletter::NewsletterDraft {
                    locality_id,
                    quarter,
                    title: n.title.clone(),
                    body: n.body.clone(),
                };
                // Marked as mailed: loading the demo mails nobody.
                let published = Some(n.published_at);
                insert_newsletter!(&mut *tx, issue, None::<i64>, n.published_at, published, published)
                    .await
                    .map_err(store_err)?;
            }
            let (email, slug) = DEMO_NGO_MEMBER;
            sqlx::query(
                "INSERT INTO organisation_members (organisation_id, user_id, added_at) \
                 SELECT o.id, u.id, $1 FROM organisations o, users u \
                 WHERE o.locality_id = $2 AND o.slug = $3 AND u.email = $4",
            )
            .bind(loaded)
            .bind(locality_id)
            .bind(slug)
            .bind(email)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
            tx.commit().await.map_err(store_err)
        }
        .await
        })
    }
}
