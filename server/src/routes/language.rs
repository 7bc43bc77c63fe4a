//! The visitor's own choice of language. Addresses carry a language (`/ru/initiatives/4`), so
//! a shared link opens in the sharer's language; a visitor who picked another one with the
//! language switch gets theirs instead. The switch goes through `GET /language`, which keeps
//! the choice in a cookie; a page asked for in another language (a link in a chat or a mail, a
//! typed address) is then redirected to the same page in the chosen one. The site's own links
//! keep the page's language, which is the chosen one, so they never redirect.

use crate::state::AppState;
use app::i18n::Locale;
use app::model::input::is_local_path;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// The cookie that holds the chosen language (not a secret: the language code only).
pub const COOKIE: &str = app::store::LANGUAGE_COOKIE;
const A_YEAR: u32 = 365 * 24 * 3600;

#[derive(Deserialize)]
pub struct Choice {
    to: Option<String>,
    next: Option<String>,
}

/// `GET /language?to={lang}&next={path}`: remembers the language and goes to `next` (a path
/// on this site, else the language's home page).
pub async fn choose(State(state): State<AppState>, Query(choice): Query<Choice>) -> Response {
    let Some(locale) = choice.to.as_deref().and_then(app::locale::parse) else {
        return super::error_response(app::error::AppError::NotFound);
    };
    let home = format!("/{locale}");
    let next = app::model::input::local_path(choice.next.as_deref(), &home);
    let secure = if state.config.public_url.starts_with("https://") { "; Secure" } else { "" };
    let cookie = format!("{COOKIE}={locale}; Path=/; Max-Age={A_YEAR}; SameSite=Lax{secure}");
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, next)]).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// The language a request's cookie names, if any.
pub fn chosen(headers: &HeaderMap) -> Option<Locale> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .and_then(|(_, value)| app::locale::parse(value.trim()))
}

/// Redirects a page asked for in another language than the visitor's chosen one. (Whether the
/// request came from within the site cannot be told: once the service worker forwards a
/// navigation, it always looks same-origin.)
pub async fn follow_choice(req: Request, next: Next) -> Response {
    if let Some(target) = redirect_for(&req) {
        let mut response = (StatusCode::FOUND, [(header::LOCATION, target)]).into_response();
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response.headers_mut().insert(header::VARY, HeaderValue::from_static("Cookie"));
        return response;
    }
    next.run(req).await
}

fn redirect_for(req: &Request) -> Option<String> {
    if req.method() != Method::GET {
        return None;
    }
    let chosen = chosen(req.headers())?;
    let path = req.uri().path();
    let first = path.trim_start_matches('/').split('/').next()?;
    let shown = app::locale::parse(first)?;
    if shown == chosen {
        return None;
    }
    let target = app::locale::switch_path(path, req.uri().query().unwrap_or(""), chosen);
    is_local_path(&target).then_some(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn request(path: &str, cookie: Option<&str>) -> Request {
        let mut builder = axum::http::Request::get(path);
        if let Some(c) = cookie {
            builder = builder.header(header::COOKIE, c);
        }
        builder.body(Body::empty()).expect("a request")
    }

    #[test]
    fn a_link_from_outside_opens_in_the_chosen_language() {
        let r = request("/ro/initiatives/4?x=1", Some("a=b; agora_lang=uk"));
        assert_eq!(redirect_for(&r).as_deref(), Some("/uk/initiatives/4?x=1"));
        let typed = request("/en/singerei/polls/2", Some("agora_lang=ru"));
        assert_eq!(redirect_for(&typed).as_deref(), Some("/ru/singerei/polls/2"));
    }

    #[test]
    fn the_sharers_language_stays_without_a_choice() {
        assert_eq!(redirect_for(&request("/ro/initiatives/4", None)), None);
        let same = request("/uk/initiatives/4", Some("agora_lang=uk"));
        assert_eq!(redirect_for(&same), None);
        let bogus = request("/ro/initiatives/4", Some("agora_lang=xx"));
        assert_eq!(redirect_for(&bogus), None);
        let not_a_page = request("/media/previews/polls/1", Some("agora_lang=uk"));
        assert_eq!(redirect_for(&not_a_page), None);
    }
}
