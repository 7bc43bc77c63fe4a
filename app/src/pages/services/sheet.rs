//! `/{lang}/services/{id}/sheet`: the referral sheet a social worker prints and hands over —
//! the service's facts in the language chosen (the person's, not necessarily the worker's),
//! with room for whom it is for, who sends them, and notes. Printed on one A4 page without
//! the site's navigation.

use super::detail::{with_service, Facts};
use crate::api::directory::ServiceView;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn ReferralSheetPage() -> impl IntoView {
    with_service(|view| view! { <Sheet view /> }.into_any())
}

#[component]
fn Sheet(view: ServiceView) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let site = expect_context::<crate::app::SiteResource>();
    let s = view.service;
    let id = s.id;
    let (name, name_lang) = s.draft.name.get_in(locale);
    let (description, description_lang) = s.draft.description.get_in(locale);
    let checked = crate::format::date(crate::format::local_date(s.checked_at), locale);
    let page = crate::paths::page(locale, &format!("/services/{id}"));
    let languages = crate::locale::ALL.into_iter().map(|l| {
        let href = crate::paths::page(l, &format!("/services/{id}/sheet"));
        let current = l == locale;
        view! {
            <a href=href hreflang=l.to_string() lang=l.to_string() aria-current=current.then_some("page")>
                {crate::pages::events::language_label(l, l.as_ref())}
            </a>
        }
    });
    let blank = |label: &'static str| {
        view! {
            <div class="sheet__blank"><span>{label}</span><span class="sheet__line"></span></div>
        }
    };
    view! {
        <article class="page page--narrow referral-sheet">
            <div class="no-print sheet__tools">
                <p><a href=page.clone()>{td_string!(locale, services.back_to_service)}</a></p>
                <p>{td_string!(locale, services.sheet_language)}" "
                    <span class="sheet__languages">{languages.collect_view()}</span>
                </p>
                <p class="muted">{td_string!(locale, services.print_hint)}</p>
            </div>
            <p class="sheet__kicker">{td_string!(locale, services.sheet_title)}</p>
            <crate::components::page_title::PageHeading text=name.to_owned() lang=name_lang.to_string() />
            <section class="sheet__who" aria-label=td_string!(locale, services.sheet_who)>
                {blank(td_string!(locale, services.sheet_for))}
                {blank(td_string!(locale, services.sheet_from))}
                {blank(td_string!(locale, services.sheet_organisation))}
                {blank(td_string!(locale, services.sheet_date))}
            </section>
            <p class="event-description" lang=description_lang.to_string()>{description.to_owned()}</p>
            <Facts draft=s.draft.clone() />
            <section class="sheet__notes">
                <h2>{td_string!(locale, services.sheet_notes)}</h2>
                <div class="sheet__box"></div>
            </section>
            <p class="sheet__footer">
                {td_string!(locale, services.sheet_footer, date = checked).to_string()}
                " "
                <Suspense fallback=|| ()>
                    {move || {
                        let page = page.clone();
                        Suspend::new(async move {
                            let base = site.await.map(|s| s.settings.public_url).unwrap_or_default();
                            view! { <span class="sheet__url">{format!("{base}{page}")}</span> }
                        })
                    }}
                </Suspense>
            </p>
        </article>
    }
}
