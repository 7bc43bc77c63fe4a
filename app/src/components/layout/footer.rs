use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn SiteFooter() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{t!(i18n, site.footer)}</p>
            <p><a href=move || crate::paths::page(i18n.get_locale(), "/open-data")>{t!(i18n, site.open_data)}</a></p>
        </footer>
    }
}
