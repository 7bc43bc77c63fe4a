use crate::api::report_work::{staff_queue, BulkChangeStatus, StaffQueuePage as QueueData};
use crate::app::SiteResource;
use crate::components::error::{error_text, ErrorNotice};
use crate::components::filters::{drop_empty_query_fields, query_value};
use crate::components::form::LangField;
use crate::components::layout::SignInPrompt;
use crate::components::status::{status_label, StatusBadge};
use crate::components::table::TableWrap;
use crate::error::AppError;
use crate::format;
use crate::i18n::*;
use crate::model::{Category, ReportStatus};
use crate::paths;
use leptos::prelude::*;

/// `/{lang}/staff`: the city hall's queue, oldest first. A clerk sees their department's reports
/// by default and the others' on request, read-only; filters live in the address.
#[component]
pub fn StaffQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    drop_empty_query_fields();
    let status = query_value("status");
    let category = query_value("category");
    let department = query_value("department");
    let waiting = query_value("waiting");
    let needs_location = query_value("needs_location");
    let q = query_value("q");
    let page = query_value("page");
    let site = expect_context::<SiteResource>();
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
                None,
            )
        },
    );
    let awaiting = Resource::new(|| (), |_| crate::api::votes::initiatives_awaiting_answer(None));
    view! {
        <div class="page">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), staff.queue_title) />
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
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(data) => {
                            let (categories, stuck_days) = site
                                .await
                                .map(|s| (s.locality.categories, s.locality.stuck_days))
                                .unwrap_or_else(|_| (Vec::new(), 30));
                            view! { <Queue data categories stuck_days /> }.into_any()
                        }
                        Err(AppError::Unauthorized) => view! { <SignInPrompt /> }.into_any(),
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The address of the queue with `department` changed and the other filters kept.
fn queue_path(locale: Locale, department: Option<&str>) -> String {
    let query = leptos_router::hooks::use_query_map().get_untracked();
    let mut pairs: Vec<String> = ["status", "category", "waiting", "needs_location"]
        .into_iter()
        .filter_map(|k| query.get(k).filter(|v| !v.is_empty()).map(|v| format!("{k}={v}")))
        .collect();
    if let Some(d) = department {
        pairs.push(format!("department={d}"));
    }
    let query = if pairs.is_empty() { String::new() } else { format!("?{}", pairs.join("&")) };
    paths::page(locale, &format!("/staff{query}"))
}

/// What the queue shows, in a sentence, with the way to the other view: a clerk's own
/// department, or everything (the rest read-only).
#[component]
fn Scope(data: QueueData) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let Some(own) = data.own_department else { return ().into_any() };
    let own_name =
        data.departments.iter().find(|d| d.id == own).map(|d| d.name.clone()).unwrap_or_default();
    if data.department == Some(own) {
        view! {
            <p class="queue-scope">
                {td_string!(locale, ux.queue_own, department = own_name).to_string()} " "
                <a href=queue_path(locale, Some("all"))>{t!(i18n, ux.queue_see_all)}</a>
            </p>
        }
        .into_any()
    } else {
        view! {
            <p class="queue-scope">
                {t!(i18n, ux.queue_all)} " "
                <a href=queue_path(locale, None)>{t!(i18n, ux.queue_see_own)}</a>
            </p>
        }
        .into_any()
    }
}

#[component]
fn Queue(data: QueueData, categories: Vec<Category>, stuck_days: u32) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let status = query_value("status").get_untracked().unwrap_or_else(|| "new".to_owned());
    let category = query_value("category").get_untracked().unwrap_or_default();
    let waiting = query_value("waiting").get_untracked().unwrap_or_default();
    let needs_location = query_value("needs_location").get_untracked().is_some();
    let bulk = ServerAction::<BulkChangeStatus>::new();
    let now = chrono::Utc::now();
    let shown_department = data.department.map(|d| d.to_string()).unwrap_or_else(|| "all".into());
    let status_options = ReportStatus::ALL
        .into_iter()
        .map(|s| (s.as_str(), status_label(locale, s)))
        .chain([("all", td_string!(locale, filter.all_statuses))])
        .map(|(value, label)| {
            view! { <option value=value selected=status == value>{label}</option> }
        })
        .collect_view();
    let category_options = categories
        .iter()
        .map(|c| {
            view! { <option value=c.slug.clone() selected=c.slug == category>{c.name.get(locale).to_owned()}</option> }
        })
        .collect_view();
    let department_options = data
        .departments
        .iter()
        .map(|d| {
            let id = d.id.to_string();
            let selected = id == shown_department;
            view! { <option value=id selected=selected>{d.name.clone()}</option> }
        })
        .collect_view();
    let category_name = move |slug: &str| {
        categories.iter().find(|c| c.slug == slug).map(|c| c.name.get(locale).to_owned())
    };
    let mut picked = 0;
    let rows = data
        .page
        .items
        .iter()
        .map(|r| {
            let created = r.created_at;
            let read_only = data.read_only.contains(&r.id);
            // In progress with no news for longer than the locality allows: flagged.
            let quiet = (now - r.updated_at).num_days();
            let stuck = (r.status == ReportStatus::Accepted && quiet > i64::from(stuck_days))
                .then(|| td_string!(locale, fixed.stuck, days = quiet).to_string());
            let pick = (!read_only).then(|| {
                picked += 1;
                let field = format!("ids[{}]", picked - 1);
                view! {
                    <input type="checkbox" name=field value=r.id id=format!("pick-{}", r.id) />
                    <label for=format!("pick-{}", r.id) class="visually-hidden">{t!(i18n, staff.select)} " #" {r.id}</label>
                }
            });
            view! {
                <tr class=read_only.then_some("queue__row--read-only")>
                    <td>
                        {pick}
                        {read_only.then(|| view! { <span class="badge badge--read-only">{t!(i18n, ux.read_only)}</span> })}
                    </td>
                    <td>"#" {r.id}</td>
                    <td><a href=paths::page(locale, &format!("/reports/{}", r.id))>{r.title.clone()}</a></td>
                    <td class="queue__category">{category_name(&r.category)}</td>
                    <td>
                        <StatusBadge status=r.status />
                        {stuck.map(|text| view! { " " <span class="badge badge--stuck">{text}</span> })}
                    </td>
                    <td><time datetime=created.to_rfc3339()>{format::date(format::local_date(created), locale)}</time></td>
                    <td>{format::duration(now - created, locale)}</td>
                    <td>{r.supporters}</td>
                </tr>
            }
        })
        .collect_view();
    let total = data.page.total;
    let departments = data.departments.clone();
    view! {
        <Scope data=data.clone() />
        <form method="get" action=paths::page(locale, "/staff") class="filters-form filters-form--row">
            <div class="field">
                <label for="queue-status">{t!(i18n, status.label)}</label>
                <select id="queue-status" name="status">{status_options}</select>
            </div>
            <div class="field">
                <label for="queue-category">{t!(i18n, filter.category)}</label>
                <select id="queue-category" name="category">
                    <option value="">{t!(i18n, filter.all_categories)}</option>
                    {category_options}
                </select>
            </div>
            <div class="field">
                <label for="queue-department">{t!(i18n, staff.department)}</label>
                <select id="queue-department" name="department">
                    <option value="all" selected=shown_department == "all">{t!(i18n, ux.all_departments)}</option>
                    {department_options}
                </select>
            </div>
            <div class="field">
                <label for="queue-waiting">{t!(i18n, staff.waiting_more_than)}</label>
                <input id="queue-waiting" type="number" name="waiting" min="0" max="3650" inputmode="numeric"
                    value=waiting />
            </div>
            <label class="checkbox">
                <input type="checkbox" name="needs_location" value="true" checked=needs_location />
                {t!(i18n, staff.needs_location)}
            </label>
            <button type="submit" class="button button--small">{t!(i18n, filter.apply)}</button>
        </form>

        <p class="count" aria-live="polite">{td_string!(locale, reports.count, count = format::integer(total, locale)).to_string()}</p>
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
            <crate::components::form::SiteField />
            <TableWrap label=td_string!(locale, staff.queue_title)>
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
            </TableWrap>
            <fieldset class="bulk">
                <legend>{t!(i18n, staff.bulk_title)}</legend>
                <p class="field__hint">{t!(i18n, ux.bulk_hint)}</p>
                <div class="field">
                    <label for="bulk-status">{t!(i18n, staff.new_status)}</label>
                    <select id="bulk-status" name="status">
                        <option value="">{t!(i18n, staff.keep_status)}</option>
                        {[ReportStatus::Accepted, ReportStatus::Resolved, ReportStatus::Rejected].into_iter().map(|s| view! {
                            <option value=s.as_str()>{status_label(locale, s)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="bulk-department">{t!(i18n, staff.department)}</label>
                    <select id="bulk-department" name="department_id">
                        <option value="">"—"</option>
                        {departments.into_iter().map(|d| {
                            let selected = data.own_department == Some(d.id);
                            view! { <option value=d.id selected=selected>{d.name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="bulk-body">{t!(i18n, staff.response)}</label>
                    <textarea id="bulk-body" name="body" rows="3" maxlength="4000"></textarea>
                </div>
                <button type="submit" class="button">{t!(i18n, staff.bulk_apply)}</button>
            </fieldset>
        </ActionForm>
    }
}
