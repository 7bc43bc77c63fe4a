//! The demo's rows (`seed.rs` loads them): Bălți's departments, the reports, initiatives and
//! polls of `seed/demo.json` and the city's 2023 (`seed/year2023.json`), and Sîngerei's
//! reports, written in one transaction with the marker that they are in.

use super::seed::{parse, ROWS_KEY, SECRETARIAT};
use super::seed_singerei::{SmallTownReport, SINGEREI_REPORTS};
use super::{store_err, with_pool, BeginWrite, Db};
use app::model::vote::SubjectKind;
use app::store::{StoreError, StoreResult};
use chrono::{DateTime, Utc};
use serde::Deserialize;

const DEMO: &str = include_str!("../../seed/demo.json");
/// The city's 2023 as its yearly report published it (`seed/make_2023.py` writes it).
const YEAR_2023: &str = include_str!("../../seed/year2023.json");

/// Bălți's city-hall departments and municipal enterprises, with the categories each handles.
const DEPARTMENTS: &[(&str, &[&str])] = &[
    ("Î.M. „Spații Verzi”", &["green-spaces"]),
    ("Î.M. „Lumteh”", &["street-lighting"]),
    ("Direcția construcții capitale", &["roads", "public-buildings"]),
    ("Î.M. „Gospodăria Locativ-Comunală”", &["waste"]),
    ("Î.M. „Direcția Troleibuze”", &["public-transport"]),
    ("S.A. „Apă-Canal Bălți”", &["water-sewerage"]),
    ("Direcția gospodărie comunală", &["parking", "other", "public-buildings"]),
    ("Serviciul municipal pentru animale", &["stray-animals"]),
    (SECRETARIAT, &[]),
];

#[derive(Deserialize)]
struct Demo {
    reports: Vec<DemoReport>,
    initiatives: Vec<DemoInitiative>,
    polls: Vec<DemoPoll>,
}

#[derive(Deserialize)]
struct DemoReport {
    category: String,
    title: String,
    description: String,
    lat: f64,
    lng: f64,
    address: String,
    created_at: DateTime<Utc>,
    status: String,
    events: Vec<DemoEvent>,
}

#[derive(Deserialize)]
struct DemoEvent {
    to: String,
    body: String,
    #[serde(default)]
    department: Option<String>,
    at: DateTime<Utc>,
}

#[derive(Deserialize)]
struct DemoInitiative {
    title: String,
    lang: String,
    author: String,
    category: String,
    created_at: DateTime<Utc>,
    votes: u32,
    body: String,
}

#[derive(Deserialize)]
struct DemoPoll {
    question: app::model::Localized,
    description: app::model::Localized,
    #[serde(default)]
    opens_at: Option<DateTime<Utc>>,
    #[serde(default)]
    closes_at: Option<DateTime<Utc>>,
    /// Days before and after loading, for a poll that should be open in the demo.
    #[serde(default)]
    relative_days: Option<[i64; 2]>,
    max_choices: i64,
    options: Vec<DemoOption>,
}

impl DemoPoll {
    fn window(&self, loaded: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        match (self.relative_days, self.opens_at, self.closes_at) {
            (Some([from, to]), _, _) => {
                (loaded + chrono::TimeDelta::days(from), loaded + chrono::TimeDelta::days(to))
            }
            (None, Some(o), Some(c)) => (o, c),
            _ => (loaded, loaded + chrono::TimeDelta::days(30)),
        }
    }
}

#[derive(Deserialize)]
struct DemoOption {
    label: String,
    #[serde(default)]
    labels: Option<app::model::Localized>,
    votes: u32,
}

impl Db {
    /// Every demo row, and the marker that they are in, in one transaction.
    pub(super) async fn insert_demo_rows(
        &self,
        locality_id: i64,
        singerei_id: i64,
    ) -> StoreResult<()> {
        let mut demo: Demo = parse(DEMO)?;
        let year2023: Demo = parse(YEAR_2023)?;
        demo.reports.extend(year2023.reports);
        demo.initiatives.extend(year2023.initiatives);
        demo.polls.extend(year2023.polls);

        with_pool!(self, |pool| {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let categories: Vec<(i64, String)> =
                sqlx::query_as("SELECT id, slug FROM categories WHERE locality_id = $1")
                    .bind(locality_id)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(store_err)?;
            let category_id = |slug: &str| {
                categories.iter().find(|(_, s)| s == slug).map(|(id, _)| *id).ok_or_else(|| {
                    StoreError::Backend(format!("demo data names unknown category {slug}").into())
                })
            };

            let mut departments: Vec<(i64, String)> = Vec::new();
            for (name, slugs) in DEPARTMENTS {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO departments (locality_id, name, network_secretariat) \
                     VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(locality_id)
                .bind(name)
                .bind(*name == SECRETARIAT)
                .fetch_one(&mut *tx)
                .await
                .map_err(store_err)?;
                for slug in *slugs {
                    sqlx::query("INSERT INTO department_categories (department_id, category_id) VALUES ($1, $2)")
                        .bind(id)
                        .bind(category_id(slug)?)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_err)?;
                }
                departments.push((id, (*name).to_owned()));
            }

            let mut inserted: Vec<(i64, String)> = Vec::with_capacity(demo.reports.len());
            for r in &demo.reports {
                let first_response = r.events.first().map(|e| e.at);
                let resolved = r.events.iter().find(|e| e.to == "resolved").map(|e| e.at);
                let updated = r.events.last().map_or(r.created_at, |e| e.at);
                // A duplicate points at the latest earlier report of its category.
                let duplicate_of = (r.status == "duplicate")
                    .then(|| {
                        inserted.iter().rev().find(|(_, c)| *c == r.category).map(|(id, _)| *id)
                    })
                    .flatten();
                let department = r.events.iter().find_map(|e| e.department.as_deref());
                let department_id = match department {
                    Some(name) => departments.iter().find(|(_, n)| n == name).map(|(id, _)| *id),
                    None => None,
                };
                let search = app::model::report::search_key(&format!(
                    "{} {} {}",
                    r.title, r.description, r.address
                ));
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO reports (locality_id, category_id, title, description, lat, lng, address, status, \
                     duplicate_of, created_at, updated_at, first_response_at, resolved_at, department_id, search_text) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
                )
                .bind(locality_id)
                .bind(category_id(&r.category)?)
                .bind(&r.title)
                .bind(&r.description)
                .bind(r.lat)
                .bind(r.lng)
                .bind(&r.address)
                .bind(&r.status)
                .bind(duplicate_of)
                .bind(r.created_at)
                .bind(updated)
                .bind(first_response)
                .bind(resolved)
                .bind(department_id)
                .bind(&search)
                .fetch_one(&mut *tx)
                .await
                .map_err(store_err)?;
                inserted.push((id, r.category.clone()));

                let mut from = "new".to_owned();
                for e in &r.events {
                    let body = match &e.department {
                        Some(dept) => format!("{} ({dept})", e.body),
                        None => e.body.clone(),
                    };
                    sqlx::query(
                        "INSERT INTO report_events (report_id, from_status, to_status, body, actor_name, official, created_at) \
                         VALUES ($1, $2, $3, $4, $5, TRUE, $6)",
                    )
                    .bind(id)
                    .bind(&from)
                    .bind(&e.to)
                    .bind(&body)
                    .bind("Primăria mun. Bălți")
                    .bind(e.at)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_err)?;
                    from = e.to.clone();
                }
            }

            for i in &demo.initiatives {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO initiatives (locality_id, category_id, title, body, lang, author_name, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(locality_id)
                .bind(category_id(&i.category)?)
                .bind(&i.title)
                .bind(&i.body)
                .bind(&i.lang)
                .bind(&i.author)
                .bind(i.created_at)
                .fetch_one(&mut *tx)
                .await
                .map_err(store_err)?;
                for _ in 0..i.votes {
                    sqlx::query(
                        "INSERT INTO ballots (subject_kind, subject_id, voter_id, imported, cast_at) \
                         VALUES ($1, $2, NULL, TRUE, $3)",
                    )
                    .bind(SubjectKind::Initiative.as_str())
                    .bind(id)
                    .bind(i.created_at)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_err)?;
                }
            }

            for p in &demo.polls {
                let (opens_at, closes_at) = p.window(super::now());
                let (poll_id,): (i64,) = sqlx::query_as(
                    "INSERT INTO polls (locality_id, question_ro, question_ru, question_uk, question_en, \
                     description_ro, description_ru, description_uk, description_en, max_choices, opens_at, \
                     closes_at, results_before_vote, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, TRUE, $13) RETURNING id",
                )
                .bind(locality_id)
                .bind(&p.question.ro)
                .bind(&p.question.ru)
                .bind(&p.question.uk)
                .bind(&p.question.en)
                .bind(&p.description.ro)
                .bind(&p.description.ru)
                .bind(&p.description.uk)
                .bind(&p.description.en)
                .bind(p.max_choices)
                .bind(opens_at)
                .bind(closes_at)
                .bind(opens_at)
                .fetch_one(&mut *tx)
                .await
                .map_err(store_err)?;
                for (position, o) in p.options.iter().enumerate() {
                    let other = o.labels.clone().unwrap_or_default();
                    let (option_id,): (i64,) = sqlx::query_as(
                        "INSERT INTO poll_options (poll_id, position, label_ro, label_ru, label_uk, label_en) \
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    )
                    .bind(poll_id)
                    .bind(position as i64)
                    .bind(&o.label)
                    .bind(&other.ru)
                    .bind(&other.uk)
                    .bind(&other.en)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(store_err)?;
                    for _ in 0..o.votes {
                        let (ballot_id,): (i64,) = sqlx::query_as(
                            "INSERT INTO ballots (subject_kind, subject_id, voter_id, imported, cast_at) \
                             VALUES ($1, $2, NULL, TRUE, $3) RETURNING id",
                        )
                        .bind(SubjectKind::Poll.as_str())
                        .bind(poll_id)
                        .bind(opens_at)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(store_err)?;
                        sqlx::query(
                            "INSERT INTO ballot_choices (ballot_id, option_id) VALUES ($1, $2)",
                        )
                        .bind(ballot_id)
                        .bind(option_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_err)?;
                    }
                }
            }

            let singerei_categories: Vec<(i64, String)> =
                sqlx::query_as("SELECT id, slug FROM categories WHERE locality_id = $1")
                    .bind(singerei_id)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(store_err)?;
            let loaded = super::now();
            for report in SINGEREI_REPORTS {
                let SmallTownReport { category, title, description, at, address, status, days_ago } =
                    report;
                let (lat, lng) = at;
                let category_id = singerei_categories
                    .iter()
                    .find(|(_, s)| s == category)
                    .map(|(id, _)| *id)
                    .ok_or_else(|| {
                        StoreError::Backend(format!("no Sîngerei category {category}").into())
                    })?;
                let created = loaded - chrono::TimeDelta::days(*days_ago);
                let answered = (*status != "new").then(|| created + chrono::TimeDelta::days(1));
                let resolved =
                    (*status == "resolved").then(|| created + chrono::TimeDelta::days(5));
                let search =
                    app::model::report::search_key(&format!("{title} {description} {address}"));
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO reports (locality_id, category_id, title, description, lat, lng, address, status, \
                     created_at, updated_at, first_response_at, resolved_at, search_text) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
                )
                .bind(singerei_id)
                .bind(category_id)
                .bind(title)
                .bind(description)
                .bind(lat)
                .bind(lng)
                .bind(address)
                .bind(status)
                .bind(created)
                .bind(resolved.or(answered).unwrap_or(created))
                .bind(answered)
                .bind(resolved)
                .bind(&search)
                .fetch_one(&mut *tx)
                .await
                .map_err(store_err)?;
                // The city hall's answers, as in Bălți's timeline.
                let steps = [
                    answered.map(|at| ("new", "accepted", "Am preluat sesizarea.", at)),
                    resolved.map(|at| ("accepted", "resolved", "Lucrarea a fost făcută.", at)),
                ];
                for (from, to, body, at) in steps.into_iter().flatten() {
                    sqlx::query(
                        "INSERT INTO report_events (report_id, from_status, to_status, body, actor_name, official, created_at) \
                         VALUES ($1, $2, $3, $4, $5, TRUE, $6)",
                    )
                    .bind(id)
                    .bind(from)
                    .bind(to)
                    .bind(body)
                    .bind("Primăria orașului Sîngerei")
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_err)?;
                }
            }

            sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2)")
                .bind(ROWS_KEY)
                .bind(super::now().to_rfc3339())
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
            tx.commit().await.map_err(store_err)?;
            Ok::<_, StoreError>(())
        })
    }
}
