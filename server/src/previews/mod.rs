//! Link previews: the picture a shared page shows in Facebook, Telegram, Viber or WhatsApp when
//! it has no photo of its own. Built from what an anonymous visitor may see of the page, so a
//! preview never tells more than the page does.

pub mod card;

use crate::state::AppState;
use app::error::AppError;
use app::format;
use app::i18n::*;
use app::model::civic_budget::ProposalStatus;
use app::model::network::EventStatus;
use app::model::vote::Level;
use app::model::Viewer;
use app::store::{
    BudgetStore, InitiativeStore, LocalityStore, NetworkStore, PollStore, ReportReads, SurveyStore,
};
use card::Card;

/// The kinds of page that have a preview, as they appear in `/media/previews/{kind}/{id}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    Report,
    Initiative,
    Poll,
    Event,
    Project,
    Survey,
}

impl Subject {
    pub fn parse(segment: &str) -> Option<Self> {
        Some(match segment {
            "reports" => Self::Report,
            "initiatives" => Self::Initiative,
            "polls" => Self::Poll,
            "events" => Self::Event,
            "projects" => Self::Project,
            "surveys" => Self::Survey,
            _ => return None,
        })
    }
}

/// The preview card of a page, in `locale`; `NotFound` for what an anonymous visitor cannot see.
pub async fn card_for(
    state: &AppState,
    subject: Subject,
    id: i64,
    locale: Locale,
) -> Result<Card, AppError> {
    let db = &state.db;
    let (locality_id, card) = match subject {
        Subject::Report => {
            let r = db.report(id, None).await?;
            let locality = db.locality(r.locality_id).await?;
            let category = locality.categories.iter().find(|c| c.slug == r.category);
            let status = app::components::status::status_label(locale, r.status);
            let facts = vec![
                match category {
                    Some(c) => format!("{status} · {}", c.name.get(locale)),
                    None => status.to_owned(),
                },
                td_string!(locale, share.affected, count = format::integer(r.supporters, locale))
                    .to_string(),
            ];
            let card = Card {
                kicker: td_string!(locale, share.kind_report).to_owned(),
                title: r.title,
                facts,
                accent: [0xb4, 0x3c, 0x12],
                ..Card::default()
            };
            (r.locality_id, card)
        }
        Subject::Initiative => {
            let i = db.initiative(id, None).await?;
            if i.hidden_reason.is_some() {
                return Err(AppError::NotFound);
            }
            let s = i.summary;
            let votes =
                td_string!(locale, share.supporters, count = format::integer(s.votes, locale))
                    .to_string();
            let fact = match s.level {
                Some(level) => format!("{} · {votes}", level.badge()),
                None => votes,
            };
            // The way to the next badge, as the initiative's page shows it.
            let next = Level::ALL.into_iter().find(|l| i.thresholds.of(*l) > s.votes);
            let bars = next
                .map(|level| {
                    let need = i.thresholds.of(level);
                    let label = td_string!(locale, share.next_level, level = level.badge());
                    let written = format!(
                        "{} / {}",
                        format::integer(s.votes, locale),
                        format::integer(need, locale)
                    );
                    (label.to_string(), s.votes as f64 / need as f64, written)
                })
                .into_iter()
                .collect();
            let card = Card {
                kicker: td_string!(locale, share.kind_initiative).to_owned(),
                title: s.title,
                facts: vec![fact],
                bars,
                accent: [0x1d, 0x4e, 0xd8],
                ..Card::default()
            };
            (i.locality_id, card)
        }
        Subject::Poll => {
            let mut p = db.poll(id, None).await?;
            if !p.results_visible_to(&Viewer::default()) {
                p.results = None;
            }
            let participants =
                p.results.as_ref().map_or(p.summary.participants, |r| r.participants);
            let bars = match &p.results {
                Some(results) => p
                    .options
                    .iter()
                    .map(|o| {
                        let share = results.share(o.id);
                        (
                            o.label.get(locale).to_owned(),
                            share,
                            format::whole_percent(share, locale),
                        )
                    })
                    .collect(),
                None => Vec::new(),
            };
            let card = Card {
                kicker: td_string!(locale, share.kind_poll).to_owned(),
                title: p.summary.question.get(locale).to_owned(),
                facts: vec![td_string!(
                    locale,
                    share.participants,
                    count = format::integer(participants, locale)
                )
                .to_string()],
                bars,
                accent: [0x04, 0x78, 0x57],
                ..Card::default()
            };
            (p.summary.locality_id, card)
        }
        Subject::Event => {
            let e = db.event(id).await?;
            if e.status != EventStatus::Published {
                return Err(AppError::NotFound);
            }
            let when = format::date_time(e.starts_at, locale);
            let place = if e.place.is_empty() { e.online_url.clone() } else { e.place.clone() };
            let card = Card {
                kicker: td_string!(locale, share.kind_event).to_owned(),
                title: e.title.get(locale).to_owned(),
                facts: vec![when, place, e.organisation.name.clone()]
                    .into_iter()
                    .filter(|f| !f.is_empty())
                    .collect(),
                accent: [0x6d, 0x28, 0xd9],
                ..Card::default()
            };
            (e.locality_id, card)
        }
        Subject::Project => {
            let edition = db.proposal_edition(id).await?;
            let detail = db.edition_by_id(edition.id).await?;
            let p = detail
                .proposals
                .into_iter()
                .find(|p| p.id == id && p.status != ProposalStatus::Draft)
                .ok_or(AppError::NotFound)?;
            let cost = td_string!(
                locale,
                share.cost,
                amount = format::integer(p.ballot_cost() as i64, locale)
            )
            .to_string();
            let card = Card {
                kicker: format!(
                    "{} · {}",
                    td_string!(locale, share.kind_project),
                    detail.edition.title.get(locale)
                ),
                title: p.title,
                facts: vec![cost],
                accent: [0xa1, 0x4a, 0x04],
                ..Card::default()
            };
            (edition.locality_id, card)
        }
        Subject::Survey => {
            let s = db.survey(id).await?;
            if !s.published {
                return Err(AppError::NotFound);
            }
            let dates = format!(
                "{} – {}",
                format::date(format::local_date(s.opens_at), locale),
                format::date(format::local_date(s.closes_at), locale)
            );
            let questions =
                td_string!(locale, surveys.question_count, count = s.questions.len()).to_string();
            let card = Card {
                kicker: td_string!(locale, share.kind_survey).to_owned(),
                title: s.title.get(locale).to_owned(),
                facts: vec![dates, questions],
                accent: [0x0e, 0x74, 0x90],
                ..Card::default()
            };
            (s.locality_id, card)
        }
    };
    let locality = db.locality(locality_id).await?;
    let public_url = &state.config.public_url;
    let host = public_url.split("://").nth(1).unwrap_or(public_url);
    let footer = format!("Agora · {} · {}", locality.name.get(locale), host.trim_end_matches('/'));
    Ok(Card { footer, ..card })
}
