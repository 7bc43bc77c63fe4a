//! The NGO network's quarterly newsletter: issues and their subscribers.

use super::{MailTemplate, StoreResult};
use crate::model::newsletter::{Newsletter, NewsletterDraft};
use crate::model::Viewer;
use async_trait::async_trait;

/// Someone who asked for the newsletter: an account, or an e-mail address that confirms by
/// the link in `confirm`.
#[derive(Clone, Debug)]
pub struct NewNewsletterSubscriber {
    pub locality_id: i64,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub lang: String,
}

#[async_trait]
pub trait NewsletterStore: Send + Sync {
    /// Stores a new draft (`id` None) or changes issue `id` of the draft's locality, with the
    /// audit entry, and publishes it in the same transaction when `publish`; the quarter taken
    /// by another issue is `Invalid("quarter")`, `id` not one of the locality's `NotFound`.
    async fn save_newsletter(
        &self,
        actor: &Viewer,
        id: Option<i64>,
        draft: &NewsletterDraft,
        publish: bool,
    ) -> StoreResult<i64>;
    /// Publishes a draft: from now on it is public, and the notification job mails it once.
    /// Published already is as good as done.
    async fn publish_newsletter(&self, actor: &Viewer, id: i64) -> StoreResult<()>;
    /// Any issue, draft or not (callers decide who may see it).
    async fn newsletter(&self, id: i64) -> StoreResult<Newsletter>;
    /// The locality's issues, latest quarter first: the published ones, and drafts too when
    /// `drafts`.
    async fn newsletters(&self, locality_id: i64, drafts: bool) -> StoreResult<Vec<Newsletter>>;
    /// Adds a subscriber: an account at once, an address once it confirms (`{token}` in
    /// `confirm` marks where the link's token goes). Asking again is as good as done (an
    /// account's language changes); an address not confirmed yet gets a fresh link.
    async fn subscribe_newsletter(
        &self,
        who: &NewNewsletterSubscriber,
        confirm: Option<MailTemplate>,
    ) -> StoreResult<()>;
    /// Confirms an e-mailed subscription; an unknown token is `Invalid("token")`.
    async fn confirm_newsletter(&self, token: &str) -> StoreResult<()>;
    /// The subscription of account `user_id` in the locality, if it has one.
    async fn newsletter_subscription(
        &self,
        locality_id: i64,
        user_id: i64,
    ) -> StoreResult<Option<i64>>;
}
