use crate::api::votes::{list_initiatives, INITIATIVES_PER_PAGE};
use crate::app::SiteResource;
use crate::components::error::ErrorNotice;
use crate::components::filters::query_value;
use crate::components::layout::SignInPrompt;
use crate::components::level::{level_name, LevelBadge};
use crate::components::pager::Pager;
use crate::error::AppError;
use crate::format;
use crate::i18n::*;
use crate::model::vote::{InitiativeSort, InitiativeSummary, Level};
use leptos::prelude::*;

#[component]
pub fn InitiativesPage() -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<SiteResource>();
    let sort = query_value("sort");
    let category = query_value("category");
    let level = query_value("level");
    let page = query_value("page");
    let mine = query_value("mine");
    let page_number =
        Signal::derive(move || page.get().and_then(|p| p.parse::<u32>().ok()).unwrap_or(1).max(1));
    let is_mine = Signal::derive(move || mine.get().is_some_and(|m| m == "1" || m == "true"));
    let list = Resource::new(
        move || (sort.get(), category.get(), level.get(), page_number.get(), is_mine.get()),
        |(sort, category, level, page, mine)| {
            list_initiatives(sort, category, level, Some(page - 1), Some(mine), None)
        },
    );
    let current_sort =
        Signal::derive(move || InitiativeSort::parse(&sort.get().unwrap_or_default()));
    let sort_option = move |value: InitiativeSort, label: fn(Locale) -> &'static str| {
        view! { <option value=value.as_param() selected=move || current_sort.get() == value>{move || label(i18n.get_locale())}</option> }
    };
    view! {
        <crate::app::MapScripts bundle=crate::assets::Bundle::Place />
        <div class="page">
            <crate::components::page_title::PageHeading text=if is_mine.get_untracked() {
                td_string!(i18n.get_locale_untracked(), initiatives.mine)
            } else {
                td_string!(i18n.get_locale_untracked(), initiatives.title)
            } />
            <p>{t!(i18n, initiatives.intro)}</p>
            <p><a class="button" href=move || format!("/{}/initiatives/new", i18n.get_locale())>{t!(i18n, initiatives.launch)}</a></p>
            <leptos_router::components::Form method="GET" action="" attr:class="filters-form filters-form--row">
                {move || is_mine.get().then(|| view! { <input type="hidden" name="mine" value="1" /> })}
                <div class="field field--inline">
                    <label for="ini-sort">{t!(i18n, filter.sort)}</label>
                    <select id="ini-sort" name="sort">
                        {sort_option(InitiativeSort::MostSupported, |l| td_string!(l, filter.sort_supported))}
                        {sort_option(InitiativeSort::Newest, |l| td_string!(l, filter.sort_newest))}
                        {sort_option(InitiativeSort::ClosingSoon, |l| td_string!(l, initiatives.closing_soon))}
                    </select>
                </div>
                <div class="field field--inline">
                    <label for="ini-category">{t!(i18n, filter.category)}</label>
                    <select id="ini-category" name="category">
                        <option value="">{t!(i18n, filter.all_categories)}</option>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                site.await.map(|s| s.locality.categories).unwrap_or_default().into_iter().map(|c| {
                                    let selected = category.get_untracked().as_deref() == Some(c.slug.as_str());
                                    view! { <option value=c.slug.clone() selected=selected>{c.name.get(i18n.get_locale_untracked()).to_owned()}</option> }
                                }).collect_view()
                            })}
                        </Suspense>
                    </select>
                </div>
                <div class="field field--inline">
                    <label for="ini-level">{t!(i18n, initiatives.level)}</label>
                    <select id="ini-level" name="level">
                        <option value="">{t!(i18n, initiatives.any_level)}</option>
                        {Level::ALL.into_iter().map(|l| view! { <option value=l.as_str() selected=move || level.get().as_deref() == Some(l.as_str())>{level_name(i18n.get_locale_untracked(), l)}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button button--small">{t!(i18n, filter.apply)}</button>
            </leptos_router::components::Form>
            <Transition fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(page) => {
                            let site_now = site.await.ok();
                            let total = page.total;
                            let with_place: Vec<InitiativeSummary> = page.items.iter().filter(|i| i.at.is_some()).cloned().collect();
                            view! {
                                <p class="count">{move || t_string!(i18n, initiatives.count, count = format::integer(total, i18n.get_locale()))}</p>
                                <InitiativeCards items=page.items />
                                <Pager current=page_number total per_page=INITIATIVES_PER_PAGE />
                                {(!with_place.is_empty()).then(|| site_now.map(|site| view! { <InitiativeMap items=with_place site /> }))}
                            }
                            .into_any()
                        }
                        Err(AppError::Unauthorized) => view! { <SignInPrompt /> }.into_any(),
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
pub fn InitiativeCards(items: Vec<InitiativeSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return view! { <p class="empty">{t!(i18n, initiatives.none)}</p> }.into_any();
    }
    view! {
        <ol class="report-list initiative-list">
            {items.into_iter().map(|i| {
                let created = i.created_at;
                let id = i.id;
                view! {
                    <li class="report-card">
                        <a class="report-card__title" href=move || format!("/{}/initiatives/{id}", i18n.get_locale()) lang=i.lang.clone()>{i.title.clone()}</a>
                        <div class="report-card__meta">
                            <LevelBadge level=i.level />
                            <span class="votes">{move || t_string!(i18n, initiatives.supporters, count = i.votes)}</span>
                            <span>{i.author.clone()}</span>
                            <time datetime=created.to_rfc3339()>{move || format::date(format::local_date(created), i18n.get_locale())}</time>
                            {i.answered.then(|| view! { <span class="official-badge">{t!(i18n, initiatives.answered)}</span> })}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// The initiatives that have a place, as a map layer.
#[component]
fn InitiativeMap(items: Vec<InitiativeSummary>, site: crate::model::SiteContext) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let page = |id: i64| crate::paths::page(l, &format!("/initiatives/{id}"));
    let points: Vec<(String, crate::model::LatLng, String)> =
        items.iter().filter_map(|i| i.at.map(|p| (page(i.id), p, i.title.clone()))).collect();
    let label = td_string!(l, initiatives.on_map);
    let open = td_string!(l, initiatives.open_initiative);
    view! {
        <section aria-labelledby="ini-map-title">
            <h2 id="ini-map-title">{t!(i18n, initiatives.on_map)}</h2>
            <crate::components::map::PlacesOnMap site places=points label open />
        </section>
    }
}
