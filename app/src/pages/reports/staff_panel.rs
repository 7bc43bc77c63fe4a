//! The city hall's tools on a report's page: its status, response, department, duplicate and
//! location, and hiding what should not be public.

use crate::api::report_work::{ChangeReportStatus, Moderate, SetReportLocation};
use crate::api::reports::ReportView;
use crate::components::form::{action_error, problem_text, FormNotice, LangField, TextArea};
use crate::components::status::{status_label, StatusBadge};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::report::transition_allowed;
use crate::model::ReportStatus;
use leptos::prelude::*;

/// Hide a comment or photo, with a reason that the public sees.
#[component]
pub(super) fn ModerateForm(kind: &'static str, id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Moderate>::new();
    let error = action_error(action);
    let input_id = format!("reason-{kind}-{id}");
    view! {
        <details class="moderate">
            <summary>{t!(i18n, report.hide)}</summary>
            <ActionForm action attr:class="form form--inline">
                <LangField />
                <input type="hidden" name="kind" value=kind />
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="hide" value="true" />
                <label for=input_id.clone()>{t!(i18n, report.hide_reason)}</label>
                <input id=input_id type="text" name="reason" required minlength="3" maxlength="300" />
                <button type="submit" class="button button--small button--danger">{t!(i18n, report.hide_submit)}</button>
                <FormNotice error />
            </ActionForm>
        </details>
    }
}

/// The city hall's tools on a report: status, response, location, hiding.
#[component]
pub(super) fn StaffPanel(view: ReportView) -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<ChangeReportStatus>::new();
    let error = action_error(change);
    let locate = ServerAction::<SetReportLocation>::new();
    let locate_error = action_error(locate);
    let r = view.report.clone();
    let current = r.status;
    let next_statuses: Vec<ReportStatus> =
        ReportStatus::ALL.into_iter().filter(|s| transition_allowed(current, *s)).collect();
    let status_problem =
        move || error.with(|e| e.as_ref().and_then(|e| e.field_problems("status").next()));
    let dept_problem =
        move || error.with(|e| e.as_ref().and_then(|e| e.field_problems("department_id").next()));
    let dup_problem =
        move || error.with(|e| e.as_ref().and_then(|e| e.field_problems("duplicate_of").next()));
    let page_error =
        Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    let body_label =
        Signal::derive(move || td_string!(i18n.get_locale(), staff.response).to_owned());
    let body_hint =
        Signal::derive(move || td_string!(i18n.get_locale(), staff.response_hint).to_owned());
    let departments = view.departments.clone();
    let locale = i18n.get_locale_untracked();
    // The report's department, or else the clerk's own when it handles the category.
    let chosen_department = departments
        .iter()
        .find(|d| Some(&d.name) == r.department.as_ref())
        .map(|d| d.id)
        .or(view.viewer_department);
    let belongs_to = view.handled_by.clone().map(|names| {
        if names.is_empty() {
            td_string!(locale, ux.belongs_to_nobody).to_owned()
        } else {
            td_string!(locale, ux.belongs_to, departments = names.join(", ")).to_string()
        }
    });
    view! {
        <section class="side-box staff-panel" aria-labelledby="staff-title">
            <h2 id="staff-title">{t!(i18n, staff.panel_title)}</h2>
            {r.reporter_contact.clone().map(|c| view! { <p class="muted">{t!(i18n, staff.reporter)} ": " {c}</p> })}
            {r.assisted_by.clone().map(|name| view! { <p class="muted">{td_string!(locale, newreport.filed_at_desk, name = name).to_string()}</p> })}
            {belongs_to.map(|text| view! { <p class="notice">{text}</p> })}
            {view.can_handle.then(|| view! {
                <p class="staff-panel__status">{t!(i18n, ux.current_status)} " " <StatusBadge status=current /></p>
                <FormNotice error=page_error />
                // Every save reloads the page with the report's real state; the browser must
                // not refill the form from an earlier visit (Back, reload).
                <ActionForm action=change attr:class="form" attr:autocomplete="off">
                    <LangField />
                    <input type="hidden" name="report_id" value=r.id />
                    <div class="field">
                        <label for="staff-status">{t!(i18n, staff.new_status)}</label>
                        <select id="staff-status" name="status" aria-invalid=move || status_problem().map(|_| "true")>
                            <option value="" selected=true>{td_string!(locale, ux.keep_current, status = status_label(locale, current)).to_string()}</option>
                            {next_statuses.into_iter().map(|s| view! {
                                <option value=s.as_str()>{move || status_label(i18n.get_locale(), s)}</option>
                            }).collect_view()}
                        </select>
                        {move || status_problem().map(|p| view! { <p class="field__error" role="alert">{problem_text(i18n.get_locale(), p)}</p> })}
                    </div>
                    <div class="field">
                        <label for="staff-department">{t!(i18n, staff.department)}</label>
                        <p class="field__hint">{t!(i18n, staff.department_hint)}</p>
                        <select id="staff-department" name="department_id" aria-invalid=move || dept_problem().map(|_| "true")>
                            <option value="">"—"</option>
                            {departments.into_iter().map(|d| {
                                let selected = Some(d.id) == chosen_department;
                                view! { <option value=d.id selected=selected>{d.name}</option> }
                            }).collect_view()}
                        </select>
                        {move || dept_problem().map(|p| view! { <p class="field__error" role="alert">{problem_text(i18n.get_locale(), p)}</p> })}
                    </div>
                    <div class="field">
                        <label for="staff-duplicate">{t!(i18n, staff.duplicate_of)}</label>
                        <input id="staff-duplicate" type="text" name="duplicate_of" inputmode="numeric" placeholder="#123"
                            aria-invalid=move || dup_problem().map(|_| "true") />
                        {move || dup_problem().map(|p| view! { <p class="field__error" role="alert">{problem_text(i18n.get_locale(), p)}</p> })}
                    </div>
                    <TextArea name="body" label=body_label hint=body_hint maxlength=4000 rows=4 error id_suffix="-staff" />
                    <button type="submit" class="button">{t!(i18n, staff.save_status)}</button>
                </ActionForm>
                {(!r.location_confirmed).then(|| view! {
                    <h3>{t!(i18n, staff.place_pin)}</h3>
                    <FormNotice error=locate_error />
                    <ActionForm action=locate attr:class="form">
                        <LangField />
                        <input type="hidden" name="report_id" value=r.id />
                        <div class="field field--inline">
                            <label for="staff-lat">{t!(i18n, newreport.latitude)}</label>
                            <input id="staff-lat" name="lat" type="text" inputmode="decimal" required />
                        </div>
                        <div class="field field--inline">
                            <label for="staff-lng">{t!(i18n, newreport.longitude)}</label>
                            <input id="staff-lng" name="lng" type="text" inputmode="decimal" required />
                        </div>
                        <button type="submit" class="button button--secondary">{t!(i18n, staff.save_location)}</button>
                    </ActionForm>
                })}
            })}
            {view.can_moderate.then(|| view! { <ModerateForm kind="report" id=r.id /> })}
        </section>
    }
}
