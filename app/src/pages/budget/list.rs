use super::phase_label;
use crate::api::budget::list_editions;
use crate::app::{SiteResource, ViewerResource};
use crate::components::error::ErrorNotice;
use crate::components::localized::LocalizedText;
use crate::components::page_title::PageHeading;
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;

/// `/{lang}/budget`: the editions of the civic budget, newest first.
#[component]
pub fn EditionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let editions = Resource::new(|| (), |_| list_editions());
    let site = expect_context::<SiteResource>();
    let viewer = expect_context::<ViewerResource>();
    // Staff of the locality start the next edition from here.
    let new_edition = move || {
        Suspend::new(async move {
            let staff = match (site.await, viewer.await) {
                (Ok(site), Ok(viewer)) => viewer.is_staff_of(site.locality.id),
                _ => false,
            };
            staff.then(|| view! {
                <p><a class="button" href=crate::paths::page(l, "/budget/new")>{td_string!(l, budget_setup.new_edition)}</a></p>
            })
        })
    };
    view! {
        <div class="page">
            <PageHeading text=td_string!(l, budget.title) />
            <p>{td_string!(l, budget.intro)}</p>
            <Suspense fallback=|| ()>{new_edition}</Suspense>
            <Transition fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    match editions.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">{td_string!(l, budget.no_editions)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ol class="report-list">
                                {list.into_iter().map(|e| view! {
                                    <li class="report-card">
                                        <a class="report-card__title" href=crate::paths::page(l, &format!("/budget/{}", e.slug))>
                                            <LocalizedText text=e.title.clone() />
                                        </a>
                                        <div class="report-card__meta">
                                            <span class="badge">{phase_label(l, e.phase)}</span>
                                            <span>{format!("{} – {}", format::date(format::local_date(e.dates.0[0]), l), format::date(format::local_date(e.dates.0[5]), l))}</span>
                                            <span>{td_string!(l, budget.confirmed_ballots, n = e.confirmed_ballots).to_string()}</span>
                                        </div>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}
