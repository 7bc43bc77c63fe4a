use crate::i18n::*;
use crate::model::budget_works::WorkStatus;
use crate::model::ReportStatus;
use leptos::prelude::*;

/// The translated name of a status.
pub fn status_label(locale: Locale, status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::New => td_string!(locale, status.new),
        ReportStatus::Accepted => td_string!(locale, status.accepted),
        ReportStatus::Resolved => td_string!(locale, status.resolved),
        ReportStatus::Rejected => td_string!(locale, status.rejected),
        ReportStatus::Duplicate => td_string!(locale, status.duplicate),
    }
}

/// The translated name of a funded project's work status.
pub fn work_status_label(l: Locale, s: WorkStatus) -> &'static str {
    match s {
        WorkStatus::Planned => td_string!(l, budget_works.status.planned),
        WorkStatus::InProgress => td_string!(l, budget_works.status.in_progress),
        WorkStatus::Done => td_string!(l, budget_works.status.done),
    }
}

/// A status badge: colour plus text, never colour alone.
#[component]
pub fn StatusBadge(status: ReportStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge badge--{}", status.as_str())>
            {move || status_label(i18n.get_locale(), status)}
        </span>
    }
}
