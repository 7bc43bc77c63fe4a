//! Area alerts: "mail me about new reports around this place".

// A server function mirrors its HTML form, one argument per field.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    api::auth::current_viewer,
    error::{FieldError, Problem},
    i18n::{td_string, Locale},
    model::input::{self, Email, Fields},
    store::{check_rate, services, Limit, MailTemplate, NewAreaAlert},
};

/// The radii a visitor chooses from, in metres.
pub const RADII: [i64; 4] = [250, 500, 1000, 2000];

#[cfg(feature = "ssr")]
fn locale_of(lang: &str) -> Locale {
    crate::locale::parse(lang).unwrap_or(Locale::ro)
}

#[cfg(feature = "ssr")]
fn confirmation_mail(base: &str, locale: Locale) -> MailTemplate {
    let link = format!("{base}/{locale}/alerts/confirm?token={{token}}");
    MailTemplate {
        subject: td_string!(locale, alerts.confirm_subject).to_owned(),
        body: td_string!(locale, alerts.confirm_body, link = link).to_string(),
    }
}

/// Subscribes to new reports within `radius` metres of (`lat`, `lng`), of the chosen
/// `categories` (slugs; none means all), one message each (`frequency=instant`) or a daily
/// digest (`daily`). Signed in it starts at once; otherwise `email` confirms by link first.
#[server(prefix = "/api", endpoint = "alerts/create")]
pub async fn create_area_alert(
    lat: String,
    lng: String,
    radius: String,
    categories: Option<Vec<String>>,
    frequency: String,
    email: Option<String>,
    locality: Option<String>,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let locale = locale_of(&lang);
            let services = services()?;
            let store = services.store.clone();
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            let viewer = current_viewer();
            let mut fields = Fields::default();
            let centre = match fields.check(input::position(&lat, &lng, &locality.boundary)) {
                Some(Some(p)) => Some(p),
                Some(None) => {
                    fields.push("location", Problem::Required);
                    None
                }
                None => None,
            };
            let radius_m = radius.trim().parse::<i64>().ok().filter(|r| RADII.contains(r));
            if radius_m.is_none() {
                fields.push("radius", Problem::Invalid);
            }
            let mut category_ids = Vec::new();
            for slug in categories.unwrap_or_default() {
                match locality.categories.iter().find(|c| c.slug == slug.trim()) {
                    Some(c) => category_ids.push(c.id),
                    None => fields.push("categories", Problem::Invalid),
                }
            }
            let digest = match frequency.trim() {
                "instant" => false,
                "daily" => true,
                _ => {
                    fields.push("frequency", Problem::Invalid);
                    false
                }
            };
            let email = match viewer.user_id() {
                Some(_) => None,
                None => fields.check(Email::parse("email", email.as_deref().unwrap_or_default())),
            };
            fields.finish()?;
            let (Some(centre), Some(radius_m)) = (centre, radius_m) else {
                return Err(AppError::Validation(vec![FieldError::new(
                    "location",
                    Problem::Invalid,
                )]));
            };
            if let Some(email) = &email {
                check_rate(Limit::FollowByEmail, Some(email.as_str())).await?;
            }
            let alert = NewAreaAlert {
                locality_id: locality.id,
                user_id: viewer.user_id(),
                email: email.map(|e| e.as_str().to_owned()),
                centre,
                radius_m,
                categories: category_ids,
                digest,
                lang: locale.to_string(),
            };
            let confirm = alert
                .user_id
                .is_none()
                .then(|| confirmation_mail(&services.site.public_url, locale));
            store.create_area_alert(&alert, confirm).await?;
            let flag = if alert.user_id.is_some() { "created" } else { "check_mail" };
            super::redirect(&crate::paths::page(locale, &format!("/alerts?{flag}=1")));
            Ok(())
        }
        .await,
    )
}

/// Confirms an e-mailed area alert (a button press: link scanners must not confirm it).
#[server(prefix = "/api", endpoint = "alerts/confirm")]
pub async fn confirm_area_alert(token: String, lang: String) -> Result<(), AppError> {
    super::reply(
        async {
            services()?.store.confirm_area_alert(token.trim()).await?;
            super::redirect(&crate::paths::page(locale_of(&lang), "/alerts?confirmed=1"));
            Ok(())
        }
        .await,
    )
}
