use super::query_value;
use crate::api::auth::ResetPassword;
use crate::components::form::{action_error, problem_text, Field, FormNotice, LangField};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn ResetPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ResetPassword>::new();
    let error = action_error(action);
    let token = query_value("token");
    let label = Signal::derive(move || td_string!(i18n.get_locale(), auth.new_password).to_owned());
    let hint = Signal::derive(move || td_string!(i18n.get_locale(), auth.password_hint).to_owned());
    let token_problem =
        move || error.with(|e| e.as_ref().and_then(|e| e.field_problems("token").next()));
    let page_error =
        Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    view! {
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), auth.reset_title) />
            {move || token_problem().map(|p| view! {
                <p class="notice notice--error" role="alert">
                    {problem_text(i18n.get_locale(), p)} " "
                    <a href=move || crate::paths::page(i18n.get_locale(), "/forgot")>{t!(i18n, auth.forgot_link)}</a>
                </p>
            })}
            <FormNotice error=page_error />
            <ActionForm action attr:class="form">
                <LangField />
                <input type="hidden" name="token" value=move || token.get() />
                <Field name="password" kind="password" autocomplete="new-password" required=true label hint error />
                <button type="submit" class="button">{t!(i18n, auth.reset_submit)}</button>
            </ActionForm>
        </section>
    }
}
