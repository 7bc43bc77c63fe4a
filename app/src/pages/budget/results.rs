use super::{edition_slug, lei, rule_text, EditionLinks};
use crate::api::budget::get_results;
use crate::components::error::ErrorNotice;
use crate::components::localized::LocalizedText;
use crate::components::page_title::PageHeading;
use crate::error::AppError;
use crate::format;
use crate::i18n::*;
use crate::model::budget::{OutcomeRule, ProjectStatus};
use crate::model::civic_budget::{BudgetResults, Phase};
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;

/// `/{lang}/budget/{edition}/results`: per budget, the funded projects, the votes and cost of
/// each, what did not fit and why, participants by channel and the share of voters with a
/// funded project; the count as CSV and as a Pabulib file.
#[component]
pub fn ResultsPage() -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let slug = edition_slug();
    let results = Resource::new(move || slug.get(), get_results);
    view! {
        <article class="page budget-results">
            <PageHeading text=td_string!(l, budget.results).to_owned() />
            <EditionLinks slug=slug.get_untracked() phase=Phase::Results />
            <Transition fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(list) => list.into_iter().map(|r| view! { <BudgetResult r /> }).collect_view().into_any(),
                        Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Transition>
        </article>
    }
}

#[component]
fn BudgetResult(r: BudgetResults) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let o = r.outcome.clone();
    let voters = o.voters;
    let share = if voters == 0 { 0.0 } else { r.voters_with_funded as f64 / voters as f64 };
    let id = r.budget.id;
    let rule = match o.rule {
        OutcomeRule::Greedy => td_string!(l, budget.outcome_greedy),
        OutcomeRule::EqualShares => td_string!(l, budget.outcome_equal_shares),
    };
    let rows = o
        .projects
        .iter()
        .map(|p| {
            let why = match p.status {
                ProjectStatus::Funded => td_string!(l, budget.funded).to_owned(),
                ProjectStatus::NoVotes => td_string!(l, budget.no_votes).to_owned(),
                ProjectStatus::DidNotFit { left } => {
                    td_string!(l, budget.did_not_fit, left = lei(l, left)).to_string()
                }
                ProjectStatus::NotEnoughSupport => {
                    td_string!(l, budget.not_enough_support).to_owned()
                }
            };
            let funded = matches!(p.status, ProjectStatus::Funded);
            view! {
                <tr class=funded.then_some("budget-row--funded")>
                    <th scope="row">{r.title_of(&p.id).to_owned()}</th>
                    <td class="num">{format::integer(i64::try_from(p.votes).unwrap_or(0), l)}</td>
                    <td class="num">{lei(l, p.cost)}</td>
                    <td>{why}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="budget-section" aria-labelledby=format!("results-{id}")>
            <h2 id=format!("results-{id}")><LocalizedText text=r.budget.name.clone() /></h2>
            <p class="muted">{rule_text(l, r.budget.ballot_rule, r.budget.amount)} " " {rule}</p>
            <ul class="budget-figures">
                <li>{td_string!(l, budget.spent, spent = lei(l, o.spent), amount = lei(l, o.amount)).to_string()}</li>
                <li>{td_string!(l, budget.participants_by_channel, total = voters, internet = r.internet_ballots, paper = r.paper_ballots).to_string()}</li>
                <li>{td_string!(l, budget.share_with_funded, share = format::percent(share, l)).to_string()}</li>
            </ul>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby=format!("results-{id}")>
                <table class="table">
                    <caption class="visually-hidden">{r.budget.name.get(l).to_owned()}</caption>
                    <thead><tr>
                        <th scope="col">{td_string!(l, budget.project)}</th>
                        <th scope="col">{td_string!(l, budget.votes_label)}</th>
                        <th scope="col">{td_string!(l, budget.cost)}</th>
                        <th scope="col">{td_string!(l, budget.outcome)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p>
                <a href=format!("/api/v1/budget/budgets/{id}/results.csv") download="">{td_string!(l, budget.download_csv)}</a>
                " · "
                <a href=format!("/api/v1/budget/budgets/{id}/results.pb") download="">{td_string!(l, budget.download_pb)}</a>
            </p>
        </section>
    }
}
