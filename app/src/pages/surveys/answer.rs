//! `/{lang}/surveys/{id}`: a survey answered one section at a time, as a plain form (no
//! script needed). After each step what was answered is kept on the server for this browser,
//! so the survey can be left and resumed; the answers shown come from there.

use super::fields::{problem_line, problems_of, Kind, TextInput};
use super::Stage;
use crate::api::survey_builder::PublishSurvey;
use crate::api::surveys::{get_survey, AnswerSurvey, SurveyPage, RESUME_AT};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    error_from_address, FormNotice, LangField, SiteField, SuccessNotice,
};
use crate::components::layout::SignInPrompt;
use crate::components::localized::LocalizedPassage;
use crate::components::page_title::PageHeading;
use crate::components::share::{Preview, PreviewImage, Share};
use crate::error::AppError;
use crate::format;
use crate::i18n::*;
use crate::model::survey::{
    answers_so_far, sections, visible, Question, QuestionKind, RawForm, Respondents, Survey,
    LONG_TEXT_MAX, SHORT_TEXT_MAX,
};
use crate::model::Localized;
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn SurveyAnswerPage() -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|i| i.parse::<i64>().ok()));
    let page = Resource::new(
        || (),
        move |_| async move {
            match id {
                Some(id) => get_survey(id, None).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=move || view! { <p class="page">{td_string!(locale, map.loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <SurveyBody page /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
                    Err(err) => view! { <div class="page"><ErrorNotice error=err /></div> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `text` in the visitor's language (or Romanian), with `lang` set when it is not theirs.
pub(super) fn words(text: &Localized, locale: Locale) -> (String, Option<String>) {
    let (words, lang) = text.get_in(locale);
    (words.to_owned(), (lang != locale).then(|| lang.to_string()))
}

#[component]
fn SurveyBody(page: SurveyPage) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let query = use_query_map().get_untracked();
    let survey = page.survey.clone();
    let id = survey.id;
    let stage = Stage::of(survey.published, survey.opens_at, survey.closes_at);
    let (title, title_lang) = words(&survey.title, locale);
    let answered_now = query.get("answered").is_some();
    let answer_part = match () {
        _ if answered_now => view! {
            <SuccessNotice>{td_string!(locale, surveys.thanks)}</SuccessNotice>
        }
        .into_any(),
        _ if stage != Stage::Open => {
            let when = match stage {
                Stage::Upcoming => td_string!(locale, surveys.opens_on, date = format::date_time(survey.opens_at, locale)).to_string(),
                Stage::Draft => td_string!(locale, surveys.draft_notice).to_owned(),
                _ => td_string!(locale, surveys.closed_notice).to_owned(),
            };
            view! { <p class="notice" role="status">{when}</p> }.into_any()
        }
        _ if survey.respondents.needs_account() && !page.signed_in => view! { <SignInPrompt /> }.into_any(),
        _ if page.answered => view! {
            <p class="notice notice--ok" role="status">{td_string!(locale, surveys.answered_already)}</p>
        }
        .into_any(),
        _ => {
            // Back on the page later: the part where the person left off.
            let resume = page.draft.get(RESUME_AT).and_then(|v| v.first()).and_then(|s| s.parse::<usize>().ok());
            let section = query.get("section").and_then(|s| s.parse::<usize>().ok()).or(resume).unwrap_or(0);
            view! { <AnswerForm survey=survey.clone() draft=page.draft.clone() section saved=query.get("saved").is_some() /> }.into_any()
        }
    };
    let who = match survey.respondents {
        Respondents::Anyone => td_string!(locale, surveys.who_anyone),
        Respondents::SignedIn => td_string!(locale, surveys.who_signed_in),
        Respondents::OncePerPerson => td_string!(locale, surveys.who_once),
    };
    let results = crate::paths::page(locale, &format!("/surveys/{id}/results"));
    view! {
        <article class="page page--narrow survey-page">
            {query.get("published").is_some().then(|| view! { <SuccessNotice>{td_string!(locale, surveys.published_notice)}</SuccessNotice> })}
            <PageHeading text=title.clone() lang=title_lang />
            <p class="report-card__meta">
                <span class=stage.class()>{stage.label(locale)}</span>
                <span>{format!("{} – {}", format::date_time(survey.opens_at, locale), format::date_time(survey.closes_at, locale))}</span>
            </p>
            {(!survey.intro.ro.is_empty()).then(|| view! { <LocalizedPassage text=survey.intro.clone() /> })}
            <p class="muted">
                {who}
                {survey.anonymous.then(|| view! { " " {td_string!(locale, surveys.anonymous_note)} })}
            </p>
            {page.runs.then(|| view! { <StaffTools survey=survey.clone() /> })}
            {answer_part}
            {page.results_visible.then(|| view! { <p><a href=results>{td_string!(locale, surveys.see_results)}</a></p> })}
            {survey.published.then(|| view! {
                <Share preview=Preview {
                    title: title.clone(),
                    description: survey.intro.get(locale).to_owned(),
                    image: PreviewImage::Drawn { kind: "surveys", id },
                } />
            })}
        </article>
    }
}

/// Staff: publish a draft, change a survey nobody has answered, see the answers.
#[component]
fn StaffTools(survey: Survey) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let id = survey.id;
    let edit = crate::paths::page(locale, &format!("/surveys/{id}/edit"));
    view! {
        <div class="notice staff-tools">
            <p>{td_string!(locale, surveys.answer_count, count = survey.responses).to_string()}</p>
            <p class="staff-tools__actions">
                {(survey.responses == 0).then(|| view! { <a class="button button--secondary" href=edit>{td_string!(locale, surveys.edit)}</a> })}
                {(!survey.published).then(|| view! {
                    <form method="post" action=PublishSurvey::PATH class="inline-form">
                        <input type="hidden" name="id" value=id.to_string() />
                        <LangField />
                        <SiteField />
                        <button type="submit" class="button">{td_string!(locale, surveys.publish)}</button>
                    </form>
                })}
            </p>
        </div>
    }
}

/// One section of the survey's questions, with what this browser answered so far.
#[component]
fn AnswerForm(survey: Survey, draft: RawForm, section: usize, saved: bool) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let error = error_from_address(AnswerSurvey::PATH);
    let parts = sections(&survey.questions);
    let last = parts.len().saturating_sub(1);
    let section = section.min(last);
    let range = parts.get(section).cloned().unwrap_or(0..0);
    let in_section: Vec<i64> = survey.questions[range.clone()].iter().map(|q| q.id).collect();
    let shown = visible(&survey.questions, &answers_so_far(&survey.questions, &draft));
    // A question whose condition is answered in this same section is shown with the condition
    // in words (without a script the page cannot hide it as the answer changes).
    let questions: Vec<Question> = survey.questions[range]
        .iter()
        .filter(|q| {
            shown.contains(&q.id) || q.show_if.is_some_and(|c| in_section.contains(&c.question_id))
        })
        .cloned()
        .collect();
    let all = survey.questions.clone();
    let heading =
        questions.first().map(|q| words(&q.section, locale)).filter(|(w, _)| !w.is_empty());
    let error_signal: Signal<Option<AppError>> = Signal::stored(error.clone());
    view! {
        <form class="form survey-form" method="post" enctype="multipart/form-data" action=AnswerSurvey::PATH>
            {saved.then(|| view! { <SuccessNotice>{td_string!(locale, surveys.saved_notice)}</SuccessNotice> })}
            <FormNotice error=error_signal />
            <input type="hidden" name="survey" value=survey.id.to_string() />
            <input type="hidden" name="section" value=section.to_string() />
            <LangField />
            <SiteField />
            {(last > 0).then(|| view! {
                <p class="survey-form__progress">{td_string!(locale, surveys.part_of, part = section + 1, parts = last + 1).to_string()}</p>
            })}
            {heading.map(|(text, lang)| view! { <h2 lang=lang>{text}</h2> })}
            {questions.into_iter().map(|q| {
                let problems = problems_of(&error, &q.field());
                let condition = q.show_if.and_then(|c| {
                    if !in_section.contains(&c.question_id) {
                        return None;
                    }
                    let earlier = all.iter().find(|x| x.id == c.question_id)?;
                    let option = earlier.options.get(c.option)?;
                    Some(td_string!(locale, surveys.only_if, option = option.get(locale), question = earlier.prompt.get(locale)).to_string())
                });
                let values = draft.get(&q.field()).cloned().unwrap_or_default();
                let other = draft.get(&q.other_field()).and_then(|v| v.first()).cloned().unwrap_or_default();
                view! { <QuestionField question=q values other problems condition /> }
            }).collect_view()}
            <div class="survey-form__buttons">
                {if section < last {
                    view! { <button type="submit" name="step" value="next" class="button button--large">{td_string!(locale, surveys.next)}</button> }.into_any()
                } else {
                    view! { <button type="submit" name="step" value="submit" class="button button--large">{td_string!(locale, surveys.send)}</button> }.into_any()
                }}
                <button type="submit" name="step" value="save" class="button button--secondary" formnovalidate=true>{td_string!(locale, surveys.save_for_later)}</button>
                {(section > 0).then(|| view! {
                    <button type="submit" name="step" value="back" class="button button--secondary" formnovalidate=true>{td_string!(locale, surveys.back)}</button>
                })}
            </div>
        </form>
    }
}

/// A choice as the form offers it: its value, its words, and their language when not the
/// visitor's.
type Choice = (String, String, Option<String>);

/// One question as its kind asks it: radio buttons, check boxes, a 1–5 scale, a text, a number
/// or a date.
#[component]
fn QuestionField(
    question: Question,
    values: Vec<String>,
    other: String,
    problems: Vec<crate::error::Problem>,
    condition: Option<String>,
) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let q = question;
    let field = q.field();
    let id = format!("field-{field}");
    let (prompt, prompt_lang) = words(&q.prompt, locale);
    let (help, help_lang) = words(&q.help, locale);
    // Conditional questions are never `required` in the browser: it cannot know they apply.
    let required = q.required && condition.is_none();
    let mut hints: Vec<String> = Vec::new();
    if let Some(c) = &condition {
        hints.push(c.clone());
    }
    if !help.is_empty() {
        hints.push(help.clone());
    }
    if q.required {
        hints.insert(0, td_string!(locale, surveys.required).to_owned());
    }
    let hint = (!hints.is_empty()).then(|| hints.join(" · "));
    let chosen = |value: &str| values.iter().any(|v| v == value);
    match q.kind {
        QuestionKind::Single | QuestionKind::Multiple | QuestionKind::Scale => {
            let (kind, choices): (&str, Vec<Choice>) = match q.kind {
                QuestionKind::Scale => (
                    "radio",
                    (1..=5).map(|n| (n.to_string(), scale_label(locale, n), None)).collect(),
                ),
                _ => (
                    if q.kind == QuestionKind::Single { "radio" } else { "checkbox" },
                    q.options
                        .iter()
                        .enumerate()
                        .map(|(i, o)| {
                            let (w, l) = words(o, locale);
                            (i.to_string(), w, l)
                        })
                        .collect(),
                ),
            };
            let hint_id = format!("{id}-hint");
            let described = {
                let mut ids = Vec::new();
                if hint.is_some() {
                    ids.push(hint_id.clone());
                }
                if !problems.is_empty() {
                    ids.push(format!("{id}-error"));
                }
                (!ids.is_empty()).then(|| ids.join(" "))
            };
            let other_box = q.other.then(|| {
                let checked = chosen("other");
                view! {
                    <div class="survey-choice">
                        <input type=kind id=format!("{id}-other") name=field.clone() value="other" checked=checked />
                        <label for=format!("{id}-other")>{td_string!(locale, surveys.other)}</label>
                    </div>
                    <div class="field survey-choice__other">
                        <label for=format!("field-{}", q.other_field())>{td_string!(locale, surveys.other_words)}</label>
                        <input type="text" id=format!("field-{}", q.other_field()) name=q.other_field() value=other maxlength=SHORT_TEXT_MAX as u32 />
                    </div>
                }
            });
            view! {
                <fieldset class="form-section survey-question" id=id.clone() aria-describedby=described>
                    <legend lang=prompt_lang>{prompt}</legend>
                    {hint.map(|h| view! { <p class="field__hint" id=hint_id lang=help_lang>{h}</p> })}
                    {problem_line(locale, &id, &problems)}
                    <div class=if q.kind == QuestionKind::Scale { "survey-choices survey-choices--scale" } else { "survey-choices" }>
                        {choices.into_iter().enumerate().map(|(n, (value, label, lang))| {
                            let input_id = format!("{id}-{n}");
                            let checked = chosen(&value);
                            // One radio of a required group carries `required` for the browser.
                            let required = required && kind == "radio" && n == 0;
                            view! {
                                <div class="survey-choice">
                                    <input type=kind id=input_id.clone() name=field.clone() value=value checked=checked required=required />
                                    <label for=input_id lang=lang>{label}</label>
                                </div>
                            }
                        }).collect_view()}
                        {other_box}
                    </div>
                </fieldset>
            }
            .into_any()
        }
        kind => {
            let value = values.first().cloned().unwrap_or_default();
            let (control, maxlength) = match kind {
                QuestionKind::LongText => (Kind::Area(5), LONG_TEXT_MAX as u32),
                QuestionKind::Number => (Kind::Line("text"), 40),
                QuestionKind::Date => (Kind::Line("date"), 10),
                _ => (Kind::Line("text"), SHORT_TEXT_MAX as u32),
            };
            let hint = match (kind, hint) {
                (QuestionKind::Number, h) => Some(
                    [h, Some(td_string!(locale, surveys.number_hint).to_owned())]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · "),
                ),
                (_, h) => h,
            };
            view! {
                <div class="survey-question">
                    <TextInput name=field label=prompt hint value kind=control required maxlength problems lang=prompt_lang />
                </div>
            }
            .into_any()
        }
    }
}

/// The words beside each point of a 1–5 scale.
fn scale_label(locale: Locale, n: u8) -> String {
    match n {
        1 => td_string!(locale, surveys.scale_1).to_owned(),
        5 => td_string!(locale, surveys.scale_5).to_owned(),
        n => n.to_string(),
    }
}
