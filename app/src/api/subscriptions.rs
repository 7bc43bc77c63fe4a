//! Managing subscriptions: signed in, or through the token every subscription message carries.

use crate::error::AppError;
use crate::model::subscription::Subscription;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
use crate::{
    api::auth::current_viewer,
    model::subscription::SubscriptionKind,
    store::{services, Subscriber},
};

/// Whose subscriptions: the mailed token when there is one, else the signed-in account.
#[cfg(feature = "ssr")]
fn subscriber(token: Option<String>) -> Result<Subscriber, AppError> {
    match token.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()) {
        Some(token) => Ok(Subscriber::Token(token)),
        None => current_viewer().user_id().map(Subscriber::User).ok_or(AppError::Unauthorized),
    }
}

/// Every subscription of the address a token was mailed to, or of the signed-in account, with
/// titles in `lang` where they have one.
#[server(prefix = "/api", endpoint = "subscriptions/list", input = GetUrl)]
pub async fn list_subscriptions(
    token: Option<String>,
    lang: Option<String>,
) -> Result<Vec<Subscription>, AppError> {
    super::reply(
        async {
            let lang = lang.unwrap_or_default();
            let locale = crate::locale::parse(&lang).unwrap_or(crate::i18n::Locale::ro);
            Ok(services()?.store.subscriptions(&subscriber(token)?, locale.as_ref()).await?)
        }
        .await,
    )
}

/// Ends one subscription (`kind` as [`SubscriptionKind::as_str`] writes it), then back to the
/// list.
#[server(prefix = "/api", endpoint = "subscriptions/remove")]
pub async fn remove_subscription(
    token: Option<String>,
    kind: String,
    id: i64,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let kind = SubscriptionKind::parse(kind.trim()).ok_or_else(|| {
                AppError::Validation(vec![crate::error::FieldError::new(
                    "kind",
                    crate::error::Problem::Invalid,
                )])
            })?;
            let who = subscriber(token.clone())?;
            services()?.store.unsubscribe(&who, kind, id).await?;
            let locale = crate::locale::parse(&lang).unwrap_or(crate::i18n::Locale::ro);
            let query = match &who {
                Subscriber::Token(t) => format!("?token={t}&removed=1"),
                Subscriber::User(_) => "?removed=1".to_owned(),
            };
            super::redirect(&crate::paths::page(locale, &format!("/subscriptions{query}")));
            Ok(())
        }
        .await,
    )
}

/// The kind of a followable thing from a form (`initiative`, `poll` or `project`).
#[cfg(feature = "ssr")]
fn follow_kind(kind: &str) -> Result<SubscriptionKind, AppError> {
    SubscriptionKind::parse(kind.trim()).filter(|k| k.is_follow()).ok_or_else(|| {
        AppError::Validation(vec![crate::error::FieldError::new(
            "kind",
            crate::error::Problem::Invalid,
        )])
    })
}

/// Follows or stops following an initiative, a poll or a project (signed in), then back to
/// its page.
#[cfg(feature = "ssr")]
async fn set_following(kind: String, id: i64, lang: String, follow: bool) -> Result<(), AppError> {
    let kind = follow_kind(&kind)?;
    let locale = crate::locale::parse(&lang).unwrap_or(crate::i18n::Locale::ro);
    let user = current_viewer().user_id().ok_or(AppError::Unauthorized)?;
    let store = services()?.store;
    let target = store.follow_target(kind, id).await?;
    if follow {
        store.follow(kind, id, user, locale.as_ref()).await?;
    } else {
        store.unfollow(kind, id, user).await?;
    }
    let flag = if follow { "followed" } else { "unfollowed" };
    let page = format!("{}?{flag}=1", target.page);
    super::redirect(&crate::paths::site_page(target.site.as_deref(), locale, &page));
    Ok(())
}

/// Follows an initiative, a poll or a civic-budget project: its news by e-mail, in `lang`.
#[server(prefix = "/api", endpoint = "follows/follow")]
pub async fn follow(kind: String, id: i64, lang: String) -> Result<(), AppError> {
    super::reply(set_following(kind, id, lang, true).await)
}

/// Stops following it.
#[server(prefix = "/api", endpoint = "follows/unfollow")]
pub async fn unfollow(kind: String, id: i64, lang: String) -> Result<(), AppError> {
    super::reply(set_following(kind, id, lang, false).await)
}

/// Whether the signed-in person follows it (`None` for a visitor who is not signed in).
#[server(prefix = "/api", endpoint = "follows/state", input = GetUrl)]
pub async fn following(kind: String, id: i64) -> Result<Option<bool>, AppError> {
    super::reply(
        async {
            let kind = follow_kind(&kind)?;
            let Some(user) = current_viewer().user_id() else { return Ok(None) };
            Ok(Some(services()?.store.is_following(kind, id, user).await?))
        }
        .await,
    )
}
