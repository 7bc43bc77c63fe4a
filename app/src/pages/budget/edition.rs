use super::works::ImplementationOverview;
use super::{
    direction_label, lei, phase_label, phase_now, rule_text, status_label, with_edition,
    EditionLinks,
};
use crate::api::budget::{EditionView, SetPhase};
use crate::components::form::{action_error, FormNotice, LangField, SuccessNotice};
use crate::components::localized::LocalizedText;
use crate::components::page_title::PageHeading;
use crate::format;
use crate::i18n::*;
use crate::islands::LiveCount;
use crate::model::civic_budget::{Phase, Proposal, ProposalStatus};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/{lang}/budget/{edition}`: the phases as a timeline, what can be done now and until when,
/// the budgets and their projects.
#[component]
pub fn EditionPage() -> impl IntoView {
    // The funded projects of an edition being implemented are on a map.
    view! {
        <crate::app::MapScripts bundle=crate::assets::Bundle::Place />
        {with_edition(|v| view! { <EditionBody view=v /> })}
    }
}

#[component]
fn EditionBody(view: EditionView) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let e = view.detail.edition.clone();
    let slug = e.slug.clone();
    let to = {
        let slug = slug.clone();
        move |rest: &str| crate::paths::page(l, &format!("/budget/{slug}{rest}"))
    };
    let until = e
        .dates
        .end(e.phase)
        .map(|end| td_string!(l, budget.until, date = format::date_time(end, l)).to_string());
    let query = use_query_map();
    let phase_changed = query.with_untracked(|q| q.get("phase").is_some());
    let timeline = Phase::ALL
        .into_iter()
        .map(|p| {
            let current = p == e.phase;
            let start = format::date(format::local_date(e.dates.start(p)), l);
            let end = e.dates.end(p).map(|d| format::date(format::local_date(d), l));
            let when = match end {
                Some(end) => format!("{start} – {end}"),
                None => td_string!(l, budget.from, date = start).to_string(),
            };
            view! {
                <li class=if current { "budget-timeline__phase budget-timeline__phase--current" } else { "budget-timeline__phase" }
                    aria-current=current.then_some("step")>
                    <strong>{phase_label(l, p)}</strong>
                    <span class="muted">{when}</span>
                </li>
            }
        })
        .collect_view();
    // "Confirmed ballots: N", with N kept live while voting is open.
    let confirmed = {
        let text = td_string!(l, budget.confirmed_ballots, n = "\u{0}").to_string();
        let (before, after) = text.split_once('\u{0}').unwrap_or((text.as_str(), ""));
        let (before, after) = (before.to_owned(), after.to_owned());
        let n = e.confirmed_ballots;
        let count = if e.phase == Phase::Voting {
            let events = format!("/api/v1/budget/editions/{}/events", e.id);
            view! { <LiveCount events initial=n lang=l.to_string() /> }.into_any()
        } else {
            format::integer(n, l).into_any()
        };
        view! { {before} {count} {after} }
    };
    let budgets = view.detail.budgets.clone();
    let proposals = view.detail.proposals.clone();
    let show_votes = e.phase >= Phase::Results;
    view! {
        <article class="page budget-page">
            {phase_changed.then(|| view! { <SuccessNotice>{td_string!(l, budget.phase_changed)}</SuccessNotice> })}
            <PageHeading text=e.title.get(l).to_owned() />
            <EditionLinks slug=slug.clone() phase=e.phase />
            <ol class="budget-timeline" aria-label=td_string!(l, budget.timeline)>{timeline}</ol>
            <section class="notice" aria-labelledby="budget-now">
                <h2 id="budget-now">{td_string!(l, budget.now_heading)} ": " {phase_label(l, e.phase)}</h2>
                <p>{phase_now(l, e.phase)} {until.map(|u| format!(" {u}"))}</p>
                <p aria-live="polite">{confirmed}</p>
                {(e.phase <= Phase::Voting).then(|| view! { <p>{super::vote::who_may_vote(l, e.min_voter_age)}</p> })}
                {view.proposing_open.then(|| view! { <p><a class="button" href=to("/propose")>{td_string!(l, budget.propose)}</a></p> })}
                {view.voting_open.then(|| view! { <p><a class="button" href=to("/vote")>{td_string!(l, budget.vote)}</a></p> })}
                {(e.phase >= Phase::Results).then(|| view! { <p><a class="button" href=to("/results")>{td_string!(l, budget.results)}</a></p> })}
            </section>
            {view.can_manage.then(|| view! { <PhaseControl edition_id=e.id current=e.phase paper=to("/paper") setup=to("/setup") /> })}
            {(e.phase == Phase::Implementation).then(|| view! { <ImplementationOverview view=view.clone() /> })}
            {budgets.into_iter().map(|b| {
                let mine: Vec<Proposal> = proposals.iter().filter(|p| p.budget_id == b.id).cloned().collect();
                view! {
                    <section class="budget-section" aria-labelledby=format!("budget-{}", b.id)>
                        <h2 id=format!("budget-{}", b.id)><LocalizedText text=b.name.clone() /> " · " {lei(l, b.amount)}</h2>
                        <p class="muted">{rule_text(l, b.ballot_rule, b.amount)}</p>
                        <ProjectCards slug=slug.clone() proposals=mine show_votes />
                    </section>
                }
            }).collect_view()}
        </article>
    }
}

/// A budget's proposals: projects on the ballot first, then those waiting, then refused ones.
#[component]
pub(super) fn ProjectCards(
    slug: String,
    proposals: Vec<Proposal>,
    show_votes: bool,
) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    if proposals.is_empty() {
        return view! { <p class="empty">{td_string!(l, budget.no_projects)}</p> }.into_any();
    }
    let mut proposals = proposals;
    let rank = |s: ProposalStatus| match s {
        ProposalStatus::Feasible => 0,
        ProposalStatus::Submitted => 1,
        ProposalStatus::Draft => 2,
        ProposalStatus::Unfeasible => 3,
    };
    proposals.sort_by_key(|p| (rank(p.status), p.id));
    view! {
        <ol class="report-list budget-projects">
            {proposals.into_iter().map(|p| {
                let lang = (p.lang != l.as_str()).then(|| p.lang.clone());
                view! {
                    <li class="report-card">
                        <a class="report-card__title" lang=lang href=crate::paths::page(l, &format!("/budget/{slug}/projects/{}", p.id))>{p.title.clone()}</a>
                        <div class="report-card__meta">
                            <span class=format!("badge badge--budget-{}", p.status.as_str())>{status_label(l, p.status)}</span>
                            <span>{lei(l, p.ballot_cost())}</span>
                            <span>{direction_label(l, &p.direction)}</span>
                            {show_votes.then(|| view! { <span>{td_string!(l, budget.votes, n = p.votes).to_string()}</span> })}
                        </div>
                        {p.review_reason.clone().filter(|_| p.status == ProposalStatus::Unfeasible).map(|r| view! { <p class="muted">{r}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// Staff: move the edition to another phase; the paper-ballot desk.
#[component]
fn PhaseControl(edition_id: i64, current: Phase, paper: String, setup: String) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let action = ServerAction::<SetPhase>::new();
    let error = action_error(action);
    view! {
        <section class="form-section" aria-labelledby="budget-staff">
            <h2 id="budget-staff">{td_string!(l, budget.staff)}</h2>
            <ActionForm action attr:class="form form--inline">
                <LangField />
                <input type="hidden" name="edition_id" value=edition_id />
                <label for="budget-phase">{td_string!(l, budget.set_phase)}</label>
                <select id="budget-phase" name="phase">
                    {Phase::ALL.into_iter().map(|p| view! { <option value=p.as_str() selected=p == current>{phase_label(l, p)}</option> }).collect_view()}
                </select>
                <button type="submit" class="button">{td_string!(l, budget.save_phase)}</button>
            </ActionForm>
            <FormNotice error />
            {(current == Phase::Voting).then(|| view! { <p><a href=paper>{td_string!(l, budget.paper_desk)}</a></p> })}
            <p><a href=setup>{td_string!(l, budget_setup.link)}</a></p>
        </section>
    }
}
