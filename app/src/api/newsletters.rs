//! The NGO network's quarterly newsletter: the network's secretariat writes and
//! publishes an issue per quarter; anyone reads the published ones and subscribes, signed in
//! or by an e-mail address confirmed by link.

// A server function mirrors its HTML form, one argument per field.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::network::Event;
use crate::model::newsletter::Newsletter;
use crate::model::resources::Resource;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    api::auth::{current_viewer, require_user},
    api::organisations::is_secretariat,
    error::Problem,
    i18n::{td_string, Locale},
    model::input::{self, Email, Fields},
    model::network::{EventQuery, EventWindow},
    model::newsletter::{NewsletterDraft, Quarter},
    model::subscription::SubscriptionKind,
    store::{check_rate, services, Limit, MailTemplate, NewNewsletterSubscriber, Subscriber},
};

/// The newsletter's page: the issues the viewer may see and what they may do.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewsletterShelf {
    /// Latest quarter first; drafts too for the secretariat.
    pub issues: Vec<Newsletter>,
    /// Writes and publishes issues.
    pub writer: bool,
    /// Whether the signed-in viewer receives it (`None`: not signed in).
    pub subscribed: Option<bool>,
}

/// One issue with what the network published in its quarter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewsletterIssue {
    pub issue: Newsletter,
    pub writer: bool,
    /// The quarter's published events, soonest first.
    pub events: Vec<Event>,
    /// The resources published in the quarter, newest first.
    pub resources: Vec<Resource>,
}

#[cfg(feature = "ssr")]
fn locale_of(lang: &str) -> Locale {
    crate::locale::parse(lang).unwrap_or(Locale::ro)
}

/// The locality's issues (published ones; drafts too for its staff), and whether the
/// signed-in viewer is subscribed.
#[server(prefix = "/api", endpoint = "newsletters/list", input = GetUrl)]
pub async fn list_newsletters(locality: Option<String>) -> Result<NewsletterShelf, AppError> {
    super::reply(
        async {
            let store = services()?.store;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            let viewer = current_viewer();
            let writer = is_secretariat(&viewer, &locality).await?;
            let issues = store.newsletters(locality.id, writer).await?;
            let subscribed = match viewer.user_id() {
                Some(user) => {
                    Some(store.newsletter_subscription(locality.id, user).await?.is_some())
                }
                None => None,
            };
            Ok(NewsletterShelf { issues, writer, subscribed })
        }
        .await,
    )
}

/// Issue `id` of the locality with its quarter's events and resources; a draft only for the
/// locality's network secretariat (`NotFound` for anyone else).
#[server(prefix = "/api", endpoint = "newsletters/get", input = GetUrl)]
pub async fn get_newsletter(
    id: String,
    locality: Option<String>,
) -> Result<NewsletterIssue, AppError> {
    super::reply(
        async {
            let store = services()?.store;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
            let issue = store.newsletter(id).await?;
            let writer = is_secretariat(&current_viewer(), &locality).await?;
            if issue.locality_id != locality.id || !(issue.is_published() || writer) {
                return Err(AppError::NotFound);
            }
            let (from, to) = issue.quarter.span();
            let query = EventQuery {
                window: EventWindow::Between(from, to),
                organisation_id: None,
                limit: 200,
            };
            let events = store.events(locality.id, &query).await?;
            let resources = store
                .published_resources(locality.id)
                .await?
                .into_iter()
                .filter(|r| r.created_at >= from && r.created_at < to)
                .collect();
            Ok(NewsletterIssue { issue, writer, events, resources })
        }
        .await,
    )
}

/// Writes a new issue (`id` empty) or changes one: `year` and `quarter` (1–4, one issue per
/// quarter), `title_ro` (5–150) and `body_ro` (50–20,000; paragraphs separated by blank
/// lines) required, the other languages optional. Kept as a draft, or published at once
/// when `publish` is sent. The secretariat only. A refused form goes back to its page
/// with what was typed (the texts too, unless they are too long for an address).
#[server(prefix = "/api", endpoint = "newsletters/save")]
pub async fn save_newsletter(
    id: Option<String>,
    year: String,
    quarter: String,
    title_ro: String,
    title_ru: String,
    title_uk: String,
    title_en: String,
    body_ro: String,
    body_ru: String,
    body_uk: String,
    body_en: String,
    publish: Option<String>,
    locality: Option<String>,
    lang: String,
) -> Result<i64, AppError> {
    let locale = locale_of(&lang);
    let id = id.unwrap_or_default().trim().to_owned();
    let form = IssueForm {
        year: &year,
        quarter: &quarter,
        title: [&title_ro, &title_ru, &title_uk, &title_en],
        body: [&body_ro, &body_ru, &body_uk, &body_en],
    };
    let result = save(&form, &id, publish.is_some(), locality.as_deref(), locale).await;
    if let Err(err) = &result {
        let page = match id.as_str() {
            "" => crate::paths::page(locale, "/newsletters/new"),
            id => crate::paths::page(locale, &format!("/newsletters/{id}/edit")),
        };
        let titles = ["title_ro", "title_ru", "title_uk", "title_en"].into_iter().zip(form.title);
        let bodies = ["body_ro", "body_ru", "body_uk", "body_en"].into_iter().zip(form.body);
        let mut typed: Vec<(&str, &str)> = vec![("year", form.year), ("quarter", form.quarter)];
        typed.extend(titles);
        // An address carries a few kilobytes safely; longer texts are not sent back.
        let body_bytes: usize = form.body.iter().map(|b| b.len() * 3).sum();
        if body_bytes <= 12_000 {
            typed.extend(bodies);
        }
        super::back_to_form(
            <SaveNewsletter as leptos::server_fn::ServerFn>::PATH,
            &page,
            err,
            typed,
        );
    }
    super::reply(result)
}

/// The issue form's fields as sent.
#[cfg(feature = "ssr")]
struct IssueForm<'a> {
    year: &'a str,
    quarter: &'a str,
    title: [&'a str; 4],
    body: [&'a str; 4],
}

#[cfg(feature = "ssr")]
async fn save(
    form: &IssueForm<'_>,
    id: &str,
    publish: bool,
    locality: Option<&str>,
    locale: Locale,
) -> Result<i64, AppError> {
    let (viewer, _) = require_user()?;
    let store = services()?.store;
    let locality = crate::store::request_locality(locality).await?;
    if !is_secretariat(&viewer, &locality).await? {
        return Err(AppError::Forbidden);
    }
    let id = match id {
        "" => None,
        id => {
            let id = id.parse::<i64>().map_err(|_| AppError::NotFound)?;
            if store.newsletter(id).await?.locality_id != locality.id {
                return Err(AppError::NotFound);
            }
            Some(id)
        }
    };
    let mut fields = Fields::default();
    let year = form.year.trim().parse::<i32>().ok();
    if year.is_none() {
        fields.push("year", Problem::Invalid);
    }
    let quarter = match (year, form.quarter.trim().parse::<u32>().ok()) {
        (Some(y), Some(q)) => Quarter::new(y, q),
        _ => None,
    };
    if quarter.is_none() {
        fields.push("quarter", Problem::Invalid);
    }
    let title = input::localized(&mut fields, "title", form.title, (5, 150), false);
    let body = input::localized(&mut fields, "body", form.body, (50, 20_000), true);
    fields.finish()?;
    let Some(quarter) = quarter else { return Err(AppError::Internal) };
    let draft = NewsletterDraft { locality_id: locality.id, quarter, title, body };
    let id = store.save_newsletter(&viewer, id, &draft, publish).await?;
    let flag = if publish { "published" } else { "saved" };
    super::redirect(&crate::paths::page(locale, &format!("/newsletters/{id}?{flag}=1")));
    Ok(id)
}

/// Publishes a draft: public from now on, and mailed once to the subscribers. The
/// network's secretariat only.
#[server(prefix = "/api", endpoint = "newsletters/publish")]
pub async fn publish_newsletter(
    id: String,
    locality: Option<String>,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            let store = services()?.store;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            if !is_secretariat(&viewer, &locality).await? {
                return Err(AppError::Forbidden);
            }
            let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
            if store.newsletter(id).await?.locality_id != locality.id {
                return Err(AppError::NotFound);
            }
            store.publish_newsletter(&viewer, id).await?;
            super::redirect(&crate::paths::page(
                locale_of(&lang),
                &format!("/newsletters/{id}?published=1"),
            ));
            Ok(())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn confirmation_mail(base: &str, locale: Locale) -> MailTemplate {
    let link = format!("{base}/{locale}/newsletters/confirm?token={{token}}");
    MailTemplate {
        subject: td_string!(locale, newsletters.confirm_subject).to_owned(),
        body: td_string!(locale, newsletters.confirm_body, link = link).to_string(),
    }
}

/// Subscribes to the locality's newsletter, written in `lang`: signed in at once; otherwise
/// `email` confirms by the mailed link first.
#[server(prefix = "/api", endpoint = "newsletters/subscribe")]
pub async fn subscribe_newsletter(
    email: Option<String>,
    locality: Option<String>,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let locale = locale_of(&lang);
            let services = services()?;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            let viewer = current_viewer();
            let email = match viewer.user_id() {
                Some(_) => None,
                None => {
                    let email = Email::parse("email", email.as_deref().unwrap_or_default())
                        .map_err(|e| AppError::Validation(vec![e]))?;
                    check_rate(Limit::FollowByEmail, Some(email.as_str())).await?;
                    Some(email.as_str().to_owned())
                }
            };
            let who = NewNewsletterSubscriber {
                locality_id: locality.id,
                user_id: viewer.user_id(),
                email,
                lang: locale.to_string(),
            };
            let confirm =
                who.user_id.is_none().then(|| confirmation_mail(&services.site.public_url, locale));
            services.store.subscribe_newsletter(&who, confirm).await?;
            let flag = if who.user_id.is_some() { "subscribed" } else { "check_mail" };
            super::redirect(&crate::paths::page(locale, &format!("/newsletters?{flag}=1")));
            Ok(())
        }
        .await,
    )
}

/// Ends the signed-in viewer's subscription to the locality's newsletter (not subscribed is
/// as good as done). By e-mail, the link in every issue does it.
#[server(prefix = "/api", endpoint = "newsletters/unsubscribe")]
pub async fn unsubscribe_newsletter(
    locality: Option<String>,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            let user = viewer.user_id().ok_or(AppError::Unauthorized)?;
            let store = services()?.store;
            let locality = crate::store::request_locality(locality.as_deref()).await?;
            if let Some(id) = store.newsletter_subscription(locality.id, user).await? {
                store
                    .unsubscribe(&Subscriber::User(user), SubscriptionKind::Newsletter, id)
                    .await?;
            }
            super::redirect(&crate::paths::page(locale_of(&lang), "/newsletters?unsubscribed=1"));
            Ok(())
        }
        .await,
    )
}

/// Confirms an e-mailed subscription (a button press: link scanners must not confirm it).
#[server(prefix = "/api", endpoint = "newsletters/confirm")]
pub async fn confirm_newsletter(token: String, lang: String) -> Result<(), AppError> {
    super::reply(
        async {
            services()?.store.confirm_newsletter(token.trim()).await?;
            super::redirect(&crate::paths::page(locale_of(&lang), "/newsletters?confirmed=1"));
            Ok(())
        }
        .await,
    )
}
