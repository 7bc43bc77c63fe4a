use crate::error::AppError;
use crate::model::SiteContext;
use leptos::prelude::*;

/// The locality (by slug, else the request's: see `store::request_locality`) with its
/// categories, every locality (for the switcher), and the site's settings.
#[server(prefix = "/api", endpoint = "site/context", input = server_fn::codec::GetUrl)]
pub async fn get_site_context(locality: Option<String>) -> Result<SiteContext, AppError> {
    super::reply(
        async {
            let services = crate::store::services()?;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            let localities = services.store.public_localities().await?;
            Ok(SiteContext { locality, localities, settings: (*services.site).clone() })
        }
        .await,
    )
}
