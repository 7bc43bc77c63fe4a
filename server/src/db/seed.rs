//! The Bălți demo data: the locality with its categories and boundary, about sixty plausible
//! reports in the 2023 category mix, and the 2023 initiatives and poll with their real figures.
//! Loaded once (recorded in `meta`), by `agora demo-data` and by the tests; the rows themselves
//! are written by `seed_rows.rs`.

use super::localities::LocalitySpec;
use super::seed_singerei::SINGEREI;
use super::{store_err, with_pool, Db};
use app::model::Viewer;
use app::store::{StoreError, StoreResult};

pub const BALTI: &str = include_str!("../../seed/balti.json");
/// Written last, once everything is in: the demo data is complete.
const LOADED_KEY: &str = "demo_data_loaded_at";
/// Written with the rows in their one transaction: a load cut short after it (a crash while the
/// aggregates are rebuilt or the accounts made) resumes from there instead of adding the rows twice.
pub(super) const ROWS_KEY: &str = "demo_data_rows_at";

/// The public relations department: the NGO network's secretariat.
pub(super) const SECRETARIAT: &str = "Direcția relații publice";

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

pub(super) fn parse<T: serde::de::DeserializeOwned>(json: &str) -> StoreResult<T> {
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
