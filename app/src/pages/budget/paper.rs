use super::{lei, refusal_text, with_edition, EditionLinks};
use crate::api::budget::{EditionView, EnterPaperBallot};
use crate::components::form::{action_error, Field, FormNotice, LangField, SuccessNotice};
use crate::components::localized::LocalizedText;
use crate::components::page_title::PageHeading;
use crate::i18n::*;
use crate::model::civic_budget::{parse_refusal, BudgetInfo, Proposal, ProposalStatus};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/{lang}/budget/{edition}/paper`: staff at the information centre enter paper ballots.
#[component]
pub fn PaperBallotPage() -> impl IntoView {
    with_edition(|v| view! { <PaperBody view=v /> })
}

#[component]
fn PaperBody(view: EditionView) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let e = view.detail.edition.clone();
    let query = use_query_map();
    let (entered, refusal) = query
        .with_untracked(|q| (q.get("entered"), q.get("refused").and_then(|r| parse_refusal(&r))));
    let body = if !view.can_manage {
        view! { <p class="notice notice--error" role="alert">{td_string!(l, errors.forbidden)}</p> }
            .into_any()
    } else if !view.voting_open {
        view! { <p class="notice">{td_string!(l, budget.voting_closed)}</p> }.into_any()
    } else {
        view.detail
            .budgets
            .iter()
            .map(|b| {
                let projects: Vec<Proposal> = view
                    .detail
                    .proposals
                    .iter()
                    .filter(|p| p.budget_id == b.id && p.status == ProposalStatus::Feasible)
                    .cloned()
                    .collect();
                view! { <PaperForm budget=b.clone() projects /> }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <article class="page page--narrow">
            <EditionLinks slug=e.slug.clone() phase=e.phase />
            <PageHeading text=td_string!(l, budget.paper_desk).to_owned() />
            <p>{td_string!(l, budget.paper_intro)}</p>
            {entered.map(|code| view! { <SuccessNotice>{td_string!(l, budget.paper_entered, code = code).to_string()}</SuccessNotice> })}
            {refusal.map(|r| view! { <p class="notice notice--error" role="alert">{refusal_text(l, &r)}</p> })}
            {body}
        </article>
    }
}

#[component]
fn PaperForm(budget: BudgetInfo, projects: Vec<Proposal>) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let action = ServerAction::<EnterPaperBallot>::new();
    let error = action_error(action);
    view! {
        <ActionForm action attr:class="form form-section">
            <h2><LocalizedText text=budget.name.clone() /> " · " {lei(l, budget.amount)}</h2>
            <LangField />
            <input type="hidden" name="budget_id" value=budget.id />
            <Field name="sheet" required=true maxlength=40 label=Signal::derive(move || td_string!(l, budget.sheet).to_owned()) error />
            <Field name="document" autocomplete="off" required=true maxlength=30 label=Signal::derive(move || td_string!(l, budget.document_checked).to_owned()) error />
            <fieldset>
                <legend>{td_string!(l, budget.chosen_projects)}</legend>
                {projects.into_iter().enumerate().map(|(n, p)| view! {
                    <label class="checkbox">
                        <input type="checkbox" name=format!("choices[{n}]") value=p.id />
                        {p.title.clone()} " — " {lei(l, p.ballot_cost())}
                    </label>
                }).collect_view()}
            </fieldset>
            <FormNotice error />
            <button type="submit" class="button">{td_string!(l, budget.enter_paper)}</button>
        </ActionForm>
    }
}
