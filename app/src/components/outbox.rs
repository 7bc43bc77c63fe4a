//! The outbox: reports and votes made without a connection wait on the device and are sent
//! by `/scripts/outbox.js` when it returns. This renders, on every page, the list the script
//! fills ("waiting to send", "sent", "refused" with the server's reason), hidden until used,
//! and the words the script needs, since it has no translations of its own. A form takes part
//! with `data-outbox` (`report` or `vote`); without script, or online, it posts as always.
//! What a signed-in person kept is shown and sent only while that person is signed in.

use crate::components::error::error_text;
use crate::components::form::problem_text;
use crate::error::{AppError, Problem};
use crate::i18n::*;
use leptos::prelude::*;
use serde_json::{json, Map, Value};

/// Every field problem the server may give as a refusal's reason.
const PROBLEMS: [Problem; 18] = [
    Problem::Required,
    Problem::TooShort,
    Problem::TooLong,
    Problem::Invalid,
    Problem::OutsideBoundary,
    Problem::UnknownCategory,
    Problem::UnsupportedImage,
    Problem::ImageTooLarge,
    Problem::TooManyImages,
    Problem::Expired,
    Problem::Unconfirmed,
    Problem::InvalidTransition,
    Problem::Closed,
    Problem::TooManyChoices,
    Problem::AlreadyUsed,
    Problem::Taken,
    Problem::FileTooLarge,
    Problem::UnreadableFile,
];

/// The error kinds a refusal may carry (`{"error": kind}` in the answer's body).
const ERRORS: [AppError; 6] = [
    AppError::NotFound,
    AppError::Unauthorized,
    AppError::Forbidden,
    AppError::Validation(Vec::new()),
    AppError::Conflict,
    AppError::Internal,
];

/// The words of `/scripts/outbox.js`, as one JSON object.
fn words(locale: Locale) -> String {
    let kind = |v: Value| v.get("error").and_then(Value::as_str).unwrap_or_default().to_owned();
    let errors: Map<String, Value> = ERRORS
        .iter()
        .filter_map(|e| {
            serde_json::to_value(e).ok().map(|v| (kind(v), json!(error_text(locale, e))))
        })
        .collect();
    let problems: Map<String, Value> = PROBLEMS
        .iter()
        .filter_map(|p| {
            let name = serde_json::to_value(p).ok()?.as_str()?.to_owned();
            Some((name, json!(problem_text(locale, *p))))
        })
        .collect();
    json!({
        "waiting": td_string!(locale, outbox.waiting),
        "sending": td_string!(locale, outbox.sending),
        "sent": td_string!(locale, outbox.sent),
        "refused": td_string!(locale, outbox.refused),
        "open_report": td_string!(locale, outbox.open_report),
        "dismiss": td_string!(locale, outbox.dismiss),
        "report": td_string!(locale, outbox.report),
        "vote": td_string!(locale, outbox.vote),
        "already_voted": td_string!(locale, polls.already_voted),
        "errors": errors,
        "problems": problems,
    })
    .to_string()
}

/// The outbox's list, placed under the header of every page. `data-who` names the signed-in
/// person (empty for nobody, as on every page the service worker keeps), so that what one
/// person kept is neither shown to nor sent by another on a shared device.
#[component]
pub fn Outbox() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let viewer = expect_context::<crate::app::ViewerResource>();
    let words = words(locale);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let words = words.clone();
                Suspend::new(async move {
                    let who = viewer.await.ok().and_then(|v| v.user_id());
                    view! {
                        <section id="offline-queue" class="offline-queue" aria-labelledby="offline-queue-title"
                            data-words=words data-who=who.map(|id| id.to_string()).unwrap_or_default() hidden>
                            <h2 id="offline-queue-title" class="offline-queue__title" tabindex="-1">{t!(i18n, outbox.heading)}</h2>
                            <ul class="offline-queue__list" aria-live="polite"></ul>
                        </section>
                    }
                })
            }}
        </Suspense>
        <script src="/scripts/outbox.js" defer></script>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_name_every_error_and_problem_as_the_server_sends_them() {
        let words: Value = serde_json::from_str(&words(Locale::en)).unwrap_or_default();
        assert_eq!(words["errors"]["validation"], json!("Please check what you entered."));
        assert_eq!(words["problems"]["too_short"], json!("This is too short."));
        assert_eq!(words["problems"].as_object().map(Map::len), Some(PROBLEMS.len()));
        assert_eq!(words["errors"].as_object().map(Map::len), Some(ERRORS.len()));
    }
}
