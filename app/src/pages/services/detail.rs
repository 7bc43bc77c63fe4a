//! `/{lang}/services/{id}`: one service with everything needed to go there — open now or not,
//! the week's hours, the languages spoken, the cost, who may use it, how to reach it and its
//! place on the map — and a printable referral sheet. Those who keep the entry change it,
//! confirm it is still right, or (staff) remove it.

use super::{audience_label, category_label, cost_label, languages_text, open_state, HoursTable};
use crate::api::directory::{get_service, ServiceView};
use crate::api::directory_edit::{ConfirmService, RemoveService};
use crate::app::SiteResource;
use crate::components::error::ErrorNotice;
use crate::components::form::{
    error_from_address, FormNotice, LangField, SiteField, SuccessNotice,
};
use crate::components::map::PlaceOnMap;
use crate::error::AppError;
use crate::i18n::*;
use crate::model::directory::ServiceDraft;
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The id in the address, if it is one.
pub(super) fn service_id() -> Option<i64> {
    use_params_map().with_untracked(|p| p.get("id").and_then(|i| i.parse::<i64>().ok()))
}

/// Loads the service named by the address and shows it with `body`, or the page not found.
pub(super) fn with_service(body: fn(ServiceView) -> AnyView) -> impl IntoView {
    let i18n = use_i18n();
    let id = service_id();
    let service = Resource::new(
        || (),
        move |_| async move {
            match id {
                Some(id) => get_service(id, None).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p class="page">{t!(i18n, map.loading)}</p> }>
            {move || Suspend::new(async move {
                match service.await {
                    Ok(s) => body(s),
                    Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
                    Err(err) => view! { <div class="page"><ErrorNotice error=err /></div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ServicePage() -> impl IntoView {
    view! {
        <crate::app::MapScripts bundle=crate::assets::Bundle::Place />
        {with_service(|view| view! { <ServiceBody view /> }.into_any())}
    }
}

/// A service's facts as a list of terms: provider, address, languages, cost, who may use it,
/// and how to reach it.
#[component]
pub fn Facts(draft: ServiceDraft) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let (eligibility, eligibility_lang) = draft.eligibility.get_in(locale);
    let eligibility = eligibility.to_owned();
    view! {
        <dl class="event-facts service-facts">
            <dt>{td_string!(locale, services.provider)}</dt>
            <dd>{draft.provider.clone()}</dd>
            <dt>{td_string!(locale, services.address)}</dt>
            <dd>{draft.address.clone()}</dd>
            <dt>{td_string!(locale, services.speaks)}</dt>
            <dd>{languages_text(locale, &draft.languages)}</dd>
            <dt>{td_string!(locale, services.cost)}</dt>
            <dd>{cost_label(locale, draft.free)}</dd>
            <dt>{td_string!(locale, services.for_whom)}</dt>
            <dd>{audience_label(locale, draft.audience)}</dd>
            {(!eligibility.is_empty()).then(|| view! {
                <dt>{td_string!(locale, services.eligibility)}</dt>
                <dd lang=eligibility_lang.to_string()>{eligibility.clone()}</dd>
            })}
            {draft.phone.clone().map(|p| view! {
                <dt>{td_string!(locale, services.phone)}</dt>
                <dd><a href=format!("tel:{}", p.replace(' ', ""))>{p.clone()}</a></dd>
            })}
            {draft.email.clone().map(|m| view! {
                <dt>{td_string!(locale, services.email)}</dt>
                <dd><a href=format!("mailto:{m}")>{m.clone()}</a></dd>
            })}
            {draft.website.clone().map(|w| view! {
                <dt>{td_string!(locale, services.website)}</dt>
                <dd><a href=w.clone() rel="noopener nofollow">{w.clone()}</a></dd>
            })}
            <dt>{td_string!(locale, services.hours)}</dt>
            <dd><HoursTable hours=draft.hours.clone() /></dd>
        </dl>
    }
}

#[component]
fn ServiceBody(view: ServiceView) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let site = expect_context::<SiteResource>();
    let notice = use_query_map().with_untracked(|q| {
        if q.get("saved").is_some() {
            Some(td_string!(locale, services.saved_notice))
        } else if q.get("proposed").is_some() {
            Some(td_string!(locale, services.proposed_notice))
        } else if q.get("confirmed").is_some() {
            Some(td_string!(locale, services.confirmed_notice))
        } else {
            None
        }
    });
    let error = RwSignal::new(
        error_from_address(ConfirmService::PATH)
            .or_else(|| error_from_address(RemoveService::PATH)),
    );
    let s = view.service;
    let id = s.id;
    let (name, name_lang) = s.draft.name.get_in(locale);
    let (description, description_lang) = s.draft.description.get_in(locale);
    let (state, state_class) = open_state(locale, &s.draft.hours, view.open_now);
    let checked = crate::format::date(crate::format::local_date(s.checked_at), locale);
    let at = s.draft.at;
    let pin_title = name.to_owned();
    let sheet = crate::paths::page(locale, &format!("/services/{id}/sheet"));
    let edit = crate::paths::page(locale, &format!("/services/{id}/edit"));
    view! {
        <article class="page page--narrow service-page">
            {notice.map(|n| view! { <SuccessNotice>{n}</SuccessNotice> })}
            <FormNotice error=error.into() />
            <p class="muted"><a href=crate::paths::page(locale, "/services")>{td_string!(locale, services.back)}</a></p>
            <crate::components::page_title::PageHeading text=name.to_owned() lang=name_lang.to_string() />
            <p class="service-item__tags">
                <span class=format!("badge badge--{state_class}")>{state}</span>
                <span class="tag">{category_label(locale, s.draft.category)}</span>
                <span class="tag">{cost_label(locale, s.draft.free)}</span>
            </p>
            {view.stale.then(|| view! {
                <p class="notice notice--warning">{td_string!(locale, services.stale_warning, date = checked.clone()).to_string()}</p>
            })}
            <p class="event-description" lang=description_lang.to_string()>{description.to_owned()}</p>
            <Facts draft=s.draft.clone() />
            <p class="muted">{td_string!(locale, services.last_checked)}": "{checked.clone()}</p>
            <p class="events-page__actions">
                <a class="button" href=sheet>{td_string!(locale, services.print_sheet)}</a>
                {view.may_edit.then(|| view! {
                    <a class="button button--secondary" href=edit>{td_string!(locale, services.edit)}</a>
                })}
            </p>
            {view.may_edit.then(|| view! {
                <form class="form form--inline" method="post" action=ConfirmService::PATH>
                    <LangField />
                    <SiteField />
                    <input type="hidden" name="id" value=id.to_string() />
                    <button type="submit" class="button button--secondary">{td_string!(locale, services.confirm)}</button>
                </form>
            })}
            {view.may_remove.then(|| view! {
                <form class="form form--inline" method="post" action=RemoveService::PATH>
                    <LangField />
                    <SiteField />
                    <input type="hidden" name="id" value=id.to_string() />
                    <button type="submit" class="button button--secondary">{td_string!(locale, services.remove)}</button>
                </form>
            })}
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
        </article>
    }
}
