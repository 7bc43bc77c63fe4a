//! Accounts and the single-use links e-mailed to them; signing in and sessions are in
//! [`sessions`].

mod sessions;

use super::mail::enqueue_mail;
use super::{now, store_err, with_pool, BeginWrite, Db};
use crate::auth::{password, token};
use app::error::{FieldError, Problem};
use app::model::account::{CivicGroup, Profile};
use app::store::{AccountStore, MailTemplate, NewAccount, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};

/// How long a session lasts without signing in again.
const SESSION_DAYS: i64 = 30;
/// How long links stay valid.
const CONFIRM_HOURS: i64 = 48;
const RESET_HOURS: i64 = 1;
/// Long enough that a link someone else asked for is still in the owner's mailbox while the
/// per-address allowance of new links is used up.
const SIGN_IN_LINK_HOURS: i64 = 1;

fn invalid(field: &str, problem: Problem) -> StoreError {
    StoreError::Invalid(FieldError::new(field, problem))
}

fn backend(err: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(err.to_string().into())
}

/// Ends what a new password must end: every session but `keep` (a session token digest) and
/// every e-mailed reset or sign-in link not used yet. Runs inside the caller's transaction.
macro_rules! end_credentials {
    ($tx:expr, $user_id:expr, $at:expr, $keep:expr) => {
        async {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind($user_id)
                .bind($keep.unwrap_or_default())
                .execute(&mut *$tx)
                .await?;
            sqlx::query(
                "UPDATE email_tokens SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL \
                 AND purpose IN ('reset', 'signin')",
            )
            .bind($at)
            .bind($user_id)
            .execute(&mut *$tx)
            .await
            .map(|_| ())
        }
        .await
    };
}
pub(crate) use end_credentials;

#[derive(sqlx::FromRow)]
struct TokenRow {
    user_id: i64,
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct ProfileRow {
    email: Option<String>,
    display_name: String,
    locale: String,
    civic_group: String,
}

impl Db {
    /// Checks a single-use link of `purpose` and marks it used; returns its account.
    async fn use_email_token(
        &self,
        raw: &str,
        purpose: &str,
        then: TokenUse<'_>,
    ) -> StoreResult<i64> {
        let digest = token::digest(raw);
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let row: Option<TokenRow> = sqlx::query_as(
                "SELECT user_id, expires_at, used_at FROM email_tokens WHERE token_hash = $1 AND purpose = $2",
            )
            .bind(&digest)
            .bind(purpose)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_err)?;
            let Some(row) = row else { return Err(invalid("token", Problem::Invalid)) };
            if row.used_at.is_some() {
                return Err(invalid("token", Problem::Invalid));
            }
            if row.expires_at <= now() {
                return Err(invalid("token", Problem::Expired));
            }
            let at = now();
            sqlx::query("UPDATE email_tokens SET used_at = $1 WHERE token_hash = $2")
                .bind(at)
                .bind(&digest)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
            // Using any e-mailed link proves the mailbox.
            sqlx::query("UPDATE users SET email_confirmed_at = COALESCE(email_confirmed_at, $1) WHERE id = $2")
                .bind(at)
                .bind(row.user_id)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
            match then {
                TokenUse::Confirm => {}
                TokenUse::SetPassword(hash) => {
                    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                        .bind(hash)
                        .bind(row.user_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_err)?;
                    end_credentials!(tx, row.user_id, at, None::<&str>).map_err(store_err)?;
                }
                TokenUse::SignIn => {
                    sqlx::query(
                        "DELETE FROM sign_in_failures WHERE email = (SELECT email FROM users WHERE id = $1)",
                    )
                    .bind(row.user_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_err)?;
                }
            }
            tx.commit().await.map_err(store_err)?;
            Ok(row.user_id)
        }
        .await
        })
    }

    /// Creates an account directly (operators' bootstrap command and tests).
    pub async fn create_confirmed_account(
        &self,
        email: &str,
        password_text: &str,
        display_name: &str,
    ) -> StoreResult<i64> {
        let hash = password::hash(password_text.to_owned()).await.map_err(backend)?;
        with_pool!(self, |pool| {
            sqlx::query_scalar(
                "INSERT INTO users (email, display_name, password_hash, locale, created_at, email_confirmed_at) \
                 VALUES ($1, $2, $3, 'ro', $4, $4) RETURNING id",
            )
            .bind(email.trim().to_lowercase())
            .bind(display_name)
            .bind(&hash)
            .bind(now())
            .fetch_one(pool)
            .await
        })
        .map_err(store_err)
    }
}

/// What using an e-mailed link does besides proving the mailbox.
enum TokenUse<'a> {
    Confirm,
    /// Sets this password hash, and ends every session and every other link of the account.
    SetPassword(&'a str),
    /// Lets the owner in: forgets the address's failed attempts.
    SignIn,
}

#[async_trait]
impl AccountStore for Db {
    async fn sign_up(
        &self,
        account: NewAccount,
        confirm: MailTemplate,
        existing: MailTemplate,
    ) -> StoreResult<()> {
        let hash = password::hash(account.password.clone()).await.map_err(backend)?;
        let raw = token::new_token();
        let result = with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await?;
            let known: Option<i64> =
                sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(&account.email).fetch_optional(&mut *tx).await?;
            if known.is_some() {
                enqueue_mail!(tx, &account.email, &existing.subject, &existing.body)?;
            } else {
                let at = now();
                let user_id: i64 = sqlx::query_scalar(
                    "INSERT INTO users (email, display_name, password_hash, locale, created_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(&account.email)
                .bind(&account.display_name)
                .bind(&hash)
                .bind(&account.locale)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO email_tokens (token_hash, user_id, purpose, created_at, expires_at) \
                     VALUES ($1, $2, 'confirm', $3, $4)",
                )
                .bind(token::digest(&raw))
                .bind(user_id)
                .bind(at)
                .bind(at + TimeDelta::hours(CONFIRM_HOURS))
                .execute(&mut *tx)
                .await?;
                enqueue_mail!(tx, &account.email, &confirm.subject, &confirm.body.replace("{token}", &raw))?;
            }
            tx.commit().await
        }
        .await
        });
        match result.map_err(store_err) {
            // A concurrent sign-up with the same address won the race; it sends the mail.
            Err(StoreError::Conflict(_)) => Ok(()),
            other => other,
        }
    }

    async fn confirm_email(&self, raw: &str) -> StoreResult<()> {
        self.use_email_token(raw, "confirm", TokenUse::Confirm).await.map(|_| ())
    }

    async fn profile(&self, user_id: i64) -> StoreResult<Profile> {
        let row: ProfileRow = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT email, display_name, locale, civic_group FROM users WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(user_id)
            .fetch_one(pool)
            .await
        })
        .map_err(store_err)?;
        Ok(Profile {
            email: row.email.unwrap_or_default(),
            display_name: row.display_name,
            locale: row.locale,
            civic_group: CivicGroup::parse(&row.civic_group).unwrap_or_default(),
        })
    }

    async fn update_profile(
        &self,
        user_id: i64,
        display_name: &str,
        locale: &str,
        group: CivicGroup,
    ) -> StoreResult<()> {
        with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE users SET display_name = $1, locale = $2, civic_group = $3 WHERE id = $4 AND deleted_at IS NULL",
            )
            .bind(display_name)
            .bind(locale)
            .bind(group.as_str())
            .bind(user_id)
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(store_err)
    }

    async fn export_account(&self, user_id: i64) -> StoreResult<serde_json::Value> {
        let profile = self.profile(user_id).await?;
        let exported = super::export::gather(self, user_id).await?;
        Ok(serde_json::json!({
            "profile": {
                "email": profile.email,
                "display_name": profile.display_name,
                "locale": profile.locale,
                "civic_group": profile.civic_group.as_str(),
            },
            "data": exported,
        }))
    }

    async fn delete_account(&self, user_id: i64) -> StoreResult<()> {
        super::export::erase(self, user_id).await
    }
}
