//! `make bench`: speed and size measurements, printed as a table.
//!
//! - Map: the time to answer one screen of the map (the GeoJSON feed, as the browser and
//!   open-data users call it) and the bytes sent, over 100,000 and 1,000,000 generated reports.
//! - Votes: 500 citizens voting in one poll at the same moment; throughput, latency, and a check
//!   that the count equals the votes sent.
//! - Pages: server-side rendering time of the main pages over the demo data.
//! - Statistics, the yearly report and Open311's `GET requests` over the same generated reports.
//! - Civic budget: the time to count 10,000 voters' ballots over 100 projects with each outcome
//!   rule (no database), and 500 citizens building and confirming a ballot at the same moment.
//!
//! Each runs on SQLite and, when `AGORA_BENCH_POSTGRES` names an admin URL, on PostgreSQL.

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use server::config::Config;
use server::db::Db;
use server::state::AppState;
use std::time::{Duration, Instant};
use tower::ServiceExt;

mod crowd;

/// Pages a visitor opens most, rendered on the server.
const PAGES: [&str; 6] =
    ["/ro", "/ro/reports/new", "/ro/initiatives", "/ro/initiatives/2", "/ro/polls", "/ro/polls/1"];

/// The statistics pages, the yearly report (`{year}`: this year's, where the generated
/// reports fall) and Open311's list, timed over the same generated reports as the map. The
/// staff's page is opened by a staff member of the default locality.
const DATA_PAGES: [&str; 6] = [
    "/ro/statistics",
    "/ro/staff/statistics",
    "/api/v1/statistics/year/{year}",
    "/ro/statistics/year/{year}",
    "/api/v1/statistics.csv?table=category",
    "/open311/v2/requests.json",
];

/// The rows of the statistics table, printed after the map's (the two share their databases).
fn data_lines() -> &'static std::sync::Mutex<Vec<String>> {
    static LINES: std::sync::OnceLock<std::sync::Mutex<Vec<String>>> = std::sync::OnceLock::new();
    LINES.get_or_init(Default::default)
}

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

    if wanted("rules") {
        bench_budget_rules();
    }
    if wanted("pages") {
        bench_server_pages(&postgres).await?;
    }
    if wanted("votes") {
        crowd::bench_crowd(&postgres, crowd::Crowd::Votes).await?;
    }
    if wanted("ballots") {
        crowd::bench_crowd(&postgres, crowd::Crowd::Ballots).await?;
    }
    if wanted("data") {
        bench_data(&postgres, &sizes).await?;
    }
    Ok(())
}

/// Whether `section` is to run: all of them, or those named in `AGORA_BENCH_ONLY`
/// (`rules,pages,votes,ballots,data`), for measuring one thing at a time.
fn wanted(section: &str) -> bool {
    std::env::var("AGORA_BENCH_ONLY")
        .map(|only| only.split(',').any(|s| s.trim() == section))
        .unwrap_or(true)
}

async fn bench_server_pages(postgres: &Option<String>) -> anyhow::Result<()> {
    println!("server-side rendering over the demo data: median of 30 requests");
    println!(
        "{:<10} {:<28} {:>10} {:>10} {:>9}",
        "backend", "page", "median ms", "p90 ms", "bytes"
    );
    with_backends(postgres, "pages", |backend, url, dir| async move {
        let (router, db) = demo_router(&url, &dir).await?;
        bench_pages(&backend, &router).await?;
        db.close().await;
        Ok(())
    })
    .await?;
    println!();
    Ok(())
}

async fn bench_data(postgres: &Option<String>, sizes: &[usize]) -> anyhow::Result<()> {
    println!("map screen over N reports: median of 30 requests through the whole router");
    println!(
        "{:<10} {:>9} {:<7} {:>10} {:>10} {:>11} {:>10}",
        "backend", "reports", "screen", "median ms", "p90 ms", "bytes", "features"
    );
    for &n in sizes {
        with_backends(postgres, &format!("map_{n}"), |backend, url, dir| async move {
            bench_map(&backend, &url, &dir, n).await
        })
        .await?;
    }
    println!();
    println!("statistics, the yearly report and Open311 over N reports: median of 30 requests");
    println!(
        "{:<10} {:>9} {:<40} {:>10} {:>10} {:>11}",
        "backend", "reports", "address", "median ms", "p90 ms", "bytes"
    );
    for line in data_lines().lock().map_err(|_| anyhow::anyhow!("lock"))?.iter() {
        println!("{line}");
    }
    Ok(())
}

/// Runs `bench` on a fresh SQLite database, then on a fresh PostgreSQL one when `postgres` is set.
async fn with_backends<F, Fut>(
    postgres: &Option<String>,
    label: &str,
    bench: F,
) -> anyhow::Result<()>
where
    F: Fn(String, String, std::path::PathBuf) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    bench("sqlite".into(), url, dir.path().to_owned()).await?;
    if let Some(admin) = postgres {
        let name = format!("agora_bench_{label}");
        let pool = sqlx::PgPool::connect(admin).await?;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&pool).await?;
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await?;
        let (base, _) = admin.rsplit_once('/').unwrap_or((admin, ""));
        bench("postgres".into(), format!("{base}/{name}"), dir.path().to_owned()).await?;
        // The benchmark's own pool (and the live hub's) may still hold connections.
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&pool).await?;
    }
    Ok(())
}

/// The whole router over a database holding the demo data, as `make run` serves it (addresses
/// taken from `X-Forwarded-For`, so that each simulated citizen has its own).
async fn demo_router(url: &str, data_dir: &std::path::Path) -> anyhow::Result<(axum::Router, Db)> {
    let data = data_dir.to_string_lossy().into_owned();
    let config = Config::from_lookup(|k| match k {
        "DATABASE_URL" => Some(url.to_owned()),
        "AGORA_DATA_DIR" => Some(data.clone()),
        "AGORA_TRUST_PROXY" => Some("1".into()),
        _ => None,
    })?;
    let db = server::open_database(&config).await?;
    db.load_demo().await?;
    Ok((server::router(AppState::new(config, db.clone())), db))
}

async fn bench_pages(backend: &str, router: &axum::Router) -> anyhow::Result<()> {
    for page in PAGES {
        let (median, p90, bytes) = time_get(router, page, None).await?;
        println!("{backend:<10} {page:<28} {median:>10.2} {p90:>10.2} {bytes:>9}");
    }
    Ok(())
}

async fn get_json(router: &axum::Router, uri: &str) -> anyhow::Result<serde_json::Value> {
    let res = router.clone().oneshot(Request::get(uri).body(Body::empty())?).await?;
    anyhow::ensure!(res.status().is_success(), "{uri} answered {}", res.status());
    Ok(serde_json::from_slice(&res.into_body().collect().await?.to_bytes())?)
}

/// `GET uri` 31 times through the whole router (the first warms caches): median and p90 in ms
/// and the size of the answer. A failed answer fails the benchmark.
async fn time_get(
    router: &axum::Router,
    uri: &str,
    session: Option<&str>,
) -> anyhow::Result<(f64, f64, usize)> {
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..31 {
        let mut req = Request::get(uri);
        if let Some(token) = session {
            req = req.header("cookie", format!("agora_session={token}"));
        }
        let req = req.body(Body::empty())?;
        let t = Instant::now();
        let res = router.clone().oneshot(req).await?;
        anyhow::ensure!(res.status().is_success(), "{uri} answered {}", res.status());
        bytes = res.into_body().collect().await?.to_bytes().len();
        times.push(t.elapsed());
    }
    times.remove(0);
    let (median, p90) = spread(&mut times, 90);
    Ok((median, p90, bytes))
}

/// Sorts `times` and returns the median and the `pct`-th percentile in milliseconds.
fn spread(times: &mut [Duration], pct: usize) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at =
        |p: usize| times.get((times.len() * p / 100).min(times.len().saturating_sub(1))).copied();
    (at(50).map_or(0.0, ms), at(pct).map_or(0.0, ms))
}

async fn bench_map(
    backend: &str,
    url: &str,
    data_dir: &std::path::Path,
    n: usize,
) -> anyhow::Result<()> {
    let (router, db) = demo_router(url, data_dir).await?;
    let started = Instant::now();
    generate(&db, n).await?;
    db.rebuild_cells().await?;
    db.rebuild_statistics().await?;
    db.bench_analyze().await?;
    eprintln!("  ({backend}: generated {n} reports in {:.1} s)", started.elapsed().as_secs_f64());
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
        times.remove(0); // the first request warms caches
        let (median, p90) = spread(&mut times, 90);
        println!(
            "{backend:<10} {n:>9} {name:<7} {median:>10.2} {p90:>10.2} {bytes:>11} {features:>10}"
        );
    }
    let year = chrono::Datelike::year(&chrono::Utc::now());
    let staff = db.bench_session("admin@balti.demo").await?;
    for uri in DATA_PAGES {
        let uri = uri.replace("{year}", &year.to_string());
        let cookie = uri.contains("/staff/").then_some(staff.as_str());
        let (median, p90, bytes) = time_get(&router, &uri, cookie).await?;
        eprintln!("  {backend:<10} {n:>9} {uri:<40} {median:>10.2} {p90:>10.2} {bytes:>11}");
        data_lines()
            .lock()
            .map_err(|_| anyhow::anyhow!("lock"))?
            .push(format!("{backend:<10} {n:>9} {uri:<40} {median:>10.2} {p90:>10.2} {bytes:>11}"));
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

/// The civic budget's outcome rules on a generated budget of 10,000 voters and 100 projects.
fn bench_budget_rules() {
    const VOTERS: usize = 10_000;
    const PROJECTS: usize = 100;
    println!("civic budget: counting {VOTERS} ballots over {PROJECTS} projects, best of 3 runs");
    println!(
        "{:<14} {:>10} {:>8} {:>14} {:>14}",
        "rule", "ms", "funded", "spent lei", "amount lei"
    );
    for t in server::budget::bench::time_rules(VOTERS, PROJECTS, 3) {
        println!(
            "{:<14} {:>10.1} {:>8} {:>14} {:>14}",
            t.rule.pabulib_name(),
            t.best.as_secs_f64() * 1000.0,
            t.funded,
            t.spent,
            t.amount
        );
    }
    println!();
}
