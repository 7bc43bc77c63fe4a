//! `/{lang}/events/new`: an organisation's member proposes an event (staff publish theirs at
//! once). Titles and descriptions in up to four languages, Romanian required.

use super::{audience_label, category_label, language_label};
use crate::api::events::{event_desk, CalendarDesk, ProposeEvent};
use crate::app::{SiteResource, ViewerResource};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    error_from_address, problem_text, Field, FormError, FormNotice, LangField, SelectField,
    SiteField, TextArea,
};
use crate::components::layout::SignInPrompt;
use crate::components::map::PickLocation;
use crate::error::Problem;
use crate::i18n::*;
use crate::model::network::{Audience, EventCategory, EVENT_LANGUAGES};
use crate::model::SiteContext;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

#[component]
pub fn NewEventPage() -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<SiteResource>();
    let viewer = expect_context::<ViewerResource>();
    let desk = Resource::new(|| (), |_| event_desk(None));
    let locale = i18n.get_locale_untracked();
    view! {
        <crate::app::MapScripts bundle=crate::assets::Bundle::Picker />
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=td_string!(locale, events.propose) />
            <Suspense fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    let signed_in = viewer.await.map(|v| v.user.is_some()).unwrap_or(false);
                    if !signed_in {
                        return view! { <SignInPrompt /> }.into_any();
                    }
                    match (site.await, desk.await) {
                        (Ok(site), Ok(desk)) if !desk.organisations.is_empty() => {
                            view! { <EventForm site desk /> }.into_any()
                        }
                        (Ok(_), Ok(_)) => view! { <p class="notice">{td_string!(locale, events.members_only)}</p> }.into_any(),
                        (Err(err), _) | (_, Err(err)) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// This form's own words for what the generic ones would say less clearly.
fn explain(locale: Locale, field: &str, problem: Problem) -> String {
    match (field, problem) {
        ("ends", Problem::Invalid) => td_string!(locale, events.ends_invalid).to_owned(),
        ("place", Problem::Required) => td_string!(locale, events.place_required).to_owned(),
        _ => problem_text(locale, problem).to_owned(),
    }
}

#[component]
fn EventForm(site: SiteContext, desk: CalendarDesk) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let sent_back = error_from_address(ProposeEvent::PATH);
    // A refused form comes back with what was typed in its address.
    let came_back = sent_back.is_some();
    let query = use_query_map().get_untracked();
    let typed = move |field: &str| -> String {
        if came_back {
            query.get(field).unwrap_or_default()
        } else {
            String::new()
        }
    };
    let sent_back = RwSignal::new(sent_back);
    let error: FormError = sent_back.into();
    let location_problem =
        move || sent_back.with(|e| e.as_ref().and_then(|e| e.field_problems("location").next()));
    let label = move |text: fn(Locale) -> &'static str| {
        Signal::derive(move || text(i18n.get_locale()).to_owned())
    };
    let options = |pairs: Vec<(String, String)>| Signal::derive(move || pairs.clone());
    let organisations =
        desk.organisations.iter().map(|o| (o.id.to_string(), o.name.clone())).collect();
    let categories = EventCategory::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), category_label(locale, *c).to_owned()))
        .collect();
    let audiences = Audience::ALL
        .iter()
        .map(|a| (a.as_str().to_owned(), audience_label(locale, *a).to_owned()))
        .collect();
    let languages = EVENT_LANGUAGES
        .iter()
        .map(|l| ((*l).to_owned(), language_label(locale, l).to_owned()))
        .collect();
    let per_language = [
        (Locale::ro, "title_ro", "description_ro"),
        (Locale::ru, "title_ru", "description_ru"),
        (Locale::uk, "title_uk", "description_uk"),
        (Locale::en, "title_en", "description_en"),
    ]
    .into_iter()
    .map(|(l, title, description)| {
        let required = l == Locale::ro;
        view! {
            <fieldset class="form-section" lang=l.to_string()>
                <legend>{language_label(locale, l.as_str())}</legend>
                <Field name=title required maxlength=120 value=typed(title) label=label(|l| td_string!(l, events.title_label)) error />
                <TextArea name=description required maxlength=2000 rows=4 value=typed(description) label=label(|l| td_string!(l, events.description_label)) error />
            </fieldset>
        }
    })
    .collect_view();
    let language =
        Some(typed("language")).filter(|l| !l.is_empty()).unwrap_or_else(|| "multi".to_owned());
    view! {
        <p>{td_string!(locale, events.propose_intro)}</p>
        {(!desk.reviewer).then(|| view! { <p class="muted">{td_string!(locale, events.review_hint)}</p> })}
        <FormNotice error />
        <form class="form" method="post" action=ProposeEvent::PATH>
            <LangField />
            <SiteField />
            <SelectField name="organisation" label=label(|l| td_string!(l, events.organiser)) options=options(organisations) selected=typed("organisation") error />
            {per_language}
            <fieldset class="form-section">
                <legend>{td_string!(locale, events.when)}</legend>
                <Field name="starts" kind="datetime-local" required=true value=typed("starts") label=label(|l| td_string!(l, events.starts)) error />
                <Field name="ends" kind="datetime-local" required=true value=typed("ends") label=label(|l| td_string!(l, events.ends)) explain=explain error />
            </fieldset>
            <fieldset class="form-section">
                <legend>{td_string!(locale, events.where_)}</legend>
                <p class="muted">{td_string!(locale, events.where_hint)}</p>
                <Field name="place" maxlength=200 value=typed("place") label=label(|l| td_string!(l, events.place_label)) explain=explain error />
                {move || location_problem().map(|p| view! { <p class="field__error" role="alert">{problem_text(i18n.get_locale(), p)}</p> })}
                <PickLocation site typed=(typed("lat"), typed("lng")) />
                <Field name="online_url" kind="url" maxlength=500 value=typed("online_url") label=label(|l| td_string!(l, events.online_url_label)) error />
            </fieldset>
            <SelectField name="language" label=label(|l| td_string!(l, events.language)) options=options(languages) selected=language error />
            <SelectField name="audience" label=label(|l| td_string!(l, events.audience)) options=options(audiences) selected=typed("audience") error />
            <SelectField name="category" label=label(|l| td_string!(l, events.category)) options=options(categories) selected=typed("category") error />
            <button type="submit" class="button button--large">{td_string!(locale, events.submit)}</button>
        </form>
    }
}
