use super::{direction_label, lei, refusal_text, rule_text, with_edition, EditionLinks};
use crate::api::budget::{BallotAdd, BallotConfirm, BallotRemove, EditionView};
use crate::components::form::{action_error, Field, FormNotice, LangField};
use crate::components::layout::SignInPrompt;
use crate::components::localized::LocalizedText;
use crate::components::page_title::PageHeading;
use crate::format;
use crate::i18n::*;
use crate::model::civic_budget::{
    parse_refusal, BallotState, BudgetInfo, Proposal, ProposalStatus,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/{lang}/budget/{edition}/vote`: the ballot, one budget after another. Each choice is saved
/// on the server at once (a closed tab loses nothing); a bar shows what is left of the amount;
/// a review step confirms the ballot and gives a receipt code.
#[component]
pub fn VotePage() -> impl IntoView {
    with_edition(|v| view! { <VoteBody view=v /> })
}

#[component]
fn VoteBody(view: EditionView) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let e = view.detail.edition.clone();
    let query = use_query_map();
    let refusal = query.with_untracked(|q| q.get("refused").and_then(|r| parse_refusal(&r)));
    let body = match (view.voting_open, view.signed_in) {
        (false, _) => {
            view! { <p class="notice">{td_string!(l, budget.voting_closed)}</p> }.into_any()
        }
        (true, false) => view! { <SignInPrompt /> }.into_any(),
        (true, true) => view
            .detail
            .budgets
            .iter()
            .map(|b| {
                let ballot = view.my_ballots.iter().find(|m| m.budget_id == b.id).cloned();
                let projects: Vec<Proposal> = view
                    .detail
                    .proposals
                    .iter()
                    .filter(|p| p.budget_id == b.id && p.status == ProposalStatus::Feasible)
                    .cloned()
                    .collect();
                view! { <BudgetBallot budget=b.clone() ballot projects slug=e.slug.clone() min_age=e.min_voter_age /> }
            })
            .collect_view()
            .into_any(),
    };
    let until = e
        .dates
        .end(e.phase)
        .map(|end| td_string!(l, budget.until, date = format::date_time(end, l)).to_string());
    view! {
        <article class="page budget-vote">
            <EditionLinks slug=e.slug.clone() phase=e.phase />
            <PageHeading text=td_string!(l, budget.vote).to_owned() />
            <p>{td_string!(l, budget.vote_intro)} {until.map(|u| format!(" {u}"))}</p>
            <p>{who_may_vote(l, e.min_voter_age)}</p>
            {refusal.map(|r| view! { <p class="notice notice--error" role="alert">{refusal_text(l, &r)}</p> })}
            {body}
        </article>
    }
}

#[component]
fn BudgetBallot(
    budget: BudgetInfo,
    ballot: Option<BallotState>,
    projects: Vec<Proposal>,
    slug: String,
    min_age: u8,
) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let chosen: Vec<i64> = ballot.as_ref().map(|b| b.choices.clone()).unwrap_or_default();
    let total = ballot.as_ref().map_or(0, |b| b.total);
    let left = budget.amount.saturating_sub(total);
    let confirmed = ballot.as_ref().and_then(|b| b.confirmed_at.map(|at| (b.code.clone(), at)));
    let costs: Vec<u64> =
        projects.iter().filter(|p| chosen.contains(&p.id)).map(Proposal::ballot_cost).collect();
    let complete = budget.ballot_rule.check(budget.amount, &costs);
    let heading = format!("budget-{}", budget.id);
    let cards = projects
        .iter()
        .map(|p| {
            let is_chosen = chosen.contains(&p.id);
            let fits = is_chosen || budget.ballot_rule.check_addition(budget.amount, &costs, p.ballot_cost()).is_ok();
            let lang = (p.lang != l.as_str()).then(|| p.lang.clone());
            let href = crate::paths::page(l, &format!("/budget/{slug}/projects/{}", p.id));
            view! {
                <li class=if is_chosen { "report-card budget-card budget-card--chosen" } else { "report-card budget-card" } id=format!("project-{}", p.id)>
                    // The first photo, beside the title that names the project (so no text of its own).
                    {p.photos.first().map(|photo| view! {
                        <img class="budget-card__photo" src=format!("/media/proposals/{}/thumb", photo.id) alt="" loading="lazy" width="96" height="72" />
                    })}
                    <a class="report-card__title" lang=lang href=href>{p.title.clone()}</a>
                    <div class="report-card__meta">
                        <strong>{lei(l, p.ballot_cost())}</strong>
                        <span>{direction_label(l, &p.direction)}</span>
                        {(!fits).then(|| view! { <span class="muted">{td_string!(l, budget.does_not_fit)}</span> })}
                    </div>
                    <ChoiceButton budget_id=budget.id proposal_id=p.id chosen=is_chosen />
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="budget-section" aria-labelledby=heading.clone()>
            <h2 id=heading.clone()><LocalizedText text=budget.name.clone() /></h2>
            <p class="muted">{rule_text(l, budget.ballot_rule, budget.amount)}</p>
            <div class="budget-bar" role="status">
                <progress max=budget.amount value=total aria-label=td_string!(l, budget.bar_label)></progress>
                <p>{td_string!(l, budget.bar_text, chosen = lei(l, total), amount = lei(l, budget.amount), left = lei(l, left)).to_string()}</p>
            </div>
            <ol class="report-list budget-cards">{cards}</ol>
            <section class="form-section budget-review" aria-labelledby=format!("review-{}", budget.id)>
                <h3 id=format!("review-{}", budget.id)>{td_string!(l, budget.review_and_confirm)}</h3>
                {match confirmed {
                    Some((code, at)) => view! {
                        <div class="notice notice--ok" role="status">
                            <p><strong>{td_string!(l, budget.counted)}</strong></p>
                            <p>{td_string!(l, budget.receipt, code = code.clone(), date = format::date_time(at, l)).to_string()}</p>
                            <p class="muted">{td_string!(l, budget.change_until_close)}</p>
                            <p><a href=crate::paths::page(l, &format!("/budget/{slug}/indicators#about-me"))>{td_string!(l, inclusion.vote_prompt)}</a></p>
                        </div>
                    }.into_any(),
                    None => match complete {
                        Ok(()) => view! { <ConfirmForm budget_id=budget.id chosen=projects.iter().filter(|p| chosen.contains(&p.id)).cloned().collect() total min_age /> }.into_any(),
                        Err(r) => view! { <p class="notice">{td_string!(l, budget.not_ready)} " " {refusal_text(l, &r)}</p> }.into_any(),
                    },
                }}
            </section>
        </section>
    }
}

/// Add or remove one project: a form of its own, so it works without WASM.
#[component]
fn ChoiceButton(budget_id: i64, proposal_id: i64, chosen: bool) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let fields = move || {
        view! {
            <LangField />
            <input type="hidden" name="budget_id" value=budget_id />
            <input type="hidden" name="proposal_id" value=proposal_id />
        }
    };
    if chosen {
        let action = ServerAction::<BallotRemove>::new();
        view! {
            <ActionForm action attr:class="budget-card__action">
                {fields()}
                <button type="submit" class="button button--secondary">{td_string!(l, budget.remove)}</button>
            </ActionForm>
        }
        .into_any()
    } else {
        let action = ServerAction::<BallotAdd>::new();
        let error = action_error(action);
        view! {
            <ActionForm action attr:class="budget-card__action">
                {fields()}
                <button type="submit" class="button">{td_string!(l, budget.add)}</button>
            </ActionForm>
            <FormNotice error />
        }
        .into_any()
    }
}

#[component]
fn ConfirmForm(budget_id: i64, chosen: Vec<Proposal>, total: u64, min_age: u8) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let action = ServerAction::<BallotConfirm>::new();
    let error = action_error(action);
    view! {
        <p>{td_string!(l, budget.your_choice, total = lei(l, total)).to_string()}</p>
        <ul>{chosen.into_iter().map(|p| { let cost = lei(l, p.ballot_cost()); view! { <li>{p.title} " — " {cost}</li> } }).collect_view()}</ul>
        <ActionForm action attr:class="form">
            <LangField />
            <input type="hidden" name="budget_id" value=budget_id />
            <Field name="document" autocomplete="off" required=true maxlength=30
                label=Signal::derive(move || td_string!(l, budget.document).to_owned())
                hint=Signal::derive(move || td_string!(l, budget.document_hint).to_owned()) error />
            {(min_age > 0).then(|| {
                let problems = move || error.with(|e| e.as_ref().map(|e| e.field_problems("eligible").count() > 0).unwrap_or(false));
                view! {
                    <label class="checkbox">
                        <input type="checkbox" name="eligible" value="on" required=true />
                        {td_string!(l, budget.eligible, age = min_age).to_string()}
                    </label>
                    {move || problems().then(|| view! { <p class="field__error" role="alert">{td_string!(l, budget.eligible_required)}</p> })}
                }
            })}
            <FormNotice error />
            <button type="submit" class="button">{td_string!(l, budget.confirm)}</button>
        </ActionForm>
    }
}

/// Who may vote in an edition, in a sentence.
pub(super) fn who_may_vote(l: Locale, min_age: u8) -> String {
    if min_age > 0 {
        td_string!(l, budget.who_votes_from_age, age = min_age).to_string()
    } else {
        td_string!(l, budget.who_votes).to_owned()
    }
}
