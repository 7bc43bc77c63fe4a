use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
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
    pub dir: tempfile::TempDir,
    /// The database's URL, for the `agora` processes some tests start on it.
    pub url: String,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent, for images and other binary answers.
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The `agora_session` value a response set, if any.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(
            |c| {
                let value = c.strip_prefix("agora_session=")?.split(';').next()?;
                (!value.is_empty()).then(|| value.to_owned())
            },
        )
    }

    /// The `error` tag of an `AppError` body.
    pub fn error(&self) -> String {
        self.json()["error"].as_str().unwrap_or_default().to_owned()
    }

    /// The problems reported for `field` in a validation error.
    pub fn problems(&self, field: &str) -> Vec<String> {
        self.json()["fields"]
            .as_array()
            .map(|fields| {
                fields
                    .iter()
                    .filter(|f| f["field"] == field)
                    .filter_map(|f| f["problem"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The database URL for one test: a file in `dir` for SQLite, or a new database on the
/// PostgreSQL server named by `AGORA_TEST_DATABASE`.
pub async fn fresh_database_url(dir: &std::path::Path) -> String {
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

/// A migrated SQLite database and a migrated PostgreSQL one, when the tests run against
/// PostgreSQL (`None` on the SQLite pass), to compare what the two migration folders build.
pub async fn migrated_pair() -> Option<(Db, Db, tempfile::TempDir)> {
    let target = std::env::var("AGORA_TEST_DATABASE").unwrap_or_else(|_| "sqlite".into());
    if target == "sqlite" {
        return None;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite_url = format!("sqlite://{}", dir.path().join("parity.db").display());
    let postgres_url = fresh_database_url(dir.path()).await;
    let sqlite = Db::connect(&sqlite_url).await.expect("open SQLite");
    sqlite.migrate().await.expect("migrate SQLite");
    let postgres = Db::connect(&postgres_url).await.expect("open PostgreSQL");
    postgres.migrate().await.expect("migrate PostgreSQL");
    Some((sqlite, postgres, dir))
}

/// A migrated, empty database; `rate_limit_scale` loosens the limits (tests of whole journeys).
pub async fn spawn_with(rate_limit_scale: u32) -> TestApp {
    spawn_configured(rate_limit_scale, None).await
}

/// An empty database, serving the built site in `site_root`.
pub async fn spawn_serving(site_root: &std::path::Path) -> TestApp {
    spawn_configured(100, Some(site_root)).await
}

async fn spawn_configured(rate_limit_scale: u32, site_root: Option<&std::path::Path>) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let site_root = site_root.map(|p| p.to_string_lossy().into_owned());
    let url = fresh_database_url(dir.path()).await;
    let data_dir = dir.path().to_string_lossy().into_owned();
    let config = Config::from_lookup(|name| match name {
        "DATABASE_URL" => Some(url.clone()),
        "AGORA_DATA_DIR" => Some(data_dir.clone()),
        "AGORA_PUBLIC_URL" => Some("https://agora.example".into()),
        "AGORA_TRUST_PROXY" => Some("1".into()),
        "AGORA_RATE_LIMIT_SCALE" => Some(rate_limit_scale.to_string()),
        "AGORA_MAX_PHOTO_MB" => Some("2".into()),
        "AGORA_LOCALITY_HOSTS" => Some("singerei.agora.example=singerei".into()),
        "LEPTOS_SITE_ROOT" => site_root.clone(),
        _ => None,
    })
    .expect("test config");
    let db = server::open_database(&config).await.expect("open and migrate");
    let router = server::router(AppState::new(config, db.clone()));
    TestApp { router, db, dir, url }
}

pub async fn spawn_empty() -> TestApp {
    spawn_with(100).await
}

/// A database holding the Bălți demo data (and its demo accounts).
pub async fn spawn_app() -> TestApp {
    spawn_demo_with(100).await
}

/// The demo data, with rate limits scaled by `rate_limit_scale` (1 is production's).
pub async fn spawn_demo_with(rate_limit_scale: u32) -> TestApp {
    let app = spawn_with(rate_limit_scale).await;
    app.db.load_demo().await.expect("load demo data");
    app
}

/// A request being built: headers, a session, a body.
pub struct Req {
    method: Method,
    uri: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Req {
    pub fn get(uri: &str) -> Self {
        Self { method: Method::GET, uri: uri.to_owned(), headers: Vec::new(), body: Vec::new() }
    }

    /// A form post as a script sends it (no `Accept: text/html`, so errors keep their status).
    pub fn form(uri: &str, fields: &[(&str, &str)]) -> Self {
        let body = serde_urlencoded::to_string(fields).expect("encode form");
        Self {
            method: Method::POST,
            uri: uri.to_owned(),
            headers: vec![("content-type".into(), "application/x-www-form-urlencoded".into())],
            body: body.into_bytes(),
        }
    }

    pub fn multipart(uri: &str, form: Multipart) -> Self {
        let (content_type, body) = form.finish();
        Self {
            method: Method::POST,
            uri: uri.to_owned(),
            headers: vec![("content-type".into(), content_type)],
            body,
        }
    }

    /// A multipart form of text fields only.
    pub fn multipart_fields(uri: &str, fields: &[(&str, &str)]) -> Self {
        let form = fields.iter().fold(Multipart::new(), |form, (k, v)| form.text(k, v));
        Self::multipart(uri, form)
    }

    /// Replaces the body with raw bytes (malformed input).
    pub fn body(mut self, bytes: Vec<u8>) -> Self {
        self.body = bytes;
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Announces the body's length, as browsers do for forms.
    pub fn with_content_length(self) -> Self {
        let length = self.body.len().to_string();
        self.header("content-length", &length)
    }

    pub fn session(self, cookie: &str) -> Self {
        self.header("cookie", &format!("agora_session={cookie}"))
    }

    pub fn client_addr(self, addr: &str) -> Self {
        self.header("x-forwarded-for", addr)
    }
}

/// A `multipart/form-data` body.
pub struct Multipart {
    boundary: String,
    body: Vec<u8>,
}

impl Multipart {
    pub fn new() -> Self {
        Self { boundary: "agora-test-boundary-7f3a".into(), body: Vec::new() }
    }

    pub fn text(mut self, name: &str, value: &str) -> Self {
        self.body.extend_from_slice(
            format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n",
                self.boundary
            )
            .as_bytes(),
        );
        self
    }

    pub fn file(mut self, name: &str, filename: &str, content_type: &str, bytes: &[u8]) -> Self {
        self.body.extend_from_slice(
            format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n",
                self.boundary
            )
            .as_bytes(),
        );
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
        self
    }

    pub fn finish(mut self) -> (String, Vec<u8>) {
        self.body.extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        (format!("multipart/form-data; boundary={}", self.boundary), self.body)
    }
}

impl Req {
    /// The request itself, for driving the router directly (concurrency tests).
    pub fn into_request(self) -> Request<Body> {
        let mut builder = Request::builder().method(self.method).uri(self.uri);
        for (k, v) in &self.headers {
            builder = builder.header(k, v);
        }
        builder.body(Body::from(self.body)).expect("request")
    }
}

/// Sends `req` through `router` (for tests that share one router between tasks).
pub async fn send_to(router: &Router, req: Req) -> TestResponse {
    let request = req.into_request();
    let response = router.clone().oneshot(request).await.expect("router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    let body = String::from_utf8_lossy(&bytes).into_owned();
    TestResponse { status, headers, body, bytes: bytes.to_vec() }
}

/// A live event stream (`text/event-stream`), read one event at a time.
pub struct EventStream {
    body: Body,
}

impl EventStream {
    /// The next event, up to its blank line; fails the test after 3 s without one.
    pub async fn next(&mut self) -> String {
        let mut text = String::new();
        while !text.contains("\n\n") {
            let frame = tokio::time::timeout(std::time::Duration::from_secs(3), self.body.frame())
                .await
                .expect("an event within 3 s");
            if let Some(Ok(f)) = frame {
                if let Ok(data) = f.into_data() {
                    text.push_str(&String::from_utf8_lossy(&data));
                }
            }
        }
        text
    }
}

impl TestApp {
    /// Opens the event stream at `uri`, which must answer as one.
    pub async fn events(&self, uri: &str) -> EventStream {
        let request = Request::get(uri).body(Body::empty()).expect("request");
        let response = self.router.clone().oneshot(request).await.expect("answer");
        assert_eq!(response.headers()["content-type"], "text/event-stream", "{uri}");
        EventStream { body: response.into_body() }
    }

    pub async fn send(&self, req: Req) -> TestResponse {
        send_to(&self.router, req).await
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.send(Req::get(uri)).await
    }

    pub async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> TestResponse {
        let mut req = Req::get(uri);
        for (k, v) in headers {
            req = req.header(k, v);
        }
        self.send(req).await
    }

    pub async fn scalar(&self, sql: &str) -> i64 {
        match &self.db {
            Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
            Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    pub async fn text(&self, sql: &str) -> Option<String> {
        match &self.db {
            Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_optional(pool).await,
            Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_optional(pool).await,
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    pub async fn execute(&self, sql: &str) {
        match &self.db {
            Db::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
            Db::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Signs in through the real server function and returns the session cookie.
    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        let res = self
            .send(Req::form(
                "/api/auth/login",
                &[("email", email), ("password", password), ("lang", "ro")],
            ))
            .await;
        assert_eq!(res.status, StatusCode::OK, "sign in as {email}: {}", res.body);
        res.session_cookie().expect("a session cookie")
    }

    /// Signs in as one of the demo accounts.
    pub async fn demo(&self, email: &str) -> String {
        self.sign_in(email, server::db::seed::DEMO_PASSWORD).await
    }

    /// A confirmed account with `role` in `locality` (slug), signed in.
    pub async fn account_with_role(
        &self,
        email: &str,
        role: Option<&str>,
        locality: Option<&str>,
    ) -> String {
        self.db
            .create_confirmed_account(email, "a long enough password", email)
            .await
            .expect("account");
        if let Some(role) = role {
            let locality_sql = match locality {
                Some(slug) => format!("(SELECT id FROM localities WHERE slug = '{slug}')"),
                None => "NULL".into(),
            };
            self.execute(&format!(
                "INSERT INTO roles (user_id, role, locality_id, granted_at) SELECT id, '{role}', {locality_sql}, \
                 '2026-01-01T00:00:00+00:00' FROM users WHERE email = '{email}'"
            ))
            .await;
        }
        self.sign_in(email, "a long enough password").await
    }

    /// Adds Sîngerei, the second locality of `docs/examples`, beside the demo's Bălți.
    pub async fn import_singerei(&self) {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../docs/examples/singerei.json"
        ))
        .expect("example");
        let spec: server::db::LocalitySpec = serde_json::from_str(&text).expect("spec");
        self.db.import_locality(&spec, false, &Default::default()).await.expect("import");
    }

    /// The id of a demo report of `category` in `status`.
    pub async fn report_of(&self, category: &str, status: &str) -> i64 {
        self.scalar(&format!(
            "SELECT MIN(r.id) FROM reports r JOIN categories c ON c.id = r.category_id \
             WHERE c.slug = '{category}' AND r.status = '{status}'"
        ))
        .await
    }

    /// The last message in the outbox to `to`.
    pub async fn last_mail(&self, to: &str) -> Option<String> {
        self.text(&format!(
            "SELECT body FROM outbox WHERE to_address = '{to}' ORDER BY id DESC LIMIT 1"
        ))
        .await
    }

    /// Where the media store keeps the full-size copy of `stem`.
    pub fn photo_path(&self, stem: &str) -> std::path::PathBuf {
        self.dir.path().join("photos").join(format!("{stem}.jpg"))
    }

    /// The photo files stored so far.
    pub fn photo_files(&self) -> usize {
        std::fs::read_dir(self.dir.path().join("photos")).map(|d| d.count()).unwrap_or(0)
    }
}

/// The whole of Bălți, for GeoJSON and server-function queries.
pub const BALTI_BBOX: &str = "27.85,47.70,28.02,47.82";

/// A point well inside Bălți (Piața Independenței).
pub const CENTRE: (&str, &str) = ("47.7617", "27.9291");

/// A JPEG photo that carries EXIF metadata (camera make and GPS position).
pub fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([40, 120, 70]));
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80)
        .encode_image(&img)
        .expect("encode jpeg");
    // An APP1 "Exif" segment right after the start-of-image marker.
    let mut payload =
        b"Exif\0\0MM\0*\0\0\0\x08GPSLatitude 47.7617 N GPSLongitude 27.9291 E Make TestCam"
            .to_vec();
    payload.resize(120, 0);
    let len = (payload.len() + 2) as u16;
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1, (len >> 8) as u8, (len & 0xFF) as u8]);
    out.extend_from_slice(&payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// The fields of a valid report at the city centre.
pub fn report_form() -> Multipart {
    Multipart::new()
        .text("lang", "ro")
        .text("category", "green-spaces")
        .text("title", "Copac căzut pe trotuar")
        .text("description", "Un copac a căzut pe trotuar și blochează trecerea pietonilor.")
        .text("lat", CENTRE.0)
        .text("lng", CENTRE.1)
        .text("address", "Piața Independenței")
}

/// The token of the link in a mail (`…?token=…`).
pub fn token_in(mail: &str) -> String {
    mail.split("token=")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .expect("a token in the mail")
        .to_owned()
}
