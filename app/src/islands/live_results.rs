//! A poll's results: percentages, counts and participants, kept live through server-sent
//! events, so every open browser sees each vote within about a second.

use super::words::Plural;
use crate::locale::{parse, Locale};
use crate::model::geo::fixed;
use crate::model::vote::PollResults;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The results' words, in the visitor's language.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultsWords {
    pub lang: String,
    pub heading: String,
    pub participants: Plural,
    pub votes: Plural,
    pub csv: String,
    /// Under a poll that allows several choices: why the shares add up to more than 100 %.
    pub shares_note: Option<String>,
}

#[island]
pub fn LiveResults(
    poll_id: i64,
    /// Each option's id, label, and the label's language when it is not the visitor's (an
    /// untranslated option), else empty.
    options: Vec<(i64, String, String)>,
    initial: PollResults,
    words: ResultsWords,
) -> impl IntoView {
    let results = RwSignal::new(initial);
    #[cfg(feature = "hydrate")]
    listen(poll_id, results);
    let locale = parse(&words.lang).unwrap_or(Locale::ro);
    let participants = words.participants.clone();
    let csv = format!("/api/v1/polls/{poll_id}/results.csv?lang={}", words.lang);
    let bars = options
        .into_iter()
        .map(|(id, label, lang)| {
            let votes = words.votes.clone();
            let share = move || results.with(|r| r.share(id));
            let numbers = move || {
                let count = results.with(|r| r.votes_for(id));
                format!(
                    "{} · {}",
                    crate::format::percent(share(), locale),
                    votes.format(locale, count)
                )
            };
            view! {
                <li class="bars__item" data-option=id>
                    <span class="bars__label" lang=(!lang.is_empty()).then_some(lang)>{label}</span>
                    <span class="bars__numbers">{numbers}</span>
                    <meter min="0" max="1" value=move || fixed(share(), 4) aria-hidden="true"></meter>
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="results-title" class="poll-results">
            <h2 id="results-title">{words.heading.clone()}</h2>
            <p class="big-count" aria-live="polite" data-testid="poll-participants">
                {move || participants.format(locale, results.with(|r| r.participants))}
            </p>
            <ul class="bars">{bars}</ul>
            {words.shares_note.clone().map(|note| view! { <p class="field__hint">{note}</p> })}
            <p><a href=csv>{words.csv.clone()}</a></p>
        </section>
    }
}

#[cfg(feature = "hydrate")]
fn listen(id: i64, results: RwSignal<PollResults>) {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    let Ok(source) = web_sys::EventSource::new(&format!("/api/v1/polls/{id}/events")) else {
        return;
    };
    let on_results =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Some(text) = ev.data().as_string() else { return };
            match serde_json::from_str::<PollResults>(&text) {
                // Counts that hide the per-option votes leave the shown ones alone.
                Ok(r) if r.votes.is_empty() => {
                    results.update(|cur| cur.participants = r.participants)
                }
                Ok(r) => results.set(r),
                Err(err) => leptos::logging::warn!("poll results: {err}"),
            }
        });
    let _ = source.add_event_listener_with_callback("results", on_results.as_ref().unchecked_ref());
    on_results.forget();
    let slot = StoredValue::new_local(Some(source));
    on_cleanup(move || {
        if let Some(Some(source)) = slot.try_update_value(Option::take) {
            source.close();
        }
    });
}
