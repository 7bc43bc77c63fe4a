//! A number kept live through server-sent events: the confirmed ballots of a civic-budget
//! edition, which every open edition page sees rise as people confirm.

use crate::locale::{parse, Locale};
use leptos::prelude::*;

/// `events` is the server-sent events address; each `count` event carries the new number.
#[island]
pub fn LiveCount(events: String, initial: i64, lang: String) -> impl IntoView {
    let count = RwSignal::new(initial);
    #[cfg(feature = "hydrate")]
    listen(&events, count);
    #[cfg(not(feature = "hydrate"))]
    let _ = events;
    let locale = parse(&lang).unwrap_or(Locale::ro);
    view! { <span data-testid="live-count">{move || crate::format::integer(count.get(), locale)}</span> }
}

#[cfg(feature = "hydrate")]
fn listen(events: &str, count: RwSignal<i64>) {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    let Ok(source) = web_sys::EventSource::new(events) else { return };
    let on_count =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            if let Some(n) = ev.data().as_string().and_then(|t| t.trim().parse::<i64>().ok()) {
                count.set(n);
            }
        });
    let _ = source.add_event_listener_with_callback("count", on_count.as_ref().unchecked_ref());
    on_count.forget();
    let slot = StoredValue::new_local(Some(source));
    on_cleanup(move || {
        if let Some(Some(source)) = slot.try_update_value(Option::take) {
            source.close();
        }
    });
}
