//! `/{lang}/events/{id}`: one event with its place on the map, its organiser and how to add it
//! to a phone's calendar. An event not published yet is shown only to staff and its
//! organisation's members, with where it is in the review.

use super::{audience_label, category_label, language_label, when};
use crate::api::events::get_event;
use crate::app::SiteResource;
use crate::components::error::ErrorNotice;
use crate::components::form::SuccessNotice;
use crate::components::map::PlaceOnMap;
use crate::components::share::{Preview, PreviewImage, Share};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::network::{Event, EventStatus};
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn EventPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|i| i.parse::<i64>().ok()));
    let event = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_event(id, None).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <crate::app::MapScripts bundle=crate::assets::Bundle::Place />
        <Suspense fallback=move || view! { <p class="page">{t!(i18n, map.loading)}</p> }>
            {move || Suspend::new(async move {
                match event.await {
                    Ok(e) => view! { <EventBody event=e /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
                    Err(err) => view! { <div class="page"><ErrorNotice error=err /></div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EventBody(event: Event) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let site = expect_context::<SiteResource>();
    let query = use_query_map();
    let notice = query.with_untracked(|q| {
        if q.get("published").is_some() {
            Some(td_string!(locale, events.published_notice))
        } else if q.get("proposed").is_some() {
            Some(td_string!(locale, events.proposed_notice))
        } else {
            None
        }
    });
    let (title, title_lang) = event.title.get_in(locale);
    let (description, description_lang) = event.description.get_in(locale);
    let status = match event.status {
        EventStatus::Published => None,
        EventStatus::Proposed => Some(td_string!(locale, events.status_proposed).to_owned()),
        EventStatus::Rejected => {
            Some(format!("{}: {}", td_string!(locale, events.status_rejected), event.review_note))
        }
    };
    let past = event.is_past(chrono::Utc::now());
    let organisation = event.organisation.clone();
    let site_query =
        crate::paths::current_site().map(|s| format!("&locality={s}")).unwrap_or_default();
    let feed =
        format!("/api/v1/events.ics?lang={locale}&organisation={}{site_query}", organisation.slug);
    let this_event = format!("/api/v1/events/{}.ics?lang={locale}{site_query}", event.id);
    let published = event.status == EventStatus::Published;
    let at = event.at;
    let pin_title = title.to_owned();
    view! {
        <article class="page page--narrow event-page">
            {notice.map(|n| view! { <SuccessNotice>{n}</SuccessNotice> })}
            {status.map(|s| view! { <p class="notice" role="status">{s}</p> })}
            <p class="muted"><a href=crate::paths::page(locale, "/events")>{td_string!(locale, events.back)}</a></p>
            <crate::components::page_title::PageHeading text=title.to_owned() lang=title_lang.to_string() />
            {past.then(|| view! { <p class="notice">{td_string!(locale, events.is_past)}</p> })}
            <dl class="event-facts">
                <dt>{td_string!(locale, events.when)}</dt>
                <dd><time datetime=event.starts_at.to_rfc3339()>{when(&event, locale)}</time></dd>
                {(!event.place.is_empty()).then(|| view! {
                    <dt>{td_string!(locale, events.where_)}</dt>
                    <dd>{event.place.clone()}</dd>
                })}
                {(!event.online_url.is_empty()).then(|| view! {
                    <dt>{td_string!(locale, events.online)}</dt>
                    <dd><a href=event.online_url.clone() rel="noopener nofollow">{event.online_url.clone()}</a></dd>
                })}
                <dt>{td_string!(locale, events.organiser)}</dt>
                <dd>
                    {organisation.name.clone()}
                    {organisation.website.clone().map(|w| view! { " · " <a href=w.clone() rel="noopener nofollow">{w.clone()}</a> })}
                    {organisation.email.clone().map(|m| view! { " · " <a href=format!("mailto:{m}")>{m.clone()}</a> })}
                </dd>
                <dt>{td_string!(locale, events.language)}</dt>
                <dd>{language_label(locale, &event.language)}</dd>
                <dt>{td_string!(locale, events.audience)}</dt>
                <dd>{audience_label(locale, event.audience)}</dd>
                <dt>{td_string!(locale, events.category)}</dt>
                <dd>{category_label(locale, event.category)}</dd>
            </dl>
            <p class="event-description" lang=description_lang.to_string()>{description.to_owned()}</p>
            <p class="events-page__actions">
                {(published && !past).then(|| view! {
                    <a class="button" href=this_event type="text/calendar" download>{td_string!(locale, events.add_to_calendar)}</a>
                })}
                <a class="button button--secondary" href=feed type="text/calendar">{td_string!(locale, events.organiser_feed)}</a>
            </p>
            {at.map(|at| view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let pin_title = pin_title.clone();
                        Suspend::new(async move {
                            site.await.ok().map(|site| view! { <PlaceOnMap site at look=None title=pin_title /> })
                        })
                    }}
                </Suspense>
            })}
            {published.then(|| view! {
                <Share preview=Preview {
                    title: title.to_owned(),
                    description: description.to_owned(),
                    image: PreviewImage::Drawn { kind: "events", id: event.id },
                } />
            })}
        </article>
    }
}
