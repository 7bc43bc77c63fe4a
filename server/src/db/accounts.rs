//! Accounts, sessions and single-use e-mailed links.

use super::mail::enqueue_mail;
use super::{now, store_err, with_pool, BeginWrite, Db};
use crate::auth::{password, token};
use app::error::{FieldError, Problem};
use app::model::account::{CivicGroup, Grant, Profile, Role, UserInfo, Viewer};
use app::store::{AccountStore, MailTemplate, NewAccount, NewSession, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use sqlx::QueryBuilder;

/// How long a session lasts without signing in again.
const SESSION_DAYS: i64 = 30;
/// How long links stay valid.
const CONFIRM_HOURS: i64 = 48;
const RESET_HOURS: i64 = 1;

fn invalid(field: &str, problem: Problem) -> StoreError {
    StoreError::Invalid(FieldError::new(field, problem))
}

fn backend(err: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(err.to_string().into())
}

#[derive(sqlx::FromRow)]
struct LoginRow {
    id: i64,
    password_hash: Option<String>,
    email_confirmed_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct ViewerRow {
    id: i64,
    email: Option<String>,
    display_name: String,
    locale: String,
    last_seen_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct GrantRow {
    role: String,
    locality_id: Option<i64>,
    department_id: Option<i64>,
}

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
    /// Creates `count` confirmed citizens, each signed in, for `make bench`; returns their session
    /// tokens. Skips password hashing, which would dominate the set-up time.
    pub async fn bench_insert_voters(&self, count: usize) -> StoreResult<Vec<String>> {
        let at = now();
        let far = at + TimeDelta::days(365);
        let voters: Vec<(String, String)> = (0..count)
            .map(|i| (format!("bench-voter-{i}@example.md"), token::new_token()))
            .collect();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            for chunk in voters.chunks(500) {
                let mut users = QueryBuilder::new(
                    "INSERT INTO users (email, display_name, locale, created_at, email_confirmed_at) ",
                );
                users.push_values(chunk, |mut b, (email, _)| {
                    b.push_bind(email).push_bind("Bench voter").push_bind("ro").push_bind(at).push_bind(at);
                });
                users.build().execute(&mut *tx).await?;
                for (email, raw) in chunk {
                    sqlx::query(
                        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) \
                         SELECT $1, id, $2, $3, $2 FROM users WHERE email = $4",
                    )
                    .bind(token::digest(raw))
                    .bind(at)
                    .bind(far)
                    .bind(email)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await
        }
        .await)
        .map_err(store_err)?;
        Ok(voters.into_iter().map(|(_, raw)| raw).collect())
    }

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
            if let TokenUse::SetPassword(hash) = then {
                sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                    .bind(hash)
                    .bind(row.user_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_err)?;
                sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(row.user_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_err)?;
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

enum TokenUse<'a> {
    Confirm,
    SetPassword(&'a str),
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

    async fn sign_in(
        &self,
        email: &str,
        password_text: &str,
        user_agent: &str,
        confirm: MailTemplate,
    ) -> StoreResult<NewSession> {
        let row: Option<LoginRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, password_hash, email_confirmed_at FROM users WHERE email = $1 AND deleted_at IS NULL",
            )
            .bind(email)
            .fetch_optional(pool)
            .await
        })
        .map_err(store_err)?;
        let stored = row.as_ref().and_then(|r| r.password_hash.clone());
        if !password::verify(password_text.to_owned(), stored).await {
            return Err(StoreError::Unauthorized);
        }
        let Some(row) = row else { return Err(StoreError::Unauthorized) };
        let raw = token::new_token();
        let at = now();
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            if row.email_confirmed_at.is_none() {
                let link = token::new_token();
                sqlx::query(
                    "INSERT INTO email_tokens (token_hash, user_id, purpose, created_at, expires_at) \
                     VALUES ($1, $2, 'confirm', $3, $4)",
                )
                .bind(token::digest(&link))
                .bind(row.id)
                .bind(at)
                .bind(at + TimeDelta::hours(CONFIRM_HOURS))
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
                enqueue_mail!(tx, email, &confirm.subject, &confirm.body.replace("{token}", &link)).map_err(store_err)?;
                tx.commit().await.map_err(store_err)?;
                return Err(invalid("email", Problem::Unconfirmed));
            }
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at, user_agent) \
                 VALUES ($1, $2, $3, $4, $3, $5)",
            )
            .bind(token::digest(&raw))
            .bind(row.id)
            .bind(at)
            .bind(at + TimeDelta::days(SESSION_DAYS))
            .bind(user_agent.chars().take(300).collect::<String>())
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
            tx.commit().await.map_err(store_err)
        }
        .await
        })?;
        Ok(NewSession { token: raw, user_id: row.id })
    }

    async fn session_viewer(&self, raw: &str) -> StoreResult<Option<Viewer>> {
        let digest = token::digest(raw);
        let at = now();
        let found: Option<(ViewerRow, Vec<GrantRow>)> = with_pool!(self, |pool| async {
            let row: Option<ViewerRow> = sqlx::query_as(
                "SELECT u.id, u.email, u.display_name, u.locale, s.last_seen_at FROM sessions s \
                 JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 \
                 AND u.deleted_at IS NULL",
            )
            .bind(&digest)
            .bind(at)
            .fetch_optional(pool)
            .await?;
            let Some(row) = row else { return Ok(None) };
            let grants: Vec<GrantRow> = sqlx::query_as(
                "SELECT role, locality_id, department_id FROM roles WHERE user_id = $1",
            )
            .bind(row.id)
            .fetch_all(pool)
            .await?;
            // Note activity at most hourly: a write on every request would serialise readers.
            if at - row.last_seen_at > TimeDelta::hours(1) {
                sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                    .bind(at)
                    .bind(&digest)
                    .execute(pool)
                    .await?;
            }
            Ok::<_, sqlx::Error>(Some((row, grants)))
        }
        .await)
        .map_err(store_err)?;
        Ok(found.map(|(row, grants)| Viewer {
            user: Some(UserInfo {
                id: row.id,
                email: row.email.unwrap_or_default(),
                display_name: row.display_name,
                locale: row.locale,
            }),
            grants: grants
                .into_iter()
                .filter_map(|g| {
                    Some(Grant {
                        role: Role::parse(&g.role)?,
                        locality_id: g.locality_id,
                        department_id: g.department_id,
                    })
                })
                .collect(),
        }))
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
                     VALUES ($1, $2, 'reset', $3, $4)",
                )
                .bind(token::digest(&raw))
                .bind(user_id)
                .bind(at)
                .bind(at + TimeDelta::hours(RESET_HOURS))
                .execute(&mut *tx)
                .await?;
                enqueue_mail!(tx, email, &mail.subject, &mail.body.replace("{token}", &raw))?;
            }
            tx.commit().await
        }
        .await)
        .map_err(store_err)
    }

    async fn reset_password(&self, raw: &str, new_password: &str) -> StoreResult<()> {
        let hash = password::hash(new_password.to_owned()).await.map_err(backend)?;
        self.use_email_token(raw, "reset", TokenUse::SetPassword(&hash)).await.map(|_| ())
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
