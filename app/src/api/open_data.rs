//! Open data: the facts of the open-data page, and the Open311 API keys administrators issue.

// A server function mirrors its HTML form, one argument per field.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::open_data::{ApiKeyInfo, IssuedApiKey, OpenDataFacts};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{api::admin::require_admin, model::input, store::services};

/// The cookie that carries a key just issued to the page that shows it, once.
#[cfg(feature = "ssr")]
pub(crate) const ISSUED_COOKIE: &str = "agora_issued_key";

/// Row counts and last changes of a locality's datasets; open to everyone.
#[server(prefix = "/api", endpoint = "open-data/facts", input = GetUrl)]
pub async fn get_open_data_facts(locality: Option<String>) -> Result<OpenDataFacts, AppError> {
    super::reply(
        async {
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            Ok(services()?.store.open_data_facts(locality.id).await?)
        }
        .await,
    )
}

/// What the API keys page shows: the locality's keys, and a key just issued (once).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiKeysPage {
    pub locality_slug: String,
    pub locality_name: String,
    pub keys: Vec<ApiKeyInfo>,
    pub issued: Option<IssuedApiKey>,
}

/// The key a redirect after issuing handed over in its cookie, if it is for `id`.
#[cfg(feature = "ssr")]
fn issued_from_cookie(id: i64) -> Option<String> {
    let value = super::auth::server_side::read_cookie(ISSUED_COOKIE)?;
    let (key_id, key) = value.split_once('.')?;
    (key_id.parse::<i64>().ok() == Some(id)).then(|| key.to_owned())
}

#[cfg(feature = "ssr")]
fn issued_cookie(value: &str, max_age: u32) -> Result<String, AppError> {
    let secure = if super::auth::server_side::secure_cookies()? { "; Secure" } else { "" };
    Ok(format!(
        "{ISSUED_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    ))
}

/// A locality's API keys, for its administrators. `issued` names a key issued just before,
/// whose value the page then shows this one time (and the cookie that carried it is cleared).
#[server(prefix = "/api", endpoint = "open-data/keys", input = GetUrl)]
pub async fn get_api_keys(
    locality: Option<String>,
    issued: Option<i64>,
) -> Result<ApiKeysPage, AppError> {
    super::reply(
        async {
            let (_, scope) = require_admin(locality.as_deref()).await?;
            let keys = services()?.store.api_keys(scope.id).await?;
            let issued = issued.and_then(|id| {
                let key = issued_from_cookie(id)?;
                let name = keys.iter().find(|k| k.id == id)?.name.clone();
                Some(IssuedApiKey { id, name, key })
            });
            if issued.is_some() {
                super::auth::server_side::set_cookie(&issued_cookie("", 0)?);
            }
            Ok(ApiKeysPage { locality_slug: scope.slug, locality_name: scope.name, keys, issued })
        }
        .await,
    )
}

/// Issues a key named `name` for the administered locality; the page shows it once.
#[server(prefix = "/api", endpoint = "open-data/keys/issue")]
pub async fn issue_api_key(
    name: String,
    locality: Option<String>,
    lang: String,
) -> Result<IssuedApiKey, AppError> {
    super::reply(
        async {
            let (viewer, scope) = require_admin(locality.as_deref()).await?;
            let name =
                input::line("name", &name, 1, 80).map_err(|e| AppError::Validation(vec![e]))?;
            let issued = services()?.store.create_api_key(&viewer, scope.id, &name).await?;
            let value = format!("{}.{}", issued.id, issued.key);
            super::auth::server_side::set_cookie(&issued_cookie(&value, 300)?);
            let lang = crate::locale::parse(&lang).unwrap_or(crate::i18n::Locale::ro);
            super::redirect(&crate::paths::page(
                lang,
                &format!("/admin/api-keys?locality={}&issued={}", scope.slug, issued.id),
            ));
            Ok(issued)
        }
        .await,
    )
}

/// Revokes a key of the administered locality: requests made with it are refused from now on.
#[server(prefix = "/api", endpoint = "open-data/keys/revoke")]
pub async fn revoke_api_key(
    key_id: i64,
    locality: Option<String>,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, scope) = require_admin(locality.as_deref()).await?;
            services()?.store.revoke_api_key(&viewer, scope.id, key_id).await?;
            let lang = crate::locale::parse(&lang).unwrap_or(crate::i18n::Locale::ro);
            super::redirect(&crate::paths::page(
                lang,
                &format!(
                    "/admin/api-keys?locality={}&saved={}",
                    scope.slug,
                    chrono::Utc::now().timestamp_millis()
                ),
            ));
            Ok(())
        }
        .await,
    )
}
