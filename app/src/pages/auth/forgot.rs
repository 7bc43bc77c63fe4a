use super::query_flag;
use crate::api::auth::RequestPasswordReset;
use crate::components::form::{action_error, Field, FormNotice, LangField, SuccessNotice};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn ForgotPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = action_error(action);
    let sent = query_flag("sent");
    let label = Signal::derive(move || td_string!(i18n.get_locale(), auth.email).to_owned());
    let page_error =
        Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    view! {
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), auth.forgot_title) />
            <Show when=move || sent.get()>
                <SuccessNotice>{t!(i18n, auth.reset_sent)}</SuccessNotice>
            </Show>
            <p>{t!(i18n, auth.forgot_intro)}</p>
            <FormNotice error=page_error />
            <ActionForm action attr:class="form">
                <LangField />
                <Field name="email" kind="email" autocomplete="email" required=true label error />
                <button type="submit" class="button">{t!(i18n, auth.forgot_submit)}</button>
            </ActionForm>
        </section>
    }
}
