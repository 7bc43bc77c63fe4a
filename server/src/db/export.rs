//! A person's data: export (JSON) and erasure (account deletion).
//!
//! Erasure removes what identifies a person and keeps public contributions, anonymised: a
//! report stays on the map, a vote stays counted, but nothing leads back to them.

use super::statistics::upkeep::{stats_after, stats_before};
use super::{now, store_err, with_pool, BeginWrite, Db};
use app::store::StoreResult;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// A role as exported: name, locality, department, when granted.
type RoleExport = (String, Option<i64>, Option<i64>, DateTime<Utc>);

/// Everything stored about `user_id` beyond the profile.
pub async fn gather(db: &Db, user_id: i64) -> StoreResult<Value> {
    with_pool!(db, |pool| async {
        let reports: Vec<(i64, String, String, String, DateTime<Utc>)> = sqlx::query_as(
            "SELECT id, title, description, status, created_at FROM reports WHERE reporter_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?;
        let comments: Vec<(i64, String, DateTime<Utc>)> = sqlx::query_as(
            "SELECT report_id, body, created_at FROM report_comments WHERE author_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?;
        let supports: Vec<(i64, DateTime<Utc>)> =
            sqlx::query_as("SELECT report_id, created_at FROM report_supports WHERE user_id = $1 ORDER BY report_id")
                .bind(user_id)
                .fetch_all(pool)
                .await?;
        let subscriptions: Vec<(i64, DateTime<Utc>)> = sqlx::query_as(
            "SELECT report_id, created_at FROM report_subscriptions WHERE user_id = $1 ORDER BY report_id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?;
        let initiatives: Vec<(i64, String, DateTime<Utc>)> =
            sqlx::query_as("SELECT id, title, created_at FROM initiatives WHERE author_id = $1 ORDER BY id")
                .bind(user_id)
                .fetch_all(pool)
                .await?;
        let votes: Vec<(String, i64, DateTime<Utc>)> = sqlx::query_as(
            "SELECT subject_kind, subject_id, cast_at FROM ballots WHERE voter_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?;
        let sessions: Vec<(DateTime<Utc>, DateTime<Utc>, String)> = sqlx::query_as(
            "SELECT created_at, last_seen_at, user_agent FROM sessions WHERE user_id = $1 ORDER BY created_at",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?;
        let roles: Vec<RoleExport> = sqlx::query_as(
            "SELECT role, locality_id, department_id, granted_at FROM roles WHERE user_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?;
        let organisations: Vec<(i64, String, DateTime<Utc>)> = sqlx::query_as(
            "SELECT o.id, o.name, m.added_at FROM organisation_members m \
             JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = $1 ORDER BY o.id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?;
        let newsletters: Vec<(i64, String, DateTime<Utc>)> = sqlx::query_as(
            "SELECT locality_id, lang, created_at FROM newsletter_subscriptions WHERE user_id = $1 \
             ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?;
        let alerts: Vec<(f64, f64, i64, DateTime<Utc>)> = sqlx::query_as(
            "SELECT lat, lng, radius_m, created_at FROM area_alerts WHERE user_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?;
        let follows: Vec<(String, i64, DateTime<Utc>)> = sqlx::query_as(
            "SELECT kind, target_id, created_at FROM follows WHERE user_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?;
        // Sheets of surveys that are not anonymous (an anonymous one is tied to no one).
        let survey_sheets: Vec<(i64, String, DateTime<Utc>)> = sqlx::query_as(
            "SELECT survey_id, lang, submitted_at FROM survey_responses WHERE user_id = $1 \
             ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?;
        Ok::<_, sqlx::Error>(json!({
            "reports": reports.iter().map(|(id, title, description, status, at)| json!({
                "id": id, "title": title, "description": description, "status": status, "created_at": at,
            })).collect::<Vec<_>>(),
            "comments": comments.iter().map(|(report, body, at)| json!({
                "report_id": report, "body": body, "created_at": at,
            })).collect::<Vec<_>>(),
            "supported_reports": supports.iter().map(|(report, at)| json!({ "report_id": report, "at": at })).collect::<Vec<_>>(),
            "subscriptions": subscriptions.iter().map(|(report, at)| json!({ "report_id": report, "at": at })).collect::<Vec<_>>(),
            "initiatives": initiatives.iter().map(|(id, title, at)| json!({ "id": id, "title": title, "created_at": at })).collect::<Vec<_>>(),
            "votes": votes.iter().map(|(kind, id, at)| json!({ "on": kind, "id": id, "cast_at": at })).collect::<Vec<_>>(),
            "sessions": sessions.iter().map(|(created, seen, agent)| json!({
                "created_at": created, "last_seen_at": seen, "user_agent": agent,
            })).collect::<Vec<_>>(),
            "roles": roles.iter().map(|(role, locality, department, at)| json!({
                "role": role, "locality_id": locality, "department_id": department, "granted_at": at,
            })).collect::<Vec<_>>(),
            "acts_for_organisations": organisations.iter().map(|(id, name, at)| json!({
                "organisation_id": id, "name": name, "since": at,
            })).collect::<Vec<_>>(),
            "newsletter_subscriptions": newsletters.iter().map(|(locality, lang, at)| json!({
                "locality_id": locality, "lang": lang, "since": at,
            })).collect::<Vec<_>>(),
            "area_alerts": alerts.iter().map(|(lat, lng, radius, at)| json!({
                "lat": lat, "lng": lng, "radius_m": radius, "since": at,
            })).collect::<Vec<_>>(),
            "follows": follows.iter().map(|(kind, id, at)| json!({
                "kind": kind, "id": id, "since": at,
            })).collect::<Vec<_>>(),
            "survey_sheets": survey_sheets.iter().map(|(survey, lang, at)| json!({
                "survey_id": survey, "lang": lang, "submitted_at": at,
            })).collect::<Vec<_>>(),
        }))
    }
    .await)
    .map_err(store_err)
}

/// Deletes a person's personal data in one transaction.
pub async fn erase(db: &Db, user_id: i64) -> StoreResult<()> {
    with_pool!(db, |pool| async {
        let mut tx = pool.begin_write().await?;
        let email: Option<String> =
            sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(user_id).fetch_one(&mut *tx).await?;
        let email = email.unwrap_or_default();
        // The reports this person follows lose a follower in the statistics.
        let followed: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT report_id FROM report_subscriptions WHERE user_id = $1 OR email = $2",
        )
        .bind(user_id)
        .bind(&email)
        .fetch_all(&mut *tx)
        .await?;
        let mut before = Vec::with_capacity(followed.len());
        for id in &followed {
            before.push(stats_before!(tx, *id, std::convert::identity));
        }
        let statements = [
            "UPDATE reports SET reporter_id = NULL, reporter_name = NULL, reporter_email = NULL, show_name = FALSE \
             WHERE reporter_id = $1",
            "UPDATE report_events SET actor_id = NULL, actor_name = '' WHERE actor_id = $1",
            "UPDATE report_comments SET author_id = NULL, author_name = '' WHERE author_id = $1",
            "UPDATE report_supports SET user_id = NULL WHERE user_id = $1",
            "DELETE FROM report_subscriptions WHERE user_id = $1",
            "UPDATE initiatives SET author_id = NULL, author_name = '' WHERE author_id = $1",
            "DELETE FROM sessions WHERE user_id = $1",
            "DELETE FROM email_tokens WHERE user_id = $1",
            "DELETE FROM roles WHERE user_id = $1",
            "DELETE FROM organisation_members WHERE user_id = $1",
            // What would still mail the person: their subscriptions and their way out.
            "DELETE FROM newsletter_subscriptions WHERE user_id = $1",
            "DELETE FROM area_alerts WHERE user_id = $1",
            "DELETE FROM follows WHERE user_id = $1",
            "DELETE FROM unsubscribe_tokens WHERE user_id = $1",
            // Their sheets of surveys that are not anonymous (answers go with them), and the
            // note that they took part.
            "DELETE FROM survey_responses WHERE user_id = $1",
            "DELETE FROM survey_participants WHERE user_id = $1",
            "UPDATE audit_log SET actor_label = 'deleted account' WHERE actor_id = $1",
        ];
        for sql in statements {
            sqlx::query(sql).bind(user_id).execute(&mut *tx).await?;
        }
        if !email.is_empty() {
            let by_address = [
                "UPDATE reports SET reporter_email = NULL, reporter_name = NULL WHERE reporter_email = $1",
                "DELETE FROM report_subscriptions WHERE email = $1",
                "DELETE FROM newsletter_subscriptions WHERE email = $1",
                "DELETE FROM area_alerts WHERE email = $1",
                "DELETE FROM unsubscribe_tokens WHERE email = $1",
                "DELETE FROM outbox WHERE to_address = $1",
                "UPDATE audit_log SET actor_label = REPLACE(actor_label, $1, '[deleted]'), \
                 before_json = REPLACE(before_json, $1, '[deleted]'), after_json = REPLACE(after_json, $1, '[deleted]')",
            ];
            for sql in by_address {
                sqlx::query(sql).bind(&email).execute(&mut *tx).await?;
            }
        }
        for (id, before) in followed.iter().zip(before) {
            stats_after!(tx, *id, before, std::convert::identity);
        }
        sqlx::query(
            "UPDATE users SET email = NULL, display_name = '', password_hash = NULL, civic_group = 'undisclosed', \
             deleted_at = $1 WHERE id = $2",
        )
        .bind(now())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }
    .await)
    .map_err(store_err)
}
