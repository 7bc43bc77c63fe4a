//! The texts of the messages sent because of a subscription, in the subscriber's language.
//! The server's notification job calls these; every message ends with the way out.

use crate::components::status::status_label;
use crate::i18n::{td_string, Locale};
use crate::model::vote::Level;
use crate::model::{Localized, ReportStatus};
use crate::store::MailTemplate;

pub mod budget;
pub mod network;

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
    /// The slug of the report's locality site (`None`: the default locality).
    pub site: Option<&'a str>,
    pub title: &'a str,
    /// The new status, or `None` for an answer that keeps it.
    pub status: Option<ReportStatus>,
    pub answer: &'a str,
}

pub(crate) fn footer(locale: Locale, way_out: &WayOut) -> String {
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
    let link = report_link(locale, base, update.site, update.report_id);
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
    pub site: Option<&'a str>,
    pub title: &'a str,
    pub category: &'a str,
}

/// A report's page on its locality's site.
fn report_link(locale: Locale, base: &str, site: Option<&str>, report_id: i64) -> String {
    format!("{base}{}", crate::paths::site_page(site, locale, &format!("/reports/{report_id}")))
}

fn report_line(locale: Locale, base: &str, report: &NewReportNotice<'_>) -> String {
    let link = report_link(locale, base, report.site, report.report_id);
    format!("- {} ({})\n  {link}", report.title, report.category)
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

/// A city announcement, in the subscriber's language (Romanian where it has no translation),
/// linking to the announcements of its locality's site (`site`: its slug, `None` by default).
pub fn announcement(
    locale: Locale,
    base: &str,
    item: &crate::model::announcement::Announcement,
    site: Option<&str>,
    way_out: &WayOut,
) -> MailTemplate {
    let page = format!("{base}{}", crate::paths::site_page(site, locale, "/announcements"));
    MailTemplate {
        subject: td_string!(locale, alerts.announcement_subject, title = item.title.get(locale))
            .to_string(),
        body: format!(
            "{}\n\n{}\n\n{}\n\n{page}\n\n{}",
            td_string!(locale, alerts.hello),
            item.title.get(locale),
            item.body.get(locale),
            footer(locale, way_out)
        ),
    }
}

/// What happened to something a person follows (not a report: those are [`ReportUpdate`]).
#[derive(Clone, Debug)]
pub enum FollowNews<'a> {
    /// An initiative reached a badge level with at least `supporters`.
    LevelReached {
        title: &'a str,
        level: Level,
        supporters: i64,
    },
    InitiativeAnswered {
        title: &'a str,
        answer: &'a str,
    },
    /// A poll closed: its options' labels with their votes and shares of the participants.
    PollClosed {
        question: &'a Localized,
        participants: i64,
        options: Vec<(&'a Localized, i64, f64)>,
    },
    /// Staff reviewed a proposal; `reason` is theirs (empty when none was given).
    ProjectReviewed {
        title: &'a str,
        feasible: bool,
        reason: &'a str,
    },
    /// The results of the project's edition are out.
    ProjectResult {
        title: &'a str,
        edition: &'a Localized,
        funded: bool,
    },
    /// A funded project reached a milestone: its day, as the city reads it, and what was done.
    ProjectMilestone {
        title: &'a str,
        on: chrono::NaiveDate,
        body: &'a str,
        progress: u8,
    },
}

/// The message to a follower of an initiative, a poll or a project; `link` opens its page.
pub fn follow_news(
    locale: Locale,
    link: &str,
    news: &FollowNews<'_>,
    way_out: &WayOut,
) -> MailTemplate {
    let (subject, opening, detail) = match news {
        FollowNews::LevelReached { title, level, supporters } => {
            let level = level.badge();
            let count = crate::format::integer(*supporters, locale);
            (
                td_string!(locale, follow.level_subject, title = *title, level = level).to_string(),
                td_string!(locale, follow.level_body, title = *title, level = level, count = count)
                    .to_string(),
                String::new(),
            )
        }
        FollowNews::InitiativeAnswered { title, answer } => (
            td_string!(locale, follow.answer_subject, title = *title).to_string(),
            td_string!(locale, follow.answer_body, title = *title).to_string(),
            answer.trim().to_owned(),
        ),
        FollowNews::PollClosed { question, participants, options } => {
            let title = question.get(locale);
            let count = crate::format::integer(*participants, locale);
            let lines: Vec<String> = options
                .iter()
                .map(|(label, votes, share)| {
                    format!(
                        "- {}: {} ({})",
                        label.get(locale),
                        crate::format::integer(*votes, locale),
                        crate::format::whole_percent(*share, locale)
                    )
                })
                .collect();
            (
                td_string!(locale, follow.poll_subject, title = title).to_string(),
                td_string!(locale, follow.poll_body, title = title, count = count).to_string(),
                lines.join("\n"),
            )
        }
        FollowNews::ProjectReviewed { title, feasible: true, .. } => (
            td_string!(locale, follow.feasible_subject, title = *title).to_string(),
            td_string!(locale, follow.feasible_body, title = *title).to_string(),
            String::new(),
        ),
        FollowNews::ProjectReviewed { title, feasible: false, reason } => (
            td_string!(locale, follow.unfeasible_subject, title = *title).to_string(),
            td_string!(locale, follow.unfeasible_body, title = *title).to_string(),
            reason.trim().to_owned(),
        ),
        FollowNews::ProjectResult { title, edition, funded } => {
            let edition = edition.get(locale);
            if *funded {
                (
                    td_string!(locale, follow.funded_subject, title = *title).to_string(),
                    td_string!(locale, follow.funded_body, title = *title, edition = edition)
                        .to_string(),
                    String::new(),
                )
            } else {
                (
                    td_string!(locale, follow.not_funded_subject, edition = edition).to_string(),
                    td_string!(locale, follow.not_funded_body, title = *title, edition = edition)
                        .to_string(),
                    String::new(),
                )
            }
        }
        FollowNews::ProjectMilestone { title, on, body, progress } => {
            let day = crate::format::date(*on, locale);
            (
                td_string!(locale, follow.milestone_subject, title = *title).to_string(),
                td_string!(
                    locale,
                    follow.milestone_body,
                    title = *title,
                    date = day,
                    progress = *progress
                )
                .to_string(),
                body.trim().to_owned(),
            )
        }
    };
    let mut body = format!("{}\n\n{opening}\n", td_string!(locale, alerts.hello));
    if !detail.is_empty() {
        body.push_str(&format!("\n{detail}\n"));
    }
    body.push_str(&format!("\n{link}\n\n{}", footer(locale, way_out)));
    MailTemplate { subject, body }
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

    fn localized(ro: &str, en: &str) -> Localized {
        Localized { ro: ro.into(), ru: String::new(), uk: String::new(), en: en.into() }
    }

    #[test]
    fn a_report_of_another_locality_links_to_its_own_site() {
        let way_out = WayOut { unsubscribe: "U".into(), manage: "M".into() };
        let report = NewReportNotice {
            report_id: 9,
            site: Some("sangerei"),
            title: "Groapă",
            category: "Drumuri",
        };
        let mail = new_report(Locale::ro, "https://a.example", &report, &way_out);
        assert!(mail.body.contains("https://a.example/ro/sangerei/reports/9"), "{}", mail.body);
    }

    #[test]
    fn an_announcement_links_to_its_locality_s_notices() {
        let way_out = WayOut { unsubscribe: "U".into(), manage: "M".into() };
        let at = chrono::Utc::now();
        let item = crate::model::announcement::Announcement {
            id: 1,
            locality_id: 2,
            title: localized("Apa", "Water"),
            body: localized("Marți", "Tuesday"),
            centre: None,
            radius_m: None,
            valid_from: at,
            valid_until: at,
            created_at: at,
        };
        let mail = announcement(Locale::en, "https://a.example", &item, Some("sangerei"), &way_out);
        assert!(mail.body.contains("https://a.example/en/sangerei/announcements"), "{}", mail.body);
        let mail = announcement(Locale::ro, "https://a.example", &item, None, &way_out);
        assert!(mail.body.contains("https://a.example/ro/announcements"), "{}", mail.body);
    }

    #[test]
    fn a_closed_poll_lists_its_results_in_the_follower_s_language() {
        let way_out = WayOut { unsubscribe: "U".into(), manage: "M".into() };
        let question = localized("Unde?", "Where?");
        let (yes, no) = (localized("Da", "Yes"), localized("Nu", "No"));
        let news = FollowNews::PollClosed {
            question: &question,
            participants: 1234,
            options: vec![(&yes, 1000, 1000.0 / 1234.0), (&no, 234, 234.0 / 1234.0)],
        };
        let en = follow_news(Locale::en, "https://a.example/en/polls/3", &news, &way_out);
        assert!(en.subject.contains("Where?"), "{}", en.subject);
        assert!(en.body.contains("- Yes: 1,000 (81%)"), "{}", en.body);
        assert!(en.body.contains("- No: 234 (19%)"), "{}", en.body);
        assert!(en.body.contains("https://a.example/en/polls/3"));
        // Russian falls back to the Romanian labels the poll has.
        let ru = follow_news(Locale::ru, "L", &news, &way_out);
        assert!(ru.body.contains("- Da: 1"), "{}", ru.body);
        assert!(ru.body.contains("U") && ru.body.contains("M"));
    }

    #[test]
    fn a_status_change_names_the_status_and_the_way_out_in_each_language() {
        let way_out = WayOut {
            unsubscribe: "https://a.example/unsubscribe/T".into(),
            manage: "https://a.example/ro/subscriptions?token=T".into(),
        };
        let update = ReportUpdate {
            report_id: 7,
            site: None,
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
