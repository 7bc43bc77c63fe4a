//! A poll's "choose at most N": once N answers are ticked, the others cannot be, and a live
//! message says how many are chosen. The server checks the same rule; without WASM the form
//! sends what was ticked and a refusal says what to do.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The limit's words (`{count}` marks the number ticked).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceWords {
    pub chosen: String,
    pub full: String,
}

#[island]
pub fn ChoiceLimit(max: i64, words: ChoiceWords, children: Children) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    let ticked = RwSignal::new(None::<i64>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(el) = root.get() {
            browser::enforce(&el, max, ticked);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = max;
    let status = move || {
        ticked.get().map(|n| {
            let mut text = words.chosen.replacen("{count}", &n.to_string(), 1);
            if n >= max {
                text.push(' ');
                text.push_str(&words.full);
            }
            text
        })
    };
    view! {
        <div class="choice-limit" node_ref=root>
            {children()}
            <p class="field__hint choice-limit__status" role="status" data-testid="choice-count">{status}</p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::HtmlInputElement;

    /// Counts the ticked boxes on every change and disables the unticked ones at the limit.
    pub fn enforce(root: &web_sys::HtmlDivElement, max: i64, ticked: RwSignal<Option<i64>>) {
        let boxes: Vec<HtmlInputElement> = root
            .query_selector_all("input[type=checkbox]")
            .map(|list| {
                (0..list.length())
                    .filter_map(|i| list.item(i))
                    .filter_map(|n| n.dyn_into::<HtmlInputElement>().ok())
                    .collect()
            })
            .unwrap_or_default();
        let update = move || {
            let count = boxes.iter().filter(|b| b.checked()).count() as i64;
            for b in &boxes {
                b.set_disabled(count >= max && !b.checked());
            }
            ticked.set(Some(count));
        };
        update();
        let on_change = Closure::<dyn Fn(web_sys::Event)>::new(move |_| update());
        let _ = root.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget();
    }
}
