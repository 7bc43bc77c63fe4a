use super::{query_flag, query_value};
use crate::api::auth::{RequestSignInLink, SignInWithLink};
use crate::components::form::{
    action_error, problem_text, Field, FormNotice, LangField, SuccessNotice,
};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// Sign-in by e-mail: asks for a link, or (opened from the mail, `?token=`) uses it with a
/// button press, so that mail scanners which follow links do not use it up.
#[component]
pub fn SignInLinkPage() -> impl IntoView {
    let i18n = use_i18n();
    let token = query_value("token");
    view! {
        <section class="page page--narrow">
            <h1>{t!(i18n, auth.link_title)}</h1>
            {move || if token.with(String::is_empty) {
                view! { <RequestLinkForm /> }.into_any()
            } else {
                view! { <UseLinkForm token=token.get() /> }.into_any()
            }}
        </section>
    }
}

#[component]
fn RequestLinkForm() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestSignInLink>::new();
    let error = action_error(action);
    let sent = query_flag("sent");
    let label = Signal::derive(move || td_string!(i18n.get_locale(), auth.email).to_owned());
    let page_error =
        Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    view! {
        <Show when=move || sent.get()>
            <SuccessNotice>{t!(i18n, auth.link_sent)}</SuccessNotice>
        </Show>
        <p>{t!(i18n, auth.link_intro)}</p>
        <FormNotice error=page_error />
        <ActionForm action attr:class="form">
            <LangField />
            <Field name="email" kind="email" autocomplete="email" required=true label error />
            <button type="submit" class="button">{t!(i18n, auth.link_submit)}</button>
        </ActionForm>
    }
}

#[component]
fn UseLinkForm(token: String) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignInWithLink>::new();
    let error = action_error(action);
    let token_problem =
        move || error.with(|e| e.as_ref().and_then(|e| e.field_problems("token").next()));
    let other =
        Signal::derive(move || error.get().filter(|e| e.field_problems("token").next().is_none()));
    view! {
        {move || token_problem().map(|p| view! {
            <p class="notice notice--error" role="alert">{problem_text(i18n.get_locale(), p)}</p>
        })}
        <FormNotice error=other />
        <p>{t!(i18n, auth.link_use_intro)}</p>
        <ActionForm action attr:class="form">
            <LangField />
            <input type="hidden" name="token" value=token />
            <button type="submit" class="button">{t!(i18n, auth.link_use_submit)}</button>
        </ActionForm>
    }
}
