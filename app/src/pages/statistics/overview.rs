//! `/{lang}/statistics` (everyone) and `/{lang}/staff/statistics` (the city hall, with the
//! density of open reports on the map): the figures for a period, category, department and
//! status, all kept in the address.

use super::figures::{
    minutes, share, BudgetSection, ByCategory, ByDepartment, ByMonth, ByStatus,
    ResponseTimesSection,
};
use crate::api::statistics::get_statistics;
use crate::app::{SiteResource, ViewerResource};
use crate::components::error::ErrorNotice;
use crate::components::status::status_label;
use crate::format;
use crate::i18n::*;
use crate::model::statistics::{Statistics, StatsFilter};
use crate::model::{Category, ReportStatus, SiteContext};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The filter as the address gives it.
fn filter_from_address() -> Memo<StatsFilter> {
    let query = use_query_map();
    // Checkboxes send `status=new&status=accepted`; links send `status=new,accepted`.
    let all = |q: &leptos_router::params::ParamsMap, key: &str| {
        q.get_all(key).map(|values| values.join(","))
    };
    Memo::new(move |_| {
        query.with(|q| {
            StatsFilter::from_query(
                q.get("from").as_deref(),
                q.get("to").as_deref(),
                all(q, "category").as_deref(),
                all(q, "department").as_deref(),
                all(q, "status").as_deref(),
            )
        })
    })
}

#[component]
pub fn StatisticsPage() -> impl IntoView {
    view! { <StatisticsFrame staff=false /> }
}

#[component]
pub fn StaffStatisticsPage() -> impl IntoView {
    view! { <StatisticsFrame staff=true /> }
}

/// The page itself: the figures are awaited directly (pages render only on the server), so
/// nothing is serialised into the page for a script that never reads it.
#[component]
fn StatisticsFrame(staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<SiteResource>();
    let viewer = expect_context::<ViewerResource>();
    let filter = filter_from_address();
    view! {
        <div class="page page--statistics">
            <Suspense fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    let site = match site.await {
                        Ok(site) => site,
                        Err(err) => return view! { <ErrorNotice error=err /> }.into_any(),
                    };
                    let locality = site.locality.id;
                    if staff && !viewer.await.map(|v| v.is_staff_of(locality)).unwrap_or(false) {
                        return view! { <ErrorNotice error=crate::error::AppError::Forbidden /> }.into_any();
                    }
                    let f = filter.get_untracked();
                    let joined = |parts: Vec<String>| (!parts.is_empty()).then(|| parts.join(","));
                    let stats = get_statistics(
                        Some(site.locality.slug.clone()),
                        f.from.map(|m| m.key()),
                        f.to.map(|m| m.key()),
                        joined(f.categories.clone()),
                        joined(f.departments.iter().map(i64::to_string).collect()),
                        joined(f.statuses.iter().map(|s| s.as_str().to_owned()).collect()),
                    )
                    .await;
                    match stats {
                        Ok(stats) => view! { <StatisticsBody stats site staff /> }.into_any(),
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn StatisticsBody(stats: Statistics, site: SiteContext, staff: bool) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let locality = site.locality.clone();
    let query = stats.filter.to_query();
    let csv = |table: &str| {
        let sep = if query.is_empty() { "" } else { "&" };
        format!(
            "/api/v1/statistics.csv?table={table}&locality={}&lang={l}{sep}{query}",
            locality.slug
        )
    };
    let title = if staff { td_string!(l, stats.staff_title) } else { td_string!(l, stats.title) };
    let this_year = chrono::Datelike::year(&format::local_date(chrono::Utc::now()));
    let categories = locality.categories.clone();
    view! {
        <h1>{title} " — " {locality.name.get(l).to_owned()}</h1>
        <p>{td_string!(l, stats.intro)}</p>
        <StatsFilterForm filter=stats.filter.clone() categories=categories.clone() stats=stats.clone() staff />
        <Headline stats=stats.clone() />
        <ByStatus stats=stats.clone() csv=csv("status") />
        <ByCategory stats=stats.clone() categories=categories.clone() csv=csv("category") />
        <ByMonth stats=stats.clone() csv=csv("month") />
        <ResponseTimesSection stats=stats.clone() categories=categories.clone() csv=csv("response") />
        <ByDepartment stats=stats.clone() csv=csv("department") />
        <Participation stats=stats.clone() />
        <BudgetSection stats=stats.clone() locality=locality.clone() csv=csv("budget") />
        {staff.then(|| view! { <super::density::DensityMap site=site.clone() /> })}
        <section class="stats-section" aria-labelledby="yearly">
            <h2 id="yearly">{td_string!(l, stats.yearly_reports)}</h2>
            <ul class="link-list">
                {(2023..=this_year).rev().map(|y| view! {
                    <li><a href=format!("/{l}/statistics/year/{y}")>{td_string!(l, stats.year_report_link, year = y).to_string()}</a></li>
                }).collect_view()}
            </ul>
            <p><a href=format!("/{l}/open-data")>{td_string!(l, stats.open_data_link)}</a></p>
        </section>
    }
}

/// The headline figures, as cards.
#[component]
fn Headline(stats: Statistics) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let t = &stats.totals;
    let fix_rate = stats.fix_rate_until.map(|until| {
        (
            share(stats.fix_rate_resolved, stats.fix_rate_filed, l),
            td_string!(l, stats.fix_rate_note, date = format::date(until, l)).to_string(),
        )
    });
    // What reporters answered to "Is it fixed?": shown once anyone has answered.
    let answers = stats.fixed_confirmed + stats.fixed_disputed;
    let verdicts = (answers > 0).then(|| {
        (
            share(stats.fixed_confirmed, answers, l),
            td_string!(l, stats.fixed_confirmed_note, count = format::integer(answers, l))
                .to_string(),
        )
    });
    view! {
        <dl class="stats-cards">
            <div><dt>{td_string!(l, stats.reports)}</dt><dd>{format::integer(t.reports, l)}</dd></div>
            <div><dt>{td_string!(l, stats.answered)}</dt><dd>{share(t.answered, t.reports, l)}</dd></div>
            <div><dt>{td_string!(l, stats.median_answer)}</dt><dd>{minutes(stats.response.answer.median_minutes, l)}</dd></div>
            <div><dt>{td_string!(l, stats.median_resolution)}</dt><dd>{minutes(stats.response.resolution.median_minutes, l)}</dd></div>
            {fix_rate.map(|(rate, note)| view! {
                <div><dt>{td_string!(l, stats.fix_rate)}</dt><dd>{rate}</dd><dd class="stats-cards__note">{note}</dd></div>
            })}
            {verdicts.map(|(rate, note)| view! {
                <div><dt>{td_string!(l, stats.fixed_confirmed)}</dt><dd>{rate}</dd><dd class="stats-cards__note">{note}</dd></div>
            })}
            <div><dt>{td_string!(l, stats.supporters)}</dt><dd>{format::integer(t.supporters, l)}</dd></div>
            <div><dt>{td_string!(l, stats.followers)}</dt><dd>{format::integer(t.followers, l)}</dd></div>
        </dl>
    }
}

/// Initiatives by level and polls with their participants.
#[component]
fn Participation(stats: Statistics) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let level_name = |level: Option<crate::model::vote::Level>| match level {
        Some(level) => level.badge().to_owned(),
        None => td_string!(l, stats.below_start).to_owned(),
    };
    view! {
        <section class="stats-section" aria-labelledby="participation">
            <h2 id="participation">{td_string!(l, stats.participation)}</h2>
            <table class="data-table">
                <caption>{td_string!(l, stats.initiatives_by_level)}</caption>
                <thead><tr><th scope="col">{td_string!(l, stats.level)}</th><th scope="col">{td_string!(l, stats.initiatives)}</th></tr></thead>
                <tbody>
                    {stats.initiatives_by_level.iter().map(|(level, n)| view! {
                        <tr><th scope="row">{level_name(*level)}</th><td>{format::integer(*n, l)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p>
                {td_string!(l, stats.polls_line, polls = format::integer(stats.polls, l), participants = format::integer(stats.poll_participants, l)).to_string()}
            </p>
        </section>
    }
}

/// The filter as a plain form (GET): it works without any script and keeps itself in the address.
#[component]
fn StatsFilterForm(
    filter: StatsFilter,
    categories: Vec<Category>,
    stats: Statistics,
    staff: bool,
) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let action = if staff { format!("/{l}/staff/statistics") } else { format!("/{l}/statistics") };
    let reset = action.clone();
    let month = |m: Option<crate::model::statistics::Month>| m.map(|m| m.key()).unwrap_or_default();
    view! {
        <form class="stats-filter" method="get" action=action aria-label=td_string!(l, stats.filter)>
            <div class="field field--inline">
                <label for="stats-from">{td_string!(l, stats.from)}</label>
                <input id="stats-from" name="from" type="month" min="2000-01" value=month(filter.from) />
            </div>
            <div class="field field--inline">
                <label for="stats-to">{td_string!(l, stats.to)}</label>
                <input id="stats-to" name="to" type="month" min="2000-01" value=month(filter.to) />
            </div>
            <div class="field field--inline">
                <label for="stats-category">{td_string!(l, stats.category)}</label>
                <select id="stats-category" name="category">
                    <option value="">{td_string!(l, stats.all_categories)}</option>
                    {categories.iter().map(|c| {
                        let selected = filter.categories.len() == 1 && filter.categories[0] == c.slug;
                        view! { <option value=c.slug.clone() selected=selected>{c.name.get(l).to_owned()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field field--inline">
                <label for="stats-department">{td_string!(l, stats.department)}</label>
                <select id="stats-department" name="department">
                    <option value="">{td_string!(l, stats.all_departments)}</option>
                    {stats.departments.iter().map(|d| {
                        let selected = filter.departments == vec![d.id];
                        view! { <option value=d.id.to_string() selected=selected>{d.name.clone()}</option> }
                    }).collect_view()}
                    <option value="0" selected=filter.departments == vec![0]>{td_string!(l, stats.no_department)}</option>
                </select>
            </div>
            <fieldset class="stats-filter__statuses">
                <legend>{td_string!(l, stats.status)}</legend>
                {ReportStatus::ALL.iter().map(|s| {
                    let id = format!("stats-status-{}", s.as_str());
                    let label_for = id.clone();
                    view! {
                        <label for=label_for class="checkbox">
                            <input id=id type="checkbox" name="status" value=s.as_str() checked=filter.statuses.contains(s) />
                            {status_label(l, *s)}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="stats-filter__actions">
                <button type="submit" class="button">{td_string!(l, stats.apply)}</button>
                <a class="button button--secondary" href=reset>{td_string!(l, stats.reset)}</a>
            </div>
        </form>
    }
}
