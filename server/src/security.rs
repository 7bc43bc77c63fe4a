//! Request-level protections: cross-site request refusal, security headers, the client's
//! address, and rate limits.

use crate::db::grouped::{GroupQueue, GroupWork};
use crate::db::rate_limits::{micros_now, Attempt, Rate};
use crate::db::Db;
use crate::routes::error_response;
use crate::state::AppState;
use app::error::{AppError, Problem};
use app::store::{ClientAddr, Limit, RateLimiter, StoreResult};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter as Governor};
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// Whether a request of `method` may change state (everything but the safe methods).
fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Refuses state-changing requests that a browser marks as coming from another site.
///
/// The approach of Go's `http.CrossOriginProtection`: `Sec-Fetch-Site` must be `same-origin` or
/// `none`; browsers too old to send it still send `Origin`, which must then name this host.
/// Requests with neither header do not come from a browser, so they cannot carry a victim's
/// cookies and are let through.
pub async fn refuse_cross_site(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if !changes_state(req.method()) {
        return next.run(req).await;
    }
    if is_cross_site(req.headers(), &state.config.public_url) {
        tracing::warn!(path = %req.uri().path(), "refused a cross-site request");
        return error_response(AppError::Forbidden);
    }
    next.run(req).await
}

fn is_cross_site(headers: &HeaderMap, public_url: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    // An origin is scheme, host and port: `http://agora.example` is not `https://agora.example`.
    let (scheme, public_host) = public_url.split_once("://").unwrap_or(("http", public_url));
    let public_host = public_host.split('/').next().unwrap_or_default();
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or(public_host);
    let same = |h: &str| origin.eq_ignore_ascii_case(&format!("{scheme}://{h}"));
    !(same(public_host) || same(host))
}

/// Headers every response carries. HTML pages also get a Content-Security-Policy with the
/// render's nonce (set in the shell); everything else gets a policy that allows nothing. A site
/// served over HTTPS tells browsers to use nothing else (`Strict-Transport-Security`).
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if state.config.public_url.starts_with("https://") {
        h.entry(header::STRICT_TRANSPORT_SECURITY)
            .or_insert(HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    let set = |h: &mut HeaderMap, name: HeaderName, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(
        h,
        HeaderName::from_static("permissions-policy"),
        "geolocation=(self), camera=(), microphone=()",
    );
    set(h, header::CONTENT_SECURITY_POLICY, "default-src 'none'; frame-ancestors 'none'");
    res
}

/// Pages and API answers that set no caching rule of their own: one made for a signed-in
/// person (the request carried a session) is `private, no-store`, so no shared cache keeps
/// what one person saw; so is everything a kiosk is shown, so that no visitor's page stays in
/// its browser (nor in the service worker's copies) for the next; anything else may be stored
/// but is revalidated on every use.
pub async fn cache_policy(req: Request, next: Next) -> Response {
    let private =
        [app::store::SESSION_COOKIE, app::api::kiosk::KIOSK_COOKIE].into_iter().any(|name| {
            crate::auth::session::cookie(req.headers(), name).is_some_and(|value| !value.is_empty())
        });
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if !h.contains_key(header::CACHE_CONTROL) {
        let policy = if private { "private, no-store" } else { "no-cache" };
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        h.append(header::VARY, HeaderValue::from_static("Cookie"));
    }
    res
}

/// Server functions that read `multipart/form-data` (the ones taking photos or files).
const MULTIPART_ENDPOINTS: &[&str] = &[
    "/api/reports/create",
    "/api/initiatives/create",
    "/api/budget/propose",
    "/api/budget/milestone",
    "/api/budget/import",
    "/api/resources/propose",
    "/api/surveys/answer",
    "/api/surveys/save",
];

/// Photo forms handled at once; each holds its photos in memory while it runs (at most
/// `crate::max_body_bytes`), so this bounds what uploads can take. Further ones wait.
pub const PARALLEL_UPLOADS: usize = 8;
static UPLOADS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(PARALLEL_UPLOADS);

/// Answers 415 when a multipart server function is sent another body: the multipart reader
/// would otherwise fail deep inside the framework instead of telling the caller what is wrong.
/// Photo forms then wait for one of [`PARALLEL_UPLOADS`] places.
pub async fn require_multipart(req: Request, next: Next) -> Response {
    if req.method() == Method::POST && MULTIPART_ENDPOINTS.contains(&req.uri().path()) {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let is_multipart = content_type.to_ascii_lowercase().starts_with("multipart/form-data")
            && content_type.contains("boundary=");
        if !is_multipart {
            let error = AppError::invalid("content_type", Problem::Invalid);
            return (StatusCode::UNSUPPORTED_MEDIA_TYPE, axum::Json(error)).into_response();
        }
        let Ok(_place) = UPLOADS.acquire().await else {
            return error_response(AppError::Internal);
        };
        return next.run(req).await;
    }
    next.run(req).await
}

/// Puts the client's address into the request: the peer address, or with
/// `AGORA_TRUST_PROXY=1` the last `X-Forwarded-For` entry, the one the operator's reverse proxy added.
pub async fn client_addr(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let forwarded = state
        .config
        .trust_proxy
        .then(|| req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok()))
        .flatten()
        // The last entry is the one our proxy appended; earlier ones come from the client.
        .and_then(|v| v.rsplit(',').next())
        .map(|v| v.trim().to_owned());
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
    let addr = forwarded.or(peer).unwrap_or_else(|| "unknown".to_owned());
    req.extensions_mut().insert(ClientAddr(addr));
    next.run(req).await
}

/// Refuses bodies larger than any form may send (`crate::max_body_bytes`) with 413, before a
/// handler reads them. Server functions read their bodies themselves, past axum's extractor
/// limit, so the cap is enforced here: by the announced length, or by reading an unannounced
/// (chunked) body up to the cap.
pub async fn cap_body(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let limit = crate::max_body_bytes(&state.config);
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match announced {
        Some(length) if length > limit as u64 => too_large(),
        Some(_) => next.run(req).await,
        None if !changes_state(req.method()) => next.run(req).await,
        None => {
            let (parts, body) = req.into_parts();
            match axum::body::to_bytes(body, limit).await {
                Ok(bytes) => next.run(Request::from_parts(parts, bytes.into())).await,
                Err(_) => too_large(),
            }
        }
    }
}

/// Refuses a form body (`application/x-www-form-urlencoded`) that is not UTF-8 once decoded,
/// with `400` and the validation error: raw bytes or `%FF`-style escapes that no text field can
/// hold would otherwise reach the form decoder, which reads them lossily or fails as a server
/// error. The body is already capped by [`cap_body`].
pub async fn refuse_malformed_forms(req: Request, next: Next) -> Response {
    let is_form =
        req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
            v.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded")
        });
    if !is_form || !changes_state(req.method()) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return error_response(AppError::Validation(Vec::new()));
    };
    if !is_utf8_form(&bytes) {
        tracing::info!(path = %parts.uri.path(), "refused a form that is not UTF-8");
        let error = AppError::Validation(Vec::new());
        return (StatusCode::BAD_REQUEST, axum::Json(error)).into_response();
    }
    next.run(Request::from_parts(parts, bytes.into())).await
}

/// Whether every name and value of a URL-encoded form decodes to UTF-8 text.
fn is_utf8_form(body: &[u8]) -> bool {
    std::str::from_utf8(body).is_ok()
        && body.split(|b| *b == b'&').all(|pair| {
            pair.split(|b| *b == b'=')
                .all(|part| percent_encoding::percent_decode(part).decode_utf8().is_ok())
        })
}

/// 413 with the body of a refused photo: photos are the only large thing a form carries, so
/// the form can show its translated message beside them.
fn too_large() -> Response {
    let error = AppError::invalid("photos", Problem::ImageTooLarge);
    (StatusCode::PAYLOAD_TOO_LARGE, axum::Json(error)).into_response()
}

/// A flood guard: every state-changing request counts against its client address.
pub async fn limit_writes(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if changes_state(req.method()) {
        let addr = req.extensions().get::<ClientAddr>().map(|a| a.0.clone()).unwrap_or_default();
        if !state.services.limiter.allow(Limit::AnyWrite, &[format!("addr:{addr}")]).await {
            return error_response(AppError::RateLimited);
        }
    }
    next.run(req).await
}

/// How many attempts each bucket allows at once (`burst`), refilled evenly over `period`.
pub fn allowance(limit: Limit) -> (u32, Duration) {
    let minute = Duration::from_secs(60);
    let hour = Duration::from_secs(3600);
    match limit {
        Limit::AnyWrite => (120, minute),
        Limit::SignIn => (10, minute),
        Limit::SignInLink => (5, hour),
        Limit::SignUp => (5, hour),
        Limit::PasswordReset => (3, hour),
        Limit::CreateReport => (10, hour),
        Limit::LaunchInitiative => (10, hour),
        Limit::Comment => (20, hour),
        Limit::FollowByEmail => (20, hour),
        Limit::SupportReport => (60, minute),
        Limit::SupportInitiative => (60, minute),
        Limit::VotePoll => (60, minute),
        // A client app relays many citizens' reports; this bounds a leaked key.
        Limit::ApiKey => (600, hour),
    }
}

/// Token buckets per action and key, in this process's memory (`governor`): a burst of
/// `burst`, refilled at one token per `period / burst`. For one server process (SQLite).
pub struct Limits {
    buckets: Vec<(Limit, DefaultKeyedRateLimiter<String>)>,
}

impl Limits {
    /// Limits for a public site; `scale` multiplies every allowance (1 in production; tests of
    /// whole journeys from one address raise it).
    pub fn new(scale: u32) -> Self {
        let scale = scale.max(1);
        let quota = |burst: u32, period: Duration| {
            let burst = burst.saturating_mul(scale);
            let n = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
            Quota::with_period(period / burst).map(|q| q.allow_burst(n))
        };
        Self {
            buckets: Limit::ALL
                .into_iter()
                .filter_map(|limit| {
                    let (burst, period) = allowance(limit);
                    Some((limit, Governor::keyed(quota(burst, period)?)))
                })
                .collect(),
        }
    }
}

#[async_trait::async_trait]
impl RateLimiter for Limits {
    async fn allow(&self, limit: Limit, keys: &[String]) -> bool {
        let Some((_, bucket)) = self.buckets.iter().find(|(l, _)| *l == limit) else {
            return true;
        };
        // Every key counts the attempt, even when an earlier one already refuses it.
        let refused = keys.iter().filter(|key| bucket.check_key(key).is_err()).count();
        refused == 0
    }
}

/// Rate limits counted in the database (`db::rate_limits`), so that every server process
/// sharing a PostgreSQL database counts the same attempts. The same allowances as [`Limits`].
/// Checks wait together and are counted in groups, one transaction each, as ballots are.
pub struct SharedLimits {
    counter: GroupQueue<RateCounter>,
}

/// The most checks counted in one transaction (each names one or two keys).
const MAX_CHECKS: usize = 256;

/// Counts groups of checks in the database.
struct RateCounter {
    db: Db,
    scale: u32,
}

impl RateCounter {
    fn rate(&self, limit: Limit) -> Rate {
        let (burst, period) = allowance(limit);
        let burst = i64::from(burst.saturating_mul(self.scale).max(1));
        let interval_us = (period.as_micros() as i64 / burst).max(1);
        Rate { interval_us, tolerance_us: interval_us * burst }
    }
}

impl GroupWork for RateCounter {
    type Request = (Limit, Vec<String>);
    type Reply = bool;

    async fn run(&self, group: &[(Limit, Vec<String>)]) -> StoreResult<Vec<StoreResult<bool>>> {
        let attempts: Vec<Attempt> = group
            .iter()
            .map(|(limit, keys)| Attempt {
                bucket: limit.as_str(),
                keys: keys.clone(),
                rate: self.rate(*limit),
            })
            .collect();
        let allowed = self.db.take_rates(&attempts, micros_now()).await?;
        Ok(allowed.into_iter().map(Ok).collect())
    }
}

impl SharedLimits {
    /// Starts the counting task (needs a Tokio runtime).
    pub fn new(db: Db, scale: u32) -> Self {
        let counter = RateCounter { db, scale: scale.max(1) };
        Self { counter: GroupQueue::start(counter, MAX_CHECKS) }
    }
}

#[async_trait::async_trait]
impl RateLimiter for SharedLimits {
    async fn allow(&self, limit: Limit, keys: &[String]) -> bool {
        match self.counter.submit((limit, keys.to_vec())).await {
            Ok(allowed) => allowed,
            Err(err) => {
                // The write the limit guards needs the same database, and fails on its own.
                tracing::error!(error = %err, "rate limits unavailable; letting the request through");
                true
            }
        }
    }
}

/// The limiter for `db`: in this process's memory for SQLite (one process serves), in the
/// database for PostgreSQL (several processes may share it).
pub fn limiter_for(db: &Db, scale: u32) -> Arc<dyn RateLimiter> {
    match db {
        Db::Sqlite(_) => Arc::new(Limits::new(scale)),
        Db::Postgres(_) => Arc::new(SharedLimits::new(db.for_counters(), scale)),
    }
}

/// What a panicking handler answers: the same JSON body as any other internal error, logged.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(%detail, "a request handler panicked");
    error_response(AppError::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_site_detection() {
        let mut h = HeaderMap::new();
        assert!(!is_cross_site(&h, "https://agora.example"), "no browser headers");
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(is_cross_site(&h, "https://agora.example"));
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(!is_cross_site(&h, "https://agora.example"));

        let with = |host: &'static str, origin: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::HOST, HeaderValue::from_static(host));
            h.insert(header::ORIGIN, HeaderValue::from_static(origin));
            h
        };
        let public = "https://agora.example";
        assert!(!is_cross_site(&with("agora.example", "https://agora.example"), public));
        assert!(!is_cross_site(&with("10.0.0.5:3000", "https://agora.example"), public));
        assert!(is_cross_site(&with("agora.example", "http://agora.example"), public), "scheme");
        assert!(is_cross_site(&with("agora.example", "https://evil.example"), public));
        assert!(is_cross_site(&with("agora.example", "null"), public));
        let local = "http://127.0.0.1:3000";
        assert!(!is_cross_site(&with("127.0.0.1:3000", "http://127.0.0.1:3000"), local));
        assert!(is_cross_site(&with("127.0.0.1:3000", "https://127.0.0.1:3000"), local));
    }

    #[test]
    fn forms_must_decode_to_utf8() {
        assert!(is_utf8_form(b"email=ana%40example.md&title=Copac+c%C4%83zut&lang=ro"));
        assert!(is_utf8_form(b""));
        assert!(!is_utf8_form(b"email=%FF%FE&lang=ro"));
        assert!(!is_utf8_form(b"email=\xff&lang=ro"));
        assert!(!is_utf8_form(b"%C4=x"), "a name cut in the middle of a character");
    }

    #[tokio::test]
    async fn limits_refuse_past_the_burst_per_key() {
        let limits = Limits::new(1);
        let keys = |k: &str| vec![k.to_owned()];
        for _ in 0..10 {
            assert!(limits.allow(Limit::SignIn, &keys("a")).await);
        }
        assert!(!limits.allow(Limit::SignIn, &keys("a")).await);
        assert!(limits.allow(Limit::SignIn, &keys("b")).await, "keys are separate");
        assert!(limits.allow(Limit::VotePoll, &keys("a")).await, "limits are separate");
        assert!(
            !limits.allow(Limit::SignIn, &[keys("c"), keys("a")].concat()).await,
            "any key refuses"
        );
        for _ in 0..9 {
            assert!(limits.allow(Limit::SignIn, &keys("c")).await);
        }
        assert!(!limits.allow(Limit::SignIn, &keys("c")).await, "a refused attempt still counts");
    }
}
