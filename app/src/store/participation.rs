//! Initiatives, polls, the ballot box both use, and live updates of polls.

use super::{SavedPhoto, StoreResult};
use crate::model::account::Viewer;
use crate::model::vote::{
    InitiativeDetail, InitiativeQuery, InitiativeSummary, MyVote, PollDetail, PollResults,
    PollSummary, Tally, VoteOutcome,
};
use crate::model::{LatLng, Page};
use async_trait::async_trait;

/// An initiative as its author sends it, once checked.
#[derive(Clone, Debug)]
pub struct NewInitiative {
    pub locality_id: i64,
    pub category_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub lang: String,
    pub author_id: i64,
    pub author_name: String,
    pub at: Option<LatLng>,
    pub image: Option<SavedPhoto>,
}

/// A poll as staff create it, once checked.
#[derive(Clone, Debug)]
pub struct NewPoll {
    pub locality_id: i64,
    pub question: crate::model::Localized,
    pub description: crate::model::Localized,
    /// Labels (and an optional link) in the options' order.
    pub options: Vec<(crate::model::Localized, Option<String>)>,
    pub max_choices: i64,
    pub opens_at: chrono::DateTime<chrono::Utc>,
    pub closes_at: chrono::DateTime<chrono::Utc>,
    pub results_before_vote: bool,
}

/// Initiatives: launching, reading, answering and moderating them. Supporting one is a ballot
/// ([`BallotBox`]).
#[async_trait]
pub trait InitiativeStore: Send + Sync {
    async fn initiatives(&self, query: &InitiativeQuery) -> StoreResult<Page<InitiativeSummary>>;
    async fn initiative(&self, id: i64, viewer: Option<i64>) -> StoreResult<InitiativeDetail>;
    /// Stores an initiative with its author's own vote.
    async fn create_initiative(&self, initiative: NewInitiative) -> StoreResult<i64>;
    async fn answer_initiative(&self, actor: &Viewer, id: i64, answer: &str) -> StoreResult<()>;
    async fn moderate_initiative(
        &self,
        actor: &Viewer,
        id: i64,
        hide: bool,
        reason: &str,
    ) -> StoreResult<()>;
    async fn initiative_locality(&self, id: i64) -> StoreResult<i64>;
}

/// Polls: creating and reading them and their results. Voting is a ballot ([`BallotBox`]).
#[async_trait]
pub trait PollStore: Send + Sync {
    async fn polls(&self, locality_id: i64) -> StoreResult<Vec<PollSummary>>;
    /// A poll with its results (the caller decides whether the viewer may see them).
    async fn poll(&self, id: i64, viewer: Option<i64>) -> StoreResult<PollDetail>;
    async fn create_poll(&self, actor: &Viewer, poll: &NewPoll) -> StoreResult<i64>;
    async fn poll_results(&self, id: i64) -> StoreResult<PollResults>;
}

/// The one voting mechanism behind initiatives and polls: one ballot per voter per thing,
/// enforced by a unique constraint; counts are always derived from the ballots. The server
/// commits ballots in groups (one transaction for every ballot that arrived meanwhile); each
/// call returns once its own ballot is committed.
#[async_trait]
pub trait BallotBox: Send + Sync {
    /// One ballot per account; checks the poll is open and the choices belong to it and fit
    /// its maximum. Returns the results as they stand with this ballot counted.
    async fn cast_poll_vote(&self, id: i64, user_id: i64, choices: &[i64])
        -> StoreResult<PollVote>;
    /// One vote per account; voting again changes nothing. Refuses hidden or closed initiatives.
    async fn support_initiative(&self, id: i64, user_id: i64) -> StoreResult<Tally>;
    /// Takes a vote back while the initiative is open; withdrawing twice changes nothing.
    async fn withdraw_support(&self, id: i64, user_id: i64) -> StoreResult<Tally>;
    /// A person's votes, latest first.
    async fn my_votes(&self, user_id: i64) -> StoreResult<Vec<MyVote>>;
}

/// What a poll vote did, and the results with it counted.
#[derive(Clone, Debug, PartialEq)]
pub struct PollVote {
    pub outcome: VoteOutcome,
    pub results: PollResults,
}

/// Something browsers follow live (server-sent events).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    /// A poll's counts.
    Poll(i64),
    /// A civic-budget edition's confirmed ballots.
    Edition(i64),
}

/// Tells the browsers that follow a topic, whichever server process they are connected to,
/// that it changed; the server pushes its new state to them.
pub trait LiveUpdates: Send + Sync {
    fn changed(&self, topic: Topic);

    fn poll_changed(&self, poll_id: i64) {
        self.changed(Topic::Poll(poll_id));
    }
}
