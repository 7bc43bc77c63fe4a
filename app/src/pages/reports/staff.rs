use crate::api::reports::{staff_queue, BulkChangeStatus, StaffQueuePage as QueueData};
use crate::app::SiteResource;
use crate::components::error::{error_text, ErrorNotice};
use crate::components::filters::query_value;
use crate::components::form::LangField;
use crate::components::layout::SignInPrompt;
use crate::components::status::{status_label, StatusBadge};
use crate::error::AppError;
use crate::format;
use crate::i18n::*;
use crate::model::ReportStatus;
use leptos::prelude::*;

/// `/{lang}/staff`: the city hall's queue, oldest first, with staff-only filters and bulk changes.
#[component]
pub fn StaffQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let status = query_value("status");
    let category = query_value("category");
    let department = query_value("department");
    let waiting = query_value("waiting");
    let needs_location = query_value("needs_location");
    let q = query_value("q");
    let page = query_value("page");
    let queue = Resource::new(
        move || {
            (
                status.get(),
                category.get(),
                department.get(),
                waiting.get(),
                needs_location.get(),
                q.get(),
                page.get(),
            )
        },
        |(status, category, department, waiting, needs_location, q, page)| {
            staff_queue(
                status,
                category,
                department,
                waiting,
                Some(needs_location.is_some()),
                q,
                None,
                page.and_then(|p| p.parse::<u32>().ok()).map(|p| p.saturating_sub(1)),
            )
        },
    );
    let awaiting = Resource::new(|| (), |_| crate::api::votes::initiatives_awaiting_answer());
    view! {
        <div class="page">
            <h1>{t!(i18n, staff.queue_title)}</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = awaiting.await.unwrap_or_default();
                    (!list.is_empty()).then(|| view! {
                        <section class="side-box staff-panel" aria-labelledby="awaiting-title">
                            <h2 id="awaiting-title">{t!(i18n, initiatives.awaiting)}</h2>
                            <crate::pages::initiatives::InitiativeCards items=list />
                        </section>
                    })
                })}
            </Transition>
            <Suspense fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(data) => view! { <Queue data /> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <SignInPrompt /> }.into_any(),
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Queue(data: QueueData) -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<SiteResource>();
    let status = query_value("status");
    let department = query_value("department");
    let waiting = query_value("waiting");
    let needs_location = query_value("needs_location");
    let bulk = ServerAction::<BulkChangeStatus>::new();
    let departments = data.departments.clone();
    let filter_departments = data.departments.clone();
    let now = chrono::Utc::now();
    let status_choice = move |value: &'static str, label: Signal<String>| {
        view! {
            <option value=value selected=move || status.get().as_deref().unwrap_or("new") == value>{move || label.get()}</option>
        }
    };
    let status_text = move |s: ReportStatus| {
        Signal::derive(move || status_label(i18n.get_locale(), s).to_owned())
    };
    let rows = data
        .page
        .items
        .into_iter()
        .enumerate()
        .map(|(n, r)| {
            let created = r.created_at;
            let waited = now - created;
            let category = r.category.clone();
            view! {
                <tr>
                    <td>
                        <input type="checkbox" name=format!("ids[{n}]") value=r.id id=format!("pick-{}", r.id) />
                        <label for=format!("pick-{}", r.id) class="visually-hidden">{t!(i18n, staff.select)} " #" {r.id}</label>
                    </td>
                    <td>"#" {r.id}</td>
                    <td><a href=move || format!("/{}/reports/{}", i18n.get_locale(), r.id)>{r.title.clone()}</a></td>
                    <td>
                        <Suspense fallback=|| ()>
                            {move || {
                                let category = category.clone();
                                Suspend::new(async move {
                                    site.await
                                        .ok()
                                        .and_then(|s| s.locality.categories.into_iter().find(|c| c.slug == category))
                                        .map(|c| c.name.get(i18n.get_locale_untracked()).to_owned())
                                })
                            }}
                        </Suspense>
                    </td>
                    <td><StatusBadge status=r.status /></td>
                    <td><time datetime=created.to_rfc3339()>{move || format::date(format::local_date(created), i18n.get_locale())}</time></td>
                    <td>{move || format::duration(waited, i18n.get_locale())}</td>
                    <td>{r.supporters}</td>
                </tr>
            }
        })
        .collect_view();
    let total = data.page.total;
    view! {
        <leptos_router::components::Form method="GET" action="" attr:class="filters-form filters-form--row">
            <div class="field field--inline">
                <label for="queue-status">{t!(i18n, status.label)}</label>
                <select id="queue-status" name="status">
                    {status_choice("new", status_text(ReportStatus::New))}
                    {status_choice("accepted", status_text(ReportStatus::Accepted))}
                    {status_choice("resolved", status_text(ReportStatus::Resolved))}
                    {status_choice("rejected", status_text(ReportStatus::Rejected))}
                    {status_choice("duplicate", status_text(ReportStatus::Duplicate))}
                    {status_choice("all", Signal::derive(move || t_string!(i18n, filter.all_statuses).to_owned()))}
                </select>
            </div>
            <div class="field field--inline">
                <label for="queue-department">{t!(i18n, staff.department)}</label>
                <select id="queue-department" name="department">
                    <option value="">"—"</option>
                    {filter_departments.into_iter().map(|d| {
                        let id = d.id.to_string();
                        let selected = department.get_untracked().as_deref() == Some(id.as_str());
                        view! { <option value=id selected=selected>{d.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field field--inline">
                <label for="queue-waiting">{t!(i18n, staff.waiting_more_than)}</label>
                <input id="queue-waiting" type="number" name="waiting" min="0" max="3650" inputmode="numeric"
                    value=move || waiting.get().unwrap_or_default() />
            </div>
            <label class="checkbox">
                <input type="checkbox" name="needs_location" value="true" checked=move || needs_location.get().is_some() />
                {t!(i18n, staff.needs_location)}
            </label>
            <button type="submit" class="button button--small">{t!(i18n, filter.apply)}</button>
        </leptos_router::components::Form>

        <p class="count" aria-live="polite">{move || t_string!(i18n, reports.count, count = format::integer(total, i18n.get_locale()))}</p>
        {move || bulk.value().get().map(|result| match result {
            Ok(outcome) => view! {
                <p class="notice notice--ok" role="status">
                    {t_string!(i18n, staff.bulk_done, changed = outcome.changed.len(), refused = outcome.refused.len())}
                </p>
                <ul>
                    {outcome.refused.into_iter().map(|(id, e)| view! { <li>"#" {id} ": " {error_text(i18n.get_locale(), &e)}</li> }).collect_view()}
                </ul>
            }.into_any(),
            Err(e) => view! { <p class="notice notice--error" role="alert">{error_text(i18n.get_locale(), &e)}</p> }.into_any(),
        })}
        <ActionForm action=bulk attr:class="queue-form">
            <LangField />
            <div class="table-wrap">
                <table class="queue">
                    <caption class="visually-hidden">{t!(i18n, staff.queue_title)}</caption>
                    <thead>
                        <tr>
                            <th scope="col"><span class="visually-hidden">{t!(i18n, staff.select)}</span></th>
                            <th scope="col">"#"</th>
                            <th scope="col">{t!(i18n, newreport.title_label)}</th>
                            <th scope="col">{t!(i18n, filter.category)}</th>
                            <th scope="col">{t!(i18n, status.label)}</th>
                            <th scope="col">{t!(i18n, staff.received)}</th>
                            <th scope="col">{t!(i18n, staff.waiting)}</th>
                            <th scope="col">{t!(i18n, staff.supporters)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <fieldset class="bulk">
                <legend>{t!(i18n, staff.bulk_title)}</legend>
                <div class="field field--inline">
                    <label for="bulk-status">{t!(i18n, staff.new_status)}</label>
                    <select id="bulk-status" name="status">
                        <option value="">{t!(i18n, staff.keep_status)}</option>
                        {[ReportStatus::Accepted, ReportStatus::Resolved, ReportStatus::Rejected].into_iter().map(|s| view! {
                            <option value=s.as_str()>{move || status_label(i18n.get_locale(), s)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field field--inline">
                    <label for="bulk-department">{t!(i18n, staff.department)}</label>
                    <select id="bulk-department" name="department_id">
                        <option value="">"—"</option>
                        {departments.into_iter().map(|d| view! { <option value=d.id>{d.name}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="bulk-body">{t!(i18n, staff.response)}</label>
                    <textarea id="bulk-body" name="body" rows="2" maxlength="4000"></textarea>
                </div>
                <button type="submit" class="button">{t!(i18n, staff.bulk_apply)}</button>
            </fieldset>
        </ActionForm>
    }
}
