//! Reads the session cookie on each request and puts the `Viewer` (and the raw token, for
//! signing out) into the request's extensions, where server functions find them; likewise the
//! device cookie, for sign-in.
//!
//! Every request with a session asks the database who is behind it, so under a crowd the
//! lookups wait together and one query answers each group (`db::grouped`).

use crate::db::grouped::{GroupQueue, GroupWork};
use crate::db::Db;
use crate::state::AppState;
use app::model::account::Viewer;
use app::store::{DeviceToken, SessionToken, StoreResult, DEVICE_COOKIE, SESSION_COOKIE};
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

/// The most session lookups answered by one query.
const MAX_LOOKUPS: usize = 256;

/// Session lookups of this process, grouped.
pub struct SessionLookups {
    queue: GroupQueue<SessionReader>,
}

struct SessionReader(Db);

impl GroupWork for SessionReader {
    type Request = String;
    type Reply = Option<Viewer>;

    async fn run(&self, tokens: &[String]) -> StoreResult<Vec<StoreResult<Option<Viewer>>>> {
        let viewers = self.0.session_viewers(tokens).await?;
        Ok(viewers.into_iter().map(Ok).collect())
    }
}

impl SessionLookups {
    /// Starts the lookup task (needs a Tokio runtime).
    pub fn start(db: Db) -> Self {
        Self { queue: GroupQueue::start(SessionReader(db), MAX_LOOKUPS) }
    }

    /// The person behind the raw session token `token`, if it names a live session.
    pub async fn viewer(&self, token: &str) -> StoreResult<Option<Viewer>> {
        self.queue.submit(token.to_owned()).await
    }
}

pub async fn attach_viewer(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let token = cookie(req.headers(), SESSION_COOKIE);
    let viewer = match &token {
        Some(t) => match state.sessions.viewer(t).await {
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
