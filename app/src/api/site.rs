use crate::error::AppError;
use crate::model::SiteContext;
use leptos::prelude::*;

/// The locality (by slug, else the default one) with its categories, and the site's settings.
#[server(prefix = "/api", endpoint = "site/context", input = server_fn::codec::GetUrl)]
pub async fn get_site_context(locality: Option<String>) -> Result<SiteContext, AppError> {
    super::reply(
        async {
            let services = crate::store::services()?;
            let locality = match locality.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(slug) => services.store.locality_by_slug(slug).await?,
                None => services.store.default_locality().await?,
            };
            Ok(SiteContext { locality, settings: (*services.site).clone() })
        }
        .await,
    )
}
