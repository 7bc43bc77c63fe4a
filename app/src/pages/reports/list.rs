use crate::api::reports::{list_reports, PER_PAGE};
use crate::app::SiteResource;
use crate::components::error::ErrorNotice;
use crate::components::filters::{filter_from_query, query_value, FilterForm};
use crate::components::layout::SignInPrompt;
use crate::components::pager::Pager;
use crate::components::report_list::ReportList;
use crate::error::AppError;
use crate::i18n::*;
use crate::model::ReportSort;
use leptos::prelude::*;

/// All reports as a filterable, sortable, paged list: the accessible twin of the map, and
/// "my reports" with `?mine=1`.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<SiteResource>();
    let filter = filter_from_query();
    let sort = query_value("sort");
    let page = query_value("page");
    let mine = query_value("mine");
    let sort_signal = Signal::derive(move || ReportSort::parse(&sort.get().unwrap_or_default()));
    let page_number =
        Signal::derive(move || page.get().and_then(|p| p.parse::<u32>().ok()).unwrap_or(1).max(1));
    let is_mine = Signal::derive(move || mine.get().is_some_and(|m| m == "1" || m == "true"));
    let reports = Resource::new(
        move || (filter.get(), sort_signal.get(), page_number.get(), is_mine.get()),
        |(filter, sort, page, mine)| {
            let f = crate::model::ReportFilterArgs::of(&filter);
            list_reports(
                f.category,
                f.status,
                f.since,
                f.until,
                f.q,
                Some(sort.as_param().to_owned()),
                Some(page - 1),
                Some(mine),
                None,
            )
        },
    );
    view! {
        <div class="page">
            <crate::components::page_title::PageHeading text=if is_mine.get_untracked() {
                td_string!(i18n.get_locale_untracked(), account.my_reports)
            } else {
                td_string!(i18n.get_locale_untracked(), reports.list_title)
            } />
            <p>
                <a class="button" href=move || format!("/{}/reports/new", i18n.get_locale())>{t!(i18n, nav.report_problem)}</a>
            </p>
            <div class="list-layout">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let categories = site.await.map(|s| s.locality.categories).unwrap_or_default();
                        let keep = if is_mine.get_untracked() { vec![("mine", "1".to_owned())] } else { Vec::new() };
                        view! { <FilterForm filter categories sort=sort_signal keep /> }
                    })}
                </Suspense>
                <section aria-labelledby="results-title">
                    <h2 id="results-title" class="visually-hidden">{t!(i18n, reports.results)}</h2>
                    <Transition fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                        {move || Suspend::new(async move {
                            let categories = site.await.map(|s| s.locality.categories).unwrap_or_default();
                            match reports.await {
                                Ok(page) => {
                                    let total = page.total;
                                    view! {
                                        <p class="count" aria-live="polite">
                                            {move || t_string!(i18n, reports.count, count = crate::format::integer(total, i18n.get_locale()))}
                                        </p>
                                        <ReportList page categories />
                                        <Pager current=page_number total per_page=PER_PAGE />
                                    }
                                        .into_any()
                                }
                                Err(AppError::Unauthorized) => view! { <SignInPrompt /> }.into_any(),
                                Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                            }
                        })}
                    </Transition>
                </section>
            </div>
        </div>
    }
}
