//! Tables wider than a phone.

use leptos::prelude::*;

/// A table that scrolls sideways on a narrow screen. The scrolling box is a labelled region
/// that the keyboard can reach and scroll, not only a finger.
#[component]
pub fn TableWrap(#[prop(into)] label: String, children: Children) -> impl IntoView {
    view! { <div class="table-wrap" tabindex="0" role="region" aria-label=label>{children()}</div> }
}
