//! The sections shared by the statistics pages and the yearly report: a chart, its table and
//! its CSV, for reports by status, category, department and month, and response times.

use crate::components::charts::{Bar, BarChart, Column, Legend, StackedColumns};
use crate::components::status::status_label;
use crate::format;
use crate::i18n::*;
use crate::model::statistics::{DurationSummary, ResponseTimes, Statistics};
use crate::model::{Category, ReportStatus};
use leptos::prelude::*;

/// The name of a category slug in `locale` (the slug itself if the category is gone).
pub fn category_name(categories: &[Category], slug: &str, locale: Locale) -> String {
    categories
        .iter()
        .find(|c| c.slug == slug)
        .map(|c| c.name.get(locale).to_owned())
        .unwrap_or_else(|| slug.to_owned())
}

/// A department's name; 0 is "not assigned yet".
pub fn department_name(stats: &Statistics, id: i64, locale: Locale) -> String {
    if id == 0 {
        return td_string!(locale, stats.no_department).to_owned();
    }
    stats
        .departments
        .iter()
        .find(|d| d.id == id)
        .map(|d| d.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// A duration in minutes as people say it ("3 hours"), or a dash when there is none.
pub fn minutes(m: Option<i64>, locale: Locale) -> String {
    match m {
        Some(m) => format::duration(chrono::TimeDelta::minutes(m), locale),
        None => "—".to_owned(),
    }
}

/// A share of a whole, or a dash for an empty whole.
pub fn share(part: i64, whole: i64, locale: Locale) -> String {
    if whole == 0 {
        "—".to_owned()
    } else {
        format::percent(part as f64 / whole as f64, locale)
    }
}

/// A link to the CSV of one table, for the same locality and filter.
#[component]
pub fn CsvLink(href: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="csv-link">
            <a href=href download>{t!(i18n, stats.download_csv)}</a>
        </p>
    }
}

/// Reports by status: bars in the status colours, and the table.
#[component]
pub fn ByStatus(stats: Statistics, csv: String) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let total = stats.totals.reports;
    let bars: Vec<Bar> = stats
        .by_status
        .iter()
        .map(|(s, n)| Bar {
            label: status_label(l, *s).to_owned(),
            value: *n as f64,
            shown: format::integer(*n, l),
            class: format!("bar--{}", s.as_str()),
        })
        .collect();
    let summary =
        td_string!(l, stats.status_summary, total = format::integer(total, l)).to_string();
    view! {
        <section class="stats-section" aria-labelledby="by-status">
            <h2 id="by-status">{td_string!(l, stats.by_status)}</h2>
            <div class="stats-figure">
                <BarChart id="chart-status".to_owned() title=td_string!(l, stats.by_status).to_owned() summary bars />
                <table class="data-table">
                    <thead><tr><th scope="col">{td_string!(l, stats.status)}</th><th scope="col">{td_string!(l, stats.reports)}</th><th scope="col">{td_string!(l, stats.share)}</th></tr></thead>
                    <tbody>
                        {stats.by_status.iter().map(|(s, n)| view! {
                            <tr><th scope="row">{status_label(l, *s)}</th><td>{format::integer(*n, l)}</td><td>{share(*n, total, l)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <CsvLink href=csv />
        </section>
    }
}

/// Reports by category, with how many were answered.
#[component]
pub fn ByCategory(stats: Statistics, categories: Vec<Category>, csv: String) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let bars: Vec<Bar> = stats
        .by_category
        .iter()
        .map(|(slug, c)| Bar {
            label: category_name(&categories, slug, l),
            value: c.reports as f64,
            shown: format::integer(c.reports, l),
            class: "bar--category".to_owned(),
        })
        .collect();
    let summary = match stats.by_category.first() {
        Some((slug, c)) => td_string!(
            l,
            stats.category_summary,
            category = category_name(&categories, slug, l),
            count = format::integer(c.reports, l)
        )
        .to_string(),
        None => td_string!(l, stats.nothing).to_owned(),
    };
    view! {
        <section class="stats-section" aria-labelledby="by-category">
            <h2 id="by-category">{td_string!(l, stats.by_category)}</h2>
            <div class="stats-figure">
                <BarChart id="chart-category".to_owned() title=td_string!(l, stats.by_category).to_owned() summary bars />
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">{td_string!(l, stats.category)}</th>
                        <th scope="col">{td_string!(l, stats.reports)}</th>
                        <th scope="col">{td_string!(l, stats.answered)}</th>
                        <th scope="col">{td_string!(l, stats.supporters)}</th>
                    </tr></thead>
                    <tbody>
                        {stats.by_category.iter().map(|(slug, c)| view! {
                            <tr>
                                <th scope="row">{category_name(&categories, slug, l)}</th>
                                <td>{format::integer(c.reports, l)}</td>
                                <td>{share(c.answered, c.reports, l)}</td>
                                <td>{format::integer(c.supporters, l)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <CsvLink href=csv />
        </section>
    }
}

/// Reports by the department that handles them.
#[component]
pub fn ByDepartment(stats: Statistics, csv: String) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let bars: Vec<Bar> = stats
        .by_department
        .iter()
        .map(|(id, c)| Bar {
            label: department_name(&stats, *id, l),
            value: c.reports as f64,
            shown: format::integer(c.reports, l),
            class: "bar--department".to_owned(),
        })
        .collect();
    let summary = td_string!(l, stats.department_summary).to_owned();
    let rows = stats
        .by_department
        .iter()
        .map(|(id, c)| {
            let times = stats
                .response_by_department
                .iter()
                .find(|(d, _)| d == id)
                .map(|(_, t)| t.clone())
                .unwrap_or_default();
            view! {
                <tr>
                    <th scope="row">{department_name(&stats, *id, l)}</th>
                    <td>{format::integer(c.reports, l)}</td>
                    <td>{share(c.answered, c.reports, l)}</td>
                    <td>{minutes(times.answer.median_minutes, l)}</td>
                    <td>{minutes(times.resolution.median_minutes, l)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="stats-section" aria-labelledby="by-department">
            <h2 id="by-department">{td_string!(l, stats.by_department)}</h2>
            <div class="stats-figure">
                <BarChart id="chart-department".to_owned() title=td_string!(l, stats.by_department).to_owned() summary bars />
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">{td_string!(l, stats.department)}</th>
                        <th scope="col">{td_string!(l, stats.reports)}</th>
                        <th scope="col">{td_string!(l, stats.answered)}</th>
                        <th scope="col">{td_string!(l, stats.median_answer)}</th>
                        <th scope="col">{td_string!(l, stats.median_resolution)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <CsvLink href=csv />
        </section>
    }
}

/// Reports filed each month, stacked by the status they have now.
#[component]
pub fn ByMonth(stats: Statistics, csv: String) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let statuses: Vec<ReportStatus> = stats.by_status.iter().map(|(s, _)| *s).collect();
    let label = |m: crate::model::statistics::Month| format!("{:02}.{}", m.month, m.year % 100);
    let columns: Vec<Column> = stats
        .by_month
        .iter()
        .map(|(m, parts)| Column {
            label: label(*m),
            parts: parts
                .iter()
                .map(|(s, n)| {
                    (*n as f64, format!("bar--{}", s.as_str()), status_label(l, *s).to_owned())
                })
                .collect(),
        })
        .collect();
    let legend: Vec<(String, String)> = statuses
        .iter()
        .map(|s| (format!("bar--{}", s.as_str()), status_label(l, *s).to_owned()))
        .collect();
    let summary = td_string!(l, stats.month_summary, months = stats.by_month.len()).to_string();
    view! {
        <section class="stats-section" aria-labelledby="by-month">
            <h2 id="by-month">{td_string!(l, stats.by_month)}</h2>
            <StackedColumns id="chart-month".to_owned() title=td_string!(l, stats.by_month).to_owned() summary columns />
            <Legend items=legend />
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="by-month">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">{td_string!(l, stats.month)}</th>
                        {statuses.iter().map(|s| view! { <th scope="col">{status_label(l, *s)}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {stats.by_month.iter().map(|(m, parts)| view! {
                            <tr>
                                <th scope="row">{format!("{:02}.{}", m.month, m.year)}</th>
                                {parts.iter().map(|(_, n)| view! { <td>{format::integer(*n, l)}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <CsvLink href=csv />
        </section>
    }
}

fn times_cells(t: &ResponseTimes, l: Locale) -> impl IntoView {
    let cell = |d: &DurationSummary| {
        (minutes(d.median_minutes, l), minutes(d.p90_minutes, l), format::integer(d.reports, l))
    };
    let (a_med, a_p90, a_n) = cell(&t.answer);
    let (r_med, r_p90, r_n) = cell(&t.resolution);
    view! {
        <td>{a_med}</td><td>{a_p90}</td><td>{a_n}</td>
        <td>{r_med}</td><td>{r_p90}</td><td>{r_n}</td>
    }
}

/// How long the city hall takes: to the first official answer and to resolution, per category.
#[component]
pub fn ResponseTimesSection(
    stats: Statistics,
    categories: Vec<Category>,
    csv: String,
) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let mut per_category = stats.response_by_category.clone();
    per_category.sort_by_key(|(_, t)| t.answer.median_minutes.unwrap_or(i64::MAX));
    let bars: Vec<Bar> = per_category
        .iter()
        .filter(|(_, t)| t.answer.median_minutes.is_some())
        .map(|(slug, t)| Bar {
            label: category_name(&categories, slug, l),
            value: t.answer.median_minutes.unwrap_or(0) as f64,
            shown: minutes(t.answer.median_minutes, l),
            class: "bar--time".to_owned(),
        })
        .collect();
    let summary = td_string!(
        l,
        stats.time_summary,
        median = minutes(stats.response.answer.median_minutes, l)
    )
    .to_string();
    let head = move || {
        view! {
            <thead><tr>
                <th scope="col">{td_string!(l, stats.category)}</th>
                <th scope="col">{td_string!(l, stats.median_answer)}</th>
                <th scope="col">{td_string!(l, stats.p90_answer)}</th>
                <th scope="col">{td_string!(l, stats.answered_count)}</th>
                <th scope="col">{td_string!(l, stats.median_resolution)}</th>
                <th scope="col">{td_string!(l, stats.p90_resolution)}</th>
                <th scope="col">{td_string!(l, stats.resolved_count)}</th>
            </tr></thead>
        }
    };
    view! {
        <section class="stats-section" aria-labelledby="response-times">
            <h2 id="response-times">{td_string!(l, stats.response_times)}</h2>
            <p class="muted">{td_string!(l, stats.response_explain)}</p>
            <BarChart id="chart-times".to_owned() title=td_string!(l, stats.median_answer_by_category).to_owned() summary bars />
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="response-times">
                <table class="data-table">
                    {head()}
                    <tbody>
                        <tr class="data-table__total">
                            <th scope="row">{td_string!(l, stats.all_categories)}</th>
                            {times_cells(&stats.response, l)}
                        </tr>
                        {per_category.iter().map(|(slug, t)| view! {
                            <tr><th scope="row">{category_name(&categories, slug, l)}</th>{times_cells(t, l)}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <CsvLink href=csv />
        </section>
    }
}

/// Civic-budget participation: each edition whose voting opened in the period, with its
/// proposals and ballots online and on paper (paper voters count as much as the others).
#[component]
pub fn BudgetSection(
    stats: Statistics,
    locality: crate::model::Locality,
    csv: String,
) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    view! {
        <section class="stats-section" aria-labelledby="civic-budget">
            <h2 id="civic-budget">{td_string!(l, stats.budget_heading)}</h2>
            {if stats.budget.is_empty() {
                view! { <p>{td_string!(l, stats.nothing)}</p> }.into_any()
            } else {
                view! {
                    <table class="data-table">
                        <thead><tr>
                            <th scope="col">{td_string!(l, stats.budget_edition)}</th>
                            <th scope="col">{td_string!(l, stats.budget_proposals)}</th>
                            <th scope="col">{td_string!(l, stats.budget_feasible)}</th>
                            <th scope="col">{td_string!(l, stats.budget_ballots_internet)}</th>
                            <th scope="col">{td_string!(l, stats.budget_ballots_paper)}</th>
                            <th scope="col">{td_string!(l, stats.budget_ballots)}</th>
                        </tr></thead>
                        <tbody>
                            {stats.budget.iter().map(|e| view! {
                                <tr>
                                    <th scope="row">
                                        <a href=crate::paths::locality_page(&locality, l, &format!("/budget/{}", e.slug))>{e.title.get(l).to_owned()}</a>
                                    </th>
                                    <td>{format::integer(e.proposals, l)}</td>
                                    <td>{format::integer(e.feasible, l)}</td>
                                    <td>{format::integer(e.ballots_internet, l)}</td>
                                    <td>{format::integer(e.ballots_paper, l)}</td>
                                    <td>{format::integer(e.ballots(), l)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <CsvLink href=csv />
                }.into_any()
            }}
        </section>
    }
}
