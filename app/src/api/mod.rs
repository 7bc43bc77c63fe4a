//! Server functions: thin, each parses its input, checks permission, calls the store.
//! Endpoints are stable and listed in `docs/api.md`.

pub mod admin;
pub mod alerts;
pub mod announcements;
pub mod auth;
pub mod budget;
pub mod budget_propose;
pub mod budget_setup;
pub mod budget_works;
pub mod directory;
pub mod directory_edit;
pub mod events;
pub mod fixed;
pub mod inclusion;
pub mod kiosk;
pub mod map;
pub mod newsletters;
pub mod open_data;
pub mod organisations;
pub mod report_work;
pub mod reports;
pub mod resources;
pub mod site;
pub mod statistics;
pub mod subscriptions;
pub mod survey_builder;
pub mod surveys;
#[cfg(feature = "ssr")]
pub mod upload;
pub mod votes;

#[cfg(feature = "ssr")]
use crate::error::AppError;

/// Sends the browser on to `path` once a server function has done its work. Every path is
/// built from checked values; should one still be unfit for a `Location` header, the visitor
/// goes to the home page rather than meeting a panic after the write was saved.
#[cfg(feature = "ssr")]
pub(crate) fn redirect(path: &str) {
    if crate::model::input::is_local_path(path) {
        leptos_axum::redirect(path);
    } else {
        tracing::error!(path = %path.escape_debug(), "refused an unsafe redirect");
        leptos_axum::redirect("/");
    }
}

/// Gives a failed server-function call its HTTP status (422, 404, …). Plain HTML form posts are
/// left alone: Leptos answers them with a redirect that carries the error back to the form.
#[cfg(feature = "ssr")]
pub(crate) fn reply<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    use axum::http::{header::ACCEPT, request::Parts, Method, StatusCode};
    use leptos::prelude::use_context;

    if let Err(err) = &result {
        let Some(parts) = use_context::<Parts>() else { return result };
        let is_server_fn_call = parts.uri.path().starts_with("/api/");
        let accepts_html = parts
            .headers
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
        let is_form_post = parts.method == Method::POST && accepts_html;
        if is_server_fn_call && !is_form_post {
            if let (Some(options), Ok(status)) =
                (use_context::<leptos_axum::ResponseOptions>(), StatusCode::from_u16(err.status()))
            {
                options.set_status(status);
            }
        }
    }
    result
}

/// After a plain HTML form post (no WASM) failed: back to the form page `form_page` with the
/// error, as Leptos would send it back, and with what was typed (`values`, empty ones left
/// out), so that the page shows the form as it was sent. API callers get the error alone.
#[cfg(feature = "ssr")]
pub(crate) fn back_to_form<'a>(
    server_fn_path: &str,
    form_page: &str,
    error: &AppError,
    values: impl IntoIterator<Item = (&'a str, &'a str)>,
) {
    use axum::http::{header::ACCEPT, request::Parts};
    use leptos::prelude::use_context;
    use leptos::server_fn::error::ServerFnUrlError;

    let Some(parts) = use_context::<Parts>() else { return };
    let accepts_html = parts
        .headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if !accepts_html {
        return;
    }
    // Any absolute base will do: only the path and query of the address are used.
    let base = format!("http://agora.invalid{form_page}");
    let Ok(mut url) = ServerFnUrlError::new(server_fn_path, error.clone()).to_url(&base) else {
        return;
    };
    url.query_pairs_mut().extend_pairs(values.into_iter().filter(|(_, v)| !v.trim().is_empty()));
    let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
    redirect(&format!("{}{query}", url.path()));
}
