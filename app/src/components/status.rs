use crate::i18n::*;
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
