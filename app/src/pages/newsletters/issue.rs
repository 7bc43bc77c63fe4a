//! `/{lang}/newsletters/{id}`: one issue, with the quarter's events and the resources the
//! network published in it. A draft is shown to the secretariat only, with its buttons.

use super::issue_date;
use crate::api::newsletters::{get_newsletter, NewsletterIssue, PublishNewsletter};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    error_from_address, FormError, FormNotice, LangField, SiteField, SuccessNotice,
};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::newsletter::paragraphs;
use crate::notices::network::quarter_label;
use crate::pages::events::when;
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn NewsletterPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let issue = Resource::new(id, |id| get_newsletter(id, None));
    view! {
        <Suspense fallback=move || view! { <p class="page">{t!(i18n, map.loading)}</p> }>
            {move || Suspend::new(async move {
                match issue.await {
                    Ok(issue) => view! { <IssueBody issue /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
                    Err(err) => view! { <div class="page"><ErrorNotice error=err /></div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn IssueBody(issue: NewsletterIssue) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let notice = use_query_map().with_untracked(|q| {
        if q.get("published").is_some() {
            Some(td_string!(locale, newsletters.published))
        } else if q.get("saved").is_some() {
            Some(td_string!(locale, newsletters.saved))
        } else {
            None
        }
    });
    let error: FormError = RwSignal::new(error_from_address(PublishNewsletter::PATH)).into();
    let NewsletterIssue { issue, writer, events, resources } = issue;
    let (title, title_lang) = issue.title.get_in(locale);
    let (body, body_lang) = issue.body.get_in(locale);
    let body_lang = body_lang.to_string();
    let text = paragraphs(body).into_iter().map(|p| view! { <p>{p}</p> }).collect_view();
    let draft = !issue.is_published();
    let id = issue.id;
    let events_list = events
        .iter()
        .map(|e| {
            let (title, lang) = e.title.get_in(locale);
            let href = crate::paths::page(locale, &format!("/events/{}", e.id));
            view! {
                <li>
                    <a href=href lang=lang.to_string()>{title.to_owned()}</a>
                    <span class="muted">" · "<time datetime=e.starts_at.to_rfc3339()>{when(e, locale)}</time>" · "{e.organisation.name.clone()}</span>
                </li>
            }
        })
        .collect_view();
    let resources_list = resources
        .iter()
        .map(|r| {
            let (title, lang) = r.title.get_in(locale);
            view! {
                <li>
                    <a href=r.href() rel="noopener nofollow" lang=lang.to_string()>{title.to_owned()}</a>
                    <span class="muted">" · "{r.organisation.name.clone()}</span>
                </li>
            }
        })
        .collect_view();
    let no_events = events.is_empty();
    let no_resources = resources.is_empty();
    view! {
        <article class="page page--narrow newsletter">
            {notice.map(|n| view! { <SuccessNotice>{n}</SuccessNotice> })}
            <p class="muted no-print"><a href=crate::paths::page(locale, "/newsletters")>{td_string!(locale, newsletters.all_issues)}</a></p>
            {draft.then(|| view! { <p class="notice" role="status">{td_string!(locale, newsletters.draft_notice)}</p> })}
            <p class="newsletter__quarter">{quarter_label(locale, issue.quarter)}</p>
            <crate::components::page_title::PageHeading text=title.to_owned() lang=title_lang.to_string() />
            <p class="muted">{issue_date(locale, &issue)}</p>
            {writer.then(|| view! {
                <div class="newsletter__actions no-print">
                    <FormNotice error />
                    <a class="button button--secondary" href=crate::paths::page(locale, &format!("/newsletters/{id}/edit"))>{td_string!(locale, newsletters.edit)}</a>
                    {draft.then(|| view! {
                        <form method="post" action=PublishNewsletter::PATH>
                            <LangField />
                            <SiteField />
                            <input type="hidden" name="id" value=id.to_string() />
                            <button type="submit" class="button">{td_string!(locale, newsletters.publish_button)}</button>
                        </form>
                    })}
                </div>
            })}
            <div class="newsletter__text" lang=body_lang>{text}</div>
            <section aria-labelledby="newsletter-events">
                <h2 id="newsletter-events">{td_string!(locale, newsletters.quarter_events)}</h2>
                {if no_events {
                    view! { <p>{td_string!(locale, newsletters.no_events)}</p> }.into_any()
                } else {
                    view! { <ul class="newsletter__list">{events_list}</ul> }.into_any()
                }}
            </section>
            {(!no_resources).then(|| view! {
                <section aria-labelledby="newsletter-resources">
                    <h2 id="newsletter-resources">{td_string!(locale, newsletters.quarter_resources)}</h2>
                    <ul class="newsletter__list">{resources_list}</ul>
                </section>
            })}
        </article>
    }
}
