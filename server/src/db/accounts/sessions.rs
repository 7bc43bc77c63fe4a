//! Signing in and out: passwords with growing delays instead of lock-outs, trusted browsers,
//! sign-in links, sessions, and password changes.

use super::{
    backend, end_credentials, invalid, TokenUse, CONFIRM_HOURS, RESET_HOURS, SESSION_DAYS,
    SIGN_IN_LINK_HOURS,
};
use crate::auth::{password, token};
use crate::db::mail::enqueue_mail;
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::error::Problem;
use app::model::account::{Grant, Role, UserInfo, Viewer};
use app::store::{MailTemplate, NewSession, SessionStore, SignInAttempt, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use sqlx::QueryBuilder;
use std::collections::{HashMap, HashSet};

/// Wrong passwords an address may have without waiting.
pub const FREE_FAILURES: i64 = 5;
/// The longest wait between attempts, however many failures.
const MAX_DELAY_SECONDS: i64 = 3600;

/// How long an address with `failures` wrong passwords waits after the last one: nothing for
/// the first few, then a minute, doubling with each further failure up to an hour.
pub fn delay_after(failures: i64) -> TimeDelta {
    if failures < FREE_FAILURES {
        return TimeDelta::zero();
    }
    let doublings = (failures - FREE_FAILURES).min(12) as u32;
    TimeDelta::seconds((60_i64 << doublings).min(MAX_DELAY_SECONDS))
}

#[derive(sqlx::FromRow)]
struct LoginRow {
    id: i64,
    password_hash: Option<String>,
    email_confirmed_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct FailureRow {
    failures: i64,
    last_failure_at: DateTime<Utc>,
}

/// A session's person, once per role they hold (once with no role when they hold none).
#[derive(sqlx::FromRow)]
struct ViewerRow {
    token_hash: String,
    id: i64,
    email: Option<String>,
    display_name: String,
    locale: String,
    last_seen_at: DateTime<Utc>,
    role: Option<String>,
    locality_id: Option<i64>,
    department_id: Option<i64>,
}

impl Db {
    async fn login_row(&self, email: &str) -> StoreResult<Option<LoginRow>> {
        with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, password_hash, email_confirmed_at FROM users WHERE email = $1 AND deleted_at IS NULL",
            )
            .bind(email)
            .fetch_optional(pool)
            .await
        })
        .map_err(store_err)
    }

    async fn failures(&self, email: &str) -> StoreResult<Option<FailureRow>> {
        with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT failures, last_failure_at FROM sign_in_failures WHERE email = $1",
            )
            .bind(email)
            .fetch_optional(pool)
            .await
        })
        .map_err(store_err)
    }

    async fn note_failure(&self, email: &str) -> StoreResult<()> {
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO sign_in_failures (email, failures, last_failure_at) VALUES ($1, 1, $2) \
                 ON CONFLICT (email) DO UPDATE SET failures = sign_in_failures.failures + 1, \
                 last_failure_at = excluded.last_failure_at",
            )
            .bind(email)
            .bind(now())
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(store_err)
    }

    /// Whether `device` is a token this account's browser was given at an earlier sign-in.
    async fn is_trusted_device(&self, user_id: i64, device: Option<&str>) -> StoreResult<bool> {
        let Some(device) = device else { return Ok(false) };
        let found: Option<i64> = with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT user_id FROM trusted_devices WHERE token_hash = $1")
                .bind(token::digest(device))
                .fetch_optional(pool)
                .await
        })
        .map_err(store_err)?;
        Ok(found == Some(user_id))
    }

    /// Opens a session for `user_id`, forgets the address's failures, and trusts the browser:
    /// its device token is kept when it is already this account's, else a new one is issued.
    async fn open_session(
        &self,
        user_id: i64,
        user_agent: &str,
        device: Option<&str>,
    ) -> StoreResult<NewSession> {
        let session = token::new_token();
        let known_device = self.is_trusted_device(user_id, device).await?;
        let device = match device {
            Some(d) if known_device => d.to_owned(),
            _ => token::new_token(),
        };
        let at = now();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at, user_agent) \
                 VALUES ($1, $2, $3, $4, $3, $5)",
            )
            .bind(token::digest(&session))
            .bind(user_id)
            .bind(at)
            .bind(at + TimeDelta::days(SESSION_DAYS))
            .bind(user_agent.chars().take(300).collect::<String>())
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO trusted_devices (token_hash, user_id, created_at, last_used_at) VALUES ($1, $2, $3, $3) \
                 ON CONFLICT (token_hash) DO UPDATE SET last_used_at = excluded.last_used_at",
            )
            .bind(token::digest(&device))
            .bind(user_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM sign_in_failures WHERE email = (SELECT email FROM users WHERE id = $1)")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        }
        .await)
        .map_err(store_err)?;
        Ok(NewSession { token: session, user_id, device })
    }

    /// Mails a single-use link of `purpose` to `email` when it has an account.
    async fn mail_link(
        &self,
        email: &str,
        purpose: &str,
        valid_for: TimeDelta,
        mail: &MailTemplate,
    ) -> StoreResult<()> {
        let raw = token::new_token();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let user: Option<i64> =
                sqlx::query_scalar("SELECT id FROM users WHERE email = $1 AND deleted_at IS NULL")
                    .bind(email)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(user_id) = user {
                let at = now();
                sqlx::query(
                    "INSERT INTO email_tokens (token_hash, user_id, purpose, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(token::digest(&raw))
                .bind(user_id)
                .bind(purpose)
                .bind(at)
                .bind(at + valid_for)
                .execute(&mut *tx)
                .await?;
                enqueue_mail!(tx, email, &mail.subject, &mail.body.replace("{token}", &raw))?;
            }
            tx.commit().await
        }
        .await)
        .map_err(store_err)
    }
}

impl Db {
    /// The people behind a group of session tokens, in order (`None`: no such live session).
    /// One query for the people and their roles, since it runs on every request that has a
    /// session (`auth::session` groups the lookups of a crowd).
    pub async fn session_viewers(&self, raws: &[String]) -> StoreResult<Vec<Option<Viewer>>> {
        if raws.is_empty() {
            return Ok(Vec::new());
        }
        let digests: Vec<String> = raws.iter().map(|raw| token::digest(raw)).collect();
        let at = now();
        let rows: Vec<ViewerRow> = with_pool!(self, |pool| async {
            let mut read = QueryBuilder::new(
                "SELECT s.token_hash, u.id, u.email, u.display_name, u.locale, s.last_seen_at, \
                 r.role, r.locality_id, r.department_id FROM sessions s \
                 JOIN users u ON u.id = s.user_id LEFT JOIN roles r ON r.user_id = u.id \
                 WHERE s.expires_at > ",
            );
            read.push_bind(at).push(" AND u.deleted_at IS NULL AND s.token_hash IN (");
            let mut each = read.separated(", ");
            for digest in &digests {
                each.push_bind(digest.as_str());
            }
            read.push(")");
            let rows: Vec<ViewerRow> = read.build_query_as().fetch_all(pool).await?;
            // Note activity at most hourly: a write on every request would serialise readers.
            let stale: HashSet<&str> = rows
                .iter()
                .filter(|row| at - row.last_seen_at > TimeDelta::hours(1))
                .map(|row| row.token_hash.as_str())
                .collect();
            if !stale.is_empty() {
                let mut touch = QueryBuilder::new("UPDATE sessions SET last_seen_at = ");
                touch.push_bind(at).push(" WHERE token_hash IN (");
                let mut each = touch.separated(", ");
                for digest in stale {
                    each.push_bind(digest);
                }
                touch.push(")");
                touch.build().execute(pool).await?;
            }
            Ok::<_, sqlx::Error>(rows)
        }
        .await)
        .map_err(store_err)?;
        let mut viewers: HashMap<&str, Viewer> = HashMap::new();
        for row in &rows {
            let viewer = viewers.entry(row.token_hash.as_str()).or_insert_with(|| Viewer {
                user: Some(UserInfo {
                    id: row.id,
                    email: row.email.clone().unwrap_or_default(),
                    display_name: row.display_name.clone(),
                    locale: row.locale.clone(),
                }),
                grants: Vec::new(),
            });
            let grant = row.role.as_deref().and_then(Role::parse).map(|role| Grant {
                role,
                locality_id: row.locality_id,
                department_id: row.department_id,
            });
            viewer.grants.extend(grant);
        }
        Ok(digests.iter().map(|digest| viewers.get(digest.as_str()).cloned()).collect())
    }
}

#[async_trait]
impl SessionStore for Db {
    async fn sign_in(
        &self,
        attempt: SignInAttempt<'_>,
        confirm: MailTemplate,
    ) -> StoreResult<NewSession> {
        let email = attempt.email;
        let row = self.login_row(email).await?;
        // Past a few failures, strangers' guesses slow this address down, but never for the
        // browser its owner signed in with before; the sign-in link is the other way in.
        if let Some(failed) = self.failures(email).await? {
            let wait_until = failed.last_failure_at + delay_after(failed.failures);
            let trusted = match &row {
                Some(r) => self.is_trusted_device(r.id, attempt.device).await?,
                None => false,
            };
            let at = now();
            if wait_until > at && !trusted {
                let seconds = (wait_until - at).num_seconds().max(1);
                return Err(StoreError::Throttled(seconds.unsigned_abs()));
            }
        }
        let stored = row.as_ref().and_then(|r| r.password_hash.clone());
        let matches = password::verify(attempt.password.to_owned(), stored).await;
        let Some(row) = row.filter(|_| matches) else {
            self.note_failure(email).await?;
            return Err(StoreError::Unauthorized);
        };
        if row.email_confirmed_at.is_none() {
            let link = token::new_token();
            let at = now();
            with_pool!(self, |pool| async {
                let mut tx = pool.begin_write().await?;
                sqlx::query(
                    "INSERT INTO email_tokens (token_hash, user_id, purpose, created_at, expires_at) \
                     VALUES ($1, $2, 'confirm', $3, $4)",
                )
                .bind(token::digest(&link))
                .bind(row.id)
                .bind(at)
                .bind(at + TimeDelta::hours(CONFIRM_HOURS))
                .execute(&mut *tx)
                .await?;
                enqueue_mail!(tx, email, &confirm.subject, &confirm.body.replace("{token}", &link))?;
                tx.commit().await
            }
            .await)
            .map_err(store_err)?;
            return Err(invalid("email", Problem::Unconfirmed));
        }
        self.open_session(row.id, attempt.user_agent, attempt.device).await
    }

    async fn request_sign_in_link(&self, email: &str, mail: MailTemplate) -> StoreResult<()> {
        self.mail_link(email, "signin", TimeDelta::hours(SIGN_IN_LINK_HOURS), &mail).await
    }

    async fn sign_in_with_link(
        &self,
        raw: &str,
        user_agent: &str,
        device: Option<&str>,
    ) -> StoreResult<NewSession> {
        let user_id = self.use_email_token(raw, "signin", TokenUse::SignIn).await?;
        self.open_session(user_id, user_agent, device).await
    }

    async fn check_password(&self, user_id: i64, password_text: &str) -> StoreResult<bool> {
        let stored: Option<Option<String>> = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT password_hash FROM users WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(user_id)
            .fetch_optional(pool)
            .await
        })
        .map_err(store_err)?;
        Ok(password::verify(password_text.to_owned(), stored.flatten()).await)
    }

    async fn session_viewer(&self, raw: &str) -> StoreResult<Option<Viewer>> {
        let mut found = self.session_viewers(&[raw.to_owned()]).await?;
        Ok(found.pop().flatten())
    }

    async fn end_session(&self, raw: &str) -> StoreResult<()> {
        with_pool!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token::digest(raw))
                .execute(pool)
                .await
                .map(|_| ())
        })
        .map_err(store_err)
    }

    async fn end_all_sessions(&self, user_id: i64) -> StoreResult<()> {
        with_pool!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(pool)
                .await
                .map(|_| ())
        })
        .map_err(store_err)
    }

    async fn request_password_reset(&self, email: &str, mail: MailTemplate) -> StoreResult<()> {
        self.mail_link(email, "reset", TimeDelta::hours(RESET_HOURS), &mail).await
    }

    async fn reset_password(&self, raw: &str, new_password: &str) -> StoreResult<()> {
        let hash = password::hash(new_password.to_owned()).await.map_err(backend)?;
        self.use_email_token(raw, "reset", TokenUse::SetPassword(&hash)).await.map(|_| ())
    }

    async fn change_password(
        &self,
        user_id: i64,
        current: &str,
        new_password: &str,
        keep_session: &str,
    ) -> StoreResult<()> {
        if !self.check_password(user_id, current).await? {
            return Err(invalid("current_password", Problem::Invalid));
        }
        let hash = password::hash(new_password.to_owned()).await.map_err(backend)?;
        let keep = token::digest(keep_session);
        let at = now();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(&hash)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            end_credentials!(tx, user_id, at, Some(keep.as_str()))?;
            tx.commit().await
        }
        .await)
        .map_err(store_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_after_the_free_failures_and_stop_at_an_hour() {
        assert_eq!(delay_after(0), TimeDelta::zero());
        assert_eq!(delay_after(FREE_FAILURES - 1), TimeDelta::zero());
        assert_eq!(delay_after(FREE_FAILURES), TimeDelta::seconds(60));
        assert_eq!(delay_after(FREE_FAILURES + 1), TimeDelta::seconds(120));
        assert_eq!(delay_after(FREE_FAILURES + 3), TimeDelta::seconds(480));
        assert_eq!(delay_after(FREE_FAILURES + 6), TimeDelta::seconds(3600));
        assert_eq!(delay_after(i64::MAX), TimeDelta::seconds(3600));
    }
}
