//! What a server function learns from its request: the client's address and rate limits,
//! cookies, and the locality whose site it is on.

use super::services;
use crate::error::AppError;
use crate::model::Locality;
use async_trait::async_trait;
use leptos::prelude::use_context;

/// The buckets of the rate limits: each counts one kind of action, per client address and per
/// account (or e-mail address).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Limit {
    /// Any state-changing request: a flood guard per client address.
    AnyWrite,
    /// Password sign-in attempts, per client address.
    SignIn,
    /// Sign-in links mailed, per address and per e-mail address.
    SignInLink,
    SignUp,
    PasswordReset,
    CreateReport,
    LaunchInitiative,
    Comment,
    /// Following a report by e-mail (each one mails a confirmation link).
    FollowByEmail,
    /// "I have this problem too".
    SupportReport,
    /// Supporting an initiative, or taking the support back.
    SupportInitiative,
    VotePoll,
    /// Requests made with one Open311 API key.
    ApiKey,
}

impl Limit {
    pub const ALL: [Limit; 13] = [
        Limit::AnyWrite,
        Limit::SignIn,
        Limit::SignInLink,
        Limit::SignUp,
        Limit::PasswordReset,
        Limit::CreateReport,
        Limit::LaunchInitiative,
        Limit::Comment,
        Limit::FollowByEmail,
        Limit::SupportReport,
        Limit::SupportInitiative,
        Limit::VotePoll,
        Limit::ApiKey,
    ];

    /// The bucket's name where limits are counted in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Limit::AnyWrite => "any_write",
            Limit::SignIn => "sign_in",
            Limit::SignInLink => "sign_in_link",
            Limit::SignUp => "sign_up",
            Limit::PasswordReset => "password_reset",
            Limit::CreateReport => "create_report",
            Limit::LaunchInitiative => "launch_initiative",
            Limit::Comment => "comment",
            Limit::FollowByEmail => "follow_by_email",
            Limit::SupportReport => "support_report",
            Limit::SupportInitiative => "support_initiative",
            Limit::VotePoll => "vote_poll",
            Limit::ApiKey => "api_key",
        }
    }
}

/// Counts attempts at `limit`, once for each of `keys`; `false` means that at least one key has
/// made too many: refuse. Counted in the database when several server processes share it.
#[async_trait]
pub trait RateLimiter: Send + Sync {
    async fn allow(&self, limit: Limit, keys: &[String]) -> bool;
}

/// The client's address as the server determined it (request extension).
#[derive(Clone, Debug)]
pub struct ClientAddr(pub String);

/// Refuses the request with `RateLimited` when the client address, or the account or e-mail
/// address named by `account`, has made too many attempts at `limit`.
pub async fn check_rate(limit: Limit, account: Option<&str>) -> Result<(), AppError> {
    let services = services()?;
    let addr = use_context::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<ClientAddr>().map(|a| a.0.clone()))
        .unwrap_or_else(|| "unknown".to_owned());
    let mut keys = vec![format!("addr:{addr}")];
    keys.extend(account.map(|a| format!("account:{a}")));
    if services.limiter.allow(limit, &keys).await {
        Ok(())
    } else {
        Err(AppError::RateLimited)
    }
}

/// The cookie that holds a visitor's chosen language (set by the server's `/language`).
pub const LANGUAGE_COOKIE: &str = "agora_lang";

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "agora_session";

/// The raw session token sent by the browser (request extension, set by the server).
#[derive(Clone, Debug)]
pub struct SessionToken(pub String);

/// The name of the cookie that marks a browser which signed in before.
pub const DEVICE_COOKIE: &str = "agora_device";

/// The device cookie the browser sent (request extension, set by the server).
#[derive(Clone, Debug)]
pub struct DeviceToken(pub String);

/// A `Set-Cookie` value for a device token: kept a year, HttpOnly, sent only to this site.
pub fn device_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{DEVICE_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000{secure}")
}

/// A `Set-Cookie` value for a session: HttpOnly, SameSite=Lax, Secure when the site is HTTPS.
/// An empty token clears the cookie.
pub fn session_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    if token.is_empty() {
        format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
    } else {
        format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000{secure}")
    }
}

/// The locality whose public site a request is for (request extension, set by the server for
/// `/{lang}/{slug}/…` and for a host name mapped to a locality). Absent: the default locality.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteLocality(pub String);

/// The slug of the locality whose site this request is for; `None` on the default site.
pub fn site_slug() -> Option<String> {
    use_context::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<SiteLocality>().map(|s| s.0.clone()))
}

/// The locality of this request, for every server function: the one named by `explicit` (a
/// form's hidden `locality` field, or `locality=` in an API call), else the one whose site the
/// page is on, else the default one. An unknown slug is `NotFound`.
pub async fn request_locality(explicit: Option<&str>) -> Result<Locality, AppError> {
    let store = services()?.store;
    let named = explicit.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    Ok(match named.or_else(site_slug) {
        Some(slug) => store.locality_by_slug(&slug).await?,
        None => store.default_locality().await?,
    })
}
