//! The data-access layer: the only place with SQL.
//!
//! One `Db` value wraps either a SQLite or a PostgreSQL pool, chosen at run time from
//! `DATABASE_URL`. Queries are written once in portable SQL (`$1` placeholders work in both) and
//! run through [`with_pool!`], which expands the same code for each backend; only the migrations
//! differ per dialect. See `docs/architecture.md` for why.

mod accounts;
mod admin;
pub(crate) mod announcements;
pub(crate) mod area_alerts;
pub(crate) mod audit;
mod ballots;
#[cfg(feature = "bench")]
mod bench_data;
pub mod budget;
mod directory;
mod export;
pub mod feeds;
pub mod follow_notices;
mod follows;
pub(crate) mod grouped;
pub mod idempotency;
mod initiatives;
mod jobs;
mod localities;
pub(crate) mod mail;
pub mod mail_queue;
mod network;
pub mod notify;
pub mod open311;
pub mod open_data;
mod polls;
pub mod rate_limits;
pub(crate) mod reports;
pub(crate) mod statistics;
mod subscriptions;
mod surveys;
pub use ballots::Ballots;
pub use localities::{CategorySpec, LocalitySpec};
pub mod seed;
mod seed_rows;
mod seed_singerei;

use app::store::StoreError;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Failures while opening or migrating the database (start-up only; queries use `StoreError`).
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("could not open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("could not create the data directory {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("could not apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Runs `$body` with `$pool` bound to whichever pool `$db` holds; the body is compiled once per
/// backend, so `sqlx::query_as` and friends infer the right database type in each arm.
macro_rules! with_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

impl Db {
    /// Opens the database named by `url`. SQLite files (and their directory) are created when
    /// missing and run in WAL mode with `synchronous=FULL`, so an acknowledged write survives a
    /// power cut.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(DbError::Connect)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            if let Some(dir) = options.get_filename().parent().filter(|d| !d.as_os_str().is_empty())
            {
                std::fs::create_dir_all(dir).map_err(|source| DbError::DataDir {
                    path: dir.display().to_string(),
                    source,
                })?;
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await
                .map_err(DbError::Connect)?;
            Ok(Db::Sqlite(pool))
        } else {
            let pool = PgPoolOptions::new()
                .max_connections(20)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await
                .map_err(DbError::Connect)?;
            Ok(Db::Postgres(pool))
        }
    }

    /// Applies the migrations of this backend (`server/migrations/{sqlite,postgres}`).
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self {
            Db::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// True when a trivial query succeeds.
    pub async fn ping(&self) -> bool {
        with_pool!(self, |pool| sqlx::query("SELECT 1").execute(pool).await.is_ok())
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    pub async fn close(&self) {
        with_pool!(self, |pool| pool.close().await)
    }
}

/// Opens a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`), so
/// two writers never deadlock upgrading a read lock; PostgreSQL's row locks need no such care.
pub(crate) trait BeginWrite {
    type Database: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<
        Output = Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>,
    > + Send;
}

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}

/// Maps a driver error to what the app may know: missing rows and broken uniqueness rules keep
/// their meaning, everything else is an opaque backend failure (logged by the app layer).
pub(crate) fn store_err(err: sqlx::Error) -> StoreError {
    match &err {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict("unique"),
        _ => StoreError::Backend(Box::new(err)),
    }
}

/// The current time, truncated to microseconds so values read back from either backend compare
/// equal to what was written.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    let t = chrono::Utc::now();
    chrono::DurationRound::duration_trunc(t, chrono::TimeDelta::microseconds(1)).unwrap_or(t)
}
