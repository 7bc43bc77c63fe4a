//! Turning what happened into mail for the people who follow it. Each run takes the events
//! after a cursor (`notify_cursors`), queues one message per subscriber in the outbox, and moves
//! the cursor, all in one transaction: an event is announced once, even when two processes
//! run the job at the same moment (the second one's cursor update finds the cursor moved, and
//! its transaction is rolled back).

use crate::auth::token;
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::notices::WayOut;
use app::store::{MailTemplate, StoreResult};
use chrono::{DateTime, TimeDelta, Utc};

/// Events older than this are never announced (a server that was down for days, or demo data
/// loaded with its history, does not flood anyone's inbox).
pub const FRESH: TimeDelta = TimeDelta::days(2);

/// Events taken in one run.
const BATCH: i64 = 200;

/// An official event on a report's timeline: a status change, an answer, or both.
#[derive(Debug, sqlx::FromRow)]
pub struct ReportEvent {
    pub id: i64,
    pub report_id: i64,
    pub title: String,
    pub to_status: Option<String>,
    pub body: String,
    pub actor_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub hidden: bool,
    /// The slug of the report's locality, and whether it is the default one (its site's address).
    pub slug: String,
    pub is_default: bool,
}

impl ReportEvent {
    /// The slug of the report's locality site (`None`: the default locality).
    pub fn site(&self) -> Option<&str> {
        (!self.is_default).then_some(self.slug.as_str())
    }
}

/// Someone a message goes to because of a subscription.
#[derive(Debug, sqlx::FromRow)]
pub struct Recipient {
    pub subscription_id: i64,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub lang: String,
}

/// The links of one message: a fresh token, whose SHA-256 the caller stores.
pub fn way_out(base: &str, lang: &str) -> (String, WayOut) {
    let raw = token::new_token();
    let links = WayOut {
        unsubscribe: format!("{base}/unsubscribe/{raw}?lang={lang}"),
        manage: format!("{base}/{lang}/subscriptions?token={raw}"),
    };
    (raw, links)
}

/// Stores a message's unsubscribe token and queues the message (`$tx` is `&mut Transaction`).
macro_rules! queue_for {
    ($tx:expr, $kind:expr, $recipient:expr, $email:expr, $raw:expr, $links:expr, $mail:expr) => {{
        sqlx::query(
            "INSERT INTO unsubscribe_tokens (token_hash, kind, subscription_id, user_id, email, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($crate::auth::token::digest($raw))
        .bind($kind)
        .bind($recipient.subscription_id)
        .bind($recipient.user_id)
        .bind($recipient.user_id.is_none().then_some($email))
        .bind(now())
        .execute(&mut *$tx)
        .await?;
        $crate::db::mail::enqueue_subscription_mail!($tx, $email, $mail, &$recipient.lang, &$links.unsubscribe)?;
    }};
}
pub(crate) use queue_for;

/// Moves cursor `$name` from `$from` to `$to`; `false` when another run moved it first.
macro_rules! advance_cursor {
    ($tx:expr, $name:expr, $from:expr, $to:expr) => {
        sqlx::query("UPDATE notify_cursors SET last_id = $1 WHERE name = $2 AND last_id = $3")
            .bind($to)
            .bind($name)
            .bind($from)
            .execute(&mut *$tx)
            .await
            .map(|r| r.rows_affected() == 1)
    };
}

impl Db {
    /// Mails the confirmed followers of each report about its official events since the last
    /// run (not the person who made the change); returns how many messages were queued.
    pub async fn notify_report_events<F>(&self, base: &str, render: F) -> StoreResult<usize>
    where
        F: Fn(&str, &ReportEvent, &WayOut) -> MailTemplate + Send + Sync,
    {
        let fresh_after = now() - FRESH;
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let from: i64 =
                sqlx::query_scalar("SELECT last_id FROM notify_cursors WHERE name = 'report_events'")
                    .fetch_one(&mut *tx)
                    .await?;
            let events: Vec<ReportEvent> = sqlx::query_as(
                "SELECT e.id, e.report_id, r.title, e.to_status, e.body, e.actor_id, e.created_at, r.hidden, \
                 l.slug, l.is_default \
                 FROM report_events e JOIN reports r ON r.id = e.report_id \
                 JOIN localities l ON l.id = r.locality_id \
                 WHERE e.id > $1 AND e.official = TRUE ORDER BY e.id LIMIT $2",
            )
            .bind(from)
            .bind(BATCH)
            .fetch_all(&mut *tx)
            .await?;
            let Some(last) = events.last().map(|e| e.id) else { return Ok(0) };
            let mut queued = 0;
            for event in events.iter().filter(|e| !e.hidden && e.created_at > fresh_after) {
                let recipients: Vec<Recipient> = sqlx::query_as(
                    "SELECT s.id AS subscription_id, s.user_id, COALESCE(u.email, s.email) AS email, s.lang \
                     FROM report_subscriptions s LEFT JOIN users u ON u.id = s.user_id \
                     WHERE s.report_id = $1 AND s.confirmed_at IS NOT NULL ORDER BY s.id",
                )
                .bind(event.report_id)
                .fetch_all(&mut *tx)
                .await?;
                for recipient in &recipients {
                    let Some(email) = recipient.email.as_deref() else { continue };
                    if recipient.user_id.is_some() && recipient.user_id == event.actor_id {
                        continue;
                    }
                    let (raw, links) = way_out(base, &recipient.lang);
                    let mail = render(&recipient.lang, event, &links);
                    queue_for!(tx, "report", recipient, email, &raw, links, mail);
                    queued += 1;
                }
            }
            if !advance_cursor!(tx, "report_events", from, last)? {
                tx.rollback().await?;
                return Ok(0);
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(queued)
        }
        .await)
        .map_err(store_err)
    }
}

/// A new report as area alerts see it.
#[derive(Debug, sqlx::FromRow)]
pub struct NewReportRow {
    pub id: i64,
    pub locality_id: i64,
    pub category_id: i64,
    pub title: String,
    pub lat: f64,
    pub lng: f64,
    pub hidden: bool,
    pub location_confirmed: bool,
    pub reporter_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub name_ro: String,
    pub name_ru: String,
    pub name_uk: String,
    pub name_en: String,
    pub slug: String,
    pub is_default: bool,
}

impl NewReportRow {
    /// The slug of the report's locality site (`None`: the default locality).
    pub fn site(&self) -> Option<&str> {
        (!self.is_default).then_some(self.slug.as_str())
    }

    /// The category's name in `lang` (Romanian when that one is empty).
    pub fn category(&self, lang: &str) -> &str {
        let name = match lang {
            "ru" => &self.name_ru,
            "uk" => &self.name_uk,
            "en" => &self.name_en,
            _ => &self.name_ro,
        };
        if name.is_empty() {
            &self.name_ro
        } else {
            name
        }
    }
}

/// An area alert with its recipient.
#[derive(Debug, sqlx::FromRow)]
pub struct AlertRow {
    pub subscription_id: i64,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub lang: String,
    pub lat: f64,
    pub lng: f64,
    pub radius_m: i64,
    pub categories: String,
    pub locality_id: i64,
    pub digest_since: DateTime<Utc>,
}

impl AlertRow {
    fn covers(&self, report: &NewReportRow) -> bool {
        let centre = app::model::LatLng { lat: self.lat, lng: self.lng };
        let at = app::model::LatLng { lat: report.lat, lng: report.lng };
        report.locality_id == self.locality_id
            && !report.hidden
            && report.location_confirmed
            && centre.distance_m(at) <= self.radius_m as f64
            && crate::db::area_alerts::covers(&self.categories, report.category_id)
    }
}

const NEW_REPORT_COLUMNS: &str =
    "r.id, r.locality_id, r.category_id, r.title, r.lat, r.lng, r.hidden, \
     r.location_confirmed, r.reporter_id, r.created_at, c.name_ro, c.name_ru, c.name_uk, c.name_en, \
     l.slug, l.is_default \
     FROM reports r JOIN categories c ON c.id = r.category_id JOIN localities l ON l.id = r.locality_id";

const ALERT_COLUMNS: &str =
    "a.id AS subscription_id, a.user_id, COALESCE(u.email, a.email) AS email, \
     a.lang, a.lat, a.lng, a.radius_m, a.categories, a.locality_id, a.digest_since \
     FROM area_alerts a LEFT JOIN users u ON u.id = a.user_id";

impl Db {
    /// Mails the subscribers of instant area alerts about each new report in their area (not
    /// the person who filed it); returns how many messages were queued. A report filed without
    /// a pin is not announced.
    pub async fn notify_new_reports<F>(&self, base: &str, render: F) -> StoreResult<usize>
    where
        F: Fn(&str, &NewReportRow, &WayOut) -> MailTemplate + Send + Sync,
    {
        let fresh_after = now() - FRESH;
        let reports_sql =
            format!("SELECT {NEW_REPORT_COLUMNS} WHERE r.id > $1 ORDER BY r.id LIMIT $2");
        let alerts_sql = format!(
            "SELECT {ALERT_COLUMNS} WHERE a.locality_id = $1 AND a.confirmed_at IS NOT NULL \
             AND a.digest = FALSE ORDER BY a.id"
        );
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let from: i64 =
                sqlx::query_scalar("SELECT last_id FROM notify_cursors WHERE name = 'new_reports'")
                    .fetch_one(&mut *tx)
                    .await?;
            let reports: Vec<NewReportRow> =
                sqlx::query_as(&reports_sql).bind(from).bind(BATCH).fetch_all(&mut *tx).await?;
            let Some(last) = reports.last().map(|r| r.id) else { return Ok(0) };
            let mut queued = 0;
            for report in reports.iter().filter(|r| r.created_at > fresh_after) {
                let alerts: Vec<AlertRow> = sqlx::query_as(&alerts_sql)
                    .bind(report.locality_id)
                    .fetch_all(&mut *tx)
                    .await?;
                for alert in alerts.iter().filter(|a| a.covers(report)) {
                    let Some(email) = alert.email.as_deref() else { continue };
                    if alert.user_id.is_some() && alert.user_id == report.reporter_id {
                        continue;
                    }
                    let (raw, links) = way_out(base, &alert.lang);
                    let mail = render(&alert.lang, report, &links);
                    queue_for!(tx, "area", alert, email, &raw, links, mail);
                    queued += 1;
                }
            }
            if !advance_cursor!(tx, "new_reports", from, last)? {
                tx.rollback().await?;
                return Ok(0);
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(queued)
        }
        .await)
        .map_err(store_err)
    }

    /// Sends the daily digests due at `cutoff`: each confirmed digest alert whose last digest
    /// covered less gets the reports of its area filed since then (none: no message), and
    /// then covers up to `cutoff`. Returns how many messages were queued.
    pub async fn send_digests<F>(
        &self,
        base: &str,
        cutoff: DateTime<Utc>,
        render: F,
    ) -> StoreResult<usize>
    where
        F: Fn(&str, &[&NewReportRow], &WayOut) -> MailTemplate + Send + Sync,
    {
        let due_sql = format!(
            "SELECT {ALERT_COLUMNS} WHERE a.digest = TRUE AND a.confirmed_at IS NOT NULL \
             AND a.digest_since < $1 ORDER BY a.id LIMIT $2"
        );
        let reports_sql = format!(
            "SELECT {NEW_REPORT_COLUMNS} WHERE r.locality_id = $1 AND r.created_at > $2 \
             AND r.created_at <= $3 ORDER BY r.id"
        );
        let mut queued = 0;
        loop {
            let due: Vec<AlertRow> = with_pool!(self, |pool| {
                sqlx::query_as(&due_sql).bind(cutoff).bind(BATCH).fetch_all(pool).await
            })
            .map_err(store_err)?;
            if due.is_empty() {
                return Ok(queued);
            }
            let mut moved_any = false;
            for alert in &due {
                // One transaction per alert: its digest is queued and its window moved together,
                // and only if no other run moved the window first.
                let sent = with_pool!(self, |pool| async {
                    let mut tx = pool.begin_write().await?;
                    let moved = sqlx::query(
                        "UPDATE area_alerts SET digest_since = $1 WHERE id = $2 AND digest_since = $3",
                    )
                    .bind(cutoff)
                    .bind(alert.subscription_id)
                    .bind(alert.digest_since)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if moved != 1 {
                        tx.rollback().await?;
                        return Ok(None);
                    }
                    let reports: Vec<NewReportRow> = sqlx::query_as(&reports_sql)
                        .bind(alert.locality_id)
                        .bind(alert.digest_since)
                        .bind(cutoff)
                        .fetch_all(&mut *tx)
                        .await?;
                    let inside: Vec<&NewReportRow> =
                        reports.iter().filter(|r| alert.covers(r)).collect();
                    let mut sent = false;
                    if let (false, Some(email)) = (inside.is_empty(), alert.email.as_deref()) {
                        let (raw, links) = way_out(base, &alert.lang);
                        let mail = render(&alert.lang, &inside, &links);
                        queue_for!(tx, "area", alert, email, &raw, links, mail);
                        sent = true;
                    }
                    tx.commit().await?;
                    Ok::<_, sqlx::Error>(Some(sent))
                }
                .await)
                .map_err(store_err)?;
                moved_any |= sent.is_some();
                queued += usize::from(sent == Some(true));
            }
            // Another process took every due alert of this round: it sends the rest.
            if !moved_any {
                return Ok(queued);
            }
        }
    }
}

impl Db {
    /// Mails each new announcement to the confirmed area alerts of its locality that it
    /// concerns (all of them for the whole locality, else those whose circle meets its circle);
    /// returns how many messages were queued.
    pub async fn notify_announcements<F>(&self, base: &str, render: F) -> StoreResult<usize>
    where
        F: Fn(&str, &app::model::announcement::Announcement, Option<&str>, &WayOut) -> MailTemplate
            + Send
            + Sync,
    {
        use crate::db::announcements::{AnnouncementRow, ANNOUNCEMENT_COLUMNS};
        let at = now();
        let list_sql = format!(
            "SELECT {ANNOUNCEMENT_COLUMNS} FROM announcements WHERE id > $1 ORDER BY id LIMIT $2"
        );
        let alerts_sql = format!(
            "SELECT {ALERT_COLUMNS} WHERE a.locality_id = $1 AND a.confirmed_at IS NOT NULL ORDER BY a.id"
        );
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let from: i64 = sqlx::query_scalar(
                "SELECT last_id FROM notify_cursors WHERE name = 'announcements'",
            )
            .fetch_one(&mut *tx)
            .await?;
            let rows: Vec<AnnouncementRow> =
                sqlx::query_as(&list_sql).bind(from).bind(BATCH).fetch_all(&mut *tx).await?;
            let Some(last) = rows.last().map(|r| r.id) else { return Ok(0) };
            let mut queued = 0;
            for announcement in rows.into_iter().map(app::model::announcement::Announcement::from) {
                if announcement.valid_until <= at {
                    continue;
                }
                let alerts: Vec<AlertRow> = sqlx::query_as(&alerts_sql)
                    .bind(announcement.locality_id)
                    .fetch_all(&mut *tx)
                    .await?;
                let (slug, is_default): (String, bool) =
                    sqlx::query_as("SELECT slug, is_default FROM localities WHERE id = $1")
                        .bind(announcement.locality_id)
                        .fetch_one(&mut *tx)
                        .await?;
                let site = (!is_default).then_some(slug.as_str());
                let concerns = |alert: &AlertRow| match (announcement.centre, announcement.radius_m)
                {
                    (Some(centre), Some(radius)) => {
                        let other = app::model::LatLng { lat: alert.lat, lng: alert.lng };
                        centre.distance_m(other) <= (radius + alert.radius_m) as f64
                    }
                    _ => true,
                };
                for alert in alerts.iter().filter(|a| concerns(a)) {
                    let Some(email) = alert.email.as_deref() else { continue };
                    let (raw, links) = way_out(base, &alert.lang);
                    let mail = render(&alert.lang, &announcement, site, &links);
                    queue_for!(tx, "area", alert, email, &raw, links, mail);
                    queued += 1;
                }
            }
            if !advance_cursor!(tx, "announcements", from, last)? {
                tx.rollback().await?;
                return Ok(0);
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(queued)
        }
        .await)
        .map_err(store_err)
    }
}
