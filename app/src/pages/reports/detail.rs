use super::staff_panel::{ModerateForm, StaffPanel};
use crate::api::reports::{get_report, AddComment, ReportView, SubscribeReport, SupportReport};
use crate::app::{SiteResource, ViewerResource};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    action_error, Field, FormNotice, LangField, SuccessNotice, TextArea,
};
use crate::components::layout::SignInPrompt;
use crate::components::map::PlaceOnMap;
use crate::components::share::{Preview, PreviewImage, Share};
use crate::components::status::{status_label, StatusBadge};
use crate::error::AppError;
use crate::format;
use crate::i18n::*;
use crate::model::{CommentInfo, PhotoInfo, TimelineEntry};
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/{lang}/reports/{id}`: a report, its progress and the conversation around it.
#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id =
        Signal::derive(move || params.with(|p| p.get("id").and_then(|i| i.parse::<i64>().ok())));
    // Every change redirects to this page with a fresh marker in the query, so the report is
    // read again whenever the query changes.
    let location = leptos_router::hooks::use_location();
    let report = Resource::new(
        move || (id.get(), location.search.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_report(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let locale = i18n.get_locale_untracked();
    let feed = id.get_untracked().map(|id| format!("/feeds/reports/{id}.atom?lang={locale}"));
    view! {
           {feed.map(|href| view! {
               <leptos_meta::Link rel="alternate" type_="application/atom+xml" href title=td_string!(locale, alerts.feed_link) />
           })}
           <crate::app::MapScripts bundle=crate::assets::Bundle::Place />
           <Transition
    fallback=move || view! { <p class="page">{t!(i18n, map.loading)}</p> }>
               {move || Suspend::new(async move {
                   match report.await {
                       Ok(view) => {
                           let site = expect_context::<SiteResource>().await.ok();
                           view! { <ReportBody view site /> }.into_any()
                       }
                       Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
                       Err(err) => view! { <div class="page"><ErrorNotice error=err /></div> }.into_any(),
                   }
               })}
           </Transition>
       }
}

#[component]
fn ReportBody(view: ReportView, site: Option<crate::model::SiteContext>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let flag = move |k: &'static str| move || query.with(|q| q.get(k).is_some());
    let r = view.report.clone();
    let category_slug = r.category.clone();
    let created = r.created_at;
    let answered = r.first_response_at.map(|t| t - created);
    let resolved = r.resolved_at.map(|t| t - created);
    // Staff who may not change this report still get the panel, saying whose it is.
    let can_act = view.can_handle || view.can_moderate || view.handled_by.is_some();
    let category = site
        .as_ref()
        .and_then(|s| s.locality.categories.iter().find(|c| c.slug == category_slug).cloned());
    view! {
            <article class="page report-page">
                <Show when=flag("created")>
                    <SuccessNotice>
                        {move || t_string!(i18n, report.created, id = r.id)}
                    </SuccessNotice>
                </Show>
                {crate::api::kiosk::kiosk_idle().map(|_| view! { <crate::components::kiosk::FollowOnPhone /> })}
                <Show when=flag("updated")>
                    <SuccessNotice>{t!(i18n, report.updated)}</SuccessNotice>
                </Show>
                <Show when=flag("subscribed")>
                    <SuccessNotice>{t!(i18n, report.subscribed_notice)}</SuccessNotice>
                </Show>
                <header class="report-page__header">
                    <p class="muted">"#" {r.id}</p>
                    <crate::components::page_title::PageHeading text=r.title.clone() />
                    <div class="report-card__meta">
                        <StatusBadge status=r.status />
                        {category.clone().map(|c| view! {
                            <span class="category">
                                <img src=format!("/icons/{}.svg", c.icon) alt="" width="16" height="16" />
                                {c.name.get(i18n.get_locale_untracked()).to_owned()}
                            </span>
                        })}
                        <span>
                            {t!(i18n, report.reported_on)} " "
                            <time datetime=created.to_rfc3339()>{move || format::date_time(created, i18n.get_locale())}</time>
                        </span>
                    </div>
                    {r.address.clone().map(|a| view! { <p class="report-page__address">{a}</p> })}
                    {r.reporter.clone().map(|name| view! { <p class="muted">{t!(i18n, report.reported_by)} " " {name}</p> })}
                    {r.department.clone().map(|d| view! { <p class="muted">{t!(i18n, report.department)} ": " {d}</p> })}
                    {r.duplicate_of.map(|original| view! {
                        <p class="notice">
                            {t!(i18n, report.duplicate_of)} " "
                            <a href=move || format!("/{}/reports/{original}", i18n.get_locale())>"#" {original}</a>
                        </p>
                    })}
                    <Show when=move || answered.is_some() || resolved.is_some()>
                        <p class="report-page__times">
                            {answered.map(|d| view! { <span>{t!(i18n, report.answered_after)} " " {move || format::duration(d, i18n.get_locale())}</span> })}
                            {resolved.map(|d| view! { <span>{t!(i18n, report.resolved_after)} " " {move || format::duration(d, i18n.get_locale())}</span> })}
                        </p>
                    </Show>
                </header>

                <div class="report-page__grid">
                    <div class="report-page__main">
                        <p class="report-page__description">{r.description.clone()}</p>
                        <PhotoGallery photos=r.photos.clone() can_moderate=view.can_moderate />
                        <Timeline entries=r.timeline.clone() created=created />
                        <Comments report_id=r.id comments=r.comments.clone() can_moderate=view.can_moderate />
                    </div>
                    <aside class="report-page__side">
                        {match (r.location_confirmed, site) {
                            (true, Some(site)) => {
                                let icon = category.map(|c| c.icon).unwrap_or_else(|| "dots".to_owned());
                                view! { <PlaceOnMap site at=r.at look=Some((r.status, icon)) title=r.title.clone() /> }.into_any()
                            }
                            (true, None) => ().into_any(),
                            (false, _) =>
    view! { <p class="notice">{t!(i18n, report.location_pending)}</p> }.into_any(),
                        }}
                        <SupportBox report_id=r.id supporters=r.supporters supported=r.supported_by_viewer />
                        <SubscribeBox report_id=r.id subscribed=r.subscribed_by_viewer />
                        <Share preview=Preview {
                            title: r.title.clone(),
                            description: r.description.clone(),
                            image: match r.photos.iter().find(|p| p.hidden_reason.is_none()) {
                                Some(photo) => PreviewImage::Photo(format!("/media/photos/{}", photo.id)),
                                None => PreviewImage::Drawn { kind: "reports", id: r.id },
                            },
                        } />
                        // The city hall's saves replace the page rather than pile up in the
                        // history, so Back returns to the queue (a citizen's page, without
                        // this island, loads no script for it).
                        {can_act.then(|| view! {
                            <crate::islands::ReplaceOnSubmit><StaffPanel view=view.clone() /></crate::islands::ReplaceOnSubmit>
                        })}
                    </aside>
                </div>
            </article>
        }
}

#[component]
fn PhotoGallery(photos: Vec<PhotoInfo>, can_moderate: bool) -> impl IntoView {
    let i18n = use_i18n();
    if photos.is_empty() {
        return ().into_any();
    }
    let items = photos
        .into_iter()
        .enumerate()
        .map(|(n, p)| {
            let hidden = p.hidden_reason.clone();
            let show_image = hidden.is_none() || can_moderate;
            view! {
                <li class="gallery__item">
                    {show_image.then(|| view! {
                        <a href=format!("/media/photos/{}", p.id)>
                            <img
                                src=format!("/media/photos/{}/thumb", p.id)
                                alt=move || t_string!(i18n, report.photo_alt, n = n + 1)
                                loading="lazy"
                                width="200"
                            />
                        </a>
                    })}
                    {hidden.map(|reason| view! {
                        <p class="muted">{t!(i18n, report.photo_hidden)} ": " {reason}</p>
                    })}
                    {(can_moderate && p.hidden_reason.is_none()).then(|| view! { <ModerateForm kind="photo" id=p.id /> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="photos-title">
            <h2 id="photos-title">{t!(i18n, report.photos)}</h2>
            <ul class="gallery">{items}</ul>
        </section>
    }
    .into_any()
}

#[component]
fn Timeline(entries: Vec<TimelineEntry>, created: chrono::DateTime<chrono::Utc>) -> impl IntoView {
    let i18n = use_i18n();
    let items = entries
        .into_iter()
        .map(|e| {
            let at = e.at;
            let change = e.from.zip(e.to);
            let actor = e.actor.clone();
            // "Is it fixed?" answered "no": the reporter's own word, not the city hall's.
            use crate::model::ReportStatus::{Accepted, Resolved};
            let reopened_by_reporter = !e.official && change == Some((Resolved, Accepted));
            view! {
                <li class=if e.official { "timeline__item timeline__item--official" } else { "timeline__item" }>
                    <p class="timeline__head">
                        <time datetime=at.to_rfc3339()>{move || format::date_time(at, i18n.get_locale())}</time>
                        {e.official.then(|| view! { <span class="official-badge">{t!(i18n, report.official)}</span> })}
                        {(!actor.is_empty()).then(|| view! { <span class="muted">{actor.clone()}</span> })}
                    </p>
                    {change.map(|(from, to)| view! {
                        <p class="timeline__change">
                            {move || status_label(i18n.get_locale(), from)} " → "
                            <strong>{move || status_label(i18n.get_locale(), to)}</strong>
                        </p>
                    })}
                    {reopened_by_reporter.then(|| view! { <p class="timeline__note">{t!(i18n, fixed.reopened)}</p> })}
                    {(!e.body.is_empty()).then(|| view! { <p class="timeline__body">{e.body.clone()}</p> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t!(i18n, report.timeline)}</h2>
            <ol class="timeline">
                <li class="timeline__item">
                    <p class="timeline__head">
                        <time datetime=created.to_rfc3339()>{move || format::date_time(created, i18n.get_locale())}</time>
                    </p>
                    <p class="timeline__change">{t!(i18n, report.received)}</p>
                </li>
                {items}
            </ol>
        </section>
    }
}

#[component]
fn Comments(report_id: i64, comments: Vec<CommentInfo>, can_moderate: bool) -> impl IntoView {
    let i18n = use_i18n();
    let viewer = expect_context::<ViewerResource>();
    let add = ServerAction::<AddComment>::new();
    let error = action_error(add);
    let page_error =
        Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    let label =
        Signal::derive(move || td_string!(i18n.get_locale(), report.your_comment).to_owned());
    let count = comments.len();
    let items = comments
        .into_iter()
        .map(|c| {
            let at = c.at;
            let author = if c.author.is_empty() { None } else { Some(c.author.clone()) };
            view! {
                <li class="comment" id=format!("comment-{}", c.id)>
                    <p class="comment__head">
                        <strong>{move || author.clone().unwrap_or_else(|| t_string!(i18n, report.former_user).to_owned())}</strong>
                        " · "
                        <time datetime=at.to_rfc3339()>{move || format::date_time(at, i18n.get_locale())}</time>
                    </p>
                    {match c.hidden_reason.clone() {
                        Some(reason) => view! {
                            <p class="muted">{t!(i18n, report.comment_hidden)} ": " {reason}</p>
                            {(!c.body.is_empty()).then(|| view! { <p class="comment__body comment__body--hidden">{c.body.clone()}</p> })}
                        }.into_any(),
                        None => view! {
                            <p class="comment__body">{c.body.clone()}</p>
                            {can_moderate.then(|| view! { <ModerateForm kind="comment" id=c.id /> })}
                        }.into_any(),
                    }}
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="comments-title">
            <h2 id="comments-title">{t!(i18n, report.comments)} " (" {count} ")"</h2>
            <ol class="comments">{items}</ol>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let signed_in = viewer.await.map(|v| v.user.is_some()).unwrap_or(false);
                    if signed_in {
                        view! {
                            <FormNotice error=page_error />
                            <ActionForm action=add attr:class="form">
                                <LangField />
                                <input type="hidden" name="report_id" value=report_id />
                                <TextArea name="body" label required=true maxlength=2000 rows=4 error />
                                <button type="submit" class="button">{t!(i18n, report.comment_submit)}</button>
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! { <SignInPrompt /> }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn SupportBox(report_id: i64, supporters: i64, supported: bool) -> impl IntoView {
    let i18n = use_i18n();
    let viewer = expect_context::<ViewerResource>();
    let support = ServerAction::<SupportReport>::new();
    // After a click (hydrated) the count comes from the server's answer.
    let count = Signal::derive(move || match support.value().get() {
        Some(Ok(n)) => n,
        _ => supporters,
    });
    let done = Signal::derive(move || supported || matches!(support.value().get(), Some(Ok(_))));
    let error = action_error(support);
    view! {
        <section class="side-box" aria-labelledby="support-title">
            <h2 id="support-title">{t!(i18n, report.support_title)}</h2>
            <p class="big-count" aria-live="polite">
                {move || t_string!(i18n, report.supporters, count = count.get())}
            </p>
            <FormNotice error />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let signed_in = viewer.await.map(|v| v.user.is_some()).unwrap_or(false);
                    if !signed_in {
                        view! { <SignInPrompt /> }.into_any()
                    } else {
                        view! {
                            <Show
                                when=move || done.get()
                                fallback=move || view! {
                                    <ActionForm action=support>
                                        <LangField />
                                        <input type="hidden" name="report_id" value=report_id />
                                        <button type="submit" class="button">{t!(i18n, report.support_button)}</button>
                                    </ActionForm>
                                }
                            >
                                <p class="notice notice--ok">{t!(i18n, report.supported)}</p>
                            </Show>
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn SubscribeBox(report_id: i64, subscribed: bool) -> impl IntoView {
    let i18n = use_i18n();
    let viewer = expect_context::<ViewerResource>();
    let subscribe = ServerAction::<SubscribeReport>::new();
    let error = action_error(subscribe);
    let label = Signal::derive(move || td_string!(i18n.get_locale(), auth.email).to_owned());
    view! {
        <section class="side-box" aria-labelledby="follow-title">
            <h2 id="follow-title">{t!(i18n, report.follow_title)}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let signed_in = viewer.await.map(|v| v.user.is_some()).unwrap_or(false);
                    match (subscribed, signed_in) {
                        (true, _) => view! { <p class="notice notice--ok">{t!(i18n, report.following)}</p> }.into_any(),
                        (false, true) => view! {
                            <ActionForm action=subscribe>
                                <LangField />
                                <input type="hidden" name="report_id" value=report_id />
                                <button type="submit" class="button button--secondary">{t!(i18n, report.follow_button)}</button>
                            </ActionForm>
                        }.into_any(),
                        (false, false) => view! {
                            <p>{t!(i18n, report.follow_by_email)}</p>
                            <ActionForm action=subscribe attr:class="form">
                                <LangField />
                                <input type="hidden" name="report_id" value=report_id />
                                <Field name="email" kind="email" autocomplete="email" required=true label error />
                                <button type="submit" class="button button--secondary">{t!(i18n, report.follow_button)}</button>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
