use super::{query_flag, query_value};
use crate::api::auth::SignIn;
use crate::components::form::{action_error, Field, LangField, SuccessNotice};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignIn>::new();
    let error = action_error(action);
    let confirmed = query_flag("confirmed");
    let reset = query_flag("reset");
    let next = query_value("next");
    let label = move |text: fn(Locale) -> &'static str| {
        Signal::derive(move || text(i18n.get_locale()).to_owned())
    };
    // Wrong credentials are a page-level message that never says which of the two was wrong.
    let bad_credentials = move || matches!(error.get(), Some(AppError::Unauthorized));
    // Too many attempts: say how to get in anyway.
    let throttled = move || matches!(error.get(), Some(AppError::RateLimited));
    let other_error = Signal::derive(move || {
        error.get().filter(|e| {
            !matches!(e, AppError::Unauthorized | AppError::RateLimited | AppError::Validation(_))
        })
    });
    view! {
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), auth.login_title) />
            <Show when=move || confirmed.get()>
                <SuccessNotice>{t!(i18n, auth.confirmed)}</SuccessNotice>
            </Show>
            <Show when=move || reset.get()>
                <SuccessNotice>{t!(i18n, auth.password_changed)}</SuccessNotice>
            </Show>
            <Show when=bad_credentials>
                <p class="notice notice--error" role="alert">{t!(i18n, auth.bad_credentials)}</p>
            </Show>
            <Show when=throttled>
                <p class="notice notice--error" role="alert">
                    {t!(i18n, auth.throttled)} " "
                    <a href=move || crate::paths::page(i18n.get_locale(), "/login/link")>{t!(i18n, auth.link_offer)}</a>
                </p>
            </Show>
            <crate::components::form::FormNotice error=other_error />
            <ActionForm action attr:class="form">
                <LangField />
                <input type="hidden" name="next" value=move || next.get() />
                <Field name="email" kind="email" autocomplete="email" required=true
                    label=label(|l| td_string!(l, auth.email)) error />
                <Field name="password" kind="password" autocomplete="current-password" required=true
                    label=label(|l| td_string!(l, auth.password)) error />
                <button type="submit" class="button">{t!(i18n, auth.login_submit)}</button>
            </ActionForm>
            <p class="form-links">
                <a href=move || crate::paths::page(i18n.get_locale(), "/forgot")>{t!(i18n, auth.forgot_link)}</a>
                " · "
                <a href=move || crate::paths::page(i18n.get_locale(), "/login/link")>{t!(i18n, auth.link_offer)}</a>
                " · "
                <a href=move || crate::paths::page(i18n.get_locale(), "/signup")>{t!(i18n, auth.signup_link)}</a>
            </p>
        </section>
    }
}
