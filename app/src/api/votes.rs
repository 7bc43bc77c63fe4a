//! Initiatives and polls: launching, supporting, answering, voting, and the results.

// A server function mirrors its HTML form, one argument per field.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::vote::{
    InitiativeDetail, InitiativeSummary, MyVote, PollDetail, PollResults, PollSummary, Tally,
    VoteOutcome,
};
use crate::model::Page;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    api::auth::{current_viewer, require_user},
    error::Problem,
    i18n::Locale,
    model::input::{self, Fields},
    model::vote::{InitiativeQuery, InitiativeSort, Level},
    model::Localized,
    store::{check_rate, request_locality, services, Limit, NewInitiative, NewPoll},
};

pub const INITIATIVES_PER_PAGE: u32 = 20;

#[cfg(feature = "ssr")]
fn locale_of(lang: &str) -> Locale {
    crate::locale::parse(lang).unwrap_or(Locale::ro)
}

#[cfg(feature = "ssr")]
fn marker() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// An initiative's page as the viewer may see it, with what they may do on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InitiativeView {
    pub initiative: InitiativeDetail,
    pub can_answer: bool,
    pub can_moderate: bool,
    pub signed_in: bool,
}

#[server(prefix = "/api", endpoint = "initiatives/list", input = GetUrl)]
pub async fn list_initiatives(
    sort: Option<String>,
    category: Option<String>,
    level: Option<String>,
    page: Option<u32>,
    mine: Option<bool>,
    locality: Option<String>,
) -> Result<Page<InitiativeSummary>, AppError> {
    super::reply(
        async {
            let author_id = match mine {
                Some(true) => Some(require_user()?.1),
                _ => None,
            };
            let store = services()?.store;
            let locality = request_locality(locality.as_deref()).await?;
            let query = InitiativeQuery {
                locality_id: locality.id,
                sort: InitiativeSort::parse(sort.as_deref().unwrap_or_default()),
                category: category.filter(|c| !c.is_empty()),
                level: level.as_deref().and_then(Level::parse),
                author_id,
                awaiting_answer: false,
                page: page.unwrap_or(0).min(10_000),
                per_page: INITIATIVES_PER_PAGE,
            };
            Ok(store.initiatives(&query).await?)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "initiatives/get", input = GetUrl)]
pub async fn get_initiative(id: i64, locality: Option<String>) -> Result<InitiativeView, AppError> {
    super::reply(
        async {
            let viewer = current_viewer();
            let store = services()?.store;
            let initiative = store.initiative(id, viewer.user_id()).await?;
            // An initiative belongs to one locality: another locality's site has no such page.
            if request_locality(locality.as_deref()).await?.id != initiative.locality_id {
                return Err(AppError::NotFound);
            }
            let can_moderate = viewer.can_moderate(initiative.locality_id);
            // A hidden initiative keeps its page (with the public reason) but not its text.
            let mut initiative = initiative;
            if initiative.hidden_reason.is_some() && !can_moderate {
                initiative.body.clear();
            }
            Ok(InitiativeView {
                can_answer: viewer.is_staff_of(initiative.locality_id),
                can_moderate,
                signed_in: viewer.user.is_some(),
                initiative,
            })
        }
        .await,
    )
}

/// Launches an initiative from the multipart form (a photo is optional).
#[server(prefix = "/api", endpoint = "initiatives/create", input = MultipartFormData)]
pub async fn create_initiative(data: MultipartData) -> Result<i64, AppError> {
    super::reply(
        async {
            let (viewer, user_id) = require_user()?;
            let services = services()?;
            let max = services.media.max_photo_bytes();
            let mut form = super::upload::read_upload(data, "image", max).await?;
            let mut fields = Fields::default();
            if let Some(p) = form.file_problem() {
                fields.push("image", p);
            }
            if form.files.len() > 1 {
                fields.push("image", Problem::TooManyImages);
            }
            let photo = form.files.pop();
            let get = |k: &str| form.get(k);
            let locality = request_locality(Some(get("locality"))).await?;
            let title = fields.check(input::line("title", get("title"), 5, 150));
            let body = fields.check(input::text("body", get("body"), 20, 8000));
            let category = match get("category") {
                "" => None,
                slug => match locality.categories.iter().find(|c| c.slug == slug) {
                    Some(c) => Some(c.id),
                    None => {
                        fields.push("category", Problem::UnknownCategory);
                        None
                    }
                },
            };
            let written_in = crate::locale::parse(get("written_in"));
            if written_in.is_none() {
                fields.push("written_in", Problem::Invalid);
            }
            let at =
                fields.check(input::position(get("lat"), get("lng"), &locality.boundary)).flatten();
            fields.finish()?;
            let (Some(title), Some(body), Some(written_in)) = (title, body, written_in) else {
                return Err(AppError::Internal);
            };
            // Counted once the form is sound: a refused form costs no allowance.
            check_rate(Limit::LaunchInitiative, Some(&user_id.to_string())).await?;
            let image = match photo {
                Some(bytes) => Some(
                    services
                        .media
                        .save_photo(bytes)
                        .await
                        .map_err(|p| AppError::invalid("image", p))?,
                ),
                None => None,
            };
            let author_name = viewer.user.map(|u| u.display_name).unwrap_or_default();
            let new = NewInitiative {
                locality_id: locality.id,
                category_id: category,
                title,
                body,
                lang: written_in.to_string(),
                author_id: user_id,
                author_name,
                at,
                image: image.clone(),
            };
            match services.store.create_initiative(new).await {
                Ok(id) => {
                    let page = format!("/initiatives/{id}?created={}", marker());
                    super::redirect(&crate::paths::locality_page(
                        &locality,
                        locale_of(get("lang")),
                        &page,
                    ));
                    Ok(id)
                }
                Err(err) => {
                    if let Some(img) = image {
                        services.media.discard(&[img.stem]).await;
                    }
                    Err(err.into())
                }
            }
        }
        .await,
    )
}

/// One click: support an initiative (signed in; once per account).
#[server(prefix = "/api", endpoint = "initiatives/support")]
pub async fn support_initiative(id: i64, lang: String) -> Result<Tally, AppError> {
    super::reply(
        async {
            let (_, user_id) = require_user()?;
            check_rate(Limit::SupportInitiative, Some(&user_id.to_string())).await?;
            let _ = lang;
            Ok(services()?.ballots.support_initiative(id, user_id).await?)
        }
        .await,
    )
}

/// Takes one's support back while the initiative is open.
#[server(prefix = "/api", endpoint = "initiatives/withdraw")]
pub async fn withdraw_initiative(id: i64, lang: String) -> Result<Tally, AppError> {
    super::reply(
        async {
            let (_, user_id) = require_user()?;
            check_rate(Limit::SupportInitiative, Some(&user_id.to_string())).await?;
            let _ = lang;
            Ok(services()?.ballots.withdraw_support(id, user_id).await?)
        }
        .await,
    )
}

/// The city hall's official answer to an initiative.
#[server(prefix = "/api", endpoint = "initiatives/answer")]
pub async fn answer_initiative(id: i64, answer: String, lang: String) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            let store = services()?.store;
            let locality = store.initiative_locality(id).await?;
            if !viewer.is_staff_of(locality) {
                return Err(AppError::Forbidden);
            }
            let answer = input::text("answer", &answer, 10, 8000)
                .map_err(|e| AppError::Validation(vec![e]))?;
            store.answer_initiative(&viewer, id, &answer).await?;
            let page = format!("/initiatives/{id}?answered={}", marker());
            let locality = store.locality(locality).await?;
            super::redirect(&crate::paths::locality_page(&locality, locale_of(&lang), &page));
            Ok(())
        }
        .await,
    )
}

/// Moderators: hide (or show again) an initiative, with a public reason.
#[server(prefix = "/api", endpoint = "initiatives/moderate")]
pub async fn moderate_initiative(
    id: i64,
    hide: bool,
    reason: String,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            let store = services()?.store;
            let locality = store.initiative_locality(id).await?;
            if !viewer.can_moderate(locality) {
                return Err(AppError::Forbidden);
            }
            let reason = input::text("reason", &reason, 3, 300)
                .map_err(|e| AppError::Validation(vec![e]))?;
            store.moderate_initiative(&viewer, id, hide, &reason).await?;
            let page = format!("/initiatives/{id}?updated={}", marker());
            let locality = store.locality(locality).await?;
            super::redirect(&crate::paths::locality_page(&locality, locale_of(&lang), &page));
            Ok(())
        }
        .await,
    )
}

/// Staff: initiatives that reached the answer level and wait for the city hall.
#[server(prefix = "/api", endpoint = "initiatives/awaiting", input = GetUrl)]
pub async fn initiatives_awaiting_answer(
    locality: Option<String>,
) -> Result<Vec<InitiativeSummary>, AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            let store = services()?.store;
            let locality = request_locality(locality.as_deref()).await?;
            if !viewer.is_staff_of(locality.id) {
                return Err(AppError::Forbidden);
            }
            let query = InitiativeQuery {
                locality_id: locality.id,
                awaiting_answer: true,
                per_page: 100,
                ..Default::default()
            };
            Ok(store.initiatives(&query).await?.items)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "polls/list", input = GetUrl)]
pub async fn list_polls(locality: Option<String>) -> Result<Vec<PollSummary>, AppError> {
    super::reply(
        async {
            let store = services()?.store;
            let locality = request_locality(locality.as_deref()).await?;
            Ok(store.polls(locality.id).await?)
        }
        .await,
    )
}

/// A poll's page as the viewer may see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PollView {
    pub poll: PollDetail,
    pub signed_in: bool,
    pub can_manage: bool,
}

#[server(prefix = "/api", endpoint = "polls/get", input = GetUrl)]
pub async fn get_poll(id: i64, locality: Option<String>) -> Result<PollView, AppError> {
    super::reply(
        async {
            let viewer = current_viewer();
            let store = services()?.store;
            let mut poll = store.poll(id, viewer.user_id()).await?;
            // A poll belongs to one locality: another locality's site has no such page.
            let locality = request_locality(locality.as_deref()).await?;
            if poll.summary.locality_id != locality.id {
                return Err(AppError::NotFound);
            }
            if !poll.results_visible_to(&viewer) {
                poll.results = None;
            }
            Ok(PollView {
                poll,
                signed_in: viewer.user.is_some(),
                can_manage: viewer.is_staff_of(locality.id),
            })
        }
        .await,
    )
}

/// What a vote returns: whether it counted, and the results the voter may now see.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PollVoteReply {
    pub outcome: VoteOutcome,
    pub results: PollResults,
}

/// Votes in a poll: one ballot per account; a repeated vote changes nothing.
#[server(prefix = "/api", endpoint = "polls/vote")]
pub async fn vote_poll(
    poll_id: i64,
    choices: Option<Vec<i64>>,
    lang: String,
    locality: Option<String>,
) -> Result<PollVoteReply, AppError> {
    super::reply(
        async {
            let (_, user_id) = require_user()?;
            check_rate(Limit::VotePoll, Some(&user_id.to_string())).await?;
            let services = services()?;
            let vote = services
                .ballots
                .cast_poll_vote(poll_id, user_id, &choices.unwrap_or_default())
                .await?;
            let (outcome, results) = (vote.outcome, vote.results);
            if outcome == VoteOutcome::Recorded {
                services.live.poll_changed(poll_id);
            }
            // Back to the poll on the site the vote came from (its form names it).
            let site = locality.filter(|s| input::slug("locality", s).is_ok());
            let page = format!("/polls/{poll_id}?voted={}", marker());
            super::redirect(&crate::paths::site_page(site.as_deref(), locale_of(&lang), &page));
            Ok(PollVoteReply { outcome, results })
        }
        .await,
    )
}

/// Staff: a new poll. Options are one per line, the same line in each language; links
/// (optional) likewise, one per option.
#[server(prefix = "/api", endpoint = "polls/create")]
pub async fn create_poll(
    question_ro: String,
    question_ru: String,
    question_uk: String,
    question_en: String,
    description_ro: String,
    description_ru: String,
    description_uk: String,
    description_en: String,
    options_ro: String,
    options_ru: String,
    options_uk: String,
    options_en: String,
    links: String,
    max_choices: String,
    opens_at: String,
    closes_at: String,
    results_before_vote: Option<String>,
    lang: String,
    locality: Option<String>,
) -> Result<i64, AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            let store = services()?.store;
            let locality = request_locality(locality.as_deref()).await?;
            if !viewer.is_staff_of(locality.id) {
                return Err(AppError::Forbidden);
            }
            let mut fields = Fields::default();
            let q = |f: &str, v: &str, min| input::text(f, v, min, 400);
            let question = Localized {
                ro: fields.check(q("question_ro", &question_ro, 5)).unwrap_or_default(),
                ru: fields.check(q("question_ru", &question_ru, 0)).unwrap_or_default(),
                uk: fields.check(q("question_uk", &question_uk, 0)).unwrap_or_default(),
                en: fields.check(q("question_en", &question_en, 0)).unwrap_or_default(),
            };
            let d = |f: &str, v: &str| input::text(f, v, 0, 4000);
            let description = Localized {
                ro: fields.check(d("description_ro", &description_ro)).unwrap_or_default(),
                ru: fields.check(d("description_ru", &description_ru)).unwrap_or_default(),
                uk: fields.check(d("description_uk", &description_uk)).unwrap_or_default(),
                en: fields.check(d("description_en", &description_en)).unwrap_or_default(),
            };
            let lines = |s: &str| s.lines().map(|l| l.trim().to_owned()).collect::<Vec<_>>();
            let ro: Vec<String> =
                lines(&options_ro).into_iter().filter(|l| !l.is_empty()).collect();
            let (ru, uk, en, link_lines) =
                (lines(&options_ru), lines(&options_uk), lines(&options_en), lines(&links));
            if ro.len() < 2 || ro.len() > 30 || ro.iter().any(|l| l.chars().count() > 200) {
                fields.push(
                    "options_ro",
                    if ro.len() < 2 { Problem::TooShort } else { Problem::TooLong },
                );
            }
            let mut options = Vec::with_capacity(ro.len());
            for (i, label) in ro.iter().enumerate() {
                let at = |v: &Vec<String>| v.get(i).cloned().unwrap_or_default();
                let link = at(&link_lines);
                let link = if link.is_empty() {
                    None
                } else if link.starts_with("https://") || link.starts_with("http://") {
                    Some(link)
                } else {
                    fields.push("links", Problem::Invalid);
                    None
                };
                options.push((
                    Localized { ro: label.clone(), ru: at(&ru), uk: at(&uk), en: at(&en) },
                    link,
                ));
            }
            let max_choices = match max_choices.trim().parse::<i64>() {
                Ok(n) if n >= 1 && n <= options.len().max(1) as i64 => n,
                _ => {
                    fields.push("max_choices", Problem::Invalid);
                    1
                }
            };
            let opens = fields.check(input::city_datetime("opens_at", &opens_at));
            let closes = fields.check(input::city_datetime("closes_at", &closes_at));
            if let (Some(o), Some(c)) = (opens, closes) {
                if c <= o {
                    fields.push("closes_at", Problem::Invalid);
                }
            }
            fields.finish()?;
            let (Some(opens_at), Some(closes_at)) = (opens, closes) else {
                return Err(AppError::Internal);
            };
            let poll = NewPoll {
                locality_id: locality.id,
                question,
                description,
                options,
                max_choices,
                opens_at,
                closes_at,
                results_before_vote: results_before_vote.is_some_and(|v| v == "on" || v == "true"),
            };
            let id = store.create_poll(&viewer, &poll).await?;
            let page = format!("/polls/{id}?created={}", marker());
            super::redirect(&crate::paths::locality_page(&locality, locale_of(&lang), &page));
            Ok(id)
        }
        .await,
    )
}

/// The signed-in person's votes, newest first.
#[server(prefix = "/api", endpoint = "account/votes", input = GetUrl)]
pub async fn my_votes() -> Result<Vec<MyVote>, AppError> {
    super::reply(
        async {
            let (_, user_id) = require_user()?;
            Ok(services()?.ballots.my_votes(user_id).await?)
        }
        .await,
    )
}
