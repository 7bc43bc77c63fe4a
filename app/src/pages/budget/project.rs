use super::works::WorkSection;
use super::{direction_label, lei, status_label, with_edition, EditionLinks};
use crate::api::budget::{EditionView, ReviewProposal};
use crate::components::follow::FollowBox;
use crate::components::form::{
    action_error, Field, FormNotice, LangField, SuccessNotice, TextArea,
};
use crate::components::page_title::PageHeading;
use crate::components::share::{Preview, PreviewImage, Share};
use crate::i18n::*;
use crate::model::civic_budget::{Phase, Proposal, ProposalPhoto, ProposalStatus};
use crate::model::subscription::SubscriptionKind;
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/{lang}/budget/{edition}/projects/{id}`: a proposal or project, and staff's review.
#[component]
pub fn ProjectPage() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|i| i.parse::<i64>().ok()));
    with_edition(move |v| {
        let found = v.detail.proposals.iter().find(|p| Some(p.id) == id).cloned();
        match found {
            Some(p) => view! { <ProjectBody view=v proposal=p /> }.into_any(),
            None => view! { <NotFoundPage /> }.into_any(),
        }
    })
}

#[component]
fn ProjectBody(view: EditionView, proposal: Proposal) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let p = proposal;
    let e = view.detail.edition.clone();
    let query = use_query_map();
    let (proposed, reviewed, work_updated, milestone_added) = query.with_untracked(|q| {
        let has = |k: &str| q.get(k).is_some();
        (has("proposed"), has("reviewed"), has("work_updated"), has("milestone_added"))
    });
    let lang = (p.lang != l.as_str()).then(|| p.lang.clone());
    let budget = view.detail.budgets.iter().find(|b| b.id == p.budget_id).cloned();
    let place = match p.at {
        Some(at) => td_string!(
            l,
            budget.place_pin,
            lat = format!("{:.5}", at.lat),
            lng = format!("{:.5}", at.lng)
        )
        .to_string(),
        None => td_string!(l, budget.whole_city).to_owned(),
    };
    let cost = match p.revised_cost {
        Some(revised) if revised != p.cost => {
            td_string!(l, budget.cost_revised, cost = lei(l, revised), estimate = lei(l, p.cost))
                .to_string()
        }
        _ => lei(l, p.cost),
    };
    let reviewable =
        view.can_manage && p.status != ProposalStatus::Draft && e.phase <= Phase::Review;
    // The author may still change it: proposals are open and staff have not reviewed it.
    let editable = view.proposing_open
        && view.viewer_id.is_some()
        && p.author_id == view.viewer_id
        && matches!(p.status, ProposalStatus::Draft | ProposalStatus::Submitted);
    let edit_link = editable.then(|| {
        let href = crate::paths::page(l, &format!("/budget/{}/propose?edit={}", e.slug, p.id));
        view! {
            {(p.status == ProposalStatus::Draft).then(|| view! { <p class="notice">{td_string!(l, budget.draft_note)}</p> })}
            <p><a class="button button--secondary" href=href>{td_string!(l, budget.edit_proposal)}</a></p>
        }
    });
    // A funded project is followed for its milestones; the others until the results.
    let followable =
        p.status != ProposalStatus::Draft && (e.phase < Phase::Implementation || p.work.is_some());
    let work = p.work.clone().map(|work| {
        let milestones: Vec<_> =
            view.detail.milestones.iter().filter(|m| m.proposal_id == p.id).cloned().collect();
        let departments = view.can_manage.then(|| view.departments.clone());
        view! { <WorkSection proposal=p.clone() work milestones departments /> }
    });
    view! {
        <article class="page page--narrow budget-project">
            {proposed.then(|| if p.status == ProposalStatus::Draft {
                view! { <SuccessNotice>{td_string!(l, budget.draft_saved)}</SuccessNotice> }.into_any()
            } else {
                // Proposing makes a participant: the optional questions about them are next.
                let about = crate::paths::page(l, &format!("/budget/{}/indicators#about-me", e.slug));
                view! {
                    <SuccessNotice>{td_string!(l, budget.proposed)}</SuccessNotice>
                    <p><a href=about>{td_string!(l, inclusion.vote_prompt)}</a></p>
                }.into_any()
            })}
            {reviewed.then(|| view! { <SuccessNotice>{td_string!(l, budget.reviewed)}</SuccessNotice> })}
            {work_updated.then(|| view! { <SuccessNotice>{td_string!(l, budget_works.updated)}</SuccessNotice> })}
            {milestone_added.then(|| view! { <SuccessNotice>{td_string!(l, budget_works.milestone_added)}</SuccessNotice> })}
            <EditionLinks slug=e.slug.clone() phase=e.phase />
            <PageHeading text=p.title.clone() lang=lang.clone() />
            <p class="report-card__meta">
                <span class=format!("badge badge--budget-{}", p.status.as_str())>{status_label(l, p.status)}</span>
                {budget.map(|b| view! { <span>{b.name.get(l).to_owned()}</span> })}
            </p>
            <dl class="budget-facts">
                <dt>{td_string!(l, budget.cost)}</dt><dd>{cost}</dd>
                <dt>{td_string!(l, budget.direction_label)}</dt><dd>{direction_label(l, &p.direction)}</dd>
                <dt>{td_string!(l, budget.place)}</dt><dd>{place}</dd>
                {p.mixed_team.then(|| view! { <dt>{td_string!(l, budget.team)}</dt><dd>{td_string!(l, budget.mixed_team)}</dd> })}
                {p.cohesion_actions.then(|| view! { <dt>{td_string!(l, budget.cohesion)}</dt><dd>{td_string!(l, budget.cohesion_actions)}</dd> })}
                {(e.phase >= Phase::Results).then(|| view! { <dt>{td_string!(l, budget.votes_label)}</dt><dd>{p.votes}</dd> })}
            </dl>
            <div class="report-page__description" lang=lang>
                {p.description.split("\n\n").map(|para| view! { <p>{para.to_owned()}</p> }).collect_view()}
            </div>
            <ProjectPhotos photos=p.photos.clone() />
            {p.review_reason.clone().map(|r| view! {
                <section class="notice">
                    <h2>{td_string!(l, budget.review_heading)}</h2>
                    <p>{r}</p>
                </section>
            })}
            {edit_link}
            {reviewable.then(|| view! { <ReviewForm proposal_id=p.id /> })}
            {work}
            {followable.then(|| view! { <FollowBox kind=SubscriptionKind::Project id=p.id /> })}
            {(p.status != ProposalStatus::Draft).then(|| view! {
                <Share preview=Preview {
                    title: p.title.clone(),
                    description: p.description.clone(),
                    image: match p.photos.first() {
                        Some(photo) => PreviewImage::Photo(format!("/media/proposals/{}", photo.id)),
                        None => PreviewImage::Drawn { kind: "projects", id: p.id },
                    },
                } />
            })}
        </article>
    }
}

/// The author's photos, each a thumbnail that opens the whole photo.
#[component]
fn ProjectPhotos(photos: Vec<ProposalPhoto>) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    (!photos.is_empty()).then(|| {
        let items = photos
            .into_iter()
            .enumerate()
            .map(|(n, photo)| {
                let alt = td_string!(l, budget.photo_alt, n = n + 1).to_string();
                view! {
                    <li class="gallery__item">
                        <a href=format!("/media/proposals/{}", photo.id)>
                            <img src=format!("/media/proposals/{}/thumb", photo.id) alt=alt loading="lazy" width="200" />
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="project-photos">
                <h2 id="project-photos">{td_string!(l, report.photos)}</h2>
                <ul class="gallery">{items}</ul>
            </section>
        }
    })
}

#[component]
fn ReviewForm(proposal_id: i64) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let action = ServerAction::<ReviewProposal>::new();
    let error = action_error(action);
    view! {
        <ActionForm action attr:class="form form-section">
            <h2>{td_string!(l, budget.review)}</h2>
            <LangField />
            <input type="hidden" name="proposal_id" value=proposal_id />
            <fieldset>
                <legend>{td_string!(l, budget.feasible_question)}</legend>
                <label class="checkbox"><input type="radio" name="feasible" value="yes" required=true />{td_string!(l, budget.status.feasible)}</label>
                <label class="checkbox"><input type="radio" name="feasible" value="no" />{td_string!(l, budget.status.unfeasible)}</label>
            </fieldset>
            <TextArea name="reason" label=Signal::derive(move || td_string!(l, budget.public_reason).to_owned()) rows=3 required=true error />
            <Field name="revised_cost" kind="number" label=Signal::derive(move || td_string!(l, budget.revised_cost).to_owned()) error />
            <FormNotice error />
            <button type="submit" class="button">{td_string!(l, budget.save_review)}</button>
        </ActionForm>
    }
}
