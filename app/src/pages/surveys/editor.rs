//! `/{lang}/surveys/new` and `/{lang}/surveys/{id}/edit`: staff write a survey. One plain
//! form: the survey's texts and rules, then a slot per question (three blank ones after the
//! last; saving adds three more). Romanian is required; the other languages sit under
//! "Translations" in each part.

use super::fields::{problems_of, Kind, TextInput};
use crate::api::survey_builder::{SaveSurvey, LANGS};
use crate::api::surveys::{get_survey, list_surveys};
use crate::app::ViewerResource;
use crate::components::error::ErrorNotice;
use crate::components::form::{
    error_from_address, FormNotice, LangField, SiteField, SuccessNotice,
};
use crate::components::layout::SignInPrompt;
use crate::components::page_title::PageHeading;
use crate::error::AppError;
use crate::format;
use crate::i18n::*;
use crate::model::network::Organisation;
use crate::model::survey::{Question, QuestionKind, Respondents, Survey, MAX_QUESTIONS};
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Blank question slots after the last question.
const BLANK_SLOTS: usize = 3;

#[component]
pub fn NewSurveyPage() -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let list = Resource::new(|| (), |_| list_surveys(None));
    let viewer = expect_context::<ViewerResource>();
    view! {
        <Transition fallback=move || view! { <p class="page">{td_string!(locale, map.loading)}</p> }>
            {move || Suspend::new(async move {
                if !viewer.await.is_ok_and(|v| v.user.is_some()) {
                    return view! { <div class="page"><SignInPrompt /></div> }.into_any();
                }
                match list.await {
                    Ok(list) if list.writer.may_write() => view! { <Editor survey=None organisations=list.writer.organisations /> }.into_any(),
                    Ok(_) => view! { <div class="page"><ErrorNotice error=AppError::Forbidden /></div> }.into_any(),
                    Err(err) => view! { <div class="page"><ErrorNotice error=err /></div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn EditSurveyPage() -> impl IntoView {
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
                    Ok(page) if page.runs => view! { <Editor survey=Some(page.survey) organisations=Vec::new() /> }.into_any(),
                    Ok(page) if !page.signed_in => view! { <div class="page"><SignInPrompt /></div> }.into_any(),
                    Ok(_) => view! { <div class="page"><ErrorNotice error=AppError::Forbidden /></div> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
                    Err(err) => view! { <div class="page"><ErrorNotice error=err /></div> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn kind_label(l: Locale, k: QuestionKind) -> &'static str {
    match k {
        QuestionKind::Single => td_string!(l, surveys.kind_single),
        QuestionKind::Multiple => td_string!(l, surveys.kind_multiple),
        QuestionKind::Scale => td_string!(l, surveys.kind_scale),
        QuestionKind::ShortText => td_string!(l, surveys.kind_short_text),
        QuestionKind::LongText => td_string!(l, surveys.kind_long_text),
        QuestionKind::Number => td_string!(l, surveys.kind_number),
        QuestionKind::Date => td_string!(l, surveys.kind_date),
    }
}

fn language_name(l: Locale, lang: &str) -> &'static str {
    match lang {
        "ru" => td_string!(l, surveys.lang_ru),
        "uk" => td_string!(l, surveys.lang_uk),
        "en" => td_string!(l, surveys.lang_en),
        _ => td_string!(l, surveys.lang_ro),
    }
}

/// The stored text of a question's part in `lang`.
fn question_text(q: &Question, part: &str, lang: &str) -> String {
    let localized = match part {
        "section" => &q.section,
        "help" => &q.help,
        _ => &q.prompt,
    };
    match lang {
        "ru" => localized.ru.clone(),
        "uk" => localized.uk.clone(),
        "en" => localized.en.clone(),
        _ => localized.ro.clone(),
    }
}

#[component]
fn Editor(
    survey: Option<Survey>,
    /// The organisations an NGO member writes a new survey for (staff write the city hall's).
    organisations: Vec<Organisation>,
) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let error = error_from_address(SaveSurvey::PATH);
    let query = use_query_map().get_untracked();
    let came_back = error.is_some();
    let typed_slots = (0..MAX_QUESTIONS * 2)
        .filter(|n| query.get(&format!("s{n}_kind")).is_some())
        .max()
        .map_or(0, |n| n + 1);
    // A refused form shows what was typed (carried in the address); otherwise what is stored.
    let anonymous_typed = query.get("anonymous").is_some();
    let saved = query.get("saved").is_some();
    let value = move |name: &str, stored: String| -> String {
        if came_back {
            query.get(name).unwrap_or_default()
        } else {
            stored
        }
    };
    let stored = survey.clone();
    let survey_text = move |part: &str, lang: &str| -> String {
        let Some(s) = &stored else { return String::new() };
        let t = if part == "title" { &s.title } else { &s.intro };
        match lang {
            "ru" => t.ru.clone(),
            "uk" => t.uk.clone(),
            "en" => t.en.clone(),
            _ => t.ro.clone(),
        }
    };
    let questions = survey.as_ref().map(|s| s.questions.clone()).unwrap_or_default();
    let slots = (questions.len() + BLANK_SLOTS)
        .max(if came_back { typed_slots } else { 0 })
        .min(MAX_QUESTIONS);
    let answered = survey.as_ref().is_some_and(|s| s.responses > 0);
    let heading = match &survey {
        Some(_) => td_string!(locale, surveys.edit_title),
        None => td_string!(locale, surveys.new_title),
    };
    let (opens, closes, respondents, anonymous) = match &survey {
        Some(s) => (
            format::utc_to_city_input(s.opens_at),
            format::utc_to_city_input(s.closes_at),
            s.respondents,
            s.anonymous,
        ),
        None => (String::new(), String::new(), Respondents::OncePerPerson, false),
    };
    let respondents = value("respondents", respondents.as_str().to_owned());
    let anonymous = if came_back { anonymous_typed } else { anonymous };
    let back = survey.as_ref().map(|s| crate::paths::page(locale, &format!("/surveys/{}", s.id)));
    let per_language = |part: &'static str, kind: Kind, max: u32| {
        LANGS
            .iter()
            .skip(1)
            .map(|lang| {
                let name = format!("{part}_{lang}");
                let label = format!("{} ({})", if part == "title" { td_string!(locale, surveys.survey_title) } else { td_string!(locale, surveys.survey_intro) }, language_name(locale, lang));
                view! { <TextInput name=name.clone() label value=value(&name, survey_text(part, lang)) kind maxlength=max problems=problems_of(&error, &name) lang=Some(lang.to_string()) /> }
            })
            .collect_view()
    };
    view! {
        <section class="page page--narrow survey-editor">
            <PageHeading text=heading />
            {back.map(|href| view! { <p><a href=href>{td_string!(locale, surveys.back_to_survey)}</a></p> })}
            {saved.then(|| view! { <SuccessNotice>{td_string!(locale, surveys.saved_draft)}</SuccessNotice> })}
            {answered.then(|| view! { <p class="notice" role="status">{td_string!(locale, surveys.answered_locked)}</p> })}
            <p class="muted">{td_string!(locale, surveys.editor_intro)}</p>
            <FormNotice error=Signal::stored(error.clone()) />
            <form class="form" method="post" enctype="multipart/form-data" action=SaveSurvey::PATH>
                <LangField />
                <SiteField />
                <input type="hidden" name="survey_id" value=survey.as_ref().map(|s| s.id.to_string()).unwrap_or_default() />
                {(!organisations.is_empty()).then(|| view! {
                    <div class="field">
                        <label for="field-organisation">{td_string!(locale, surveys.organisation_label)}</label>
                        <select id="field-organisation" name="organisation">
                            {organisations.iter().map(|o| view! { <option value=o.id.to_string()>{o.name.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                })}
                <fieldset class="form-section">
                    <legend>{td_string!(locale, surveys.about)}</legend>
                    <TextInput name="title_ro".to_owned() label=td_string!(locale, surveys.survey_title).to_owned() value=value("title_ro", survey_text("title", "ro")) required=true maxlength=150 problems=problems_of(&error, "title_ro") />
                    <TextInput name="intro_ro".to_owned() label=td_string!(locale, surveys.survey_intro).to_owned() value=value("intro_ro", survey_text("intro", "ro")) kind=Kind::Area(4) maxlength=3000 problems=problems_of(&error, "intro_ro") />
                    <details class="translations">
                        <summary>{td_string!(locale, surveys.translations)}</summary>
                        {per_language("title", Kind::Line("text"), 150)}
                        {per_language("intro", Kind::Area(3), 3000)}
                    </details>
                    <TextInput name="opens".to_owned() label=td_string!(locale, surveys.opens).to_owned() value=value("opens", opens) kind=Kind::Line("datetime-local") required=true problems=problems_of(&error, "opens") />
                    <TextInput name="closes".to_owned() label=td_string!(locale, surveys.closes).to_owned() value=value("closes", closes) kind=Kind::Line("datetime-local") required=true problems=problems_of(&error, "closes") />
                    <div class="field">
                        <label for="field-respondents">{td_string!(locale, surveys.who_label)}</label>
                        <select id="field-respondents" name="respondents">
                            {Respondents::ALL.iter().map(|r| {
                                let label = match r {
                                    Respondents::Anyone => td_string!(locale, surveys.who_anyone),
                                    Respondents::SignedIn => td_string!(locale, surveys.who_signed_in),
                                    Respondents::OncePerPerson => td_string!(locale, surveys.who_once),
                                };
                                view! { <option value=r.as_str() selected=respondents == r.as_str()>{label}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="survey-choice">
                        <input type="checkbox" id="field-anonymous" name="anonymous" checked=anonymous />
                        <label for="field-anonymous">{td_string!(locale, surveys.anonymous_label)}</label>
                    </div>
                </fieldset>
                {(0..slots).map(|n| {
                    let q = questions.get(n).cloned();
                    // "question.option", both counted from 1 as the form shows them.
                    let condition = q.as_ref().and_then(|q| q.show_if).and_then(|c| {
                        let at = questions.iter().position(|x| x.id == c.question_id)?;
                        Some(format!("{}.{}", at + 1, c.option + 1))
                    }).unwrap_or_default();
                    view! { <QuestionSlot n question=q condition error=error.clone() came_back /> }
                }).collect_view()}
                <button type="submit" class="button button--large">{td_string!(locale, surveys.save)}</button>
            </form>
        </section>
    }
}

/// One question's slot `s{n}_…`: blank, or holding the stored (or typed) question.
#[component]
fn QuestionSlot(
    n: usize,
    question: Option<Question>,
    /// The stored condition as the form writes it.
    condition: String,
    error: Option<AppError>,
    came_back: bool,
) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let query = use_query_map().get_untracked();
    let name = move |part: &str| format!("s{n}_{part}");
    let value = |part: &str, stored: String| -> String {
        if came_back {
            query.get(&name(part)).unwrap_or_default()
        } else {
            stored
        }
    };
    let flag = |part: &str, stored: bool| {
        if came_back {
            query.get(&name(part)).is_some()
        } else {
            stored
        }
    };
    let q = question.clone();
    let text = move |part: &str, lang: &str| {
        q.as_ref().map(|q| question_text(q, part, lang)).unwrap_or_default()
    };
    let q = question.clone();
    let options = move |lang: &str| {
        q.as_ref()
            .map(|q| {
                q.options
                    .iter()
                    .map(|o| match lang {
                        "ru" => o.ru.clone(),
                        "uk" => o.uk.clone(),
                        "en" => o.en.clone(),
                        _ => o.ro.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    };
    let kind = value("kind", question.as_ref().map_or("single", |q| q.kind.as_str()).to_owned());
    let field = |part: &'static str,
                 label: &'static str,
                 lang: &str,
                 kind: Kind,
                 max: u32,
                 hint: Option<String>| {
        let full = format!("{part}_{lang}");
        let stored = if part == "options" { options(lang) } else { text(part, lang) };
        let label = if lang == "ro" {
            label.to_owned()
        } else {
            format!("{label} ({})", language_name(locale, lang))
        };
        // The options' problems as a whole (too few, too many) show under the Romanian ones.
        let mut problems = problems_of(&error, &name(&full));
        if part == "options" && lang == "ro" {
            problems.extend(problems_of(&error, &name("options")));
        }
        view! {
            <TextInput name=name(&full) label value=value(&full, stored) kind maxlength=max hint problems lang=(lang != "ro").then(|| lang.to_owned()) />
        }
    };
    let options_hint = Some(td_string!(locale, surveys.options_hint).to_owned());
    let translations = LANGS.iter().skip(1).map(|lang| view! {
        {field("section", td_string!(locale, surveys.section_label), lang, Kind::Line("text"), 150, None)}
        {field("prompt", td_string!(locale, surveys.prompt_label), lang, Kind::Area(2), 400, None)}
        {field("help", td_string!(locale, surveys.help_label), lang, Kind::Line("text"), 400, None)}
        {field("options", td_string!(locale, surveys.options_label), lang, Kind::Area(3), 4000, None)}
    }).collect_view();
    view! {
        <fieldset class="form-section survey-slot">
            <legend>{td_string!(locale, surveys.question_number, number = n + 1).to_string()}</legend>
            {field("section", td_string!(locale, surveys.section_label), "ro", Kind::Line("text"), 150, Some(td_string!(locale, surveys.section_hint).to_owned()))}
            {field("prompt", td_string!(locale, surveys.prompt_label), "ro", Kind::Area(2), 400, None)}
            {field("help", td_string!(locale, surveys.help_label), "ro", Kind::Line("text"), 400, None)}
            <div class="field">
                <label for=format!("field-{}", name("kind"))>{td_string!(locale, surveys.kind_label)}</label>
                <select id=format!("field-{}", name("kind")) name=name("kind")>
                    {QuestionKind::ALL.iter().map(|k| view! {
                        <option value=k.as_str() selected=kind == k.as_str()>{kind_label(locale, *k)}</option>
                    }).collect_view()}
                </select>
            </div>
            {field("options", td_string!(locale, surveys.options_label), "ro", Kind::Area(4), 4000, options_hint)}
            <div class="survey-choice">
                <input type="checkbox" id=format!("field-{}", name("other")) name=name("other") checked=flag("other", question.as_ref().is_some_and(|q| q.other)) />
                <label for=format!("field-{}", name("other"))>{td_string!(locale, surveys.other_label)}</label>
            </div>
            <div class="survey-choice">
                <input type="checkbox" id=format!("field-{}", name("required")) name=name("required") checked=flag("required", question.as_ref().is_some_and(|q| q.required)) />
                <label for=format!("field-{}", name("required"))>{td_string!(locale, surveys.required_label)}</label>
            </div>
            <TextInput name=name("show_if") label=td_string!(locale, surveys.show_if_label).to_owned() hint=Some(td_string!(locale, surveys.show_if_hint).to_owned()) value=value("show_if", condition) maxlength=10 problems=problems_of(&error, &name("show_if")) />
            {question.is_some().then(|| view! {
                <div class="survey-choice">
                    <input type="checkbox" id=format!("field-{}", name("remove")) name=name("remove") />
                    <label for=format!("field-{}", name("remove"))>{td_string!(locale, surveys.remove_label)}</label>
                </div>
            })}
            <details class="translations">
                <summary>{td_string!(locale, surveys.translations)}</summary>
                {translations}
            </details>
        </fieldset>
    }
}
