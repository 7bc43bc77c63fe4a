//! The ports through which server functions reach persistence. `server/src/db` implements them
//! once for SQLite and PostgreSQL; the app never sees SQL.

use crate::error::AppError;
use crate::model::{BBox, Locality, MapFeatures, Page, ReportFilter, ReportSummary};
use async_trait::async_trait;
use leptos::prelude::use_context;
use std::sync::Arc;

/// What the data layer can fail with; every other cause is a `Backend` error, logged and hidden.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness or state rule in the database refused the write.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error(transparent)]
    Backend(Box<dyn std::error::Error + Send + Sync>),
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(_) => AppError::Conflict,
            StoreError::Backend(cause) => {
                tracing::error!(error = %cause, "data layer failure");
                AppError::Internal
            }
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Localities and their categories.
#[async_trait]
pub trait LocalityStore: Send + Sync {
    /// The locality a visitor sees when the address names none (Bălți in the demo).
    async fn default_locality(&self) -> StoreResult<Locality>;
    async fn locality_by_slug(&self, slug: &str) -> StoreResult<Locality>;
}

/// Reports as the map and the lists read them.
#[async_trait]
pub trait ReportStore: Send + Sync {
    /// Pins, or clusters where `zoom` calls for them, inside `bbox`.
    async fn map_features(
        &self,
        bbox: BBox,
        zoom: Option<u8>,
        filter: &ReportFilter,
    ) -> StoreResult<MapFeatures>;
    /// Newest first, at most `limit`, inside `bbox` when given.
    async fn list_reports(
        &self,
        bbox: Option<BBox>,
        filter: &ReportFilter,
        limit: u32,
    ) -> StoreResult<Page<ReportSummary>>;
}

/// Everything the data layer offers.
pub trait Store: LocalityStore + ReportStore {}
impl<T: LocalityStore + ReportStore> Store for T {}

/// What the server hands to every server function through Leptos context.
#[derive(Clone)]
pub struct Services {
    pub store: Arc<dyn Store>,
    pub site: Arc<crate::model::SiteSettings>,
}

/// The services of the current request; missing only if the server was wired wrongly.
pub fn services() -> Result<Services, AppError> {
    use_context::<Services>().ok_or_else(|| {
        tracing::error!("Services missing from the Leptos context");
        AppError::Internal
    })
}
