use crate::components::status::StatusBadge;
use crate::i18n::*;
use crate::model::{Category, Page, ReportSummary};
use leptos::prelude::*;
use leptos::reactive::owner::Owner;

/// Reports as an ordered list: the accessible twin of the map's pins.
#[component]
pub fn ReportList(page: Page<ReportSummary>, categories: Vec<Category>) -> impl IntoView {
    let i18n = use_i18n();
    if page.items.is_empty() {
        return view! { <p class="empty">{t!(i18n, map.empty)}</p> }.into_any();
    }
    let items = page
        .items
        .into_iter()
        .map(|r| {
            let category = categories.iter().find(|c| c.slug == r.category).cloned();
            let href = move || crate::paths::page(i18n.get_locale(), &format!("/reports/{}", r.id));
            let created = r.created_at;
            view! {
                <li class="report-card">
                    <a class="report-card__title" href=href>{r.title.clone()}</a>
                    <div class="report-card__meta">
                        <StatusBadge status=r.status />
                        {category.map(|c| {
                            view! {
                                <span class="category">
                                    <img src=format!("/icons/{}.svg", c.icon) alt="" width="16" height="16" />
                                    {move || c.name.get(i18n.get_locale()).to_owned()}
                                </span>
                            }
                        })}
                        <time datetime=created.to_rfc3339()>
                            {move || crate::format::date(crate::format::local_date(created), i18n.get_locale())}
                        </time>
                    </div>
                    {r.address.map(|a| view! { <p class="report-card__address">{a}</p> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <ol class="report-list">{items}</ol>
    }
    .into_any()
}

/// The count and list of the reports in the map's view (the home page's side panel).
#[component]
pub fn InViewList(page: Page<ReportSummary>, categories: Vec<Category>) -> impl IntoView {
    let i18n = use_i18n();
    let total = page.total;
    view! {
        <p class="count">
            {t_string!(i18n, map.count_in_view, count = crate::format::integer(total, i18n.get_locale_untracked()))}
        </p>
        <ReportList page categories />
    }
}

/// [`InViewList`] as HTML, for the map island to swap in after the view or the filters change.
pub fn in_view_html(
    locale: Locale,
    page: Page<ReportSummary>,
    locality: &crate::model::Locality,
) -> String {
    let owner = Owner::new();
    let categories = locality.categories.clone();
    let site = crate::paths::Site(locality.site_slug().map(str::to_owned));
    owner.with(|| {
        crate::locale::provide(locale);
        // Called by the island, not from the page: its links are on the locality's site.
        provide_context(site);
        view! { <InViewList page categories /> }.to_html()
    })
}
