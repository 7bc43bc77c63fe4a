//! `/{lang}/statistics/year/{yyyy}`: the year's activity as the city publishes it, written by
//! Agora itself, printable on A4 (see the print rules in `style/main.css`) and as CSV.

use super::figures::{minutes, share, BudgetSection, ByCategory, ByStatus};
use crate::api::statistics::get_year_report;
use crate::app::SiteResource;
use crate::components::error::ErrorNotice;
use crate::error::AppError;
use crate::format;
use crate::i18n::*;
use crate::model::statistics::YearReport;
use crate::model::{ReportStatus, SiteContext};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn YearReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<SiteResource>();
    let params = use_params_map();
    view! {
        <div class="page page--year-report">
            <Suspense fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    let year = params.with_untracked(|p| p.get("year").and_then(|y| y.parse::<i32>().ok()));
                    let Some(year) = year else {
                        return view! { <ErrorNotice error=AppError::NotFound /> }.into_any();
                    };
                    let site = match site.await {
                        Ok(site) => site,
                        Err(err) => return view! { <ErrorNotice error=err /> }.into_any(),
                    };
                    match get_year_report(Some(site.locality.slug.clone()), year).await {
                        Ok(report) => view! { <YearReportBody report site /> }.into_any(),
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn YearReportBody(report: YearReport, site: SiteContext) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let locality = site.locality;
    let stats = report.statistics.clone();
    let count = |s: ReportStatus| {
        stats.by_status.iter().find(|(st, _)| *st == s).map(|(_, n)| *n).unwrap_or(0)
    };
    let finished = count(ReportStatus::Resolved);
    let in_progress = count(ReportStatus::New) + count(ReportStatus::Accepted);
    let total = stats.totals.reports;
    let year = report.year;
    let csv = |table: &str| {
        format!(
            "/api/v1/statistics.csv?table={table}&locality={}&lang={l}&from={year}-01&to={year}-12",
            locality.slug
        )
    };
    let votes_total: i64 = report.polls.iter().map(|p| p.participants).sum();
    view! {
        <header class="year-report__header">
            <p class="year-report__kicker">{td_string!(l, site.name)}</p>
            <h1>{td_string!(l, stats.year_title, year = year).to_string()} " — " {locality.name.get(l).to_owned()}</h1>
            <p class="no-print">
                <a href=format!("/api/v1/statistics/year/{year}.csv?locality={}&lang={l}", locality.slug) download>
                    {td_string!(l, stats.year_csv)}
                </a>
                " · "
                <a href=format!("/api/v1/statistics/year/{year}?locality={}", locality.slug)>{td_string!(l, stats.year_json)}</a>
            </p>
        </header>

        <section class="stats-section" aria-labelledby="year-reports">
            <h2 id="year-reports">{td_string!(l, stats.year_reports_heading)}</h2>
            <dl class="stats-cards">
                <div><dt>{td_string!(l, stats.registered)}</dt><dd>{format::integer(total, l)}</dd></div>
                <div><dt>{td_string!(l, stats.finished)}</dt><dd>{format::integer(finished, l)}</dd></div>
                <div><dt>{td_string!(l, stats.in_progress)}</dt><dd>{format::integer(in_progress, l)}</dd></div>
                <div><dt>{td_string!(l, stats.answered)}</dt><dd>{share(stats.totals.answered, total, l)}</dd></div>
                <div><dt>{td_string!(l, stats.median_answer)}</dt><dd>{minutes(stats.response.answer.median_minutes, l)}</dd></div>
                <div><dt>{td_string!(l, stats.median_resolution)}</dt><dd>{minutes(stats.response.resolution.median_minutes, l)}</dd></div>
            </dl>
            <p>
                {if total > 0 && stats.totals.answered == total {
                    td_string!(l, stats.all_answered).to_owned()
                } else {
                    td_string!(l, stats.some_answered, answered = format::integer(stats.totals.answered, l), total = format::integer(total, l)).to_string()
                }}
            </p>
        </section>
        <ByStatus stats=stats.clone() csv=csv("status") />
        <ByCategory stats=stats.clone() categories=locality.categories.clone() csv=csv("category") />

        <section class="stats-section" aria-labelledby="year-initiatives">
            <h2 id="year-initiatives">{td_string!(l, stats.year_initiatives)}</h2>
            {if report.initiatives.is_empty() {
                view! { <p>{td_string!(l, stats.nothing)}</p> }.into_any()
            } else {
                view! {
                    <table class="data-table">
                        <thead><tr>
                            <th scope="col">{td_string!(l, stats.initiative)}</th>
                            <th scope="col">{td_string!(l, stats.author)}</th>
                            <th scope="col">{td_string!(l, stats.date)}</th>
                            <th scope="col">{td_string!(l, stats.votes)}</th>
                            <th scope="col">{td_string!(l, stats.level)}</th>
                        </tr></thead>
                        <tbody>
                            {report.initiatives.iter().map(|i| view! {
                                <tr>
                                    <th scope="row" lang=i.lang.clone()><a href=crate::paths::page(l, &format!("/initiatives/{}", i.id))>{i.title.clone()}</a></th>
                                    <td>{i.author.clone()}</td>
                                    <td>{format::date(format::local_date(i.created_at), l)}</td>
                                    <td>{format::integer(i.votes, l)}</td>
                                    <td>{i.level.map(|v| v.badge()).unwrap_or("—")}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>

        <section class="stats-section" aria-labelledby="year-polls">
            <h2 id="year-polls">{td_string!(l, stats.year_polls)}</h2>
            <p>
                {td_string!(l, stats.polls_line, polls = format::integer(report.polls.len() as i64, l), participants = format::integer(votes_total, l)).to_string()}
            </p>
            {report.polls.iter().map(|p| {
                let participants = p.participants;
                view! {
                    <table class="data-table year-report__poll">
                        <caption>
                            <a href=crate::paths::page(l, &format!("/polls/{}", p.id))>{p.question.get(l).to_owned()}</a>
                            " · " {format::date(format::local_date(p.opens_at), l)}
                            " · " {td_string!(l, stats.participants_count, count = format::integer(participants, l)).to_string()}
                        </caption>
                        <thead><tr>
                            <th scope="col">{td_string!(l, stats.option)}</th>
                            <th scope="col">{td_string!(l, stats.votes)}</th>
                            <th scope="col">{td_string!(l, stats.share)}</th>
                        </tr></thead>
                        <tbody>
                            {p.options.iter().map(|(label, votes)| view! {
                                <tr><th scope="row">{label.get(l).to_owned()}</th><td>{format::integer(*votes, l)}</td><td>{share(*votes, participants, l)}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            }).collect_view()}
        </section>
        <BudgetSection stats=stats.clone() locality=locality.clone() csv=csv("budget") />
        <p class="muted">{td_string!(l, stats.generated_note)}</p>
    }
}
