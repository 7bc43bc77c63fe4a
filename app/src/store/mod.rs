//! The ports through which server functions reach persistence. `server/src/db` implements them
//! once for SQLite and PostgreSQL; the app never sees SQL.

use crate::error::{AppError, FieldError};
use crate::model::Locality;
use async_trait::async_trait;
use leptos::prelude::use_context;
use std::sync::Arc;

mod accounts;
mod budget;
mod data;
mod directory;
mod network;
mod newsletters;
mod participation;
mod reports;
mod requests;
mod subscriptions;
mod surveys;

pub use accounts::*;
pub use budget::*;
pub use data::*;
pub use directory::*;
pub use network::*;
pub use newsletters::*;
pub use participation::*;
pub use reports::*;
pub use requests::*;
pub use subscriptions::*;
pub use surveys::*;

/// What the data layer can fail with; every other cause is a `Backend` error, logged and hidden.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness or state rule in the database refused the write.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// Wrong e-mail or password (never says which).
    #[error("unauthorized")]
    Unauthorized,
    /// Too many recent failures: try again after this many seconds.
    #[error("throttled for {0} s")]
    Throttled(u64),
    /// The request was understood but one of its values cannot be accepted.
    #[error("invalid {}: {:?}", .0.field, .0.problem)]
    Invalid(FieldError),
    #[error(transparent)]
    Backend(Box<dyn std::error::Error + Send + Sync>),
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(_) => AppError::Conflict,
            StoreError::Unauthorized => AppError::Unauthorized,
            StoreError::Throttled(_) => AppError::RateLimited,
            StoreError::Invalid(field) => AppError::Validation(vec![field]),
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
    async fn locality(&self, id: i64) -> StoreResult<Locality>;
    /// Every locality, the default one first, then by Romanian name.
    async fn public_localities(&self) -> StoreResult<Vec<crate::model::LocalityInfo>>;
}

/// A message in the recipient's language; the store puts the link in place of `{link}`.
#[derive(Clone, Debug)]
pub struct MailTemplate {
    pub subject: String,
    pub body: String,
}

/// Everything the data layer offers but ballots.
pub trait Store:
    LocalityStore
    + SubscriptionStore
    + AnnouncementStore
    + ReportStore
    + AccountStore
    + SessionStore
    + AdminStore
    + InitiativeStore
    + PollStore
    + StatisticsStore
    + OpenDataStore
    + BudgetStore
    + BudgetWorks
    + BudgetSetup
    + InclusionStore
    + NetworkStore
    + DirectoryStore
    + NewsletterStore
    + SurveyStore
{
}
impl<T> Store for T where
    T: LocalityStore
        + SubscriptionStore
        + AnnouncementStore
        + ReportStore
        + AccountStore
        + SessionStore
        + AdminStore
        + InitiativeStore
        + PollStore
        + StatisticsStore
        + OpenDataStore
        + BudgetStore
        + BudgetWorks
        + BudgetSetup
        + InclusionStore
        + NetworkStore
        + DirectoryStore
        + NewsletterStore
        + SurveyStore
{
}

/// What the server hands to every server function through Leptos context.
#[derive(Clone)]
pub struct Services {
    pub store: Arc<dyn Store>,
    pub ballots: Arc<dyn BallotBox>,
    pub media: Arc<dyn Media>,
    pub live: Arc<dyn LiveUpdates>,
    pub limiter: Arc<dyn RateLimiter>,
    pub site: Arc<crate::model::SiteSettings>,
}

/// The services of the current request; missing only if the server was wired wrongly.
pub fn services() -> Result<Services, AppError> {
    use_context::<Services>().ok_or_else(|| {
        tracing::error!("Services missing from the Leptos context");
        AppError::Internal
    })
}
