//! `make bench`: speed and size measurements, printed as a table.
//!
//! Map: the time to answer one screen of the map (the GeoJSON feed, as the browser and open-data
//! users call it) and the bytes sent, over 100,000 and 1,000,000 generated reports, on SQLite
//! and, when `AGORA_BENCH_POSTGRES` names an admin URL, on PostgreSQL.

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use server::config::Config;
use server::db::Db;
use server::state::AppState;
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// City-wide (zoom 13) and street-level (zoom 17) screens of Bălți.
const SCREENS: [(&str, &str, u8); 2] = [
    ("city", "27.8700,47.7200,27.9900,47.8000", 13),
    ("street", "27.9250,47.7600,27.9330,47.7640", 17),
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let sizes: Vec<usize> = std::env::var("AGORA_BENCH_SIZES")
        .unwrap_or_else(|_| "100000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let postgres = std::env::var("AGORA_BENCH_POSTGRES").ok().filter(|s| !s.is_empty());
    println!("map screen over N reports: median of 30 requests through the whole router");
    println!(
        "{:<10} {:>9} {:<7} {:>10} {:>10} {:>11} {:>10}",
        "backend", "reports", "screen", "median ms", "p90 ms", "bytes", "features"
    );
    for &n in &sizes {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}", dir.path().join("bench.db").display());
        bench_map("sqlite", &url, dir.path(), n).await?;
        if let Some(admin) = &postgres {
            let name = format!("agora_bench_{n}");
            let pool = sqlx::PgPool::connect(admin).await?;
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&pool).await?;
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await?;
            let (base, _) = admin.rsplit_once('/').unwrap_or((admin, ""));
            bench_map("postgres", &format!("{base}/{name}"), dir.path(), n).await?;
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&pool).await?;
        }
    }
    Ok(())
}

async fn bench_map(
    backend: &str,
    url: &str,
    data_dir: &std::path::Path,
    n: usize,
) -> anyhow::Result<()> {
    let data = data_dir.to_string_lossy().into_owned();
    let config = Config::from_lookup(|k| match k {
        "DATABASE_URL" => Some(url.to_owned()),
        "AGORA_DATA_DIR" => Some(data.clone()),
        _ => None,
    })?;
    let db = server::open_database(&config).await?;
    db.load_demo().await?;
    let started = Instant::now();
    generate(&db, n).await?;
    db.rebuild_cells().await?;
    eprintln!("  ({backend}: generated {n} reports in {:.1} s)", started.elapsed().as_secs_f64());
    let router = server::router(AppState::new(config, db.clone()));
    for (name, bbox, zoom) in SCREENS {
        let uri = format!("/api/v1/reports.geojson?bbox={bbox}&zoom={zoom}");
        let mut times = Vec::new();
        let mut bytes = 0;
        let mut features = 0;
        for _ in 0..31 {
            let req = Request::get(&uri).body(Body::empty())?;
            let t = Instant::now();
            let res = router.clone().oneshot(req).await?;
            let body = res.into_body().collect().await?.to_bytes();
            times.push(t.elapsed());
            bytes = body.len();
            let json: serde_json::Value = serde_json::from_slice(&body)?;
            features = json["features"].as_array().map_or(0, Vec::len);
        }
        times.remove(0); // the first one warms caches
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{backend:<10} {n:>9} {name:<7} {:>10.2} {:>10.2} {bytes:>11} {features:>10}",
            ms(times[times.len() / 2]),
            ms(times[times.len() * 9 / 10])
        );
    }
    db.close().await;
    Ok(())
}

/// Inserts `n` reports spread over the city, in the demo's categories and the usual status mix.
async fn generate(db: &Db, n: usize) -> anyhow::Result<()> {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let statuses = ["new", "accepted", "resolved", "resolved", "resolved", "rejected"];
    let mut batch = Vec::with_capacity(1000);
    let mut done = 0;
    while done < n {
        batch.clear();
        for _ in 0..(n - done).min(1000) {
            let lat = 47.727 + next() * 0.065;
            let lng = 27.890 + next() * 0.075;
            let category = 1 + (next() * 10.0) as i64;
            let status = statuses[(next() * statuses.len() as f64) as usize % statuses.len()];
            batch.push((lat, lng, category, status));
        }
        db.bench_insert_reports(&batch).await?;
        done += batch.len();
    }
    Ok(())
}
