//! Form fields whose names are made at run time (`q12`, `s3_prompt_ro`): the survey's answer
//! form and the editor. Each is labelled, and its problems are announced and tied to it.

use crate::components::form::problem_text;
use crate::error::{AppError, Problem};
use crate::i18n::*;
use leptos::prelude::*;

/// The problems `error` has for `field`.
pub fn problems_of(error: &Option<AppError>, field: &str) -> Vec<Problem> {
    error.as_ref().map(|e| e.field_problems(field).collect()).unwrap_or_default()
}

/// The problems' sentence under a field, if any, with the id the field points at.
pub fn problem_line(locale: Locale, id: &str, problems: &[Problem]) -> Option<AnyView> {
    (!problems.is_empty()).then(|| {
        let text = problems.iter().map(|p| problem_text(locale, *p)).collect::<Vec<_>>().join(" ");
        view! { <p class="field__error" id=format!("{id}-error") role="alert">{text}</p> }
            .into_any()
    })
}

/// What a field is, for [`TextInput`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Line(&'static str),
    Area(u32),
}

/// A labelled text input or text area named `name`.
#[component]
pub fn TextInput(
    name: String,
    label: String,
    #[prop(default = None)] hint: Option<String>,
    value: String,
    #[prop(default = Kind::Line("text"))] kind: Kind,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<u32>,
    problems: Vec<Problem>,
    #[prop(default = None)] lang: Option<String>,
) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    let mut described = Vec::new();
    if hint.is_some() {
        described.push(hint_id.clone());
    }
    if !problems.is_empty() {
        described.push(format!("{id}-error"));
    }
    let described = (!described.is_empty()).then(|| described.join(" "));
    let invalid = (!problems.is_empty()).then_some("true");
    let control = match kind {
        Kind::Line(kind) => view! {
            <input id=id.clone() name=name type=kind value=value required=required maxlength=maxlength
                aria-invalid=invalid aria-describedby=described lang=lang />
        }
        .into_any(),
        Kind::Area(rows) => view! {
            <textarea id=id.clone() name=name rows=rows required=required maxlength=maxlength
                aria-invalid=invalid aria-describedby=described lang=lang>{value}</textarea>
        }
        .into_any(),
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="field__hint" id=hint_id>{h}</p> })}
            {control}
            {problem_line(locale, &id, &problems)}
        </div>
    }
}
