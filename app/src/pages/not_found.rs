use crate::i18n::*;
use leptos::prelude::*;

/// A real 404: the status is set during server rendering.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), page.not_found_title) />
            <p>{t!(i18n, page.not_found_body)}</p>
            <p><a href=move || format!("/{}", i18n.get_locale())>{t!(i18n, page.back_home)}</a></p>
        </section>
    }
}
