use crate::i18n::*;
use leptos::prelude::*;

/// Sections whose issues have not landed yet say so plainly.
#[component]
pub fn PlaceholderPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page page--narrow">
            <p>{t!(i18n, page.coming_soon)}</p>
        </section>
    }
}
