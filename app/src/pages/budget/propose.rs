use super::{direction_label, lei, with_edition, EditionLinks};
use crate::api::budget::EditionView;
use crate::api::budget_propose::ProposeProject;
use crate::app::SiteResource;
use crate::components::error::ErrorNotice;
use crate::components::form::{
    error_from_address, problem_text, Field, FormError, FormNotice, LangField, PhotosField,
    TextArea,
};
use crate::components::layout::SignInPrompt;
use crate::components::map::PickLocation;
use crate::components::page_title::PageHeading;
use crate::error::AppError;
use crate::i18n::*;
use crate::locale;
use crate::model::civic_budget::{Proposal, ProposalStatus, DIRECTIONS, MAX_PROPOSAL_PHOTOS};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

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
    // `?edit={id}`: the author changes their proposal (a draft, or one not yet reviewed).
    let edit =
        use_query_map().with_untracked(|q| q.get("edit").and_then(|v| v.parse::<i64>().ok()));
    let existing = edit.map(|id| {
        view.detail
            .proposals
            .iter()
            .find(|p| p.id == id && view.viewer_id.is_some() && p.author_id == view.viewer_id)
            .filter(|p| matches!(p.status, ProposalStatus::Draft | ProposalStatus::Submitted))
            .cloned()
    });
    let body = match (view.signed_in, view.proposing_open, existing.clone()) {
        (_, false, _) => {
            view! { <p class="notice">{td_string!(l, budget.proposing_closed)}</p> }.into_any()
        }
        (false, true, _) => view! { <SignInPrompt /> }.into_any(),
        (true, true, Some(None)) => view! { <ErrorNotice error=AppError::NotFound /> }.into_any(),
        (true, true, existing) => {
            view! { <ProposeForm view=view.clone() existing=existing.flatten() /> }.into_any()
        }
    };
    let heading = if matches!(existing, Some(Some(_))) {
        td_string!(l, budget.edit_proposal)
    } else {
        td_string!(l, budget.propose)
    };
    view! {
        <section class="page page--narrow">
            <EditionLinks slug=e.slug.clone() phase=e.phase />
            <PageHeading text=heading.to_owned() />
            {body}
        </section>
    }
}

#[component]
fn ProposeForm(view: EditionView, existing: Option<Proposal>) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let site = expect_context::<SiteResource>();
    // A plain multipart post (it carries photos): a refusal comes back in the address, with
    // what was typed.
    let sent_back = error_from_address(ProposeProject::PATH);
    let query = use_query_map().get_untracked();
    let came_back = sent_back.is_some();
    let error: FormError = RwSignal::new(sent_back).into();
    let photos_sent: Vec<String> =
        if came_back { query.get_all("photo").unwrap_or_default() } else { Vec::new() };
    let p = existing.clone();
    let value = move |field: &str, f: fn(&Proposal) -> String| {
        if came_back {
            query.get(field).unwrap_or_default()
        } else {
            p.as_ref().map(f).unwrap_or_default()
        }
    };
    let budgets = view.detail.budgets.clone();
    let written = value("written_in", |p| p.lang.clone());
    let written = if written.is_empty() { l.to_string() } else { written };
    let chosen_direction = value("direction", |p| p.direction.clone());
    let chosen_budget = value("budget_id", |p| p.budget_id.to_string());
    let typed = (
        value("lat", |p| p.at.map(|at| at.lat.to_string()).unwrap_or_default()),
        value("lng", |p| p.at.map(|at| at.lng.to_string()).unwrap_or_default()),
    );
    let ticked = |field: &str, f: fn(&Proposal) -> String| value(field, f) == "on";
    let mixed = ticked("mixed_team", |p| if p.mixed_team { "on".into() } else { String::new() });
    let cohesion =
        ticked(
            "cohesion_actions",
            |p| {
                if p.cohesion_actions {
                    "on".into()
                } else {
                    String::new()
                }
            },
        );
    // A submitted proposal is changed in place; only a draft may stay one.
    let draft_allowed = existing.as_ref().is_none_or(|p| p.status == ProposalStatus::Draft);
    let budget_field = match &existing {
        Some(p) => view! {
            <input type="hidden" name="proposal_id" value=p.id />
            <input type="hidden" name="budget_id" value=p.budget_id />
        }
        .into_any(),
        None => view! {
            <div class="field">
                <label for="budget-id">{td_string!(l, budget.which_budget)}</label>
                <select id="budget-id" name="budget_id">
                    {budgets.into_iter().map(|b| view! { <option value=b.id selected=b.id.to_string() == chosen_budget>{format!("{} ({})", b.name.get(l), lei(l, b.amount))}</option> }).collect_view()}
                </select>
            </div>
        }
        .into_any(),
    };
    let old_photos = existing.as_ref().map(|p| p.photos.clone()).unwrap_or_default();
    view! {
        <form class="form" method="post" action=ProposeProject::PATH enctype="multipart/form-data">
            <LangField />
            <input type="hidden" name="edition" value=view.detail.edition.slug.clone() />
            {budget_field}
            <Field name="title" label=Signal::derive(move || td_string!(l, budget.project_title).to_owned()) required=true maxlength=150
                value=value("title", |p| p.title.clone()) error />
            <TextArea name="description" label=Signal::derive(move || td_string!(l, budget.description).to_owned()) rows=8 required=true
                value=value("description", |p| p.description.clone()) error />
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
                        view! { <option value=x.to_string() selected=x.as_str() == written>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <Field name="cost" kind="number" label=Signal::derive(move || td_string!(l, budget.estimated_cost).to_owned()) required=true
                value=value("cost", |p| p.cost.to_string()) error />
            <div class="field">
                <label for="direction">{td_string!(l, budget.direction_label)}</label>
                <select id="direction" name="direction">
                    {DIRECTIONS.into_iter().map(|d| view! { <option value=d selected=chosen_direction == d>{direction_label(l, d)}</option> }).collect_view()}
                </select>
            </div>
            <fieldset class="form-section">
                <legend>{td_string!(l, budget.place)}</legend>
                <p class="field__hint">{td_string!(l, budget.place_hint)}</p>
                {move || error.with(|e| e.as_ref().and_then(|e| e.field_problems("location").next())).map(|p| view! { <p class="field__error" role="alert">{problem_text(l, p)}</p> })}
                <Suspense fallback=|| ()>
                    {move || {
                        let typed = typed.clone();
                        Suspend::new(async move {
                        match site.await {
                            Ok(ctx) => view! { <PickLocation site=ctx typed /> }.into_any(),
                            Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                        }
                    })}}
                </Suspense>
            </fieldset>
            <fieldset class="form-section">
                <legend>{td_string!(l, budget.team)}</legend>
                <label class="checkbox"><input type="checkbox" name="mixed_team" value="on" checked=mixed />{td_string!(l, budget.mixed_team)}</label>
                <label class="checkbox"><input type="checkbox" name="cohesion_actions" value="on" checked=cohesion />{td_string!(l, budget.cohesion_actions)}</label>
            </fieldset>
            <PhotosField max=MAX_PROPOSAL_PHOTOS sent=photos_sent error>
                {(!old_photos.is_empty()).then(|| view! {
                    <p class="field__hint">{td_string!(l, budget.photos_now)}</p>
                    <ul class="gallery">
                        {old_photos.iter().enumerate().map(|(n, photo)| view! {
                            <li class="gallery__item">
                                <img src=format!("/media/proposals/{}/thumb", photo.id) alt=td_string!(l, budget.photo_alt, n = n + 1).to_string()
                                    loading="lazy" width="200" />
                                <label class="checkbox">
                                    <input type="checkbox" name=format!("remove_photo_{}", photo.id) value="on" />
                                    {td_string!(l, budget.remove_photo, n = n + 1).to_string()}
                                </label>
                            </li>
                        }).collect_view()}
                    </ul>
                })}
            </PhotosField>
            <FormNotice error />
            <button type="submit" class="button">{td_string!(l, budget.submit_proposal)}</button>
            " "
            {draft_allowed.then(|| view! {
                <button type="submit" class="button button--secondary" name="draft" value="on">{td_string!(l, budget.save_draft)}</button>
            })}
        </form>
    }
}
