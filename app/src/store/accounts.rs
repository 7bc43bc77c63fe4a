//! Accounts, sessions and what administrators manage.

use super::{MailTemplate, StoreResult};
use crate::model::account::{CivicGroup, Profile, Role, Viewer};
use crate::model::admin::{AuditEntry, Department, OutboxMessage, StaffGrant};
use async_trait::async_trait;

/// What a sign-up form carries once parsed.
#[derive(Clone, Debug)]
pub struct NewAccount {
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub locale: String,
}

/// A session just opened: the tokens go into cookies, never into the database.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub token: String,
    pub user_id: i64,
    /// The browser's device token: the one it brought when that was this account's, else new.
    pub device: String,
}

/// A sign-in as the form sends it.
#[derive(Clone, Copy, Debug)]
pub struct SignInAttempt<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub user_agent: &'a str,
    /// The device cookie the browser sent, if any.
    pub device: Option<&'a str>,
}

/// Accounts: creating, confirming, the profile, export and erasure.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates an unconfirmed account and mails `confirm`; for an address that already has an
    /// account it mails `existing` instead, so the answer never tells the two apart.
    async fn sign_up(
        &self,
        account: NewAccount,
        confirm: MailTemplate,
        existing: MailTemplate,
    ) -> StoreResult<()>;
    /// Uses a confirmation link.
    async fn confirm_email(&self, token: &str) -> StoreResult<()>;
    async fn profile(&self, user_id: i64) -> StoreResult<Profile>;
    async fn update_profile(
        &self,
        user_id: i64,
        display_name: &str,
        locale: &str,
        group: CivicGroup,
    ) -> StoreResult<()>;
    /// Everything stored about a person, as JSON.
    async fn export_account(&self, user_id: i64) -> StoreResult<serde_json::Value>;
    /// Removes personal data; public contributions stay, anonymised.
    async fn delete_account(&self, user_id: i64) -> StoreResult<()>;
}

/// Signing in and out, sessions, and the credentials behind them.
///
/// Wrong passwords never lock an account: after a few, further attempts for that address wait
/// a growing delay (`Throttled`), except from a browser that signed in to the account before;
/// and a sign-in link by e-mail always lets the owner in.
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Checks the password and opens a session; an unconfirmed account gets `confirm` mailed
    /// again and an `Invalid(email, Unconfirmed)` answer.
    async fn sign_in(
        &self,
        attempt: SignInAttempt<'_>,
        confirm: MailTemplate,
    ) -> StoreResult<NewSession>;
    /// Mails a single-use sign-in link when the address has an account; silent otherwise.
    async fn request_sign_in_link(&self, email: &str, mail: MailTemplate) -> StoreResult<()>;
    /// Uses a sign-in link: opens a session and forgets the address's failed attempts.
    async fn sign_in_with_link(
        &self,
        token: &str,
        user_agent: &str,
        device: Option<&str>,
    ) -> StoreResult<NewSession>;
    /// Whether `password` is the account's (re-authentication before a grave step).
    async fn check_password(&self, user_id: i64, password: &str) -> StoreResult<bool>;
    /// The person behind a session cookie, if the session is alive.
    async fn session_viewer(&self, token: &str) -> StoreResult<Option<Viewer>>;
    async fn end_session(&self, token: &str) -> StoreResult<()>;
    /// Signs a person out on every device.
    async fn end_all_sessions(&self, user_id: i64) -> StoreResult<()>;
    /// Mails a single-use reset link when the address has an account; silent otherwise.
    async fn request_password_reset(&self, email: &str, mail: MailTemplate) -> StoreResult<()>;
    /// Uses a reset link: sets the password, and ends every session and every other link of
    /// the account.
    async fn reset_password(&self, token: &str, new_password: &str) -> StoreResult<()>;
    /// Changes the password of a signed-in person who knows the current one; every other
    /// session and every outstanding link of the account ends, `keep_session` stays.
    async fn change_password(
        &self,
        user_id: i64,
        current: &str,
        new_password: &str,
        keep_session: &str,
    ) -> StoreResult<()>;
}

/// Staff, departments, the audit log and the outbox: what administrators and operators manage.
#[async_trait]
pub trait AdminStore: Send + Sync {
    async fn staff(&self, locality_id: i64) -> StoreResult<Vec<StaffGrant>>;
    /// Grants `role` to the account with `email`; `NotFound` when there is none.
    async fn grant_role(
        &self,
        actor: &Viewer,
        email: &str,
        role: Role,
        locality_id: Option<i64>,
        department_id: Option<i64>,
    ) -> StoreResult<()>;
    async fn revoke_role(&self, actor: &Viewer, grant_id: i64) -> StoreResult<()>;
    /// The locality a grant belongs to (None for operators), to check who may revoke it.
    async fn grant_locality(&self, grant_id: i64) -> StoreResult<Option<i64>>;
    async fn departments(&self, locality_id: i64) -> StoreResult<Vec<Department>>;
    async fn save_department(
        &self,
        actor: &Viewer,
        locality_id: i64,
        id: Option<i64>,
        name: &str,
        category_ids: &[i64],
        network_secretariat: bool,
    ) -> StoreResult<i64>;
    async fn audit_log(
        &self,
        locality_id: Option<i64>,
        action: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>>;
    async fn outbox(&self, limit: u32) -> StoreResult<Vec<OutboxMessage>>;
    /// Creates or edits a category of a locality (`id` None creates).
    async fn save_category(
        &self,
        actor: &Viewer,
        locality_id: i64,
        category: &CategoryEdit,
    ) -> StoreResult<i64>;
    /// Adds or updates a locality from its JSON description (operators).
    async fn import_locality(&self, actor: &Viewer, json: &str) -> StoreResult<i64>;
    /// Every locality, for operators.
    async fn localities(&self) -> StoreResult<Vec<(i64, String, String)>>;
    /// A locality's categories, the inactive ones too (with their state).
    async fn all_categories(
        &self,
        locality_id: i64,
    ) -> StoreResult<Vec<(crate::model::Category, bool)>>;
}

/// A category as the administrator's form sends it.
#[derive(Clone, Debug)]
pub struct CategoryEdit {
    pub id: Option<i64>,
    pub slug: String,
    pub name: crate::model::Localized,
    pub icon: String,
    pub color: String,
    pub active: bool,
}
