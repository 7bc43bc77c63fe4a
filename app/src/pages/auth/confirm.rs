use super::query_value;
use crate::api::auth::ConfirmEmail;
use crate::components::form::problem_text;
use crate::components::form::{action_error, FormNotice, LangField};
use crate::i18n::*;
use leptos::prelude::*;

/// Confirmation takes a button press: mail scanners that follow links must not use it up.
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ConfirmEmail>::new();
    let error = action_error(action);
    let token = query_value("token");
    let token_problem =
        move || error.with(|e| e.as_ref().and_then(|e| e.field_problems("token").next()));
    let other =
        Signal::derive(move || error.get().filter(|e| e.field_problems("token").next().is_none()));
    view! {
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), auth.confirm_title) />
            {move || token_problem().map(|p| view! { <p class="notice notice--error" role="alert">{problem_text(i18n.get_locale(), p)}</p> })}
            <FormNotice error=other />
            <ActionForm action attr:class="form">
                <LangField />
                <input type="hidden" name="token" value=move || token.get() />
                <button type="submit" class="button">{t!(i18n, auth.confirm_submit)}</button>
            </ActionForm>
        </section>
    }
}
