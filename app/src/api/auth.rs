//! Signing up, confirming, signing in and out, resetting a password, and the profile.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::model::account::CivicGroup;
use crate::model::account::{Profile, Viewer};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod server_side {
    pub use crate::error::{FieldError, Problem};
    pub use crate::i18n::{td_string, Locale};
    pub use crate::model::input::{self, Email, Fields};
    pub use crate::store::{session_cookie, MailTemplate, NewAccount, SessionToken};
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

    pub fn secure_cookies() -> Result<bool, crate::error::AppError> {
        Ok(crate::store::services()?.site.public_url.starts_with("https://"))
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
            leptos_axum::redirect(&format!("/{locale}/signup?sent=1"));
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
            leptos_axum::redirect(&format!("/{locale}/login?confirmed=1"));
            Ok(())
        }
        .await,
    )
}

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
            crate::store::check_rate(crate::store::Limit::SignIn, Some(email.as_str())).await?;
            let services = crate::store::services()?;
            let parts = use_context::<Parts>();
            let user_agent = parts
                .as_ref()
                .and_then(|p| p.headers.get(USER_AGENT))
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let session = services
                .store
                .sign_in(
                    email.as_str(),
                    &password,
                    &user_agent,
                    confirm_mail(&services.site.public_url, locale),
                )
                .await?;
            // Rotate: the session the browser came with (if any) ends here.
            if let Some(old) = parts.as_ref().and_then(|p| p.extensions.get::<SessionToken>()) {
                services.store.end_session(&old.0).await?;
            }
            set_cookie(&session_cookie(&session.token, secure_cookies()?));
            leptos_axum::redirect(&input::local_path(next.as_deref(), &format!("/{locale}")));
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
            leptos_axum::redirect(&format!("/{}?signed_out={marker}", locale_of(&lang)));

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
            leptos_axum::redirect(&format!("/{}/login", locale_of(&lang)));
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
            leptos_axum::redirect(&format!("/{locale}/forgot?sent=1"));
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
            leptos_axum::redirect(&format!("/{locale}/login?reset=1"));
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
            leptos_axum::redirect(&format!("/{}/account?saved=1", locale_of(&lang)));
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
            let (viewer, user_id) = require_user()?;
            let services = crate::store::services()?;
            let email = viewer.user.map(|u| u.email).unwrap_or_default();
            crate::store::check_rate(crate::store::Limit::SignIn, Some(&email)).await?;
            // Re-authenticate: a left-open session must not be enough to erase an account.
            let check = services
                .store
                .sign_in(
                    &email,
                    &password,
                    "re-authentication",
                    confirm_mail(&services.site.public_url, Locale::ro),
                )
                .await;
            match check {
                Ok(session) => services.store.end_session(&session.token).await?,
                Err(crate::store::StoreError::Unauthorized) => {
                    return Err(AppError::Validation(vec![FieldError::new(
                        "password",
                        Problem::Invalid,
                    )]))
                }
                Err(other) => return Err(other.into()),
            }
            services.store.delete_account(user_id).await?;
            set_cookie(&session_cookie("", secure_cookies()?));
            leptos_axum::redirect(&format!("/{}?deleted=1", locale_of(&lang)));
            Ok(())
        }
        .await,
    )
}
