use crate::api::votes::CreatePoll;
use crate::components::form::{action_error, Field, FormNotice, LangField, TextArea};
use crate::error::AppError;
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;

/// Staff: a new poll, its question and options in up to four languages.
#[component]
pub fn NewPollPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreatePoll>::new();
    let error = action_error(create);
    let page_error =
        Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    let now = chrono::Utc::now();
    let default_open = format::utc_to_city_input(now);
    let default_close = format::utc_to_city_input(now + chrono::TimeDelta::days(14));
    let text = move |field: &'static str, label: &'static str, required: bool| {
        view! { <Field name=field label=Signal::derive(move || label.to_owned()) required maxlength=400 error /> }
    };
    let area = move |field: &'static str, label: &'static str, rows: u32| {
        view! { <TextArea name=field label=Signal::derive(move || label.to_owned()) rows error /> }
    };
    view! {
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), polls.create) />
            <FormNotice error=page_error />
            <ActionForm action=create attr:class="form">
                <LangField />
                <crate::components::form::SiteField />
                <fieldset class="form-section">
                    <legend>{t!(i18n, polls.question)}</legend>
                    {text("question_ro", "Română", true)}
                    {text("question_ru", "Русский", false)}
                    {text("question_uk", "Українська", false)}
                    {text("question_en", "English", false)}
                </fieldset>
                <fieldset class="form-section">
                    <legend>{t!(i18n, polls.description)}</legend>
                    {area("description_ro", "Română", 3)}
                    {area("description_ru", "Русский", 3)}
                    {area("description_uk", "Українська", 3)}
                    {area("description_en", "English", 3)}
                </fieldset>
                <fieldset class="form-section">
                    <legend>{t!(i18n, polls.options)}</legend>
                    <p class="field__hint">{t!(i18n, polls.options_hint)}</p>
                    {area("options_ro", "Română", 5)}
                    {area("options_ru", "Русский", 5)}
                    {area("options_uk", "Українська", 5)}
                    {area("options_en", "English", 5)}
                    <TextArea name="links" label=Signal::derive(move || t_string!(i18n, polls.links).to_owned()) rows=5 error />
                </fieldset>
                <Field name="max_choices" kind="number" required=true value="1".to_owned()
                    label=Signal::derive(move || t_string!(i18n, polls.max_choices).to_owned()) error />
                <Field name="opens_at" kind="datetime-local" required=true value=default_open
                    label=Signal::derive(move || t_string!(i18n, polls.opens).to_owned()) error />
                <Field name="closes_at" kind="datetime-local" required=true value=default_close
                    label=Signal::derive(move || t_string!(i18n, polls.closes).to_owned()) error />
                <label class="checkbox">
                    <input type="checkbox" name="results_before_vote" value="on" checked=true />
                    {t!(i18n, polls.results_before_vote)}
                </label>
                <button type="submit" class="button">{t!(i18n, polls.create)}</button>
            </ActionForm>
        </section>
    }
}
