//! Statistics and the yearly activity report, per locality.

use crate::error::AppError;
use crate::model::statistics::{Statistics, YearReport};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Today in the city (the fix rate counts reports at least four weeks old).
#[cfg(feature = "ssr")]
fn city_today() -> chrono::NaiveDate {
    crate::format::local_date(chrono::Utc::now())
}

/// A locality's statistics for the filter in the address; open to everyone.
#[server(prefix = "/api", endpoint = "statistics/get", input = GetUrl)]
pub async fn get_statistics(
    locality: Option<String>,
    from: Option<String>,
    to: Option<String>,
    category: Option<String>,
    department: Option<String>,
    status: Option<String>,
) -> Result<Statistics, AppError> {
    super::reply(
        async {
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            let filter = crate::model::statistics::StatsFilter::from_query(
                from.as_deref(),
                to.as_deref(),
                category.as_deref(),
                department.as_deref(),
                status.as_deref(),
            );
            let store = crate::store::services()?.store;
            Ok(store.statistics(locality.id, &filter, city_today()).await?)
        }
        .await,
    )
}

/// The years a yearly report can be asked for: from 2000 to the current one.
pub fn is_report_year(year: i32, current: i32) -> bool {
    (2000..=current).contains(&year)
}

/// The yearly activity report of a locality; open to everyone.
#[server(prefix = "/api", endpoint = "statistics/year", input = GetUrl)]
pub async fn get_year_report(locality: Option<String>, year: i32) -> Result<YearReport, AppError> {
    super::reply(
        async {
            let today = city_today();
            if !is_report_year(year, chrono::Datelike::year(&today)) {
                return Err(AppError::NotFound);
            }
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            let store = crate::store::services()?.store;
            Ok(store.year_report(locality.id, year, today).await?)
        }
        .await,
    )
}
