//! Kiosk mode: a touch screen at the information centre that anyone may walk up to.
//!
//! The mode is a setting of the device — a cookie in the kiosk's own browser, set by a member
//! of the locality's staff signed in on it — so no secret travels in an address. On a kiosk
//! every page is drawn for touch, and after `idle` seconds without a touch the screen warns,
//! then calls [`reset_kiosk`]: the session ends and every cookie and store of the visit goes.

use crate::error::AppError;
use leptos::prelude::*;

/// The device's setting (the seconds without a touch before the screen starts over).
pub const KIOSK_COOKIE: &str = "agora_kiosk";

/// The idle time staff may choose, in seconds; 90 unless they say otherwise.
pub const IDLE_RANGE: std::ops::RangeInclusive<u32> = 20..=900;
pub const IDLE_DEFAULT: u32 = 90;

/// How long the warning stands before the screen starts over, in seconds.
pub const WARNING_SECONDS: u32 = 15;

/// Whether this browser is a kiosk, and its idle time: read from the request's cookie.
#[cfg(feature = "ssr")]
pub fn kiosk_idle() -> Option<u32> {
    let value = super::auth::server_side::read_cookie(KIOSK_COOKIE)?;
    value.parse().ok().filter(|s| IDLE_RANGE.contains(s))
}

#[cfg(feature = "ssr")]
mod server_side {
    pub use super::super::auth::server_side::{
        locale_of, secure_cookies, session_cookie, set_cookie, Parts, SessionToken,
    };
    pub use super::super::auth::{current_viewer, require_user};
    pub use crate::error::Problem;
    pub use crate::store::{request_locality, services};

    /// Refuses everyone but the staff of the request's locality.
    pub async fn require_staff(
        locality: Option<&str>,
    ) -> Result<crate::model::Locality, crate::error::AppError> {
        let (viewer, _) = require_user()?;
        let locality = request_locality(locality).await?;
        if viewer.is_staff_of(locality.id) {
            Ok(locality)
        } else {
            Err(crate::error::AppError::Forbidden)
        }
    }

    /// Ends the browser's session (if any) and clears its cookie.
    pub async fn end_this_session() -> Result<(), crate::error::AppError> {
        let token = leptos::prelude::use_context::<Parts>()
            .and_then(|p| p.extensions.get::<SessionToken>().cloned());
        if let Some(token) = token {
            services()?.store.end_session(&token.0).await?;
        }
        set_cookie(&session_cookie("", secure_cookies()?));
        Ok(())
    }

    pub fn kiosk_cookie(idle: Option<u32>) -> Result<String, crate::error::AppError> {
        let secure = if secure_cookies()? { "; Secure" } else { "" };
        let name = super::KIOSK_COOKIE;
        // Kept as long as the screen stands there (ten years); cleared by "switch off".
        Ok(match idle {
            Some(idle) => {
                format!("{name}={idle}; Path=/; Max-Age=315360000; HttpOnly; SameSite=Lax{secure}")
            }
            None => format!("{name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}"),
        })
    }
}
#[cfg(feature = "ssr")]
use server_side::*;

/// Switches this browser to kiosk mode (staff of the locality), then signs the staff member
/// out: the screen is handed over with nobody signed in.
#[server(prefix = "/api", endpoint = "kiosk/start")]
pub async fn start_kiosk(
    idle: String,
    lang: String,
    locality: Option<String>,
) -> Result<(), AppError> {
    super::reply(
        async {
            let locality = require_staff(locality.as_deref()).await?;
            let idle = match idle.trim() {
                "" => IDLE_DEFAULT,
                given => given
                    .parse::<u32>()
                    .ok()
                    .filter(|s| IDLE_RANGE.contains(s))
                    .ok_or_else(|| AppError::invalid("idle", Problem::Invalid))?,
            };
            let locale = locale_of(&lang);
            tracing::info!(
                locality = %locality.slug,
                staff = current_viewer().user_id(),
                idle,
                "a screen was switched to kiosk mode"
            );
            end_this_session().await?;
            set_cookie(&kiosk_cookie(Some(idle))?);
            super::redirect(&crate::paths::locality_page(&locality, locale, "/kiosk"));
            Ok(())
        }
        .await,
    )
}

/// Switches this browser back to an ordinary one (staff of the locality).
#[server(prefix = "/api", endpoint = "kiosk/stop")]
pub async fn stop_kiosk(lang: String, locality: Option<String>) -> Result<(), AppError> {
    super::reply(
        async {
            let locality = require_staff(locality.as_deref()).await?;
            set_cookie(&kiosk_cookie(None)?);
            super::redirect(&crate::paths::locality_page(&locality, locale_of(&lang), "/kiosk"));
            Ok(())
        }
        .await,
    )
}

/// Starts the screen over for the next visitor: the session ends, the visit's cookies (a
/// survey's draft, a chosen language, an issued key) and the browser's stores and cache are
/// cleared. Where to: the start screen, or (`then=glance`) the city at a glance. Anyone may
/// call it; it ends only this browser's visit.
#[server(prefix = "/api", endpoint = "kiosk/reset")]
pub async fn reset_kiosk(then: String, locality: Option<String>) -> Result<(), AppError> {
    super::reply(
        async {
            let locality = request_locality(locality.as_deref()).await?;
            let rest = match then.as_str() {
                "glance" => "/kiosk/glance",
                "" | "start" => "/kiosk",
                _ => return Err(AppError::invalid("then", Problem::Invalid)),
            };
            end_this_session().await?;
            let secure = if secure_cookies()? { "; Secure" } else { "" };
            for name in [
                super::surveys::DRAFT_COOKIE,
                crate::store::LANGUAGE_COOKIE,
                super::open_data::ISSUED_COOKIE,
            ] {
                set_cookie(&format!("{name}=; Path=/; Max-Age=0; SameSite=Lax{secure}"));
            }
            if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
                options.insert_header(
                    axum::http::HeaderName::from_static("clear-site-data"),
                    axum::http::HeaderValue::from_static("\"cache\", \"storage\""),
                );
            }
            // The next visitor starts in the city's language and picks theirs.
            let locale = crate::i18n::Locale::ro;
            super::redirect(&crate::paths::locality_page(&locality, locale, rest));
            Ok(())
        }
        .await,
    )
}
