//! Every locality's public site: `/{lang}/{slug}/…` is served by the same pages as `/{lang}/…`,
//! for that locality; the default locality keeps `/{lang}/…`. Also the locality of a request for
//! the routes ([`RequestLocality`]) and `GET /api/v1/localities`.

use super::ApiError;
use crate::state::AppState;
use app::model::Locality;
use app::store::{LocalityStore, SiteLocality};
use axum::body::Body;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{Request, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde::Deserialize;
use serde_json::json;
use tower::ServiceExt;

/// The locality a route serves: `?locality=slug`, else the site the request is for (a
/// locality's address or host name), else the default locality. An unknown slug is a 404.
pub struct RequestLocality(pub Locality);

#[derive(Deserialize)]
struct LocalityParam {
    locality: Option<String>,
}

impl FromRequestParts<AppState> for RequestLocality {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let named = Query::<LocalityParam>::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|Query(p)| p.locality)
            .filter(|s| !s.trim().is_empty());
        let slug = named.or_else(|| parts.extensions.get::<SiteLocality>().map(|s| s.0.clone()));
        let locality = match slug {
            Some(slug) => state.db.locality_by_slug(slug.trim()).await?,
            None => state.db.default_locality().await?,
        };
        Ok(Self(locality))
    }
}

/// `GET /api/v1/localities`: every locality with its names, centre and the address of its
/// public site (`home`, with `{lang}` to fill in).
pub async fn localities(State(state): State<AppState>) -> Response {
    match state.db.public_localities().await {
        Ok(list) => {
            let items: Vec<_> = list
                .iter()
                .map(|l| {
                    json!({
                        "slug": l.slug,
                        "name": l.name,
                        "centre": { "lat": l.centre.lat, "lng": l.centre.lng },
                        "default": l.is_default,
                        "home": app::paths::site_page(l.site_slug(), "{lang}", ""),
                    })
                })
                .collect();
            axum::Json(json!({ "localities": items })).into_response()
        }
        Err(err) => ApiError::from(err).into_response(),
    }
}

/// Serves the pages: a request for `/{lang}/{slug}/rest`, where `slug` names a locality other
/// than the default one, is served as `/{lang}/rest` with [`SiteLocality`] in its extensions,
/// so that the pages (through `store::request_locality` and `paths::page`) show that locality
/// and link within its site. A host name mapped to a locality (`AGORA_LOCALITY_HOSTS`) does the
/// same for every address. Anything else goes to the pages unchanged.
pub async fn locality_sites(
    State((state, pages)): State<(AppState, Router)>,
    mut req: Request<Body>,
) -> Response {
    if let Some((slug, rewritten)) = site_address(&state, req.uri()).await {
        if let Ok(uri) = rewritten.parse::<Uri>() {
            *req.uri_mut() = uri;
            req.extensions_mut().insert(SiteLocality(slug));
        }
    } else if let Some(slug) = host_locality(&state, &req) {
        req.extensions_mut().insert(SiteLocality(slug));
    }
    match pages.oneshot(req).await {
        Ok(res) => res,
        Err(never) => match never {},
    }
}

/// `(slug, address without the slug)` when `uri` is on a non-default locality's site.
async fn site_address(state: &AppState, uri: &Uri) -> Option<(String, String)> {
    let path = uri.path();
    let mut segments = path.trim_start_matches('/').splitn(3, '/');
    let lang = segments.next().filter(|l| app::locale::parse(l).is_some())?;
    let slug = segments.next().filter(|s| looks_like_locality(s))?;
    let rest = segments.next().unwrap_or_default();
    let locality = state.db.locality_by_slug(slug).await.ok()?;
    if locality.is_default {
        return None;
    }
    let mut rewritten = format!("/{lang}");
    if !rest.is_empty() {
        rewritten.push('/');
        rewritten.push_str(rest);
    }
    if let Some(query) = uri.query() {
        rewritten.push('?');
        rewritten.push_str(query);
    }
    Some((locality.slug, rewritten))
}

/// A segment that could be a locality's slug: not a page's name, and address-safe (a quick
/// test before asking the database).
fn looks_like_locality(segment: &str) -> bool {
    !segment.is_empty()
        && segment.len() <= 60
        && !app::model::locality::RESERVED_SLUGS.contains(&segment)
        && segment.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The locality mapped to the request's host name by configuration, if any.
fn host_locality(state: &AppState, req: &Request<Body>) -> Option<String> {
    if state.config.locality_hosts.is_empty() {
        return None;
    }
    let host = req.headers().get(axum::http::header::HOST)?.to_str().ok()?;
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    state.config.locality_hosts.iter().find(|(h, _)| *h == host).map(|(_, slug)| slug.clone())
}

#[cfg(test)]
mod tests {
    #[test]
    fn page_names_are_never_taken_for_localities() {
        assert!(super::looks_like_locality("singerei"));
        assert!(!super::looks_like_locality("reports"));
        assert!(!super::looks_like_locality("admin"));
        assert!(!super::looks_like_locality("Singerei"));
        assert!(!super::looks_like_locality(""));
    }
}
