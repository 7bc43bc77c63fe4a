use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Previous / next links that keep the rest of the query string.
#[component]
pub fn Pager(current: Signal<u32>, total: i64, per_page: u32) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let pages = ((total.max(0) as u64).div_ceil(u64::from(per_page.max(1)))).max(1) as u32;
    let href = move |page: u32| {
        let search = location.search.get();
        let mut pairs: Vec<String> = search
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("page="))
            .map(str::to_owned)
            .collect();
        if page > 1 {
            pairs.push(format!("page={page}"));
        }
        format!("{}?{}", location.pathname.get(), pairs.join("&"))
    };
    view! {
        <Show when=move || { pages > 1 }>
            <nav class="pager" aria-label=move || t_string!(i18n, reports.pages)>
                <Show when=move || { current.get() > 1 }>
                    <a rel="prev" href=move || href(current.get() - 1)>{t!(i18n, reports.previous)}</a>
                </Show>
                <span>{move || t_string!(i18n, reports.page_of, page = current.get(), pages = pages)}</span>
                <Show when=move || { current.get() < pages }>
                    <a rel="next" href=move || href(current.get() + 1)>{t!(i18n, reports.next)}</a>
                </Show>
            </nav>
        </Show>
    }
}
