use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use server::config::Config;
use server::db::Db;
use server::state::AppState;
use std::sync::atomic::{AtomicU32, Ordering};
use tower::ServiceExt;

/// A fresh, migrated database and the router around it.
pub struct TestApp {
    pub router: Router,
    pub db: Db,
    _dir: tempfile::TempDir,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The database URL for one test: a file in `dir` for SQLite, or a new database on the
/// PostgreSQL server named by `AGORA_TEST_DATABASE`.
async fn fresh_database_url(dir: &std::path::Path) -> String {
    let target = std::env::var("AGORA_TEST_DATABASE").unwrap_or_else(|_| "sqlite".into());
    if target == "sqlite" {
        return format!("sqlite://{}", dir.join("agora.db").display());
    }
    let name =
        format!("agora_test_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
    let admin = sqlx::PgPool::connect(&target).await.expect("connect to the PostgreSQL admin URL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .expect("create test database");
    admin.close().await;
    let (base, _) = target.rsplit_once('/').expect("admin URL ends in a database name");
    format!("{base}/{name}")
}

/// A migrated, empty database.
pub async fn spawn_empty() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database_url(dir.path()).await;
    let data_dir = dir.path().to_string_lossy().into_owned();
    let config = Config::from_lookup(|name| match name {
        "DATABASE_URL" => Some(url.clone()),
        "AGORA_DATA_DIR" => Some(data_dir.clone()),
        "AGORA_PUBLIC_URL" => Some("https://agora.example".into()),
        _ => None,
    })
    .expect("test config");
    let db = server::open_database(&config).await.expect("open and migrate");
    let router = server::router(AppState::new(config, db.clone()));
    TestApp { router, db, _dir: dir }
}

/// A database holding the Bălți demo data.
pub async fn spawn_app() -> TestApp {
    let app = spawn_empty().await;
    app.db.load_demo().await.expect("load demo data");
    app
}

impl TestApp {
    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.get_with(uri, &[]).await
    }

    pub async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> TestResponse {
        let mut builder = Request::builder().method(Method::GET).uri(uri);
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        self.request(builder.body(Body::empty()).expect("request")).await
    }

    pub async fn scalar(&self, sql: &str) -> i64 {
        match &self.db {
            Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
            Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

/// The whole of Bălți, for GeoJSON and server-function queries.
pub const BALTI_BBOX: &str = "27.85,47.70,28.02,47.82";
