//! `/{lang}/admin/organisations?locality=`: the NGO network's organisations of a locality and
//! the accounts that act for each (they propose its events). Administrators only.

use super::{admin_error, reload_key};
use crate::api::organisations::{
    list_organisations, AddOrganisationMember, CreateOrganisation, RemoveOrganisationMember,
};
use crate::components::form::{
    error_from_address, Field, FormError, FormNotice, LangField, SuccessNotice,
};
use crate::i18n::*;
use crate::model::network::OrganisationDetail;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let reload = reload_key();
    let data = Resource::new(
        move || (query.with(|q| q.get("locality")), reload.get()),
        |(locality, _)| list_organisations(locality),
    );
    let saved = move || query.with(|q| q.get("saved").is_some());
    let locale = i18n.get_locale_untracked();
    view! {
        <div class="page">
            <crate::components::page_title::PageHeading text=td_string!(locale, events.organisations_title) />
            <p>{td_string!(locale, events.organisations_intro)}</p>
            <Show when=saved>
                <SuccessNotice>{td_string!(locale, events.saved)}</SuccessNotice>
            </Show>
            <Transition fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((slug, list)) => view! { <Organisations slug list /> }.into_any(),
                        Err(err) => admin_error(err),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn Organisations(slug: String, list: Vec<OrganisationDetail>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let create_error: FormError =
        RwSignal::new(error_from_address(CreateOrganisation::PATH)).into();
    let member_error: FormError =
        RwSignal::new(error_from_address(AddOrganisationMember::PATH)).into();
    let label = move |text: fn(Locale) -> &'static str| {
        Signal::derive(move || text(i18n.get_locale()).to_owned())
    };
    let rows = list
        .into_iter()
        .map(|detail| {
            let o = detail.organisation;
            let id = o.id.to_string();
            let members = detail
                .members
                .into_iter()
                .map(|m| {
                    let (id, slug) = (id.clone(), slug.clone());
                    view! {
                        <li>
                            {m.display_name} " " <span class="muted">{m.email}</span>
                            <form class="form--inline" method="post" action=RemoveOrganisationMember::PATH>
                                <LangField />
                                <input type="hidden" name="locality" value=slug />
                                <input type="hidden" name="organisation" value=id />
                                <input type="hidden" name="user" value=m.user_id.to_string() />
                                <button type="submit" class="button button--secondary">{td_string!(locale, events.remove_member)}</button>
                            </form>
                        </li>
                    }
                })
                .collect_view();
            let field_id = format!("member-{}", o.id);
            view! {
                <section class="form-section" aria-labelledby=format!("organisation-{}", o.id)>
                    <h2 id=format!("organisation-{}", o.id)>{o.name.clone()}</h2>
                    <p class="muted">
                        {format!("/api/v1/events.ics?organisation={}", o.slug)}
                        {o.website.clone().map(|w| format!(" · {w}"))}
                        {o.email.clone().map(|e| format!(" · {e}"))}
                    </p>
                    <ul>{members}</ul>
                    <form class="form form--inline" method="post" action=AddOrganisationMember::PATH>
                        <LangField />
                        <input type="hidden" name="locality" value=slug.clone() />
                        <input type="hidden" name="organisation" value=id />
                        <label for=field_id.clone()>{td_string!(locale, events.member_email)}</label>
                        <input id=field_id type="email" name="email" required autocomplete="off" />
                        <button type="submit" class="button">{td_string!(locale, events.add_member)}</button>
                    </form>
                </section>
            }
        })
        .collect_view();
    view! {
        <FormNotice error=member_error />
        {rows}
        <h2>{td_string!(locale, events.new_organisation)}</h2>
        <FormNotice error=create_error />
        <form class="form" method="post" action=CreateOrganisation::PATH>
            <LangField />
            <input type="hidden" name="locality" value=slug />
            <Field name="name" required=true maxlength=150 label=label(|l| td_string!(l, events.organisation_name)) error=create_error />
            <Field name="slug" required=true maxlength=40 label=label(|l| td_string!(l, events.organisation_slug))
                hint=label(|l| td_string!(l, events.organisation_slug_hint)) error=create_error />
            <Field name="website" kind="url" maxlength=500 label=label(|l| td_string!(l, events.organisation_website)) error=create_error />
            <Field name="email" kind="email" maxlength=254 label=label(|l| td_string!(l, auth.email)) error=create_error />
            <button type="submit" class="button">{td_string!(locale, events.create_organisation)}</button>
        </form>
    }
}
