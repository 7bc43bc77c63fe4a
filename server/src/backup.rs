//! `agora backup DIR` and `agora restore DIR`: a consistent copy of a running deployment, and
//! putting one back on a fresh machine.
//!
//! A backup directory holds `manifest.json`, the database (`agora.db`, a SQLite copy made with
//! `VACUUM INTO`; or `agora.pgdump`, PostgreSQL's custom format from `pg_dump`) and `photos/`.
//! Both database copies are taken from one snapshot while the server keeps serving. The photos
//! are copied after it: a photo's files are written before its row is committed, so every photo
//! the copied database names is among them (a few newer ones may come along unnamed).

use crate::config::Config;
use crate::db::Db;
use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteConnectOptions;
use std::path::{Path, PathBuf};
use std::str::FromStr;

const MANIFEST: &str = "manifest.json";
const SQLITE_FILE: &str = "agora.db";
const POSTGRES_FILE: &str = "agora.pgdump";
const PHOTOS: &str = "photos";

/// What a backup holds, written last: a directory without it is not a finished backup.
#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    /// `sqlite` or `postgres`: a backup restores into the same kind of database.
    pub backend: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The version of Agora that wrote it.
    pub agora: String,
    /// The last migration applied to the copied database.
    pub migration: i64,
    pub photos: usize,
}

/// Copies the database named by `config` and its photos into `dir`, which must be new or empty.
pub async fn backup(config: &Config, dir: &Path) -> anyhow::Result<Manifest> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        bail!("{} is not empty; back up into a new directory", dir.display());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let db = crate::open_database(config).await?;
    let migration = last_migration(&db).await?;
    match &db {
        Db::Sqlite(pool) => {
            let target = dir.join(SQLITE_FILE);
            sqlx::query("VACUUM INTO $1")
                .bind(target.to_string_lossy().into_owned())
                .execute(pool)
                .await
                .context("copying the SQLite database (VACUUM INTO)")?;
            sync_file(&target)?;
        }
        Db::Postgres(_) => {
            let target = dir.join(POSTGRES_FILE);
            run(std::process::Command::new("pg_dump")
                .arg("--format=custom")
                // Rate-limit counters are not worth keeping (their table is UNLOGGED).
                .arg("--no-unlogged-table-data")
                .arg("--file")
                .arg(&target)
                .arg("--dbname")
                .arg(&config.database_url))?;
            sync_file(&target)?;
        }
    }
    db.close().await;
    let photos = copy_photos(&config.data_dir.join(PHOTOS), &dir.join(PHOTOS))?;
    let manifest = Manifest {
        backend: backend(&config.database_url).to_owned(),
        created_at: chrono::Utc::now(),
        agora: env!("CARGO_PKG_VERSION").to_owned(),
        migration,
        photos,
    };
    let path = dir.join(MANIFEST);
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest)?)?;
    sync_file(&path)?;
    sync_file(dir)?;
    Ok(manifest)
}

/// Puts the backup in `dir` into the database named by `config` and its data directory, then
/// applies the migrations this version has beyond it. The database must be empty (a new SQLite
/// file; an empty PostgreSQL database) unless `force`, which replaces what is there. The
/// server must not be running.
pub async fn restore(config: &Config, dir: &Path, force: bool) -> anyhow::Result<Manifest> {
    let manifest: Manifest = serde_json::from_slice(
        &std::fs::read(dir.join(MANIFEST))
            .with_context(|| format!("{} holds no finished backup", dir.display()))?,
    )
    .context("reading the backup's manifest")?;
    let target = backend(&config.database_url);
    if manifest.backend != target {
        bail!("this is a {} backup; DATABASE_URL names a {target} database", manifest.backend);
    }
    if target == "sqlite" {
        let file = sqlite_file(&config.database_url)?;
        if file.exists() && !force {
            bail!(
                "{} exists; restore into a new file, or add --force to replace it",
                file.display()
            );
        }
        if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        for stale in [file.clone(), with_suffix(&file, "-wal"), with_suffix(&file, "-shm")] {
            if stale.exists() {
                std::fs::remove_file(&stale)?;
            }
        }
        std::fs::copy(dir.join(SQLITE_FILE), &file)
            .with_context(|| format!("copying the database to {}", file.display()))?;
        sync_file(&file)?;
    } else {
        let db = Db::connect(&config.database_url).await?;
        let tables: i64 =
            match &db {
                Db::Postgres(pool) => sqlx::query_scalar(
                    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
                )
                .fetch_one(pool)
                .await?,
                Db::Sqlite(_) => 0,
            };
        db.close().await;
        if tables > 0 && !force {
            bail!(
                "the database is not empty; restore into a new one, or add --force to replace it"
            );
        }
        let mut command = std::process::Command::new("pg_restore");
        command.arg("--no-owner").arg("--exit-on-error").arg("--single-transaction");
        if force {
            command.arg("--clean").arg("--if-exists");
        }
        run(command.arg("--dbname").arg(&config.database_url).arg(dir.join(POSTGRES_FILE)))?;
    }
    copy_photos(&dir.join(PHOTOS), &config.data_dir.join(PHOTOS))?;
    crate::open_database(config).await?.close().await;
    Ok(manifest)
}

fn backend(url: &str) -> &'static str {
    if url.starts_with("sqlite:") {
        "sqlite"
    } else {
        "postgres"
    }
}

fn sqlite_file(url: &str) -> anyhow::Result<PathBuf> {
    Ok(SqliteConnectOptions::from_str(url)?.get_filename().to_owned())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

async fn last_migration(db: &Db) -> anyhow::Result<i64> {
    let version: Option<i64> = crate::db::with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_one(pool)
            .await
    })?;
    Ok(version.unwrap_or(0))
}

/// Copies the photo files (not half-written `.part` files) from `from` to `to`, each synced to
/// disk; returns how many. A missing `from` holds none.
fn copy_photos(from: &Path, to: &Path) -> anyhow::Result<usize> {
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    let Ok(entries) = std::fs::read_dir(from) else { return Ok(0) };
    let mut copied = 0;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let is_photo = Path::new(&name).extension().is_some_and(|e| e == "jpg");
        if !entry.file_type()?.is_file() || !is_photo {
            continue;
        }
        let target = to.join(&name);
        std::fs::copy(entry.path(), &target)
            .with_context(|| format!("copying {}", entry.path().display()))?;
        sync_file(&target)?;
        copied += 1;
    }
    sync_file(to)?;
    Ok(copied)
}

/// Flushes a file (or a directory's entries) to disk.
fn sync_file(path: &Path) -> std::io::Result<()> {
    std::fs::File::open(path)?.sync_all()
}

fn run(command: &mut std::process::Command) -> anyhow::Result<()> {
    let program = command.get_program().to_string_lossy().into_owned();
    let status = command
        .status()
        .with_context(|| format!("running {program} (Debian's postgresql-client provides it)"))?;
    if !status.success() {
        bail!("{program} failed ({status})");
    }
    Ok(())
}
