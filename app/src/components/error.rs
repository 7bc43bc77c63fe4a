use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// The translated sentence for an error.
pub fn error_text(locale: Locale, err: &AppError) -> &'static str {
    match err {
        AppError::NotFound => td_string!(locale, errors.not_found),
        AppError::Unauthorized => td_string!(locale, errors.unauthorized),
        AppError::Forbidden => td_string!(locale, errors.forbidden),
        AppError::Validation(_) => td_string!(locale, errors.validation),
        AppError::Conflict => td_string!(locale, errors.conflict),
        AppError::RateLimited => td_string!(locale, errors.rate_limited),
        AppError::Network | AppError::Internal => td_string!(locale, errors.internal),
    }
}

/// An error announced to screen readers as it appears.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="notice notice--error" role="alert">{move || error_text(i18n.get_locale(), &error)}</p> }
}
