use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn SiteFooter() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{t!(i18n, site.footer)}</p>
            <p><a href="/api/v1/reports.geojson?bbox=27.85,47.70,28.02,47.82">{t!(i18n, site.open_data)}</a></p>
        </footer>
    }
}
