//! Which locality's site the visitor is on, and the way to the others: a disclosure that works
//! without any script, with plain links a keyboard and a screen reader follow.

use crate::app::SiteResource;
use crate::i18n::*;
use crate::paths;
use leptos::prelude::*;

#[component]
pub fn LocalitySwitch() -> impl IntoView {
    let i18n = use_i18n();
    let site = use_context::<SiteResource>();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Some(Ok(site)) = (match site {
                    Some(site) => Some(site.await),
                    None => None,
                }) else {
                    return ().into_any();
                };
                let locale = i18n.get_locale_untracked();
                let here = site.locality.slug.clone();
                let name = site.locality.name.get(locale).to_owned();
                let links = site
                    .localities
                    .iter()
                    .map(|l| {
                        let current = (l.slug == here).then_some("page");
                        let href = paths::site_page(l.site_slug(), locale, "");
                        let label = l.name.get(locale).to_owned();
                        view! {
                            <li><a href=href aria-current=current data-locality=l.slug.clone()>{label}</a></li>
                        }
                    })
                    .collect_view();
                view! {
                    <details class="locality-menu" data-testid="locality-menu">
                        <summary>
                            <span class="visually-hidden">{td_string!(locale, locality.current)} " "</span>
                            <span data-testid="current-locality">{name}</span>
                        </summary>
                        <nav aria-label=td_string!(locale, locality.switch)>
                            <ul>{links}</ul>
                        </nav>
                    </details>
                }
                .into_any()
            })}
        </Suspense>
    }
}
