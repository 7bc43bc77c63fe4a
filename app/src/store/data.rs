//! Statistics and open data.

use super::StoreResult;
use crate::model::account::Viewer;
use async_trait::async_trait;

/// Statistics per locality, exact at every moment (the writes keep their aggregates).
#[async_trait]
pub trait StatisticsStore: Send + Sync {
    /// The figures of a statistics page; `today` (city date) decides the fix rate's window.
    async fn statistics(
        &self,
        locality_id: i64,
        filter: &crate::model::statistics::StatsFilter,
        today: chrono::NaiveDate,
    ) -> StoreResult<crate::model::statistics::Statistics>;
    /// The yearly activity report.
    async fn year_report(
        &self,
        locality_id: i64,
        year: i32,
        today: chrono::NaiveDate,
    ) -> StoreResult<crate::model::statistics::YearReport>;
}

/// Open data: the facts the open-data page lists, and the API keys of Open311 clients.
#[async_trait]
pub trait OpenDataStore: Send + Sync {
    /// Row counts and last changes of a locality's public datasets.
    async fn open_data_facts(
        &self,
        locality_id: i64,
    ) -> StoreResult<crate::model::open_data::OpenDataFacts>;
    /// A locality's API keys, the newest first, revoked ones included.
    async fn api_keys(
        &self,
        locality_id: i64,
    ) -> StoreResult<Vec<crate::model::open_data::ApiKeyInfo>>;
    /// Issues a new random key named `name`, keeping only its digest and prefix; audited.
    async fn create_api_key(
        &self,
        actor: &Viewer,
        locality_id: i64,
        name: &str,
    ) -> StoreResult<crate::model::open_data::IssuedApiKey>;
    /// Revokes a key of `locality_id`, audited; `NotFound` for a key of another locality.
    async fn revoke_api_key(&self, actor: &Viewer, locality_id: i64, id: i64) -> StoreResult<()>;
}
