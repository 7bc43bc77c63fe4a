//! Staff setting up the civic budget: `/{lang}/budget/new` (a new edition) and
//! `/{lang}/budget/{edition}/setup` (its titles and dates, its budgets, a Pabulib import).

use super::{lei, phase_label, rule_text, with_edition, EditionLinks};
use crate::api::budget::EditionView;
use crate::api::budget_setup::{AddBudget, ImportPabulib, SaveEdition, NAME_MAX_CHARS};
use crate::app::{SiteResource, ViewerResource};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    action_error, error_from_address, problem_text, Field, FormError, FormNotice, LangField,
    SelectField, SuccessNotice,
};
use crate::components::localized::LocalizedText;
use crate::components::page_title::PageHeading;
use crate::error::AppError;
use crate::format::utc_to_city_input;
use crate::i18n::*;
use crate::model::civic_budget::{EditionSummary, Phase};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

/// `/{lang}/budget/new`: staff of the locality create an edition.
#[component]
pub fn NewEditionPage() -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let site = expect_context::<SiteResource>();
    let viewer = expect_context::<ViewerResource>();
    view! {
        <section class="page page--narrow">
            <PageHeading text=td_string!(l, budget_setup.new_edition).to_owned() />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let site = match site.await {
                        Ok(s) => s,
                        Err(err) => return view! { <ErrorNotice error=err /> }.into_any(),
                    };
                    match viewer.await {
                        Ok(v) if v.is_staff_of(site.locality.id) => view! {
                            <p>{td_string!(l, budget_setup.new_intro)}</p>
                            <EditionForm edition=None />
                        }.into_any(),
                        Ok(v) if v.user.is_some() => view! { <ErrorNotice error=AppError::Forbidden /> }.into_any(),
                        _ => view! { <crate::components::layout::SignInPrompt /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/{lang}/budget/{edition}/setup`: staff change an edition's titles and dates, add budgets
/// and import Pabulib files.
#[component]
pub fn EditionSetupPage() -> impl IntoView {
    with_edition(|v| view! { <SetupBody view=v /> })
}

#[component]
fn SetupBody(view: EditionView) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let e = view.detail.edition.clone();
    let title =
        td_string!(l, budget_setup.setup_title, edition = e.title.get(l).to_owned()).to_string();
    if !view.can_manage {
        return view! {
            <section class="page page--narrow">
                <PageHeading text=title />
                <ErrorNotice error=if view.signed_in { AppError::Forbidden } else { AppError::Unauthorized } />
            </section>
        }
        .into_any();
    }
    let query = use_query_map();
    let (saved, added, imported) = query.with_untracked(|q| {
        (q.get("saved").is_some(), q.get("budget_added").is_some(), q.get("imported").is_some())
    });
    let budgets = view
        .detail
        .budgets
        .iter()
        .map(|b| {
            let projects = view.detail.proposals.iter().filter(|p| p.budget_id == b.id).count();
            view! {
                <li>
                    <strong><LocalizedText text=b.name.clone() /></strong> " · " {lei(l, b.amount)}
                    <br /><span class="muted">{rule_text(l, b.ballot_rule, b.amount)} " · "
                    {td_string!(l, budget_setup.projects_count, n = projects).to_string()}</span>
                </li>
            }
        })
        .collect_view();
    let no_budgets = view.detail.budgets.is_empty();
    view! {
        <article class="page page--narrow">
            <EditionLinks slug=e.slug.clone() phase=e.phase />
            <PageHeading text=title />
            {saved.then(|| view! { <SuccessNotice>{td_string!(l, budget_setup.saved)}</SuccessNotice> })}
            {added.then(|| view! { <SuccessNotice>{td_string!(l, budget_setup.budget_added)}</SuccessNotice> })}
            {imported.then(|| view! { <SuccessNotice>{td_string!(l, budget_setup.imported)}</SuccessNotice> })}
            <section class="form-section" aria-labelledby="setup-edition">
                <h2 id="setup-edition">{td_string!(l, budget_setup.edition_heading)}</h2>
                <EditionForm edition=Some(e.clone()) />
            </section>
            <section class="form-section" aria-labelledby="setup-budgets">
                <h2 id="setup-budgets">{td_string!(l, budget_setup.budgets)}</h2>
                {if no_budgets {
                    view! { <p class="empty">{td_string!(l, budget_setup.no_budgets)}</p> }.into_any()
                } else {
                    view! { <ul>{budgets}</ul> }.into_any()
                }}
                {if e.phase < Phase::Review {
                    view! { <BudgetForm edition_id=e.id /> }.into_any()
                } else {
                    view! { <p class="notice">{td_string!(l, budget_setup.budgets_closed)}</p> }.into_any()
                }}
            </section>
            <ImportForm edition_id=e.id />
        </article>
    }
    .into_any()
}

/// The edition's slug (new editions only), titles and the dates its phases start.
#[component]
fn EditionForm(edition: Option<EditionSummary>) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let action = ServerAction::<SaveEdition>::new();
    let error = action_error(action);
    let text = |s: &'static str| Signal::derive(move || s.to_owned());
    // What the edition has now: its own translations only (an empty one shows Romanian).
    let title = |lang: Locale| {
        edition
            .as_ref()
            .map(|e| e.title.get_in(lang))
            .filter(|(_, written_in)| *written_in == lang)
            .map(|(t, _)| t.to_owned())
            .unwrap_or_default()
    };
    let titles = [title(Locale::ro), title(Locale::ru), title(Locale::uk), title(Locale::en)];
    // New editions start from the age Bălți's civic budget uses.
    let age = edition.as_ref().map_or(16, |e| e.min_voter_age).to_string();
    let phase_fields = Phase::ALL
        .into_iter()
        .map(|p| {
            let label =
                td_string!(l, budget_setup.phase_starts, phase = phase_label(l, p)).to_string();
            let name = crate::api::budget_setup::PHASE_FIELDS[p as usize];
            let value =
                edition.as_ref().map(|e| utc_to_city_input(e.dates.start(p))).unwrap_or_default();
            view! { <Field name kind="datetime-local" required=true value label=Signal::derive(move || label.clone()) error /> }
        })
        .collect_view();
    let submit = if edition.is_some() {
        td_string!(l, budget_setup.save_edition)
    } else {
        td_string!(l, budget_setup.create_edition)
    };
    view! {
        <ActionForm action attr:class="form">
            <LangField />
            {match &edition {
                Some(e) => view! { <input type="hidden" name="edition_id" value=e.id /> }.into_any(),
                None => view! {
                    <Field name="slug" required=true maxlength=40 label=text(td_string!(l, budget_setup.slug))
                        hint=text(td_string!(l, budget_setup.slug_hint)) error />
                }.into_any(),
            }}
            <Field name="title_ro" required=true maxlength=NAME_MAX_CHARS as u32 value=titles[0].clone()
                label=text(td_string!(l, budget_setup.title_ro)) error />
            <Field name="title_ru" maxlength=NAME_MAX_CHARS as u32 value=titles[1].clone()
                label=text(td_string!(l, budget_setup.title_ru)) hint=text(td_string!(l, budget_setup.translation_hint)) error />
            <Field name="title_uk" maxlength=NAME_MAX_CHARS as u32 value=titles[2].clone()
                label=text(td_string!(l, budget_setup.title_uk)) error />
            <Field name="title_en" maxlength=NAME_MAX_CHARS as u32 value=titles[3].clone()
                label=text(td_string!(l, budget_setup.title_en)) error />
            <Field name="min_voter_age" kind="number" required=true value=age
                label=text(td_string!(l, budget_setup.min_voter_age)) hint=text(td_string!(l, budget_setup.min_voter_age_hint)) error />
            <fieldset class="form-section">
                <legend>{td_string!(l, budget_setup.phases)}</legend>
                <p class="field__hint">{td_string!(l, budget_setup.phases_hint)}</p>
                {phase_fields}
            </fieldset>
            <FormNotice error />
            <button type="submit" class="button">{submit}</button>
        </ActionForm>
    }
}

/// A new budget: names, amount, ballot rule and outcome rule.
#[component]
fn BudgetForm(edition_id: i64) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let action = ServerAction::<AddBudget>::new();
    let error = action_error(action);
    let text = |s: &'static str| Signal::derive(move || s.to_owned());
    let options = |list: Vec<(&'static str, &'static str)>| {
        let list: Vec<(String, String)> =
            list.into_iter().map(|(v, t)| (v.to_owned(), t.to_owned())).collect();
        Signal::derive(move || list.clone())
    };
    let rules = options(vec![
        ("knapsack", td_string!(l, budget_setup.rule_knapsack)),
        ("approval", td_string!(l, budget_setup.rule_approval)),
    ]);
    let outcomes = options(vec![
        ("equal_shares", td_string!(l, budget_setup.outcome_equal_shares)),
        ("greedy", td_string!(l, budget_setup.outcome_greedy)),
    ]);
    view! {
        <ActionForm action attr:class="form">
            <h3>{td_string!(l, budget_setup.add_budget)}</h3>
            <LangField />
            <input type="hidden" name="edition_id" value=edition_id />
            <Field name="name_ro" required=true maxlength=NAME_MAX_CHARS as u32 label=text(td_string!(l, budget_setup.name_ro)) error />
            <Field name="name_ru" maxlength=NAME_MAX_CHARS as u32 label=text(td_string!(l, budget_setup.name_ru))
                hint=text(td_string!(l, budget_setup.translation_hint)) error />
            <Field name="name_uk" maxlength=NAME_MAX_CHARS as u32 label=text(td_string!(l, budget_setup.name_uk)) error />
            <Field name="name_en" maxlength=NAME_MAX_CHARS as u32 label=text(td_string!(l, budget_setup.name_en)) error />
            <Field name="amount" kind="number" required=true label=text(td_string!(l, budget_setup.amount)) error />
            <SelectField name="ballot_rule" label=text(td_string!(l, budget_setup.ballot_rule)) options=rules error />
            <Field name="min_share_percent" kind="number" value="0".to_owned() label=text(td_string!(l, budget_setup.min_share)) error />
            <Field name="min_projects" kind="number" value="1".to_owned() label=text(td_string!(l, budget_setup.min_projects)) error />
            <Field name="max_projects" kind="number" value="3".to_owned() label=text(td_string!(l, budget_setup.max_projects)) error />
            <SelectField name="outcome_rule" label=text(td_string!(l, budget_setup.outcome_rule)) options=outcomes error />
            <FormNotice error />
            <button type="submit" class="button">{td_string!(l, budget_setup.add_budget)}</button>
        </ActionForm>
    }
}

/// A Pabulib file as a new budget. A plain multipart form: the browser sends the file itself.
#[component]
fn ImportForm(edition_id: i64) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let error = RwSignal::new(error_from_address(ImportPabulib::PATH));
    let form_error: FormError = error.into();
    let page_error =
        Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    let file_problem =
        move || error.with(|e| e.as_ref().and_then(|e| e.field_problems("file").next()));
    let query = use_query_map();
    let (typed_name, line, detail) = query.with_untracked(|q| {
        (q.get("name").unwrap_or_default(), q.get("line"), q.get("detail").unwrap_or_default())
    });
    let refusal = line.map(|line| match line.as_str() {
        "0" => td_string!(l, budget_setup.refused_file).to_owned(),
        n => td_string!(l, budget_setup.refused_line, line = n.to_owned()).to_string(),
    });
    view! {
        <section class="form-section" aria-labelledby="setup-import">
            <h2 id="setup-import">{td_string!(l, budget_setup.import_heading)}</h2>
            <p>{td_string!(l, budget_setup.import_intro)}</p>
            <form class="form" method="post" action=ImportPabulib::PATH enctype="multipart/form-data">
                <FormNotice error=page_error />
                <LangField />
                <input type="hidden" name="edition_id" value=edition_id />
                <div class="field">
                    <label for="import-file">{td_string!(l, budget_setup.file)}</label>
                    <input id="import-file" type="file" name="file" accept=".pb,text/plain" required=true
                        aria-describedby=move || file_problem().map(|_| "import-file-error") />
                    {move || file_problem().map(|p| view! {
                        <p class="field__error" id="import-file-error" role="alert">
                            {problem_text(l, p)}
                            {refusal.clone().map(|r| view! { <br />{r} " " <span lang="en">{detail.clone()}</span> })}
                        </p>
                    })}
                </div>
                <Field name="name" maxlength=NAME_MAX_CHARS as u32 value=typed_name
                    label=Signal::derive(move || td_string!(l, budget_setup.import_name).to_owned()) error=form_error />
                <button type="submit" class="button">{td_string!(l, budget_setup.import)}</button>
            </form>
        </section>
    }
}
