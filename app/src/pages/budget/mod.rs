//! The civic budget: the editions, one edition's timeline and projects, a project, proposing,
//! the ballot, the paper-ballot desk, the results and the inclusion indicators. Every page is server-rendered and every
//! form is a plain HTML form: nothing here needs the WASM.

mod edition;
mod indicators;
mod list;
mod paper;
mod project;
mod propose;
mod report;
mod results;
mod setup;
mod vote;
mod works;

pub use edition::EditionPage;
pub use indicators::IndicatorsPage;
pub use list::EditionsPage;
pub use paper::PaperBallotPage;
pub use project::ProjectPage;
pub use propose::ProposePage;
pub use report::BudgetReportPage;
pub use results::ResultsPage;
pub use setup::{EditionSetupPage, NewEditionPage};
pub use vote::VotePage;

use crate::api::budget::{get_edition, EditionView};
use crate::components::error::ErrorNotice;
use crate::error::AppError;
use crate::format;
use crate::i18n::*;
use crate::model::budget::{BallotRefusal, BallotRule};
use crate::model::civic_budget::{Phase, ProposalStatus};
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};

/// An amount in lei, with the locale's digit grouping.
pub fn lei(l: Locale, amount: u64) -> String {
    let n = format::integer(i64::try_from(amount).unwrap_or(i64::MAX), l);
    td_string!(l, budget.lei, amount = n).to_string()
}

pub fn phase_label(l: Locale, p: Phase) -> &'static str {
    match p {
        Phase::Information => td_string!(l, budget.phase.information),
        Phase::Proposals => td_string!(l, budget.phase.proposals),
        Phase::Review => td_string!(l, budget.phase.review),
        Phase::Voting => td_string!(l, budget.phase.voting),
        Phase::Results => td_string!(l, budget.phase.results),
        Phase::Implementation => td_string!(l, budget.phase.implementation),
    }
}

/// What a visitor can do in each phase.
pub fn phase_now(l: Locale, p: Phase) -> &'static str {
    match p {
        Phase::Information => td_string!(l, budget.now.information),
        Phase::Proposals => td_string!(l, budget.now.proposals),
        Phase::Review => td_string!(l, budget.now.review),
        Phase::Voting => td_string!(l, budget.now.voting),
        Phase::Results => td_string!(l, budget.now.results),
        Phase::Implementation => td_string!(l, budget.now.implementation),
    }
}

pub fn direction_label(l: Locale, d: &str) -> &'static str {
    match d {
        "romanian_courses" => td_string!(l, budget.direction.romanian_courses),
        "labour_market" => td_string!(l, budget.direction.labour_market),
        "social_services" => td_string!(l, budget.direction.social_services),
        "community_cohesion" => td_string!(l, budget.direction.community_cohesion),
        "green" => td_string!(l, budget.direction.green),
        "cultural" => td_string!(l, budget.direction.cultural),
        "sports" => td_string!(l, budget.direction.sports),
        "education" => td_string!(l, budget.direction.education),
        _ => td_string!(l, budget.direction.other),
    }
}

pub fn status_label(l: Locale, s: ProposalStatus) -> &'static str {
    match s {
        ProposalStatus::Draft => td_string!(l, budget.status.draft),
        ProposalStatus::Submitted => td_string!(l, budget.status.submitted),
        ProposalStatus::Feasible => td_string!(l, budget.status.feasible),
        ProposalStatus::Unfeasible => td_string!(l, budget.status.unfeasible),
    }
}

/// The ballot rule in a sentence.
pub fn rule_text(l: Locale, rule: BallotRule, amount: u64) -> String {
    match rule {
        BallotRule::Knapsack { min_share_percent: 0 } => {
            td_string!(l, budget.rule_knapsack, amount = lei(l, amount)).to_string()
        }
        BallotRule::Knapsack { .. } => td_string!(
            l,
            budget.rule_knapsack_min,
            amount = lei(l, amount),
            minimum = lei(l, rule.minimum_total(amount))
        )
        .to_string(),
        BallotRule::Approval { min_projects, max_projects } => {
            td_string!(l, budget.rule_approval, min = min_projects, max = max_projects).to_string()
        }
    }
}

/// Why a ballot was refused, with its numbers (`budget_ballot.*`).
pub fn refusal_text(l: Locale, r: &BallotRefusal) -> String {
    match r {
        BallotRefusal::UnknownProject { .. } => {
            td_string!(l, budget_ballot.unknown_project).to_owned()
        }
        BallotRefusal::DuplicateProject { .. } => {
            td_string!(l, budget_ballot.duplicate_project).to_owned()
        }
        BallotRefusal::OverAmount { total, amount, over_by } => td_string!(
            l,
            budget_ballot.over_amount,
            total = lei(l, *total),
            amount = lei(l, *amount),
            over_by = lei(l, *over_by)
        )
        .to_string(),
        BallotRefusal::UnderMinimum { total, minimum, short_by } => td_string!(
            l,
            budget_ballot.under_minimum,
            total = lei(l, *total),
            minimum = lei(l, *minimum),
            short_by = lei(l, *short_by)
        )
        .to_string(),
        BallotRefusal::TooFewProjects { chosen, minimum } => {
            td_string!(l, budget_ballot.too_few_projects, chosen = chosen, minimum = minimum)
                .to_string()
        }
        BallotRefusal::TooManyProjects { chosen, maximum } => {
            td_string!(l, budget_ballot.too_many_projects, chosen = chosen, maximum = maximum)
                .to_string()
        }
    }
}

/// The `{edition}` segment of the address.
fn edition_slug() -> Signal<String> {
    let params = use_params_map();
    Signal::derive(move || params.with(|p| p.get("edition").unwrap_or_default()))
}

/// Loads the edition of the address (again after every form post) and renders `body` with it.
fn with_edition<V: IntoView + 'static>(
    body: impl Fn(EditionView) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let slug = edition_slug();
    let location = use_location();
    let edition =
        Resource::new(move || (slug.get(), location.search.get()), |(slug, _)| get_edition(slug));
    view! {
        <Transition fallback=move || view! { <p class="page">{t!(i18n, map.loading)}</p> }>
            {
                let body = body.clone();
                move || {
                    let body = body.clone();
                    Suspend::new(async move {
                        match edition.await {
                            Ok(v) => body(v).into_any(),
                            Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
                            Err(err) => view! { <div class="page"><ErrorNotice error=err /></div> }.into_any(),
                        }
                    })
                }
            }
        </Transition>
    }
}

/// The links between an edition's pages.
#[component]
fn EditionLinks(slug: String, phase: Phase) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let to = |rest: &str| crate::paths::page(l, &format!("/budget/{slug}{rest}"));
    view! {
        <nav class="budget-links" aria-label=td_string!(l, budget.edition_pages)>
            <a href=to("")>{td_string!(l, budget.overview)}</a>
            {(phase == Phase::Voting).then(|| view! { <a href=to("/vote")>{td_string!(l, budget.vote)}</a> })}
            {(phase >= Phase::Results).then(|| view! { <a href=to("/results")>{td_string!(l, budget.results)}</a> })}
            <a href=to("/indicators")>{td_string!(l, inclusion.link)}</a>
            {(phase >= Phase::Results).then(|| view! { <a href=to("/report")>{td_string!(l, budget_report.link)}</a> })}
        </nav>
    }
}
