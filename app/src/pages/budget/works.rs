//! The implementation of funded projects: on a project's page its status, progress,
//! department, cost and milestones (and staff's forms); on the edition's page every funded
//! project on the map and in a list.

use super::lei;
use crate::api::budget::EditionView;
use crate::api::budget_works::{AddMilestone, UpdateWork, MILESTONE_MAX_CHARS};
use crate::components::form::{
    action_error, error_from_address, problem_text, Field, FormError, FormNotice, LangField,
    TextArea,
};
use crate::components::status::work_status_label;
use crate::error::AppError;
use crate::format;
use crate::i18n::*;
use crate::model::admin::Department;
use crate::model::budget_works::{Milestone, ProjectWork, WorkStatus};
use crate::model::civic_budget::Proposal;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// A labelled progress bar (the number is written too, for those who cannot see the bar).
#[component]
fn ProgressBar(value: u8) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let text = td_string!(l, budget_works.percent, value = value).to_string();
    view! {
        <span class="work-progress">
            <progress max="100" value=value aria-label=td_string!(l, budget_works.progress)>{text.clone()}</progress>
            <span>{text}</span>
        </span>
    }
}

/// A project's implementation on its page.
#[component]
pub fn WorkSection(
    proposal: Proposal,
    work: ProjectWork,
    milestones: Vec<Milestone>,
    /// Staff's forms are shown when the viewer may change the implementation.
    departments: Option<Vec<Department>>,
) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let actual = work
        .actual_cost
        .map_or_else(|| td_string!(l, budget_works.not_known).to_owned(), |c| lei(l, c));
    let forms = departments.map(|departments| {
        view! {
            <WorkForm proposal_id=proposal.id work=work.clone() departments />
            <MilestoneForm proposal_id=proposal.id />
        }
    });
    view! {
        <section class="budget-work" aria-labelledby="work-heading">
            <h2 id="work-heading">{td_string!(l, budget_works.heading)}</h2>
            <dl class="budget-facts">
                <dt>{td_string!(l, budget_works.status_label)}</dt>
                <dd><span class=format!("badge badge--work-{}", work.status.as_str())>{work_status_label(l, work.status)}</span></dd>
                <dt>{td_string!(l, budget_works.progress)}</dt>
                <dd><ProgressBar value=work.progress /></dd>
                <dt>{td_string!(l, budget_works.department)}</dt>
                <dd>{work.department.clone().unwrap_or_else(|| td_string!(l, budget_works.no_department).to_owned())}</dd>
                <dt>{td_string!(l, budget_works.planned_cost)}</dt>
                <dd>{lei(l, proposal.ballot_cost())}</dd>
                <dt>{td_string!(l, budget_works.actual_cost)}</dt>
                <dd>{actual}</dd>
            </dl>
            <h3>{td_string!(l, budget_works.milestones)}</h3>
            <Milestones milestones />
            {forms}
        </section>
    }
}

/// A project's milestones, newest first.
#[component]
fn Milestones(milestones: Vec<Milestone>) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    if milestones.is_empty() {
        return view! { <p class="empty">{td_string!(l, budget_works.no_milestones)}</p> }
            .into_any();
    }
    let mut milestones = milestones;
    milestones.reverse();
    view! {
        <ol class="timeline milestones">
            {milestones.into_iter().map(|m| {
                let day = format::date(m.on, l);
                let lang = (m.lang != l.as_str()).then(|| m.lang.clone());
                let alt = td_string!(l, budget_works.photo_alt, date = day.clone()).to_string();
                view! {
                    <li class="timeline__item" id=format!("milestone-{}", m.id)>
                        <time datetime=m.on.to_string()>{day}</time>
                        <div lang=lang>
                            {m.body.split("\n\n").map(|para| view! { <p>{para.to_owned()}</p> }).collect_view()}
                        </div>
                        {m.has_photo.then(|| view! {
                            <a href=format!("/media/milestones/{}", m.id)>
                                <img class="milestone__photo" src=format!("/media/milestones/{}", m.id) alt=alt loading="lazy" />
                            </a>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// Staff: status, progress, department and actual cost.
#[component]
fn WorkForm(proposal_id: i64, work: ProjectWork, departments: Vec<Department>) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let action = ServerAction::<UpdateWork>::new();
    let error = action_error(action);
    let progress = work.progress.to_string();
    let actual = work.actual_cost.map(|c| c.to_string()).unwrap_or_default();
    view! {
        <ActionForm action attr:class="form form-section">
            <h3>{td_string!(l, budget_works.update_heading)}</h3>
            <LangField />
            <input type="hidden" name="proposal_id" value=proposal_id />
            <div class="field">
                <label for="work-status">{td_string!(l, budget_works.status_label)}</label>
                <select id="work-status" name="status">
                    {WorkStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=s == work.status>{work_status_label(l, s)}</option>
                    }).collect_view()}
                </select>
            </div>
            <Field name="progress" kind="number" value=progress
                label=Signal::derive(move || td_string!(l, budget_works.progress_label).to_owned())
                hint=Signal::derive(move || td_string!(l, budget_works.progress_hint).to_owned()) error />
            <div class="field">
                <label for="work-department">{td_string!(l, budget_works.department)}</label>
                <select id="work-department" name="department_id">
                    <option value="">{td_string!(l, budget_works.no_department)}</option>
                    {departments.into_iter().map(|d| view! {
                        <option value=d.id selected=Some(d.id) == work.department_id>{d.name}</option>
                    }).collect_view()}
                </select>
            </div>
            <Field name="actual_cost" kind="number" value=actual
                label=Signal::derive(move || td_string!(l, budget_works.actual_cost_label).to_owned()) error />
            <FormNotice error />
            <button type="submit" class="button">{td_string!(l, budget_works.save)}</button>
        </ActionForm>
    }
}

/// Staff: a dated milestone with an optional photo (a plain multipart form, like the report's).
#[component]
fn MilestoneForm(proposal_id: i64) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let error = RwSignal::new(error_from_address(AddMilestone::PATH));
    let form_error: FormError = error.into();
    let page_error =
        Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    let photo_problem =
        move || error.with(|e| e.as_ref().and_then(|e| e.field_problems("photo").next()));
    let today = format::local_date(chrono::Utc::now()).to_string();
    view! {
        <form class="form form-section" method="post" action=AddMilestone::PATH enctype="multipart/form-data">
            <h3>{td_string!(l, budget_works.milestone_heading)}</h3>
            <FormNotice error=page_error />
            <LangField />
            <input type="hidden" name="proposal_id" value=proposal_id />
            <Field name="on" kind="date" required=true value=today
                label=Signal::derive(move || td_string!(l, budget_works.milestone_on).to_owned()) error=form_error />
            <TextArea name="body" rows=4 required=true maxlength=MILESTONE_MAX_CHARS as u32
                label=Signal::derive(move || td_string!(l, budget_works.milestone_body).to_owned()) error=form_error />
            <div class="field">
                <label for="milestone-photo">{td_string!(l, budget_works.milestone_photo)}</label>
                <input id="milestone-photo" type="file" name="photo" accept="image/jpeg,image/png,image/webp" />
                {move || photo_problem().map(|p| view! { <p class="field__error" role="alert">{problem_text(l, p)}</p> })}
            </div>
            <button type="submit" class="button">{td_string!(l, budget_works.milestone_add)}</button>
        </form>
    }
}

/// The edition's funded projects: how many are done, a map of those with a place, and a list.
#[component]
pub fn ImplementationOverview(view: EditionView) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let slug = view.detail.edition.slug.clone();
    let page = move |id: i64| crate::paths::page(l, &format!("/budget/{slug}/projects/{id}"));
    let funded: Vec<(Proposal, ProjectWork)> = view
        .detail
        .proposals
        .iter()
        .filter_map(|p| p.work.clone().map(|w| (p.clone(), w)))
        .collect();
    if funded.is_empty() {
        return ().into_any();
    }
    let done = funded.iter().filter(|(_, w)| w.status == WorkStatus::Done).count();
    let summary =
        td_string!(l, budget_works.overview_summary, done = done, total = funded.len()).to_string();
    let places: Vec<(String, crate::model::LatLng, String)> = funded
        .iter()
        .filter_map(|(p, _)| p.at.map(|at| (page(p.id), at, p.title.clone())))
        .collect();
    let site = expect_context::<crate::app::SiteResource>();
    let milestones = view.detail.milestones.clone();
    let last = move |id: i64| milestones.iter().filter(|m| m.proposal_id == id).map(|m| m.on).max();
    view! {
        <section class="budget-section" aria-labelledby="works-heading">
            <h2 id="works-heading">{td_string!(l, budget_works.overview_heading)}</h2>
            <p>{summary}</p>
            {(!places.is_empty()).then(|| view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let places = places.clone();
                        Suspend::new(async move {
                            site.await.ok().map(|site| view! {
                                <crate::components::map::PlacesOnMap site places
                                    label=td_string!(l, budget_works.map_label)
                                    open=td_string!(l, budget_works.open_project) />
                            })
                        })
                    }}
                </Suspense>
            })}
            <ol class="report-list budget-projects">
                {funded.into_iter().map(|(p, w)| {
                    let lang = (p.lang != l.as_str()).then(|| p.lang.clone());
                    let last = last(p.id).map(|d| td_string!(l, budget_works.last_milestone, date = format::date(d, l)).to_string());
                    view! {
                        <li class="report-card">
                            <a class="report-card__title" lang=lang href=page(p.id)>{p.title.clone()}</a>
                            <div class="report-card__meta">
                                <span class=format!("badge badge--work-{}", w.status.as_str())>{work_status_label(l, w.status)}</span>
                                <ProgressBar value=w.progress />
                                <span>{lei(l, w.actual_cost.unwrap_or(p.ballot_cost()))}</span>
                                {last.map(|t| view! { <span>{t}</span> })}
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}
