//! Reads the session cookie on each request and puts the `Viewer` (and the raw token, for
//! signing out) into the request's extensions, where server functions find them; likewise the
//! device cookie, for sign-in.

use crate::state::AppState;
use app::store::{DeviceToken, SessionStore, SessionToken, DEVICE_COOKIE, SESSION_COOKIE};
use axum::extract::{Request, State};
use axum::http::header::COOKIE;
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;

/// The value of cookie `name`, if sent.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|header| {
        header.split(';').find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name && !v.is_empty()).then(|| v.to_owned())
        })
    })
}

pub async fn attach_viewer(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let token = cookie(req.headers(), SESSION_COOKIE);
    let viewer = match &token {
        Some(t) => match state.db.session_viewer(t).await {
            Ok(v) => v,
            Err(err) => {
                tracing::error!(error = %err, "session lookup failed");
                None
            }
        },
        None => None,
    };
    req.extensions_mut().insert(viewer.unwrap_or_default());
    if let Some(t) = token {
        req.extensions_mut().insert(SessionToken(t));
    }
    if let Some(device) = cookie(req.headers(), DEVICE_COOKIE) {
        req.extensions_mut().insert(DeviceToken(device));
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn finds_a_cookie_among_others() {
        let mut h = HeaderMap::new();
        h.insert(COOKIE, HeaderValue::from_static("a=1; agora_session=tok; b=2"));
        assert_eq!(cookie(&h, "agora_session").as_deref(), Some("tok"));
        assert_eq!(cookie(&h, "c"), None);
    }
}
