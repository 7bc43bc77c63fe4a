//! The civic budget's mail to a voter: the receipt of a confirmed ballot ("I wasn't sure my vote
//! counted"), and the one reminder about a ballot left unconfirmed. Neither is a subscription:
//! each answers something the voter did.

use crate::format;
use crate::i18n::{td_string, Locale};
use crate::model::civic_budget::BallotState;
use crate::model::Localized;
use crate::pages::budget::lei;
use crate::store::MailTemplate;
use chrono::{DateTime, Utc};

/// What both messages say about the ballot's budget.
#[derive(Clone, Debug)]
pub struct BallotContext<'a> {
    pub edition: &'a Localized,
    pub budget: &'a Localized,
    /// The ballot's page, absolute.
    pub link: &'a str,
    /// When voting closes.
    pub voting_ends: DateTime<Utc>,
}

/// The receipt of a confirmed ballot: its code, when, what was chosen (`titles`: each chosen
/// project's title and cost, in the ballot's order) and how to change it.
pub fn ballot_receipt(
    locale: Locale,
    context: &BallotContext<'_>,
    ballot: &BallotState,
    titles: &[(String, u64)],
) -> MailTemplate {
    let edition = context.edition.get(locale);
    let budget = context.budget.get(locale);
    let date = format::date_time(ballot.confirmed_at.unwrap_or_else(Utc::now), locale);
    let chosen: Vec<String> =
        titles.iter().map(|(title, cost)| format!("- {title} ({})", lei(locale, *cost))).collect();
    let body = format!(
        "{}\n\n{}\n\n{}\n{}\n{}\n\n{}\n{}",
        td_string!(locale, alerts.hello),
        td_string!(
            locale,
            budget_mail.receipt_body,
            budget = budget,
            edition = edition,
            date = date,
            code = ballot.code.as_str()
        ),
        td_string!(locale, budget_mail.chosen),
        chosen.join("\n"),
        td_string!(locale, budget_mail.total, total = lei(locale, ballot.total)),
        td_string!(
            locale,
            budget_mail.change,
            date = format::date_time(context.voting_ends, locale)
        ),
        context.link,
    );
    MailTemplate {
        subject: td_string!(
            locale,
            budget_mail.receipt_subject,
            edition = edition,
            code = ballot.code.as_str()
        )
        .to_string(),
        body,
    }
}

/// The reminder about a ballot that was started but not confirmed, so does not count yet.
pub fn ballot_reminder(locale: Locale, context: &BallotContext<'_>) -> MailTemplate {
    let edition = context.edition.get(locale);
    MailTemplate {
        subject: td_string!(locale, budget_mail.reminder_subject, edition = edition).to_string(),
        body: format!(
            "{}\n\n{}\n{}",
            td_string!(locale, alerts.hello),
            td_string!(
                locale,
                budget_mail.reminder_body,
                budget = context.budget.get(locale),
                edition = edition,
                date = format::date_time(context.voting_ends, locale)
            ),
            context.link,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::civic_budget::Channel;

    fn named(ro: &str) -> Localized {
        Localized { ro: ro.into(), ru: String::new(), uk: String::new(), en: String::new() }
    }

    #[test]
    fn the_receipt_names_the_code_the_projects_and_the_way_back() {
        let (edition, budget) = (named("Bugetul civic 2027"), named("Orașul întreg"));
        let context = BallotContext {
            edition: &edition,
            budget: &budget,
            link: "https://a.example/ro/budget/2027/vote",
            voting_ends: Utc::now(),
        };
        let ballot = BallotState {
            id: 1,
            budget_id: 2,
            code: "K7PX-3MQ9R".into(),
            channel: Channel::Internet,
            choices: vec![5, 6],
            total: 1_250_000,
            confirmed_at: Some(Utc::now()),
        };
        let titles = [("Parc nou".to_owned(), 1_000_000), ("Bănci".to_owned(), 250_000)];
        for locale in crate::locale::ALL {
            let mail = ballot_receipt(locale, &context, &ballot, &titles);
            assert!(mail.subject.contains("K7PX-3MQ9R"), "{}", mail.subject);
            assert!(mail.body.contains("- Parc nou") && mail.body.contains("- Bănci"));
            assert!(mail.body.contains(context.link), "{}", mail.body);
            let reminder = ballot_reminder(locale, &context);
            assert!(reminder.subject.contains("Bugetul civic 2027"), "{}", reminder.subject);
            assert!(reminder.body.contains(context.link));
        }
    }
}
