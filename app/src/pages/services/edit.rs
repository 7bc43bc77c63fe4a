//! `/{lang}/services/new` and `/{lang}/services/{id}/edit`: the form of those who keep the
//! directory. Staff save at once; an NGO's member proposes, and staff approve. Without script
//! a refused form comes back with what was typed.

use super::{audience_label, category_label};
use crate::api::directory::{directory_desk, get_service, ServicesDesk};
use crate::api::directory_edit::SaveService;
use crate::app::{SiteResource, ViewerResource};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    error_from_address, problem_text, Field, FormError, FormNotice, LangField, SelectField,
    SiteField, TextArea,
};
use crate::components::layout::SignInPrompt;
use crate::components::map::PickLocation;
use crate::error::{AppError, Problem};
use crate::i18n::*;
use crate::model::directory::{Service, ServiceAudience, ServiceCategory, SERVICE_LANGUAGES};
use crate::model::SiteContext;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

#[component]
pub fn NewServicePage() -> impl IntoView {
    view! { <ServiceFormPage id=None /> }
}

#[component]
pub fn EditServicePage() -> impl IntoView {
    match super::detail::service_id() {
        Some(id) => view! { <ServiceFormPage id=Some(id) /> }.into_any(),
        None => view! { <crate::pages::not_found::NotFoundPage /> }.into_any(),
    }
}

#[component]
fn ServiceFormPage(id: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let site = expect_context::<SiteResource>();
    let viewer = expect_context::<ViewerResource>();
    let data = Resource::new(
        || (),
        move |_| async move {
            let desk = directory_desk(None).await;
            let existing = match id {
                Some(id) => get_service(id, None).await.map(Some),
                None => Ok(None),
            };
            (desk, existing)
        },
    );
    let heading = if id.is_some() {
        td_string!(locale, services.edit)
    } else {
        td_string!(locale, services.add)
    };
    view! {
        <crate::app::MapScripts bundle=crate::assets::Bundle::Picker />
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=heading />
            <Suspense fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    let signed_in = viewer.await.map(|v| v.user.is_some()).unwrap_or(false);
                    if !signed_in {
                        return view! { <SignInPrompt /> }.into_any();
                    }
                    let (desk, existing) = data.await;
                    match (site.await, desk, existing) {
                        (Ok(_), _, Err(AppError::NotFound)) => view! { <crate::pages::not_found::NotFoundPage /> }.into_any(),
                        (Ok(_), Ok(desk), Ok(Some(view))) if !view.may_edit || (!desk.reviewer && desk.organisations.is_empty()) => {
                            view! { <p class="notice">{td_string!(locale, services.keepers_only)}</p> }.into_any()
                        }
                        (Ok(_), Ok(desk), Ok(None)) if !desk.reviewer && desk.organisations.is_empty() => {
                            view! { <p class="notice">{td_string!(locale, services.keepers_only)}</p> }.into_any()
                        }
                        (Ok(site), Ok(desk), Ok(existing)) => {
                            view! { <ServiceForm site desk existing=existing.map(|v| v.service) /> }.into_any()
                        }
                        (Err(err), _, _) | (_, Err(err), _) | (_, _, Err(err)) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// This form's own words where the generic ones would say less.
fn explain(locale: Locale, field: &str, problem: Problem) -> String {
    match (field, problem) {
        ("hours", Problem::Invalid) => td_string!(locale, services.hours_invalid).to_owned(),
        _ => problem_text(locale, problem).to_owned(),
    }
}

#[component]
fn ServiceForm(site: SiteContext, desk: ServicesDesk, existing: Option<Service>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let sent_back = error_from_address(SaveService::PATH);
    let came_back = sent_back.is_some();
    let sent_back = RwSignal::new(sent_back);
    let error: FormError = sent_back.into();
    let query = use_query_map().get_untracked();
    // What the form shows: what was typed when it comes back refused, else the entry.
    let value = |field: &str, f: &dyn Fn(&Service) -> String| -> String {
        if came_back {
            query.get(field).unwrap_or_default()
        } else {
            existing.as_ref().map(f).unwrap_or_default()
        }
    };
    let problem_of = move |field: &'static str| {
        move || sent_back.with(|e| e.as_ref().and_then(|e| e.field_problems(field).next()))
    };
    let label = move |text: fn(Locale) -> &'static str| {
        Signal::derive(move || text(i18n.get_locale()).to_owned())
    };
    let options = |pairs: Vec<(String, String)>| Signal::derive(move || pairs.clone());
    let mut organisations: Vec<(String, String)> =
        desk.organisations.iter().map(|o| (o.id.to_string(), o.name.clone())).collect();
    if desk.reviewer {
        organisations
            .insert(0, (String::new(), td_string!(locale, services.kept_by_staff).to_owned()));
    }
    let categories = ServiceCategory::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), category_label(locale, *c).to_owned()))
        .collect();
    let audiences = ServiceAudience::ALL
        .iter()
        .map(|a| (a.as_str().to_owned(), audience_label(locale, *a).to_owned()))
        .collect();
    let text_value = |field: &'static str, f: fn(&Service) -> String| {
        Signal::derive({
            let v = value(field, &f);
            move || v.clone()
        })
    };
    let per_language = SERVICE_LANGUAGES
        .iter()
        .map(|l| {
            let lang = crate::locale::parse(l).unwrap_or(Locale::ro);
            let required = lang == Locale::ro;
            let (name, description, eligibility) = match lang {
                Locale::ro => ("name_ro", "description_ro", "eligibility_ro"),
                Locale::ru => ("name_ru", "description_ru", "eligibility_ru"),
                Locale::uk => ("name_uk", "description_uk", "eligibility_uk"),
                Locale::en => ("name_en", "description_en", "eligibility_en"),
            };
            let localized = move |f: fn(&Service) -> &crate::model::Localized| {
                move |s: &Service| -> String {
                    let text = f(s);
                    match lang {
                        Locale::ro => text.ro.clone(),
                        Locale::ru => text.ru.clone(),
                        Locale::uk => text.uk.clone(),
                        Locale::en => text.en.clone(),
                    }
                }
            };
            let name_value = value(name, &localized(|s| &s.draft.name));
            let description_value = value(description, &localized(|s| &s.draft.description));
            let eligibility_value = value(eligibility, &localized(|s| &s.draft.eligibility));
            view! {
                <fieldset class="form-section" lang=lang.to_string()>
                    <legend>{crate::pages::events::language_label(locale, l)}</legend>
                    <Field name=name required maxlength=120 value=name_value label=label(|l| td_string!(l, services.name_label)) error />
                    <TextArea name=description required maxlength=2000 rows=4 value=description_value label=label(|l| td_string!(l, services.description_label)) error />
                    <TextArea name=eligibility maxlength=500 rows=2 value=eligibility_value label=label(|l| td_string!(l, services.eligibility)) error />
                </fieldset>
            }
        })
        .collect_view();
    let spoken = |code: &'static str| {
        let field = format!("speaks_{code}");
        if came_back {
            query.get(&field).is_some()
        } else {
            existing.as_ref().is_some_and(|s| s.draft.languages.iter().any(|l| l == code))
        }
    };
    let languages = SERVICE_LANGUAGES
        .iter()
        .map(|code| {
            let code = *code;
            let id = format!("field-speaks_{code}");
            view! {
                <div class="choice__option">
                    <input type="checkbox" id=id.clone() name=format!("speaks_{code}") value="on" checked=spoken(code) />
                    <label for=id>{crate::pages::events::language_label(locale, code)}</label>
                </div>
            }
        })
        .collect_view();
    let free = if came_back {
        query.get("free").is_some()
    } else {
        existing.as_ref().is_none_or(|s| s.draft.free)
    };
    let typed = (
        value("lat", &|s| s.draft.at.map(|a| a.lat.to_string()).unwrap_or_default()),
        value("lng", &|s| s.draft.at.map(|a| a.lng.to_string()).unwrap_or_default()),
    );
    let location_problem = problem_of("location");
    let languages_problem = problem_of("languages");
    let id = existing.as_ref().map(|s| s.id.to_string()).unwrap_or_default();
    view! {
        {(!desk.reviewer).then(|| view! { <p class="muted">{td_string!(locale, services.review_hint)}</p> })}
        <FormNotice error />
        <form class="form" method="post" action=SaveService::PATH>
            <LangField />
            <SiteField />
            <input type="hidden" name="id" value=id />
            <SelectField name="organisation" label=label(|l| td_string!(l, services.kept_by)) options=options(organisations)
                selected=text_value("organisation", |s| s.draft.organisation_id.map(|o| o.to_string()).unwrap_or_default()) error />
            <Field name="provider" required=true maxlength=150 value=text_value("provider", |s| s.draft.provider.clone()) label=label(|l| td_string!(l, services.provider)) error />
            <SelectField name="category" label=label(|l| td_string!(l, services.category)) options=options(categories)
                selected=text_value("category", |s| s.draft.category.as_str().to_owned()) error />
            {per_language}
            <fieldset class="form-section">
                <legend>{td_string!(locale, services.where_and_when)}</legend>
                <Field name="address" required=true maxlength=200 value=text_value("address", |s| s.draft.address.clone()) label=label(|l| td_string!(l, services.address)) error />
                {move || location_problem().map(|p| view! { <p class="field__error" role="alert">{problem_text(i18n.get_locale(), p)}</p> })}
                <PickLocation site typed />
                <Field name="hours" maxlength=200 value=text_value("hours", |s| s.draft.hours.to_string())
                    label=label(|l| td_string!(l, services.hours))
                    hint=Signal::derive(move || td_string!(i18n.get_locale(), services.hours_hint).to_owned())
                    explain=explain error />
            </fieldset>
            <fieldset class="form-section choice">
                <legend>{td_string!(locale, services.speaks)}</legend>
                {move || languages_problem().map(|p| view! { <p class="field__error" role="alert">{problem_text(i18n.get_locale(), p)}</p> })}
                {languages}
            </fieldset>
            <label class="checkbox form-section">
                <input type="checkbox" id="field-free" name="free" value="on" checked=free />
                {td_string!(locale, services.free)}
            </label>
            <SelectField name="audience" label=label(|l| td_string!(l, services.for_whom)) options=options(audiences)
                selected=text_value("audience", |s| s.draft.audience.as_str().to_owned()) error />
            <fieldset class="form-section">
                <legend>{td_string!(locale, services.contacts)}</legend>
                <Field name="phone" kind="tel" maxlength=40 value=text_value("phone", |s| s.draft.phone.clone().unwrap_or_default()) label=label(|l| td_string!(l, services.phone)) error />
                <Field name="email" kind="email" maxlength=254 value=text_value("email", |s| s.draft.email.clone().unwrap_or_default()) label=label(|l| td_string!(l, services.email)) error />
                <Field name="website" kind="url" maxlength=500 value=text_value("website", |s| s.draft.website.clone().unwrap_or_default()) label=label(|l| td_string!(l, services.website)) error />
            </fieldset>
            <button type="submit" class="button button--large">
                {if desk.reviewer { td_string!(locale, services.save) } else { td_string!(locale, services.propose) }}
            </button>
        </form>
    }
}
