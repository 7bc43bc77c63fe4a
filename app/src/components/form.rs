//! Form building blocks: labelled fields that show their own errors, the photos input, the
//! hidden language field, and a banner for errors that belong to no field.

use crate::components::error::error_text;
use crate::error::{AppError, Problem};
use crate::i18n::*;
use leptos::prelude::*;

/// The sentence for a field's problem.
pub fn problem_text(locale: Locale, problem: Problem) -> &'static str {
    match problem {
        Problem::Required => td_string!(locale, errors.field.required),
        Problem::TooShort => td_string!(locale, errors.field.too_short),
        Problem::TooLong => td_string!(locale, errors.field.too_long),
        Problem::Invalid => td_string!(locale, errors.field.invalid),
        Problem::OutsideBoundary => td_string!(locale, errors.field.outside_boundary),
        Problem::UnknownCategory => td_string!(locale, errors.field.unknown_category),
        Problem::UnsupportedImage => td_string!(locale, errors.field.unsupported_image),
        Problem::ImageTooLarge => td_string!(locale, errors.field.image_too_large),
        Problem::TooManyImages => td_string!(locale, errors.field.too_many_images),
        Problem::Expired => td_string!(locale, errors.field.expired),
        Problem::Unconfirmed => td_string!(locale, errors.field.unconfirmed),
        Problem::InvalidTransition => td_string!(locale, errors.field.invalid_transition),
        Problem::Closed => td_string!(locale, errors.field.closed),
        Problem::TooManyChoices => td_string!(locale, errors.field.too_many_choices),
        Problem::AlreadyUsed => td_string!(locale, errors.field.already_used),
        Problem::Taken => td_string!(locale, errors.field.taken),
        Problem::FileTooLarge => td_string!(locale, errors.field.file_too_large),
        Problem::UnreadableFile => td_string!(locale, errors.field.unreadable_file),
    }
}

/// The error of the last submission, if it failed.
pub type FormError = Signal<Option<AppError>>;

/// A form's own sentence for a field's problem, saying what to do ("write at least 3
/// characters"), where the generic [`problem_text`] would only say what is wrong.
pub type Explain = fn(Locale, &str, Problem) -> String;

/// The sentence for `field`'s `problem`: the form's own, else the generic one.
pub fn explained(
    explain: Option<Explain>,
    locale: Locale,
    field: &str,
    problem: Problem,
) -> String {
    match explain {
        Some(explain) => explain(locale, field, problem),
        None => problem_text(locale, problem).to_owned(),
    }
}

/// The failure of a server action as a signal.
pub fn action_error<I, O>(action: ServerAction<I>) -> FormError
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || {
        action.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned()))
    })
}

/// The visitor's language, sent with every form so that redirects and e-mails use it.
#[component]
pub fn LangField() -> impl IntoView {
    let i18n = use_i18n();
    view! { <input type="hidden" name="lang" value=move || i18n.get_locale().to_string() /> }
}

/// The hidden `locality` field: the site the form is on (empty on the default locality's), so
/// that the server function acts in that locality (`store::request_locality`).
#[component]
pub fn SiteField() -> impl IntoView {
    view! { <input type="hidden" name="locality" value=crate::paths::current_site().unwrap_or_default() /> }
}

/// A labelled input. Its problems (from the last submission) are announced and tied to it with
/// `aria-describedby`.
#[component]
pub fn Field(
    /// The form field's name, which is also the server function's argument.
    name: &'static str,
    label: Signal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] value: Signal<String>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] explain: Option<Explain>,
    error: FormError,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-{name}");
    let problems = move || {
        error.with(|e| {
            e.as_ref().map(|e| e.field_problems(name).collect::<Vec<_>>()).unwrap_or_default()
        })
    };
    let invalid = move || (!problems().is_empty()).then_some("true");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        let has_hint = hint.is_some();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if !problems().is_empty() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}</label>
            {hint.map(|h| view! { <p class="field__hint" id=hint_id.clone()>{move || h.get()}</p> })}
            <input
                id=id
                name=name
                type=kind
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                required=required
                maxlength=maxlength
                // The initial value only: a controlled `prop:value` would wipe what a visitor
                // typed before the page hydrated.
                value=move || value.get()
                aria-invalid=invalid
                aria-describedby=described
            />
            <FieldProblems id=error_id field=name problems=Signal::derive(problems) locale=Signal::derive(move || i18n.get_locale()) explain />
        </div>
    }
}

/// The problems of one field, as a live region.
#[component]
pub fn FieldProblems(
    id: String,
    #[prop(optional)] field: &'static str,
    problems: Signal<Vec<Problem>>,
    locale: Signal<Locale>,
    #[prop(default = None)] explain: Option<Explain>,
) -> impl IntoView {
    view! {
        <Show when=move || !problems.with(Vec::is_empty)>
            <p class="field__error" id=id.clone() role="alert">
                {move || {
                    problems
                        .get()
                        .into_iter()
                        .map(|p| explained(explain, locale.get(), field, p))
                        .collect::<Vec<_>>()
                        .join(" ")
                }}
            </p>
        </Show>
    }
}

/// The error of a submission that belongs to no single field.
#[component]
pub fn FormNotice(error: FormError) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {move || {
            error
                .get()
                .map(|e| view! { <p class="notice notice--error" role="alert">{error_text(i18n.get_locale(), &e)}</p> })
        }}
    }
}

/// A confirmation shown after a successful submission.
#[component]
pub fn SuccessNotice(children: Children) -> impl IntoView {
    view! { <p class="notice notice--ok" role="status">{children()}</p> }
}

/// A labelled `<select>`; `options` are (value, label) pairs, relabelled when the language changes.
#[component]
pub fn SelectField(
    name: &'static str,
    label: Signal<String>,
    options: Signal<Vec<(String, String)>>,
    #[prop(optional, into)] selected: Signal<String>,
    error: FormError,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let problems = move || {
        error.with(|e| {
            e.as_ref().map(|e| e.field_problems(name).collect::<Vec<_>>()).unwrap_or_default()
        })
    };
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}</label>
            <select id=id name=name aria-invalid=move || (!problems().is_empty()).then_some("true")>
                {move || {
                    let current = selected.get();
                    options
                        .get()
                        .into_iter()
                        .map(|(value, text)| {
                            let is_selected = value == current;
                            view! { <option value=value selected=is_selected>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <FieldProblems id=error_id problems=Signal::derive(problems) locale=Signal::derive(move || i18n.get_locale()) />
        </div>
    }
}

/// A labelled `<textarea>` with its problems, like [`Field`].
#[component]
pub fn TextArea(
    name: &'static str,
    label: Signal<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(default = 5)] rows: u32,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(optional, into)] value: Signal<String>,
    /// Distinguishes two forms on one page that use the same field name.
    #[prop(optional)]
    id_suffix: &'static str,
    #[prop(optional)] explain: Option<Explain>,
    error: FormError,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-{name}{id_suffix}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let problems = move || {
        error.with(|e| {
            e.as_ref().map(|e| e.field_problems(name).collect::<Vec<_>>()).unwrap_or_default()
        })
    };
    let has_hint = hint.is_some();
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if !problems().is_empty() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}</label>
            {hint.map(|h| view! { <p class="field__hint" id=hint_id.clone()>{move || h.get()}</p> })}
            <textarea
                id=id
                name=name
                rows=rows
                required=required
                maxlength=maxlength
                aria-invalid=move || (!problems().is_empty()).then_some("true")
                aria-describedby=described
            >
                {move || value.get()}
            </textarea>
            <FieldProblems id=error_id field=name problems=Signal::derive(problems) locale=Signal::derive(move || i18n.get_locale()) explain />
        </div>
    }
}

/// The error a form post brought back in the address (`?__path=…&__err=…`), when the browser
/// submitted the form itself (without WASM).
pub fn error_from_address(path: &'static str) -> Option<AppError> {
    use leptos::server::ServerActionError;
    use leptos::server_fn::error::ServerFnUrlError;
    use_context::<ServerActionError>()
        .filter(|e| e.path() == path)
        .map(|e| ServerFnUrlError::<AppError>::decode_err(e.err()))
}

/// The `photos` input of a multipart form (up to `max` files), with its hint and problem. A
/// form sent back after a refusal cannot keep its files: `sent` names them, to choose again.
/// `children` come before the input (for instance the photos already kept).
#[component]
pub fn PhotosField(
    max: usize,
    sent: Vec<String>,
    error: FormError,
    #[prop(optional)] explain: Option<Explain>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let described_by =
        if sent.is_empty() { "field-photos-hint" } else { "field-photos-hint field-photos-again" };
    let again = (!sent.is_empty()).then(|| {
        let names = sent.iter().map(|n| format!("„{n}”")).collect::<Vec<_>>().join(", ");
        view! {
            <p class="field__error" id="field-photos-again">
                {move || t_string!(i18n, ux.photos_not_kept, names = names.clone()).to_string()}
            </p>
        }
    });
    let problem =
        move || error.with(|e| e.as_ref().and_then(|e| e.field_problems("photos").next()));
    view! {
        <div class="field">
            <label for="field-photos">{t!(i18n, newreport.photos)}</label>
            <p class="field__hint" id="field-photos-hint">
                {move || t_string!(i18n, newreport.photos_hint, max = max)}
            </p>
            {children.map(|c| c())}
            {again}
            <input id="field-photos" type="file" name="photos" multiple
                accept="image/jpeg,image/png,image/webp" aria-describedby=described_by />
            {move || problem().map(|p| view! {
                <p class="field__error" role="alert">{explained(explain, i18n.get_locale(), "photos", p)}</p>
            })}
        </div>
    }
}

/// A reviewer's two forms for one proposal: accept it (`decision=accept_value`) or refuse it
/// with a reason the author sees (`decision=reject`, `note` of 5–500 characters).
#[component]
pub fn ReviewForms(
    /// The review server function's address.
    action: &'static str,
    id: i64,
    /// Distinguishes the reason fields of several desks on one page.
    id_prefix: &'static str,
    accept_value: &'static str,
    accept: &'static str,
    reject: &'static str,
    reason: &'static str,
) -> impl IntoView {
    let note_id = format!("{id_prefix}-note-{id}");
    view! {
        <form class="form form--inline" method="post" action=action>
            <LangField />
            <SiteField />
            <input type="hidden" name="id" value=id.to_string() />
            <input type="hidden" name="note" value="" />
            <button type="submit" class="button" name="decision" value=accept_value>{accept}</button>
        </form>
        <form class="form form--inline" method="post" action=action>
            <LangField />
            <SiteField />
            <input type="hidden" name="id" value=id.to_string() />
            <input type="hidden" name="decision" value="reject" />
            <label for=note_id.clone()>{reason}</label>
            <input id=note_id name="note" required minlength="5" maxlength="500" />
            <button type="submit" class="button button--secondary">{reject}</button>
        </form>
    }
}
