use crate::format;
use crate::i18n::*;
use crate::model::vote::{Level, Thresholds};
use leptos::prelude::*;

/// An initiative's badge (START, GO, …), or nothing below the first level. The names are
/// the city's brand words, in English in every language (and marked so).
#[component]
pub fn LevelBadge(level: Option<Level>) -> impl IntoView {
    level.map(|l| {
        view! { <span class=format!("level level--{}", l.as_str()) lang="en">{l.badge()}</span> }
    })
}

/// What a level takes, in words: "de la 100 de voturi".
pub fn level_from(locale: Locale, votes: i64) -> String {
    td_string!(locale, ux.level_from, count = votes).to_string()
}

/// A level's name with its place among the five: "GO — nivelul 2 din 5".
pub fn level_name(locale: Locale, level: Level) -> String {
    let n = Level::ALL.iter().position(|l| *l == level).unwrap_or_default() + 1;
    format!("{} — {}", level.badge(), td_string!(locale, ux.level_number, n = n))
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
                    <p>{td_string!(l, initiatives.to_next, missing = format::integer(needed - v, l), level = format!("{} ({})", next.badge(), level_from(l, needed)))}</p>
                </div>
            }
            .into_any(),
            None => view! { <p class="level-progress">{td_string!(l, initiatives.top_level)}</p> }.into_any(),
        }
    }
}
