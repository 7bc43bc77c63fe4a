//! The NGO network: organisations, their members and the events calendar.

use super::StoreResult;
use crate::model::network::{Event, EventQuery, NewEvent, Organisation, OrganisationDetail};
use crate::model::resources::{NewResource, Resource};
use crate::model::Viewer;
use async_trait::async_trait;

/// A new organisation as an administrator registers it, once checked.
#[derive(Clone, Debug)]
pub struct NewOrganisation {
    pub locality_id: i64,
    pub slug: String,
    pub name: String,
    pub website: Option<String>,
    pub email: Option<String>,
}

#[async_trait]
pub trait NetworkStore: Send + Sync {
    /// The locality's organisations, by name.
    async fn organisations(&self, locality_id: i64) -> StoreResult<Vec<Organisation>>;
    /// The locality's organisations with their members (administrators).
    async fn organisation_details(&self, locality_id: i64) -> StoreResult<Vec<OrganisationDetail>>;
    async fn organisation(&self, id: i64) -> StoreResult<Organisation>;
    async fn organisation_by_slug(&self, locality_id: i64, slug: &str)
        -> StoreResult<Organisation>;
    /// `Conflict` when the locality has one of that slug already.
    async fn create_organisation(&self, actor: &Viewer, o: &NewOrganisation) -> StoreResult<i64>;
    /// Lets the account with `email` act for the organisation; `NotFound` when there is none.
    async fn add_member(
        &self,
        actor: &Viewer,
        organisation_id: i64,
        email: &str,
    ) -> StoreResult<()>;
    async fn remove_member(
        &self,
        actor: &Viewer,
        organisation_id: i64,
        user_id: i64,
    ) -> StoreResult<()>;
    /// The locality's departments whose staff are the network's secretariat (none: all staff).
    async fn secretariat_departments(&self, locality_id: i64) -> StoreResult<Vec<i64>>;
    /// The organisations `user_id` acts for, in every locality.
    async fn memberships(&self, user_id: i64) -> StoreResult<Vec<Organisation>>;

    /// Stores an event: published at once (`publish`, staff) or proposed for review.
    async fn create_event(&self, actor: &Viewer, e: &NewEvent, publish: bool) -> StoreResult<i64>;
    /// Publishes a proposed event or refuses it with `note`; `Conflict` when it was reviewed
    /// already.
    async fn review_event(
        &self,
        actor: &Viewer,
        id: i64,
        publish: bool,
        note: &str,
    ) -> StoreResult<()>;
    /// Any event, whatever its status (callers decide who may see it).
    async fn event(&self, id: i64) -> StoreResult<Event>;
    /// The locality's published events in the query's window.
    async fn events(&self, locality_id: i64, query: &EventQuery) -> StoreResult<Vec<Event>>;
    /// Events not published: those waiting for review, and refused ones, newest first; of
    /// the whole locality (`member` None, for staff) or of the organisations `member` acts for.
    async fn unpublished_events(
        &self,
        locality_id: i64,
        member: Option<i64>,
    ) -> StoreResult<Vec<Event>>;

    /// Stores a resource: published at once (`publish`, staff) or proposed for review.
    async fn create_resource(
        &self,
        actor: &Viewer,
        r: &NewResource,
        publish: bool,
    ) -> StoreResult<i64>;
    /// Publishes a proposed resource or refuses it with `note`; `Conflict` when it was
    /// reviewed already.
    async fn review_resource(
        &self,
        actor: &Viewer,
        id: i64,
        publish: bool,
        note: &str,
    ) -> StoreResult<()>;
    /// Any resource, whatever its status (callers decide who may see it).
    async fn resource(&self, id: i64) -> StoreResult<Resource>;
    /// A resource's file (`NotFound` for a link): its name, media type and bytes.
    async fn resource_file(&self, id: i64) -> StoreResult<(String, String, Vec<u8>)>;
    /// The locality's published resources, newest first.
    async fn published_resources(&self, locality_id: i64) -> StoreResult<Vec<Resource>>;
    /// Resources waiting for review and refused ones, newest first: the locality's (`member`
    /// None, staff) or those of the organisations `member` acts for.
    async fn unpublished_resources(
        &self,
        locality_id: i64,
        member: Option<i64>,
    ) -> StoreResult<Vec<Resource>>;
}
