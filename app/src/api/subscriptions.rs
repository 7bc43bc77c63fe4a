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

/// Every subscription of the address a token was mailed to, or of the signed-in account.
#[server(prefix = "/api", endpoint = "subscriptions/list", input = GetUrl)]
pub async fn list_subscriptions(token: Option<String>) -> Result<Vec<Subscription>, AppError> {
    super::reply(async { Ok(services()?.store.subscriptions(&subscriber(token)?).await?) }.await)
}

/// Ends one subscription (`kind` is `report` or `area`), then back to the list.
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
