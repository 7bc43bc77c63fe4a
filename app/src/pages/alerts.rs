//! `/{lang}/alerts`: choose a place, a radius and (optionally) categories, and be mailed about
//! new reports there, one message each or a daily digest. `/{lang}/alerts/confirm` confirms an
//! e-mail address with a button press.

use crate::api::alerts::{ConfirmAreaAlert, CreateAreaAlert, RADII};
use crate::app::{SiteResource, ViewerResource};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    action_error, error_from_address, Field, FormError, FormNotice, LangField, SuccessNotice,
};
use crate::components::map::PickLocation;
use crate::i18n::*;
use crate::model::SiteContext;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AlertsPage() -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<SiteResource>();
    let query = use_query_map();
    let flag = move |name: &'static str| move || query.with(|q| q.get(name).is_some());
    view! {
        <crate::app::MapScripts bundle=crate::assets::Bundle::Picker />
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), alerts.area_title) />
            <Show when=flag("created")>
                <SuccessNotice>{t!(i18n, alerts.created)}</SuccessNotice>
            </Show>
            <Show when=flag("check_mail")>
                <SuccessNotice>{t!(i18n, alerts.check_mail)}</SuccessNotice>
            </Show>
            <Show when=flag("confirmed")>
                <SuccessNotice>{t!(i18n, alerts.confirmed)}</SuccessNotice>
            </Show>
            <p>{t!(i18n, alerts.area_intro)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match site.await {
                        Ok(ctx) => view! { <AlertForm site=ctx /> }.into_any(),
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Suspense>
            <p><a href=move || crate::paths::page(i18n.get_locale(), "/subscriptions")>{t!(i18n, alerts.account_link)}</a></p>
        </section>
    }
}

#[component]
fn AlertForm(site: SiteContext) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let viewer = expect_context::<ViewerResource>();
    let sent_back = error_from_address(CreateAreaAlert::PATH);
    let error: FormError = RwSignal::new(sent_back).into();
    let location_problem =
        move || error.with(|e| e.as_ref().and_then(|e| e.field_problems("location").next()));
    let slug = site.locality.slug.clone();
    let categories = site
        .locality
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            view! {
                <label class="checkbox">
                    <input type="checkbox" name=format!("categories[{i}]") value=c.slug.clone() />
                    " " {c.name.get(locale).to_owned()}
                </label>
            }
        })
        .collect_view();
    let radii = RADII
        .iter()
        .map(|r| {
            let label = if *r >= 1000 { format!("{} km", r / 1000) } else { format!("{r} m") };
            view! {
                <label class="radio">
                    <input type="radio" name="radius" value=r.to_string() checked=*r == 500 required />
                    " " {label}
                </label>
            }
        })
        .collect_view();
    view! {
        <FormNotice error />
        <form class="form alert-form" method="post" action=CreateAreaAlert::PATH>
            <LangField />
            <input type="hidden" name="locality" value=slug />
            <fieldset class="form-section" id="alert-where">
                <legend>{t!(i18n, alerts.where_title)}</legend>
                {move || location_problem().map(|p| view! {
                    <p class="field__error" role="alert">{crate::components::form::problem_text(locale, p)}</p>
                })}
                <PickLocation site=site.clone() />
            </fieldset>
            <fieldset class="form-section">
                <legend>{t!(i18n, alerts.radius)}</legend>
                {radii}
            </fieldset>
            <fieldset class="form-section">
                <legend>{t!(i18n, alerts.categories)}</legend>
                <p class="field__hint">{t!(i18n, alerts.categories_hint)}</p>
                {categories}
            </fieldset>
            <fieldset class="form-section">
                <legend>{t!(i18n, alerts.frequency)}</legend>
                <label class="radio"><input type="radio" name="frequency" value="instant" checked required />" " {t!(i18n, alerts.instant)}</label>
                <label class="radio"><input type="radio" name="frequency" value="daily" />" " {t!(i18n, alerts.daily_choice)}</label>
            </fieldset>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let signed_in = viewer.await.ok().is_some_and(|v| v.user.is_some());
                    (!signed_in).then(|| view! {
                        <Field name="email" kind="email" autocomplete="email" required=true
                            label=Signal::derive(move || td_string!(i18n.get_locale(), alerts.your_email).to_owned())
                            hint=Signal::derive(move || td_string!(i18n.get_locale(), alerts.email_hint).to_owned())
                            error />
                    })
                })}
            </Transition>
            <button type="submit" class="button">{t!(i18n, alerts.subscribe)}</button>
        </form>
    }
}

/// Confirms an area alert with a button press (link scanners must not confirm it).
#[component]
pub fn ConfirmAlertPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ConfirmAreaAlert>::new();
    let error = action_error(action);
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    view! {
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), alerts.area_title) />
            <FormNotice error />
            <ActionForm action attr:class="form">
                <LangField />
                <input type="hidden" name="token" value=token />
                <button type="submit" class="button">{t!(i18n, alerts.confirm_button)}</button>
            </ActionForm>
        </section>
    }
}
