//! Signing up, confirming, signing in and out, resetting a password, and the profile.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::model::account::CivicGroup;
use crate::model::account::{Profile, Viewer};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) mod server_side {
    pub use crate::error::Problem;
    pub use crate::i18n::{td_string, Locale};
    pub use crate::model::input::{self, Email, Fields};
    pub use crate::store::{
        device_cookie, session_cookie, DeviceToken, MailTemplate, NewAccount, NewSession,
        SessionToken, SignInAttempt, StoreError,
    };
    pub use axum::http::{header::SET_COOKIE, header::USER_AGENT, request::Parts, HeaderValue};
    pub use leptos_axum::ResponseOptions;

    /// The locale named by a form's hidden `lang` field, else Romanian.
    pub fn locale_of(lang: &str) -> Locale {
        crate::locale::parse(lang).unwrap_or(Locale::ro)
    }

    /// The confirmation mail, with `{token}` left for the store to fill.
    pub fn confirm_mail(base: &str, locale: Locale) -> MailTemplate {
        let link = format!("{base}/{locale}/confirm?token={{token}}");
        MailTemplate {
            subject: td_string!(locale, mail.confirm_subject).to_owned(),
            body: td_string!(locale, mail.confirm_body, link = link.clone()).to_string(),
        }
    }

    pub fn set_cookie(value: &str) {
        if let (Some(options), Ok(v)) =
            (use_context::<ResponseOptions>(), HeaderValue::from_str(value))
        {
            options.append_header(SET_COOKIE, v);
        }
    }

    /// The value of the request's cookie `name`, if it came with one.
    pub fn read_cookie(name: &str) -> Option<String> {
        let parts = use_context::<Parts>()?;
        let cookies = parts.headers.get_all(axum::http::header::COOKIE);
        cookies.iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
            let value = c.trim().strip_prefix(name)?.strip_prefix('=')?;
            Some(value.to_owned())
        })
    }

    pub fn secure_cookies() -> Result<bool, crate::error::AppError> {
        Ok(crate::store::services()?.site.public_url.starts_with("https://"))
    }

    /// Hands the browser its new session and device cookies.
    pub fn give_session(session: &NewSession) -> Result<(), crate::error::AppError> {
        let secure = secure_cookies()?;
        set_cookie(&session_cookie(&session.token, secure));
        set_cookie(&device_cookie(&session.device, secure));
        Ok(())
    }

    /// The browser's `User-Agent`, for the list of sessions.
    pub fn user_agent(parts: Option<&Parts>) -> String {
        parts
            .and_then(|p| p.headers.get(USER_AGENT))
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    /// A throttled sign-in says when to come back (`Retry-After`), and is refused.
    pub fn throttled(err: StoreError) -> crate::error::AppError {
        if let (StoreError::Throttled(seconds), Some(options)) =
            (&err, use_context::<ResponseOptions>())
        {
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                options.insert_header(axum::http::header::RETRY_AFTER, value);
            }
        }
        err.into()
    }

    use leptos::prelude::use_context;
}
#[cfg(feature = "ssr")]
use server_side::*;

/// Who is asking (nobody when signed out).
#[cfg(feature = "ssr")]
pub fn current_viewer() -> Viewer {
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Viewer>().cloned())
        .unwrap_or_default()
}

/// The signed-in person's id, or `Unauthorized`.
#[cfg(feature = "ssr")]
pub fn require_user() -> Result<(Viewer, i64), AppError> {
    let viewer = current_viewer();
    match viewer.user_id() {
        Some(id) => Ok((viewer, id)),
        None => Err(AppError::Unauthorized),
    }
}

#[server(prefix = "/api", endpoint = "auth/viewer", input = server_fn::codec::GetUrl)]
pub async fn get_viewer() -> Result<Viewer, AppError> {
    Ok(current_viewer())
}

#[server(prefix = "/api", endpoint = "auth/signup")]
pub async fn sign_up(
    email: String,
    password: String,
    display_name: String,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let locale = locale_of(&lang);
            let mut fields = Fields::default();
            let email = fields.check(Email::parse("email", &email));
            let password = fields.check(input::new_password("password", &password));
            let display_name = fields.check(input::text("display_name", &display_name, 1, 80));
            fields.finish()?;
            let (Some(email), Some(password), Some(display_name)) = (email, password, display_name)
            else {
                return Err(AppError::Internal);
            };
            crate::store::check_rate(crate::store::Limit::SignUp, Some(email.as_str())).await?;
            let services = crate::store::services()?;
            let base = services.site.public_url.clone();
            let existing = MailTemplate {
                subject: td_string!(locale, mail.existing_subject).to_owned(),
                body: td_string!(
                    locale,
                    mail.existing_body,
                    link = format!("{base}/{locale}/forgot")
                )
                .to_string(),
            };
            let account = NewAccount {
                email: email.into_inner(),
                password,
                display_name,
                locale: locale.to_string(),
            };
            services.store.sign_up(account, confirm_mail(&base, locale), existing).await?;
            super::redirect(&crate::paths::page(locale, "/signup?sent=1"));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "auth/confirm")]
pub async fn confirm_email(token: String, lang: String) -> Result<(), AppError> {
    super::reply(
        async {
            let locale = locale_of(&lang);
            crate::store::services()?.store.confirm_email(token.trim()).await?;
            super::redirect(&crate::paths::page(locale, "/login?confirmed=1"));
            Ok(())
        }
        .await,
    )
}

/// Signs in with a password. Rate-limited per client address; wrong passwords for one address
/// slow further attempts for it down, but never for a browser that signed in to it before.
#[server(prefix = "/api", endpoint = "auth/login")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let locale = locale_of(&lang);
            let email = Email::parse("email", &email).map_err(|e| AppError::Validation(vec![e]))?;
            crate::store::check_rate(crate::store::Limit::SignIn, None).await?;
            let services = crate::store::services()?;
            let parts = use_context::<Parts>();
            let device = parts.as_ref().and_then(|p| p.extensions.get::<DeviceToken>()).cloned();
            let attempt = SignInAttempt {
                email: email.as_str(),
                password: &password,
                user_agent: &user_agent(parts.as_ref()),
                device: device.as_ref().map(|d| d.0.as_str()),
            };
            let session = services
                .store
                .sign_in(attempt, confirm_mail(&services.site.public_url, locale))
                .await
                .map_err(throttled)?;
            // Rotate: the session the browser came with (if any) ends here.
            if let Some(old) = parts.as_ref().and_then(|p| p.extensions.get::<SessionToken>()) {
                services.store.end_session(&old.0).await?;
            }
            give_session(&session)?;
            super::redirect(&input::local_path(next.as_deref(), &crate::paths::page(locale, "")));
            Ok(())
        }
        .await,
    )
}

/// Mails a single-use sign-in link, the way in that nobody else's wrong guesses can close.
/// The answer is the same whether or not the address has an account.
#[server(prefix = "/api", endpoint = "auth/link")]
pub async fn request_sign_in_link(email: String, lang: String) -> Result<(), AppError> {
    super::reply(
        async {
            let locale = locale_of(&lang);
            let email = Email::parse("email", &email).map_err(|e| AppError::Validation(vec![e]))?;
            crate::store::check_rate(crate::store::Limit::SignInLink, Some(email.as_str())).await?;
            let services = crate::store::services()?;
            let link = format!("{}/{locale}/login/link?token={{token}}", services.site.public_url);
            let mail = MailTemplate {
                subject: td_string!(locale, mail.sign_in_subject).to_owned(),
                body: td_string!(locale, mail.sign_in_body, link = link.clone()).to_string(),
            };
            services.store.request_sign_in_link(email.as_str(), mail).await?;
            super::redirect(&crate::paths::page(locale, "/login/link?sent=1"));
            Ok(())
        }
        .await,
    )
}

/// Uses an e-mailed sign-in link (a button on the link's page, so that mail scanners which
/// open links do not use it up).
#[server(prefix = "/api", endpoint = "auth/link-signin")]
pub async fn sign_in_with_link(token: String, lang: String) -> Result<(), AppError> {
    super::reply(
        async {
            let locale = locale_of(&lang);
            crate::store::check_rate(crate::store::Limit::SignIn, None).await?;
            let services = crate::store::services()?;
            let parts = use_context::<Parts>();
            let device = parts.as_ref().and_then(|p| p.extensions.get::<DeviceToken>()).cloned();
            let session = services
                .store
                .sign_in_with_link(
                    token.trim(),
                    &user_agent(parts.as_ref()),
                    device.as_ref().map(|d| d.0.as_str()),
                )
                .await?;
            if let Some(old) = parts.as_ref().and_then(|p| p.extensions.get::<SessionToken>()) {
                services.store.end_session(&old.0).await?;
            }
            give_session(&session)?;
            super::redirect(&crate::paths::page(locale, "/account"));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "auth/logout")]
pub async fn sign_out(lang: String) -> Result<(), AppError> {
    super::reply(
        async {
            let services = crate::store::services()?;
            if let Some(token) =
                use_context::<Parts>().and_then(|p| p.extensions.get::<SessionToken>().cloned())
            {
                services.store.end_session(&token.0).await?;
            }
            set_cookie(&session_cookie("", secure_cookies()?));
            // A fresh query so the page (and its header) is read again even from the home page.
            let marker = chrono::Utc::now().timestamp_millis();
            super::redirect(&crate::paths::page(
                locale_of(&lang),
                &format!("?signed_out={marker}"),
            ));

            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "auth/logout-everywhere")]
pub async fn sign_out_everywhere(lang: String) -> Result<(), AppError> {
    super::reply(
        async {
            let (_, user_id) = require_user()?;
            crate::store::services()?.store.end_all_sessions(user_id).await?;
            set_cookie(&session_cookie("", secure_cookies()?));
            super::redirect(&crate::paths::page(locale_of(&lang), "/login"));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "auth/forgot")]
pub async fn request_password_reset(email: String, lang: String) -> Result<(), AppError> {
    super::reply(
        async {
            let locale = locale_of(&lang);
            let email = Email::parse("email", &email).map_err(|e| AppError::Validation(vec![e]))?;
            crate::store::check_rate(crate::store::Limit::PasswordReset, Some(email.as_str()))
                .await?;
            let services = crate::store::services()?;
            let link = format!("{}/{locale}/reset?token={{token}}", services.site.public_url);
            let mail = MailTemplate {
                subject: td_string!(locale, mail.reset_subject).to_owned(),
                body: td_string!(locale, mail.reset_body, link = link.clone()).to_string(),
            };
            services.store.request_password_reset(email.as_str(), mail).await?;
            super::redirect(&crate::paths::page(locale, "/forgot?sent=1"));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "auth/reset")]
pub async fn reset_password(token: String, password: String, lang: String) -> Result<(), AppError> {
    super::reply(
        async {
            let locale = locale_of(&lang);
            let password = input::new_password("password", &password)
                .map_err(|e| AppError::Validation(vec![e]))?;
            crate::store::check_rate(crate::store::Limit::PasswordReset, None).await?;
            crate::store::services()?.store.reset_password(token.trim(), &password).await?;
            super::redirect(&crate::paths::page(locale, "/login?reset=1"));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "account/profile", input = server_fn::codec::GetUrl)]
pub async fn get_profile() -> Result<Profile, AppError> {
    super::reply(
        async {
            let (_, user_id) = require_user()?;
            Ok(crate::store::services()?.store.profile(user_id).await?)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "account/update")]
pub async fn update_profile(
    display_name: String,
    locale: String,
    civic_group: String,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (_, user_id) = require_user()?;
            let mut fields = Fields::default();
            let display_name = fields.check(input::text("display_name", &display_name, 1, 80));
            let preferred = crate::locale::parse(&locale);
            if preferred.is_none() {
                fields.push("locale", Problem::Invalid);
            }
            let group = CivicGroup::parse(&civic_group);
            if group.is_none() {
                fields.push("civic_group", Problem::Invalid);
            }
            fields.finish()?;
            let (Some(display_name), Some(preferred), Some(group)) =
                (display_name, preferred, group)
            else {
                return Err(AppError::Internal);
            };
            crate::store::services()?
                .store
                .update_profile(user_id, &display_name, preferred.as_ref(), group)
                .await?;
            super::redirect(&crate::paths::page(locale_of(&lang), "/account?saved=1"));
            Ok(())
        }
        .await,
    )
}

/// Changes the signed-in person's password; every other session and e-mailed link ends.
#[server(prefix = "/api", endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (_, user_id) = require_user()?;
            let new_password = input::new_password("new_password", &new_password)
                .map_err(|e| AppError::Validation(vec![e]))?;
            crate::store::check_rate(crate::store::Limit::SignIn, None).await?;
            let token = use_context::<Parts>()
                .and_then(|p| p.extensions.get::<SessionToken>().cloned())
                .ok_or(AppError::Unauthorized)?;
            crate::store::services()?
                .store
                .change_password(user_id, &current_password, &new_password, &token.0)
                .await?;
            super::redirect(&crate::paths::page(locale_of(&lang), "/account?password_changed=1"));
            Ok(())
        }
        .await,
    )
}

/// Deletes the signed-in account after checking its password again.
#[server(prefix = "/api", endpoint = "account/delete")]
pub async fn delete_account(password: String, lang: String) -> Result<(), AppError> {
    super::reply(
        async {
            let (_, user_id) = require_user()?;
            let services = crate::store::services()?;
            crate::store::check_rate(crate::store::Limit::SignIn, None).await?;
            // Re-authenticate: a left-open session must not be enough to erase an account.
            if !services.store.check_password(user_id, &password).await? {
                return Err(AppError::invalid("password", Problem::Invalid));
            }
            services.store.delete_account(user_id).await?;
            set_cookie(&session_cookie("", secure_cookies()?));
            super::redirect(&crate::paths::page(locale_of(&lang), "?deleted=1"));
            Ok(())
        }
        .await,
    )
}
