use crate::i18n::*;
use crate::locale;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Links to the same page in each language. Plain links, so they work before WASM loads; each
/// carries its own `lang` so screen readers pronounce the names right, and `rel="nofollow"`:
/// search engines find the languages through `<link rel="alternate">`.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let links = locale::ALL
        .into_iter()
        .map(|l| {
            let href = move || {
                let path = location.pathname.get();
                let search = location.search.get();
                let target = crate::paths::switch_language(&path, &search, l);
                // Through the server, which remembers the choice (a shared link then opens in
                // this language, not the sharer's).
                format!("/language?to={l}&next={}", crate::paths::encode_component(&target))
            };
            let current = move || (i18n.get_locale() == l).then_some("true");
            let name = td_string!(l, lang.ro);
            let label = match l {
                Locale::ro => name,
                Locale::ru => td_string!(l, lang.ru),
                Locale::uk => td_string!(l, lang.uk),
                Locale::en => td_string!(l, lang.en),
            };
            view! {
                <li>
                    <a href=href hreflang=l.to_string() lang=l.to_string() rel="nofollow" aria-current=current>
                        <abbr title=label>{l.to_string().to_uppercase()}</abbr>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="lang-switch" aria-label=move || t_string!(i18n, nav.language)>
            <ul>{links}</ul>
        </nav>
    }
}
