//! Messages of the NGO network: its quarterly newsletter.

use super::{footer, WayOut};
use crate::i18n::{td_string, Locale};
use crate::model::newsletter::{paragraphs, Newsletter, Quarter};
use crate::store::MailTemplate;

/// "Quarter 3, 2026" in `locale`.
pub fn quarter_label(locale: Locale, quarter: Quarter) -> String {
    td_string!(
        locale,
        newsletters.quarter_label,
        quarter = quarter.quarter.to_string(),
        year = quarter.year.to_string()
    )
    .to_string()
}

/// A published issue as its subscribers receive it: the whole text, then its page.
pub fn newsletter(
    locale: Locale,
    base: &str,
    item: &Newsletter,
    site: Option<&str>,
    way_out: &WayOut,
) -> MailTemplate {
    let page = crate::paths::site_page(site, locale, &format!("/newsletters/{}", item.id));
    let title = item.title.get(locale);
    MailTemplate {
        subject: td_string!(
            locale,
            newsletters.mail_subject,
            quarter = quarter_label(locale, item.quarter),
            title = title
        )
        .to_string(),
        body: format!(
            "{}\n\n{}\n\n{}\n\n{}\n{base}{page}\n\n{}",
            td_string!(locale, alerts.hello),
            title,
            paragraphs(item.body.get(locale)).join("\n\n"),
            td_string!(locale, newsletters.mail_read_online),
            footer(locale, way_out)
        ),
    }
}
