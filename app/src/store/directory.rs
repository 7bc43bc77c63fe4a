//! The orientation and referral directory: services, and the changes NGOs propose to them.

use super::StoreResult;
use crate::model::directory::{Service, ServiceChange, ServiceDraft};
use crate::model::Viewer;
use async_trait::async_trait;

#[async_trait]
pub trait DirectoryStore: Send + Sync {
    /// Every service of the locality (a directory holds a few hundred at most).
    async fn services(&self, locality_id: i64) -> StoreResult<Vec<Service>>;
    async fn service(&self, id: i64) -> StoreResult<Service>;
    /// Writes an entry as staff decided it (new when `id` is `None`), checked as of now.
    async fn save_service(
        &self,
        actor: &Viewer,
        locality_id: i64,
        id: Option<i64>,
        draft: &ServiceDraft,
    ) -> StoreResult<i64>;
    /// Takes an entry out of the directory.
    async fn remove_service(&self, actor: &Viewer, id: i64) -> StoreResult<()>;
    /// Records that someone confirmed the entry is still right.
    async fn confirm_service(&self, actor: &Viewer, id: i64) -> StoreResult<()>;
    /// Keeps a member's new entry (`service_id` None) or change for staff to review.
    async fn propose_service_change(
        &self,
        actor: &Viewer,
        locality_id: i64,
        service_id: Option<i64>,
        draft: &ServiceDraft,
    ) -> StoreResult<i64>;
    async fn service_change(&self, id: i64) -> StoreResult<ServiceChange>;
    /// Applies a proposed change (returning the entry's id) or refuses it with `note`;
    /// `Conflict` when it was reviewed already.
    async fn review_service_change(
        &self,
        actor: &Viewer,
        id: i64,
        approve: bool,
        note: &str,
    ) -> StoreResult<Option<i64>>;
    /// Changes waiting for review and recently refused ones, newest first: of the whole
    /// locality (`member` None, for staff) or of the organisations `member` acts for.
    async fn service_changes(
        &self,
        locality_id: i64,
        member: Option<i64>,
    ) -> StoreResult<Vec<ServiceChange>>;
}
