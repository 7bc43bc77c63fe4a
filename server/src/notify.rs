//! The notification job: turns timeline events into mail for their followers, in each
//! follower's language. It runs under a job lease (`jobs.rs`), and `db::notify` makes each
//! event announced once even if two runs overlap.

use crate::db::notify::ReportEvent;
use crate::db::Db;
use app::i18n::Locale;
use app::model::ReportStatus;
use app::notices::{report_update, ReportUpdate, WayOut};
use app::store::MailTemplate;

/// How often the job looks for something to announce.
pub const PERIOD: std::time::Duration = std::time::Duration::from_secs(15);

fn locale(lang: &str) -> Locale {
    app::locale::parse(lang).unwrap_or(Locale::ro)
}

/// Queues the messages for everything that happened since the last run; returns how many.
pub async fn run_once(db: &Db, base: &str) -> usize {
    let render = |lang: &str, event: &ReportEvent, way_out: &WayOut| -> MailTemplate {
        let update = ReportUpdate {
            report_id: event.report_id,
            title: &event.title,
            status: event.to_status.as_deref().and_then(ReportStatus::parse),
            answer: &event.body,
        };
        report_update(locale(lang), base, &update, way_out)
    };
    match db.notify_report_events(base, render).await {
        Ok(n) => n,
        Err(err) => {
            tracing::error!(error = %err, "could not queue the followers' mail");
            0
        }
    }
}

/// Schedules the job in this process (it runs wherever the lease is held).
pub fn schedule(jobs: &crate::jobs::Jobs, base: String) {
    jobs.every("notify", PERIOD, move |db| {
        let base = base.clone();
        async move {
            run_once(&db, &base).await;
        }
    });
}
