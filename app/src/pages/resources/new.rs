//! `/{lang}/resources/new`: an organisation's member proposes a link (staff publish theirs at
//! once). Title and description in up to four languages, Romanian required.

use super::topic_label;
use crate::api::resources::{resource_desk, ProposeResource, ResourceRoles};
use crate::app::ViewerResource;
use crate::components::error::ErrorNotice;
use crate::components::form::{
    error_from_address, problem_text, Field, FieldProblems, FormError, FormNotice, LangField,
    SelectField, SiteField, TextArea,
};
use crate::components::layout::SignInPrompt;
use crate::error::Problem;
use crate::i18n::*;
use crate::model::network::{Audience, EVENT_LANGUAGES};
use crate::model::resources::Topic;
use crate::pages::events::{audience_label, language_label};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

#[component]
pub fn NewResourcePage() -> impl IntoView {
    let i18n = use_i18n();
    let viewer = expect_context::<ViewerResource>();
    let roles = Resource::new(|| (), |_| resource_desk(None));
    let locale = i18n.get_locale_untracked();
    view! {
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=td_string!(locale, resources.propose) />
            <Suspense fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    let signed_in = viewer.await.map(|v| v.user.is_some()).unwrap_or(false);
                    if !signed_in {
                        return view! { <SignInPrompt /> }.into_any();
                    }
                    match roles.await {
                        Ok(roles) if !roles.organisations.is_empty() => view! { <ResourceForm roles /> }.into_any(),
                        Ok(_) => view! { <p class="notice">{td_string!(locale, resources.members_only)}</p> }.into_any(),
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// What to do about the link or the file.
fn explain(locale: Locale, field: &str, problem: Problem) -> String {
    match (field, problem) {
        ("url", Problem::Required) => td_string!(locale, resources.url_or_file).to_owned(),
        ("file", Problem::Invalid) => td_string!(locale, resources.not_both).to_owned(),
        ("file", Problem::UnreadableFile) => td_string!(locale, resources.file_not_pdf).to_owned(),
        ("file", Problem::FileTooLarge) => td_string!(locale, resources.file_too_large).to_owned(),
        _ => problem_text(locale, problem).to_owned(),
    }
}

#[component]
fn ResourceForm(roles: ResourceRoles) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let error: FormError = RwSignal::new(error_from_address(ProposeResource::PATH)).into();
    let label = move |text: fn(Locale) -> &'static str| {
        Signal::derive(move || text(i18n.get_locale()).to_owned())
    };
    let options = |pairs: Vec<(String, String)>| Signal::derive(move || pairs.clone());
    let file_problems = Signal::derive(move || {
        error.with(|e| {
            e.as_ref().map(|e| e.field_problems("file").collect::<Vec<_>>()).unwrap_or_default()
        })
    });
    let organisations =
        roles.organisations.iter().map(|o| (o.id.to_string(), o.name.clone())).collect();
    let topics = Topic::ALL
        .iter()
        .map(|t| (t.as_str().to_owned(), topic_label(locale, *t).to_owned()))
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
                <Field name=title required maxlength=120 label=label(|l| td_string!(l, resources.title_label)) error />
                <TextArea name=description required maxlength=1000 rows=3 label=label(|l| td_string!(l, resources.description_label)) error />
            </fieldset>
        }
    })
    .collect_view();
    view! {
        <p>{td_string!(locale, resources.propose_intro)}</p>
        {(!roles.reviewer).then(|| view! { <p class="muted">{td_string!(locale, resources.review_hint)}</p> })}
        <FormNotice error />
        <form class="form" method="post" action=ProposeResource::PATH enctype="multipart/form-data">
            <LangField />
            <SiteField />
            <SelectField name="organisation" label=label(|l| td_string!(l, resources.organisation)) options=options(organisations) error />
            <Field name="url" kind="url" maxlength=500 label=label(|l| td_string!(l, resources.url_label)) explain=explain error />
            <div class="field">
                <label for="field-file">{td_string!(locale, resources.file_label)}</label>
                <p class="field__hint" id="field-file-hint">{td_string!(locale, resources.file_hint)}</p>
                <input id="field-file" name="file" type="file" accept="application/pdf,.pdf" aria-describedby="field-file-hint" aria-invalid=move || (!file_problems.with(Vec::is_empty)).then_some("true") />
                <FieldProblems id="field-file-error".to_owned() field="file" problems=file_problems locale=Signal::derive(move || i18n.get_locale()) explain=Some(explain) />
            </div>
            {per_language}
            <SelectField name="language" label=label(|l| td_string!(l, resources.language)) options=options(languages) selected="multi".to_owned() error />
            <SelectField name="topic" label=label(|l| td_string!(l, resources.topic)) options=options(topics) error />
            <SelectField name="audience" label=label(|l| td_string!(l, resources.audience)) options=options(audiences) error />
            <button type="submit" class="button button--large">{td_string!(locale, resources.submit)}</button>
        </form>
    }
}
