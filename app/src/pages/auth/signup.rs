use super::query_flag;
use crate::api::auth::SignUp;
use crate::components::form::{action_error, Field, FormNotice, LangField, SuccessNotice};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn SignupPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignUp>::new();
    let error = action_error(action);
    let sent = query_flag("sent");
    let label = move |text: fn(Locale) -> &'static str| {
        Signal::derive(move || text(i18n.get_locale()).to_owned())
    };
    let page_error =
        Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    view! {
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), auth.signup_title) />
            <Show
                when=move || sent.get()
                fallback=move || {
                    view! {
                        <p>{t!(i18n, auth.signup_intro)}</p>
                        <FormNotice error=page_error />
                        <ActionForm action attr:class="form">
                            <LangField />
                            <Field name="display_name" autocomplete="name" required=true maxlength=80
                                label=label(|l| td_string!(l, auth.display_name)) error />
                            <Field name="email" kind="email" autocomplete="email" required=true
                                label=label(|l| td_string!(l, auth.email)) error />
                            <Field name="password" kind="password" autocomplete="new-password" required=true
                                label=label(|l| td_string!(l, auth.password))
                                hint=label(|l| td_string!(l, auth.password_hint)) error />
                            <button type="submit" class="button">{t!(i18n, auth.signup_submit)}</button>
                        </ActionForm>
                        <p class="form-links">
                            <a href=move || crate::paths::page(i18n.get_locale(), "/login")>{t!(i18n, auth.login_link)}</a>
                        </p>
                    }
                }
            >
                <SuccessNotice>{t!(i18n, auth.check_email)}</SuccessNotice>
            </Show>
        </section>
    }
}
