//! `/{lang}/budget/{edition}/report`: the edition's yearly implementation report, in the
//! page's language and made for printing: participation, inclusion against the plan's targets,
//! and each budget's funded projects with where their implementation stands.

use super::indicators::{people, IndicatorsTable};
use super::{edition_slug, lei, EditionLinks};
use crate::api::budget::{get_edition, get_results, EditionView};
use crate::api::inclusion::{get_indicators, EditionIndicators};
use crate::components::error::ErrorNotice;
use crate::components::localized::LocalizedText;
use crate::components::page_title::PageHeading;
use crate::components::status::work_status_label;
use crate::error::AppError;
use crate::format;
use crate::i18n::*;
use crate::model::civic_budget::{BudgetResults, ProposalStatus};
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;

#[component]
pub fn BudgetReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = edition_slug();
    let edition = Resource::new(move || slug.get(), get_edition);
    let results = Resource::new(move || slug.get(), get_results);
    let indicators = Resource::new(move || slug.get(), get_indicators);
    view! {
        <Transition fallback=move || view! { <p class="page">{t!(i18n, map.loading)}</p> }>
            {move || Suspend::new(async move {
                match (edition.await, results.await, indicators.await) {
                    (Ok(view), Ok(results), Ok(indicators)) => {
                        view! { <ReportBody view results indicators /> }.into_any()
                    }
                    (Err(AppError::NotFound), _, _) | (_, Err(AppError::NotFound), _) => {
                        view! { <NotFoundPage /> }.into_any()
                    }
                    (Err(err), _, _) | (_, Err(err), _) | (_, _, Err(err)) => {
                        view! { <div class="page"><ErrorNotice error=err /></div> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn ReportBody(
    view: EditionView,
    results: Vec<BudgetResults>,
    indicators: EditionIndicators,
) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let e = view.detail.edition.clone();
    let counts = indicators.counts;
    let internet: u64 = results.iter().map(|r| r.internet_ballots).sum();
    let paper: u64 = results.iter().map(|r| r.paper_ballots).sum();
    let ballots = internet + paper;
    let with_funded: u64 = results.iter().map(|r| r.voters_with_funded).sum();
    let on_ballot =
        view.detail.proposals.iter().filter(|p| p.status == ProposalStatus::Feasible).count();
    let funded: usize = results.iter().map(|r| r.outcome.funded.len()).sum();
    let share = if ballots == 0 { 0.0 } else { with_funded as f64 / ballots as f64 };
    let today = format::date(format::local_date(chrono::Utc::now()), l);
    let count = |n: u64| format::integer(i64::try_from(n).unwrap_or(i64::MAX), l);
    let budgets = results
        .into_iter()
        .map(|r| view! { <FundedProjects r view=view.clone() /> })
        .collect_view();
    view! {
        <article class="page page--year-report budget-report">
            <PageHeading text=td_string!(l, budget_report.title, edition = e.title.get(l).to_owned()).to_string() />
            <div class="no-print"><EditionLinks slug=e.slug.clone() phase=e.phase /></div>
            <p class="muted">{td_string!(l, budget_report.as_of, date = today).to_string()}</p>
            <p class="muted no-print">{td_string!(l, budget_report.print_hint)}</p>
            <section class="stats-section" aria-labelledby="report-participation">
                <h2 id="report-participation">{td_string!(l, budget_report.participation)}</h2>
                <dl class="stats-cards">
                    <div><dt>{td_string!(l, inclusion.participants)}</dt><dd>{people(l, counts.participants)}</dd></div>
                    <div><dt>{td_string!(l, budget_report.ballots_internet)}</dt><dd>{count(internet)}</dd></div>
                    <div><dt>{td_string!(l, budget_report.ballots_paper)}</dt><dd>{count(paper)}</dd></div>
                    <div><dt>{td_string!(l, inclusion.proposals)}</dt><dd>{format::integer(counts.proposals, l)}</dd></div>
                    <div><dt>{td_string!(l, budget_report.on_ballot)}</dt><dd>{count(on_ballot as u64)}</dd></div>
                    <div><dt>{td_string!(l, budget_report.funded)}</dt><dd>{count(funded as u64)}</dd></div>
                    <div><dt>{td_string!(l, budget_report.share_with_funded)}</dt><dd>{format::percent(share, l)}</dd></div>
                </dl>
            </section>
            <section class="stats-section" aria-labelledby="report-inclusion">
                <h2 id="report-inclusion">{td_string!(l, budget_report.inclusion)}</h2>
                <IndicatorsTable counts=counts.clone() />
                <p class="muted">{td_string!(l, inclusion.privacy)}</p>
            </section>
            {budgets}
        </article>
    }
}

/// One budget's funded projects and their implementation.
#[component]
fn FundedProjects(r: BudgetResults, view: EditionView) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let id = r.budget.id;
    let rows = r
        .outcome
        .funded
        .iter()
        .filter_map(|f| f.parse::<i64>().ok())
        .filter_map(|pid| view.detail.proposals.iter().find(|p| p.id == pid).cloned())
        .map(|p| {
            let lang = (p.lang != l.as_str()).then(|| p.lang.clone());
            let work = p.work.clone();
            let last = view.detail.milestones.iter().filter(|m| m.proposal_id == p.id).map(|m| m.on).max();
            view! {
                <tr>
                    <th scope="row" lang=lang>{p.title.clone()}</th>
                    <td class="num">{format::integer(p.votes, l)}</td>
                    <td class="num">{lei(l, p.ballot_cost())}</td>
                    <td>{work.as_ref().map_or("—", |w| work_status_label(l, w.status))}</td>
                    <td class="num">{work.as_ref().map_or_else(|| "—".to_owned(), |w| td_string!(l, budget_works.percent, value = w.progress).to_string())}</td>
                    <td class="num">{work.as_ref().and_then(|w| w.actual_cost).map_or_else(|| "—".to_owned(), |c| lei(l, c))}</td>
                    <td>{last.map_or_else(|| "—".to_owned(), |d| format::date(d, l))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="stats-section" aria-labelledby=format!("report-budget-{id}")>
            <h2 id=format!("report-budget-{id}")>
                {td_string!(l, budget_report.funded_in)} " " <LocalizedText text=r.budget.name.clone() />
                " · " {lei(l, r.budget.amount)}
            </h2>
            <p>{td_string!(l, budget.spent, spent = lei(l, r.outcome.spent), amount = lei(l, r.budget.amount)).to_string()}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby=format!("report-budget-{id}")>
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">{td_string!(l, budget.project)}</th>
                        <th scope="col">{td_string!(l, budget.votes_label)}</th>
                        <th scope="col">{td_string!(l, budget_works.planned_cost)}</th>
                        <th scope="col">{td_string!(l, budget_works.status_label)}</th>
                        <th scope="col">{td_string!(l, budget_works.progress)}</th>
                        <th scope="col">{td_string!(l, budget_works.actual_cost)}</th>
                        <th scope="col">{td_string!(l, budget_report.last_milestone)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
