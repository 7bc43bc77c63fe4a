//! The built site served as a CDN would: each file in the encoding the browser accepts, from
//! the brotli and gzip copies `.ci/build` made (never compressed per request), and with
//! content-hashed names (see `app::assets`) cached for a year without revalidation, so a
//! repeat visit asks for none of them.

use crate::state::AppState;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{from_fn, Next};
use axum::response::Response;
use axum::Router;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// A year, the longest lifetime caches honour; the name changes when the content does.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Files whose names stay the same (icons, the favicon): a day, then revalidated.
const A_DAY: &str = "public, max-age=86400";

/// `/pkg`, `/leaflet`, `/icons`, `/scripts`, `/favicon.svg`, `/robots.txt`, the web app
/// manifest and the service worker from the site root.
pub fn router(site_root: &Path) -> Router<AppState> {
    let dir =
        |name: &str| ServeDir::new(site_root.join(name)).precompressed_br().precompressed_gzip();
    let file =
        |name: &str| ServeFile::new(site_root.join(name)).precompressed_br().precompressed_gzip();
    Router::new()
        .nest_service("/pkg", dir("pkg"))
        .nest_service("/leaflet", dir("leaflet"))
        .nest_service("/icons", dir("icons"))
        .nest_service("/scripts", dir("scripts"))
        .route_service("/favicon.svg", file("favicon.svg"))
        .route_service("/robots.txt", file("robots.txt"))
        .route_service("/manifest.webmanifest", file("manifest.webmanifest"))
        .layer(from_fn(cache_policy))
        .merge(Router::new().route_service("/sw.js", file("sw.js")).layer(from_fn(worker_headers)))
}

/// The service worker: always revalidated, so a new version reaches phones on their next
/// visit; and its own Content-Security-Policy (a worker obeys the policy it was served with,
/// and the default one, which allows nothing, would stop it from fetching this site's pages).
async fn worker_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'"),
    );
    response
}

async fn cache_policy(request: Request, next: Next) -> Response {
    let hashed = app::assets::is_hashed(request.uri().path().trim_start_matches('/'));
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let policy = if hashed { IMMUTABLE } else { A_DAY };
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}
