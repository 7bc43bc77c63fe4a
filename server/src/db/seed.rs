//! The Bălți demo data: the locality with its categories and boundary, about sixty plausible
//! reports in the 2023 category mix, and the 2023 initiatives and poll with their real figures.
//! Loaded once (recorded in `meta`), by `agora demo-data` and by the tests.

use super::localities::LocalitySpec;
use super::seed_singerei::{SmallTownReport, SINGEREI, SINGEREI_REPORTS};
use super::{store_err, with_pool, BeginWrite, Db};
use app::model::vote::SubjectKind;
use app::model::Viewer;
use app::store::{StoreError, StoreResult};
use chrono::{DateTime, Utc};
use serde::Deserialize;

pub const BALTI: &str = include_str!("../../seed/balti.json");
const DEMO: &str = include_str!("../../seed/demo.json");
/// The city's 2023 as its yearly report published it (`seed/make_2023.py` writes it).
const YEAR_2023: &str = include_str!("../../seed/year2023.json");
/// Written last, once everything is in: the demo data is complete.
const LOADED_KEY: &str = "demo_data_loaded_at";
/// Written with the rows in their one transaction: a load cut short after it (a crash while the
/// aggregates are rebuilt or the accounts made) resumes from there instead of adding the rows twice.
const ROWS_KEY: &str = "demo_data_rows_at";

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

/// The public relations department: the NGO network's secretariat.
const SECRETARIAT: &str = "Direcția relații publice";

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

/// A demo account: e-mail, name, role, department, and the locality of the role.
pub type DemoAccount =
    (&'static str, &'static str, Option<&'static str>, Option<&'static str>, Option<&'static str>);

/// The demo's accounts (all with [`DEMO_PASSWORD`]).
pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    ("operator@agora.demo", "Operator Agora", Some("operator"), None, None),
    ("admin@balti.demo", "Administrator Primăria Bălți", Some("admin"), None, Some("balti")),
    ("moderator@balti.demo", "Moderator Bălți", Some("moderator"), None, Some("balti")),
    (
        "spatii.verzi@balti.demo",
        "Î.M. „Spații Verzi”",
        Some("staff"),
        Some("Î.M. „Spații Verzi”"),
        Some("balti"),
    ),
    (
        "relatii.publice@balti.demo",
        "Direcția relații publice",
        Some("staff"),
        Some(SECRETARIAT),
        Some("balti"),
    ),
    ("cetatean@balti.demo", "Ion Cetățeanu", None, None, None),
    // Acts for an NGO of the network (`network::seed::DEMO_NGO_MEMBER`).
    ("ong@balti.demo", "Olga Munteanu, A.O. „Casa Deschisă”", None, None, None),
    (
        "admin@singerei.demo",
        "Administrator Primăria Sîngerei",
        Some("admin"),
        None,
        Some("singerei"),
    ),
    ("moderator@singerei.demo", "Moderator Sîngerei", Some("moderator"), None, Some("singerei")),
    (
        "staff@singerei.demo",
        "Primăria Sîngerei, gospodărie comunală",
        Some("staff"),
        None,
        Some("singerei"),
    ),
];

pub const DEMO_PASSWORD: &str = "agora-demo-2026";

/// What `load_demo` did.
#[derive(Debug, PartialEq, Eq)]
pub enum DemoOutcome {
    Loaded { reports: usize },
    AlreadyLoaded,
}

fn parse<T: serde::de::DeserializeOwned>(json: &str) -> StoreResult<T> {
    serde_json::from_str(json).map_err(|e| StoreError::Backend(Box::new(e)))
}

/// The Bălți locality as shipped.
pub fn balti() -> StoreResult<LocalitySpec> {
    parse(BALTI)
}

impl Db {
    /// Loads the demo data unless it was loaded before. The locality import is idempotent; the
    /// rows go in one transaction with their own marker; the derived tables and the accounts
    /// follow (each step safe to repeat), and the marker that the data is complete comes last.
    pub async fn load_demo(&self) -> StoreResult<DemoOutcome> {
        if self.meta(LOADED_KEY).await?.is_some() {
            return Ok(DemoOutcome::AlreadyLoaded);
        }
        let locality_id = self.import_locality(&balti()?, true, &Viewer::default()).await?;
        let singerei: LocalitySpec = parse(SINGEREI)?;
        let singerei_id = self.import_locality(&singerei, false, &Viewer::default()).await?;
        if self.meta(ROWS_KEY).await?.is_none() {
            self.insert_demo_rows(locality_id, singerei_id).await?;
        }
        self.rebuild_cells().await?;
        self.rebuild_statistics().await?;
        self.record_all_levels().await?;
        self.create_demo_accounts().await?;
        self.load_budget_demo(locality_id).await?;
        self.load_works_demo(locality_id).await?;
        self.load_network_demo(locality_id).await?;
        self.load_directory_demo(locality_id).await?;
        self.load_survey_demo(locality_id).await?;
        self.set_meta(LOADED_KEY).await?;
        let reports: i64 = with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM reports").fetch_one(pool).await
        })
        .map_err(store_err)?;
        Ok(DemoOutcome::Loaded { reports: usize::try_from(reports).unwrap_or_default() })
    }

    async fn meta(&self, key: &str) -> StoreResult<Option<String>> {
        with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
                .bind(key)
                .fetch_optional(pool)
                .await
        })
        .map_err(store_err)
    }

    async fn set_meta(&self, key: &str) -> StoreResult<()> {
        with_pool!(self, |pool| {
            sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2)")
                .bind(key)
                .bind(super::now().to_rfc3339())
                .execute(pool)
                .await
                .map(|_| ())
        })
        .map_err(store_err)
    }

    /// Every demo row, and the marker that they are in, in one transaction.
    async fn insert_demo_rows(&self, locality_id: i64, singerei_id: i64) -> StoreResult<()> {
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

    async fn create_demo_accounts(&self) -> StoreResult<()> {
        for (email, name, role, department, locality) in DEMO_ACCOUNTS {
            let existing: Option<i64> = with_pool!(self, |pool| {
                sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
                    .bind(email)
                    .fetch_optional(pool)
                    .await
            })
            .map_err(store_err)?;
            // An account made by a load that was cut short has its role already, or gets it here.
            let user_id = match existing {
                Some(id) => id,
                None => self.create_confirmed_account(email, DEMO_PASSWORD, name).await?,
            };
            let Some(role) = role else { continue };
            with_pool!(self, |pool| {
                sqlx::query(
                    "INSERT INTO roles (user_id, role, locality_id, department_id, granted_at) \
                     SELECT $1, $2, (SELECT id FROM localities WHERE slug = $3), \
                     (SELECT d.id FROM departments d JOIN localities l ON l.id = d.locality_id \
                      WHERE d.name = $4 AND l.slug = $5), $6 \
                     WHERE NOT EXISTS (SELECT 1 FROM roles WHERE user_id = $1 AND role = $2)",
                )
                .bind(user_id)
                .bind(role)
                .bind(locality)
                .bind(department)
                .bind(locality)
                .bind(super::now())
                .execute(pool)
                .await
                .map(|_| ())
            })
            .map_err(store_err)?;
        }
        Ok(())
    }
}
