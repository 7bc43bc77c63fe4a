//! Subscriptions, area alerts and announcements.

use super::{MailTemplate, StoreResult};
use crate::model::account::Viewer;
use crate::model::LatLng;
use async_trait::async_trait;

/// Whose subscriptions a request concerns: a signed-in account, or the address a mailed
/// unsubscribe token was sent to.
#[derive(Clone, Debug)]
pub enum Subscriber {
    User(i64),
    Token(String),
}

/// Subscriptions beyond following one report: listing and ending them.
#[async_trait]
pub trait SubscriptionStore: Send + Sync {
    /// Every subscription of the subscriber's address (or account); an unknown token is
    /// `Invalid("token")`.
    /// Titles are in `lang` where the followed thing has one in it.
    async fn subscriptions(
        &self,
        who: &Subscriber,
        lang: &str,
    ) -> StoreResult<Vec<crate::model::subscription::Subscription>>;
    /// Ends one subscription of the subscriber; `NotFound` when it is not theirs.
    async fn unsubscribe(
        &self,
        who: &Subscriber,
        kind: crate::model::subscription::SubscriptionKind,
        id: i64,
    ) -> StoreResult<()>;
    /// One-click unsubscribe (RFC 8058): ends the subscription the token's message was sent for.
    async fn unsubscribe_by_token(&self, token: &str) -> StoreResult<()>;
    /// Stores an area alert: an account's at once, an e-mail address's once it confirms by the
    /// link in `confirm` (`{token}` marks where the link's token goes).
    async fn create_area_alert(
        &self,
        alert: &NewAreaAlert,
        confirm: Option<MailTemplate>,
    ) -> StoreResult<()>;
    /// Confirms an e-mailed area alert; an unknown token is `Invalid("token")`.
    async fn confirm_area_alert(&self, token: &str) -> StoreResult<()>;
    /// The initiative, poll or project `id` of `kind` that someone may follow; `NotFound` for
    /// anything else (a hidden initiative, a draft proposal, a report).
    async fn follow_target(
        &self,
        kind: crate::model::subscription::SubscriptionKind,
        id: i64,
    ) -> StoreResult<FollowTarget>;
    /// Starts following it (again: only the language changes); mail is written in `lang`.
    async fn follow(
        &self,
        kind: crate::model::subscription::SubscriptionKind,
        id: i64,
        user_id: i64,
        lang: &str,
    ) -> StoreResult<()>;
    /// Stops following it; not following is as good as done.
    async fn unfollow(
        &self,
        kind: crate::model::subscription::SubscriptionKind,
        id: i64,
        user_id: i64,
    ) -> StoreResult<()>;
    async fn is_following(
        &self,
        kind: crate::model::subscription::SubscriptionKind,
        id: i64,
        user_id: i64,
    ) -> StoreResult<bool>;
}

/// Something a person can follow, as permission checks and the page after a change need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowTarget {
    pub locality_id: i64,
    /// The slug of its locality's site (`None`: the default locality).
    pub site: Option<String>,
    /// Its page after `/{lang}` and the site's slug (`/polls/3`).
    pub page: String,
}

/// City announcements.
#[async_trait]
pub trait AnnouncementStore: Send + Sync {
    /// Stores an announcement with its audit entry; the notification job mails it.
    async fn publish_announcement(
        &self,
        actor: &Viewer,
        announcement: &crate::model::announcement::NewAnnouncement,
    ) -> StoreResult<i64>;
    /// The locality's announcements, newest first: those valid at `valid_at`, or all of them.
    async fn announcements(
        &self,
        locality_id: i64,
        valid_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> StoreResult<Vec<crate::model::announcement::Announcement>>;
}

/// An area alert as the form sends it, once parsed and checked.
#[derive(Clone, Debug)]
pub struct NewAreaAlert {
    pub locality_id: i64,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub centre: LatLng,
    pub radius_m: i64,
    /// Category ids; empty means every category.
    pub categories: Vec<i64>,
    /// A daily digest instead of a message per report.
    pub digest: bool,
    pub lang: String,
}
