use crate::api::reports::{CreateReport, MAX_PHOTOS};
use crate::app::{SiteResource, ViewerResource};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    error_from_address, problem_text, Field, FormError, FormNotice, LangField, PhotosField,
    TextArea,
};
use crate::components::map::PickLocation;
use crate::error::{AppError, Problem};
use crate::i18n::*;
use crate::model::SiteContext;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

/// `/{lang}/reports/new`: report a problem.
#[component]
pub fn NewReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<SiteResource>();
    view! {
        <crate::app::MapScripts bundle=crate::assets::Bundle::Picker />
        // The category colours are the locality's own data, so they are not a built asset.
        <leptos_meta::Stylesheet href="/categories.css" />
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), nav.report_problem) />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match site.await {
                        Ok(ctx) => view! { <ReportForm site=ctx /> }.into_any(),
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// What the report form says about a field's problem: what to do about it.
fn explain(locale: Locale, field: &str, problem: Problem) -> String {
    let text = match (field, problem) {
        ("location", Problem::Required) => td_string!(locale, ux.location_required),
        ("location", Problem::Invalid) => td_string!(locale, ux.location_invalid),
        ("category", Problem::Required) => td_string!(locale, ux.category_required),
        ("title", Problem::Required | Problem::TooShort) => td_string!(locale, ux.title_short),
        ("title", Problem::TooLong) => td_string!(locale, ux.title_long),
        ("description", Problem::Required | Problem::TooShort) => {
            td_string!(locale, ux.description_short)
        }
        ("description", Problem::TooLong) => td_string!(locale, ux.description_long),
        ("email", Problem::Invalid) => td_string!(locale, ux.email_invalid),
        _ => problem_text(locale, problem),
    };
    text.to_owned()
}

/// Where each field's problem is fixed, in the order the form asks for them.
const FIELD_ANCHORS: [(&str, &str); 9] = [
    ("location", "report-where"),
    ("address", "field-address"),
    ("category", "report-category"),
    ("title", "field-title"),
    ("description", "field-description"),
    ("photos", "field-photos"),
    ("name", "field-name"),
    ("email", "field-email"),
    ("contact", "field-contact"),
];

/// The form's problems at its top, each a link to its field; it takes the focus when the page
/// comes back with them, so a screen reader starts there and a phone shows it first.
#[component]
fn ErrorSummary(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let AppError::Validation(fields) = error else { return ().into_any() };
    let items = FIELD_ANCHORS
        .iter()
        .flat_map(|(field, anchor)| {
            fields.iter().filter(move |f| f.field == *field).map(move |f| {
                let text = explain(locale, field, f.problem);
                view! { <li><a href=format!("#{anchor}")>{text}</a></li> }
            })
        })
        .collect_view();
    view! {
        <div class="error-summary" tabindex="-1" autofocus aria-labelledby="error-summary-title">
            <h2 id="error-summary-title">{t!(i18n, ux.errors_title)}</h2>
            <ul>{items}</ul>
        </div>
    }
    .into_any()
}

#[component]
fn ReportForm(site: SiteContext) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let viewer = expect_context::<ViewerResource>();
    let sent_back = error_from_address(CreateReport::PATH);
    let error = RwSignal::new(sent_back.clone());
    let form_error: FormError = error.into();
    let page_error =
        Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    let label = move |text: fn(Locale) -> &'static str| {
        Signal::derive(move || text(i18n.get_locale()).to_owned())
    };
    let problem = move |field: &'static str| {
        move || error.with(|e| e.as_ref().and_then(|e| e.field_problems(field).next()))
    };
    // A form sent back after a refusal comes with what was typed in its address.
    let query = use_query_map().get_untracked();
    let came_back = sent_back.is_some();
    let typed = |field: &str| {
        if came_back {
            query.get(field).unwrap_or_default()
        } else {
            String::new()
        }
    };
    let photos_sent: Vec<String> =
        if came_back { query.get_all("photo").unwrap_or_default() } else { Vec::new() };
    let locality_slug = site.locality.slug.clone();
    let chosen = typed("category");
    let category_inputs = site
        .locality
        .categories
        .iter()
        .map(|c| {
            let checked = c.slug == chosen;
            view! {
                <label class="category-choice">
                    <input type="radio" name="category" value=c.slug.clone() required checked=checked />
                    <span class=format!("category-choice__icon cat-{}", c.id)>
                        <img src=format!("/icons/{}.svg", c.icon) alt="" width="22" height="22" />
                    </span>
                    <span>{c.name.get(locale).to_owned()}</span>
                </label>
            }
        })
        .collect_view();
    let typed_at = (typed("lat"), typed("lng"));
    let (name, email) = (typed("name"), typed("email"));
    let show_name = !typed("show_name").is_empty();
    let (for_visitor, contact) = (!typed("for_visitor").is_empty(), typed("contact"));
    let locality_id = site.locality.id;
    let category_problem = problem("category");

    view! {
        <p>{t!(i18n, newreport.intro)}</p>
        {sent_back.clone().map(|error| view! { <ErrorSummary error /> })}
        <FormNotice error=page_error />
        <form
            class="form report-form"
            method="post"
            action=CreateReport::PATH
            enctype="multipart/form-data"
            data-outbox="report"
        >
            <LangField />
            <input type="hidden" name="locality" value=locality_slug />

            <fieldset class="form-section" id="report-where">
                <legend>{t!(i18n, newreport.where_title)}</legend>
                {move || problem("location")().map(|p| view! { <p class="field__error" role="alert">{explain(locale, "location", p)}</p> })}
                <Transition fallback=|| ()>
                    {
                        let site = site.clone();
                        let typed_at = typed_at.clone();
                        move || {
                            let (site, typed_at) = (site.clone(), typed_at.clone());
                            Suspend::new(async move {
                                let signed_in = viewer.await.ok().is_some_and(|v| v.user.is_some());
                                view! { <PickLocation site nearby_for=signed_in typed=typed_at /> }
                            })
                        }
                    }
                </Transition>
                <Field name="address" autocomplete="street-address" maxlength=200 value=typed("address")
                    label=label(|l| td_string!(l, newreport.address))
                    hint=label(|l| td_string!(l, newreport.address_hint)) explain=explain error=form_error />
            </fieldset>

            <fieldset class="form-section category-grid" id="report-category"
                aria-describedby=move || category_problem().map(|_| "category-error")>
                <legend>{t!(i18n, filter.category)}</legend>
                {move || category_problem().map(|p| view! { <p id="category-error" class="field__error" role="alert">{explain(locale, "category", p)}</p> })}
                {category_inputs}
            </fieldset>

            <fieldset class="form-section">
                <legend>{t!(i18n, newreport.what_title)}</legend>
                <Field name="title" required=true maxlength=120 value=typed("title")
                    label=label(|l| td_string!(l, newreport.title_label))
                    hint=label(|l| td_string!(l, newreport.title_hint)) explain=explain error=form_error />
                <TextArea name="description" required=true maxlength=5000 rows=6 value=typed("description")
                    label=label(|l| td_string!(l, newreport.description)) explain=explain error=form_error />
                <PhotosField max=MAX_PHOTOS sent=photos_sent explain error=form_error />
            </fieldset>

            <fieldset class="form-section">
                <legend>{t!(i18n, newreport.who_title)}</legend>
                <Transition fallback=|| ()>
                    {move || {
                        let (name, email, contact) = (name.clone(), email.clone(), contact.clone());
                        Suspend::new(async move {
                        let viewer = viewer.await.unwrap_or_default();
                        let desk = viewer.is_staff_of(locality_id);
                        match viewer.user {
                            Some(u) => view! {
                                <p>{t!(i18n, newreport.as_user)} " " <strong>{u.display_name.clone()}</strong></p>
                                {desk.then(|| view! {
                                    <fieldset class="form-section desk-report">
                                        <legend>{t!(i18n, newreport.desk_title)}</legend>
                                        <label class="checkbox">
                                            <input type="checkbox" name="for_visitor" value="on" checked=for_visitor />
                                            {t!(i18n, newreport.for_visitor)}
                                        </label>
                                        <Field name="name" autocomplete="off" maxlength=80 value=name.clone()
                                            label=label(|l| td_string!(l, newreport.visitor_name)) explain=explain error=form_error />
                                        <Field name="contact" autocomplete="off" maxlength=120 value=contact
                                            label=label(|l| td_string!(l, newreport.visitor_contact))
                                            hint=label(|l| td_string!(l, newreport.visitor_contact_hint)) explain=explain error=form_error />
                                    </fieldset>
                                })}
                            }.into_any(),
                            None => view! {
                                <p class="field__hint">{t!(i18n, newreport.anonymous_hint)}</p>
                                <Field name="name" autocomplete="name" maxlength=80 value=name
                                    label=label(|l| td_string!(l, newreport.your_name)) explain=explain error=form_error />
                                <Field name="email" kind="email" autocomplete="email" value=email
                                    label=label(|l| td_string!(l, newreport.your_email))
                                    hint=label(|l| td_string!(l, newreport.email_hint)) explain=explain error=form_error />
                            }.into_any(),
                        }
                    })}}
                </Transition>
                <label class="checkbox">
                    <input type="checkbox" name="show_name" value="on" checked=show_name />
                    {t!(i18n, newreport.show_name)}
                </label>
                <p class="field__hint">{t!(i18n, newreport.privacy)}</p>
            </fieldset>

            <button type="submit" class="button button--large">{t!(i18n, newreport.submit)}</button>
        </form>
    }
}
