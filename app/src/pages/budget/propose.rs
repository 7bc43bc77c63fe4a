use super::{direction_label, lei, with_edition, EditionLinks};
use crate::api::budget::{EditionView, ProposeProject};
use crate::app::SiteResource;
use crate::components::error::ErrorNotice;
use crate::components::form::{action_error, Field, FormNotice, LangField, TextArea};
use crate::components::layout::SignInPrompt;
use crate::components::map::PickLocation;
use crate::components::page_title::PageHeading;
use crate::i18n::*;
use crate::locale;
use crate::model::civic_budget::DIRECTIONS;
use leptos::prelude::*;

/// `/{lang}/budget/{edition}/propose`: a signed-in resident proposes a project.
#[component]
pub fn ProposePage() -> impl IntoView {
    view! {
        <crate::app::MapScripts bundle=crate::assets::Bundle::Picker />
        {with_edition(|v| view! { <ProposeBody view=v /> })}
    }
}

#[component]
fn ProposeBody(view: EditionView) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let e = view.detail.edition.clone();
    let body = match (view.signed_in, view.proposing_open) {
        (_, false) => {
            view! { <p class="notice">{td_string!(l, budget.proposing_closed)}</p> }.into_any()
        }
        (false, true) => view! { <SignInPrompt /> }.into_any(),
        (true, true) => view! { <ProposeForm view=view.clone() /> }.into_any(),
    };
    view! {
        <section class="page page--narrow">
            <EditionLinks slug=e.slug.clone() phase=e.phase />
            <PageHeading text=td_string!(l, budget.propose).to_owned() />
            {body}
        </section>
    }
}

#[component]
fn ProposeForm(view: EditionView) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let site = expect_context::<SiteResource>();
    let action = ServerAction::<ProposeProject>::new();
    let error = action_error(action);
    let budgets = view.detail.budgets.clone();
    view! {
        <ActionForm action attr:class="form">
            <LangField />
            <input type="hidden" name="edition" value=view.detail.edition.slug.clone() />
            <div class="field">
                <label for="budget-id">{td_string!(l, budget.which_budget)}</label>
                <select id="budget-id" name="budget_id">
                    {budgets.into_iter().map(|b| view! { <option value=b.id>{format!("{} ({})", b.name.get(l), lei(l, b.amount))}</option> }).collect_view()}
                </select>
            </div>
            <Field name="title" label=Signal::derive(move || td_string!(l, budget.project_title).to_owned()) required=true maxlength=150 error />
            <TextArea name="description" label=Signal::derive(move || td_string!(l, budget.description).to_owned()) rows=8 required=true error />
            <div class="field">
                <label for="written-in">{td_string!(l, budget.written_in)}</label>
                <select id="written-in" name="written_in">
                    {locale::ALL.into_iter().map(|x| {
                        // Each language named in itself.
                        let name = match x {
                            Locale::ro => td_string!(x, lang.ro),
                            Locale::ru => td_string!(x, lang.ru),
                            Locale::uk => td_string!(x, lang.uk),
                            Locale::en => td_string!(x, lang.en),
                        };
                        view! { <option value=x.to_string() selected=x == l>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <Field name="cost" kind="number" label=Signal::derive(move || td_string!(l, budget.estimated_cost).to_owned()) required=true error />
            <div class="field">
                <label for="direction">{td_string!(l, budget.direction_label)}</label>
                <select id="direction" name="direction">
                    {DIRECTIONS.into_iter().map(|d| view! { <option value=d>{direction_label(l, d)}</option> }).collect_view()}
                </select>
            </div>
            <fieldset class="form-section">
                <legend>{td_string!(l, budget.place)}</legend>
                <p class="field__hint">{td_string!(l, budget.place_hint)}</p>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match site.await {
                            Ok(ctx) => view! { <PickLocation site=ctx /> }.into_any(),
                            Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                        }
                    })}
                </Suspense>
            </fieldset>
            <fieldset class="form-section">
                <legend>{td_string!(l, budget.team)}</legend>
                <label class="checkbox"><input type="checkbox" name="mixed_team" value="on" />{td_string!(l, budget.mixed_team)}</label>
                <label class="checkbox"><input type="checkbox" name="cohesion_actions" value="on" />{td_string!(l, budget.cohesion_actions)}</label>
            </fieldset>
            <FormNotice error />
            <button type="submit" class="button">{td_string!(l, budget.submit_proposal)}</button>
            " "
            <button type="submit" class="button button--secondary" name="draft" value="on">{td_string!(l, budget.save_draft)}</button>
        </ActionForm>
    }
}
