//! The texts of the messages sent because of a subscription, in the subscriber's language.
//! The server's notification job calls these; every message ends with the way out.

use crate::components::status::status_label;
use crate::i18n::{td_string, Locale};
use crate::model::ReportStatus;
use crate::store::MailTemplate;

/// The addresses every subscription message carries: the one-click unsubscribe and the page
/// that lists every subscription of the address.
#[derive(Clone, Debug)]
pub struct WayOut {
    pub unsubscribe: String,
    pub manage: String,
}

/// What happened on a followed report: a status change, an official answer, or both.
#[derive(Clone, Debug)]
pub struct ReportUpdate<'a> {
    pub report_id: i64,
    pub title: &'a str,
    /// The new status, or `None` for an answer that keeps it.
    pub status: Option<ReportStatus>,
    pub answer: &'a str,
}

fn footer(locale: Locale, way_out: &WayOut) -> String {
    td_string!(
        locale,
        alerts.mail_footer,
        unsubscribe = way_out.unsubscribe.clone(),
        manage = way_out.manage.clone()
    )
    .to_string()
}

/// The message to a follower of a report.
pub fn report_update(
    locale: Locale,
    base: &str,
    update: &ReportUpdate<'_>,
    way_out: &WayOut,
) -> MailTemplate {
    let link = format!("{base}/{locale}/reports/{}", update.report_id);
    let id = update.report_id;
    let (subject, opening) = match update.status {
        Some(status) => {
            let status = status_label(locale, status);
            (
                td_string!(locale, alerts.status_subject, id = id, status = status).to_string(),
                td_string!(locale, alerts.status_body, title = update.title, status = status)
                    .to_string(),
            )
        }
        None => (
            td_string!(locale, alerts.answer_subject, id = id).to_string(),
            td_string!(locale, alerts.answer_body, title = update.title).to_string(),
        ),
    };
    let answer = update.answer.trim();
    let mut body = format!("{}\n\n{opening}\n", td_string!(locale, alerts.hello));
    if !answer.is_empty() {
        body.push_str(&format!("\n{}\n{answer}\n", td_string!(locale, alerts.answer_label)));
    }
    body.push_str(&format!("\n{link}\n\n{}", footer(locale, way_out)));
    MailTemplate { subject, body }
}

/// A new report, as an area alert tells of it.
#[derive(Clone, Debug)]
pub struct NewReportNotice<'a> {
    pub report_id: i64,
    pub title: &'a str,
    pub category: &'a str,
}

fn report_line(locale: Locale, base: &str, report: &NewReportNotice<'_>) -> String {
    format!(
        "- {} ({})\n  {base}/{locale}/reports/{}",
        report.title, report.category, report.report_id
    )
}

/// The message of an instant area alert.
pub fn new_report(
    locale: Locale,
    base: &str,
    report: &NewReportNotice<'_>,
    way_out: &WayOut,
) -> MailTemplate {
    MailTemplate {
        subject: td_string!(locale, alerts.new_report_subject, title = report.title).to_string(),
        body: format!(
            "{}\n\n{}\n\n{}\n\n{}",
            td_string!(locale, alerts.hello),
            td_string!(locale, alerts.new_report_body),
            report_line(locale, base, report),
            footer(locale, way_out)
        ),
    }
}

/// The daily digest of an area alert: every new report of the day, oldest first.
pub fn digest(
    locale: Locale,
    base: &str,
    reports: &[NewReportNotice<'_>],
    way_out: &WayOut,
) -> MailTemplate {
    let lines: Vec<String> = reports.iter().map(|r| report_line(locale, base, r)).collect();
    MailTemplate {
        subject: td_string!(locale, alerts.digest_subject, count = reports.len()).to_string(),
        body: format!(
            "{}\n\n{}\n\n{}\n\n{}",
            td_string!(locale, alerts.hello),
            td_string!(locale, alerts.digest_body),
            lines.join("\n"),
            footer(locale, way_out)
        ),
    }
}

/// A city announcement, in the subscriber's language (Romanian where it has no translation).
pub fn announcement(
    locale: Locale,
    base: &str,
    item: &crate::model::announcement::Announcement,
    way_out: &WayOut,
) -> MailTemplate {
    MailTemplate {
        subject: td_string!(locale, alerts.announcement_subject, title = item.title.get(locale))
            .to_string(),
        body: format!(
            "{}\n\n{}\n\n{}\n\n{base}/{locale}/announcements\n\n{}",
            td_string!(locale, alerts.hello),
            item.title.get(locale),
            item.body.get(locale),
            footer(locale, way_out)
        ),
    }
}

/// The question "is it fixed?" to the person who reported a problem the city hall resolved;
/// `link` opens the page that takes the answer. Not a subscription: no way out to offer.
pub fn fixed_question(locale: Locale, link: &str, report_id: i64, title: &str) -> MailTemplate {
    MailTemplate {
        subject: td_string!(locale, fixed.mail_subject, id = report_id).to_string(),
        body: td_string!(locale, fixed.mail_body, title = title, link = link).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_change_names_the_status_and_the_way_out_in_each_language() {
        let way_out = WayOut {
            unsubscribe: "https://a.example/unsubscribe/T".into(),
            manage: "https://a.example/ro/subscriptions?token=T".into(),
        };
        let update = ReportUpdate {
            report_id: 7,
            title: "Groapă",
            status: Some(ReportStatus::Resolved),
            answer: "Reparat.",
        };
        for locale in crate::locale::ALL {
            let mail = report_update(locale, "https://a.example", &update, &way_out);
            assert!(mail.subject.contains('7'), "{}", mail.subject);
            assert!(mail.subject.contains(status_label(locale, ReportStatus::Resolved)));
            assert!(mail.body.contains("Reparat."));
            assert!(mail.body.contains(&format!("https://a.example/{locale}/reports/7")));
            assert!(mail.body.contains(&way_out.unsubscribe));
            assert!(mail.body.contains(&way_out.manage));
        }
    }
}
