use super::admin_error;
use crate::api::admin::get_audit_log;
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The audit log: every staff action with who, what, when, before and after.
#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let action = Signal::derive(move || query.with(|q| q.get("action")));
    let locality = Signal::derive(move || query.with(|q| q.get("locality")));
    let log = Resource::new(
        move || (action.get(), locality.get()),
        |(action, locality)| get_audit_log(action, locality),
    );
    view! {
        <div class="page">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), admin.audit_title) />
            <leptos_router::components::Form method="GET" action="" attr:class="filters-form filters-form--row">
                <div class="field field--inline">
                    <label for="audit-action">{t!(i18n, admin.action)}</label>
                    <select id="audit-action" name="action">
                        <option value="">{t!(i18n, filter.all_statuses)}</option>
                        {["change_status", "set_location", "hide", "unhide", "grant_role", "revoke_role", "save_department", "save_category", "import_locality"]
                            .into_iter()
                            .map(|a| view! { <option value=a selected=move || action.get().as_deref() == Some(a)>{a}</option> })
                            .collect_view()}
                    </select>
                </div>
                <input type="hidden" name="locality" value=move || locality.get().unwrap_or_default() />
                <button type="submit" class="button button--small">{t!(i18n, filter.apply)}</button>
            </leptos_router::components::Form>
            <Transition fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    match log.await {
                        Ok(entries) => view! {
                            <crate::components::table::TableWrap label=td_string!(i18n.get_locale_untracked(), admin.audit_title)>
                                <table class="queue">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(i18n, admin.when)}</th>
                                            <th scope="col">{t!(i18n, admin.who)}</th>
                                            <th scope="col">{t!(i18n, admin.action)}</th>
                                            <th scope="col">{t!(i18n, admin.target)}</th>
                                            <th scope="col">{t!(i18n, admin.before)}</th>
                                            <th scope="col">{t!(i18n, admin.after)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {entries.into_iter().map(|e| {
                                            let at = e.created_at;
                                            view! {
                                                <tr>
                                                    <td>{move || format::date_time(at, i18n.get_locale())}</td>
                                                    <td>{e.actor.clone()}</td>
                                                    <td>{e.action.clone()}{e.reason.clone().map(|r| view! { <br /><span class="muted">{r}</span> })}</td>
                                                    <td>{format!("{} {}", e.target_kind, e.target_id.map(|i| format!("#{i}")).unwrap_or_default())}</td>
                                                    <td><code>{e.before.clone().unwrap_or_default()}</code></td>
                                                    <td><code>{e.after.clone().unwrap_or_default()}</code></td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </crate::components::table::TableWrap>
                        }.into_any(),
                        Err(err) => admin_error(err),
                    }
                })}
            </Transition>
        </div>
    }
}
