// A server function mirrors its query string, one argument per parameter.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::{MapFeatures, Page, ReportSummary};
#[cfg(feature = "ssr")]
use crate::{
    error::Problem,
    model::{BBox, ReportFilter, ReportQuery},
};
use leptos::prelude::*;

/// How many reports a list beside the map shows at most.
pub const LIST_LIMIT: u32 = 50;

#[cfg(feature = "ssr")]
fn parse_bbox(bbox: &str) -> Result<BBox, AppError> {
    bbox.parse::<BBox>().map_err(|_| AppError::invalid("bbox", Problem::Invalid))
}

/// Pins (or clusters, when zoomed out over many reports) inside `bbox`
/// (`minLng,minLat,maxLng,maxLat`), narrowed by the same filters as the lists.
#[server(prefix = "/api", endpoint = "map/features", input = server_fn::codec::GetUrl)]
pub async fn get_map_features(
    bbox: String,
    zoom: Option<u8>,
    category: Option<String>,
    status: Option<String>,
    since: Option<String>,
    until: Option<String>,
    q: Option<String>,
    locality: Option<String>,
) -> Result<MapFeatures, AppError> {
    super::reply(
        async {
            let bbox = parse_bbox(&bbox)?;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            let filter = ReportFilter::from_query(category.as_deref(), status.as_deref())
                .with_extras(since.as_deref(), until.as_deref(), q.as_deref())
                .in_locality(locality.id);
            let store = crate::store::services()?.store;
            Ok(store.map_features(bbox, zoom, &filter).await?)
        }
        .await,
    )
}

/// The list beside the home map for `bbox`, rendered on the server as HTML in `lang`: the map
/// island swaps it in whenever the view or the filters change, so the browser needs no code
/// to format dates, categories or counts.
#[server(prefix = "/api", endpoint = "map/in-view", input = server_fn::codec::GetUrl)]
pub async fn reports_in_view(
    lang: String,
    bbox: Option<String>,
    category: Option<String>,
    status: Option<String>,
    since: Option<String>,
    until: Option<String>,
    q: Option<String>,
    locality: Option<String>,
) -> Result<String, AppError> {
    super::reply(
        async {
            let locale = crate::locale::parse(&lang).unwrap_or(crate::locale::Locale::ro);
            let site = crate::store::request_locality(locality.as_deref()).await?;
            let page = list_map_reports(bbox, category, status, since, until, q, locality).await?;
            Ok(crate::components::report_list::in_view_html(locale, page, &site))
        }
        .await,
    )
}

/// The newest reports inside `bbox` (or anywhere when it is absent), for the list beside the map.
#[server(prefix = "/api", endpoint = "map/reports", input = server_fn::codec::GetUrl)]
pub async fn list_map_reports(
    bbox: Option<String>,
    category: Option<String>,
    status: Option<String>,
    since: Option<String>,
    until: Option<String>,
    q: Option<String>,
    locality: Option<String>,
) -> Result<Page<ReportSummary>, AppError> {
    super::reply(
        async {
            let bbox = bbox.as_deref().map(parse_bbox).transpose()?;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            let filter = ReportFilter::from_query(category.as_deref(), status.as_deref())
                .with_extras(since.as_deref(), until.as_deref(), q.as_deref())
                .in_locality(locality.id);
            let query = ReportQuery { filter, bbox, per_page: LIST_LIMIT, ..Default::default() };
            Ok(crate::store::services()?.store.list_reports(&query).await?)
        }
        .await,
    )
}
