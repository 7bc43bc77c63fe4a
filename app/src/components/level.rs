use crate::format;
use crate::i18n::*;
use crate::model::vote::{Level, Thresholds};
use leptos::prelude::*;

/// An initiative's badge (START, GO, …), or nothing below the first level.
#[component]
pub fn LevelBadge(level: Option<Level>) -> impl IntoView {
    level.map(|l| view! { <span class=format!("level level--{}", l.as_str())>{l.badge()}</span> })
}

/// Supporters so far, and how far the next level is.
#[component]
pub fn LevelProgress(votes: Signal<i64>, thresholds: Thresholds) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let v = votes.get();
        let l = i18n.get_locale();
        match thresholds.next(v) {
            Some((next, needed)) => view! {
                <div class="level-progress">
                    <progress max=needed value=v aria-label=td_string!(l, initiatives.progress_label)></progress>
                    <p>{td_string!(l, initiatives.to_next, missing = format::integer(needed - v, l), level = next.badge())}</p>
                </div>
            }
            .into_any(),
            None => view! { <p class="level-progress">{td_string!(l, initiatives.top_level)}</p> }.into_any(),
        }
    }
}
