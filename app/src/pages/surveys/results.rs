//! `/{lang}/surveys/{id}/results`: per question, counts and shares as a chart with its table,
//! numbers' mean and median, and (for staff) what people wrote; narrowed by an answer to
//! another question (`?filter={question}.{option}`). A figure from fewer than five people reads
//! "fewer than 5".

use super::answer::words;
use crate::api::survey_builder::SetSurveyResultsPublic;
use crate::api::surveys::{survey_results, ResultsPage};
use crate::components::charts::{Bar, BarChart};
use crate::components::error::ErrorNotice;
use crate::components::form::{LangField, SiteField};
use crate::components::page_title::PageHeading;
use crate::error::AppError;
use crate::format;
use crate::i18n::*;
use crate::model::survey::{Question, QuestionKind, ShownResult};
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn SurveyResultsPage() -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|i| i.parse::<i64>().ok()));
    // `?filter=12.3`: the sheets whose answer to question 12 includes its option 3 (from 0).
    let filter = use_query_map().with_untracked(|q| {
        let (by, option) =
            q.get("filter")?.split_once('.').map(|(a, b)| (a.to_owned(), b.to_owned()))?;
        Some((by.parse::<i64>().ok()?, option.parse::<usize>().ok()?))
    });
    let results = Resource::new(
        || (),
        move |_| async move {
            match id {
                Some(id) => {
                    survey_results(id, filter.map(|f| f.0), filter.map(|f| f.1), None).await
                }
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=move || view! { <p class="page">{td_string!(locale, map.loading)}</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(page) => view! { <ResultsBody page /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
                    Err(err) => view! { <div class="page"><ErrorNotice error=err /></div> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A count as shown: the number, or "fewer than 5".
fn count_text(count: Option<i64>, locale: Locale) -> String {
    match count {
        Some(n) => format::integer(n, locale),
        None => td_string!(locale, surveys.fewer_than_5).to_owned(),
    }
}

#[component]
fn ResultsBody(page: ResultsPage) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let survey = page.survey.clone();
    let id = survey.id;
    let (title, title_lang) = words(&survey.title, locale);
    let back = crate::paths::page(locale, &format!("/surveys/{id}"));
    let csv = format!("/api/v1/surveys/{id}/results.csv");
    let csv = match crate::paths::current_site() {
        Some(site) => format!("{csv}?locality={site}"),
        None => csv,
    };
    let choice_questions: Vec<Question> =
        survey.questions.iter().filter(|q| q.kind.has_options()).cloned().collect();
    let selected = page.filter.map(|(q, o)| format!("{q}.{o}")).unwrap_or_default();
    let filter_words = page.filter.and_then(|(qid, o)| {
        let q = survey.questions.iter().find(|q| q.id == qid)?;
        Some(
            td_string!(
                locale,
                surveys.filtered_by,
                option = q.options.get(o)?.get(locale),
                question = q.prompt.get(locale)
            )
            .to_string(),
        )
    });
    let staff = page.runs;
    view! {
        <article class="page survey-results">
            <p><a href=back>{td_string!(locale, surveys.back_to_survey)}</a></p>
            <PageHeading text=td_string!(locale, surveys.results_title, title = title).to_string() lang=title_lang />
            <p class="survey-results__total">
                <strong>{td_string!(locale, surveys.sheets_counted)}</strong> " " {count_text(page.responses, locale)}
            </p>
            {filter_words.map(|w| view! { <p class="notice" role="status">{w}</p> })}
            <p class="muted">{td_string!(locale, surveys.small_counts_note)}</p>
            <p><a class="button button--secondary" href=csv download>
                {if staff { td_string!(locale, surveys.download_csv) } else { td_string!(locale, surveys.download_counts_csv) }}
            </a></p>
            {staff.then(|| {
                let public = survey.results_public;
                view! {
                    <form method="post" action=SetSurveyResultsPublic::PATH class="inline-form">
                        <input type="hidden" name="id" value=id.to_string() />
                        <input type="hidden" name="public" value=(!public).to_string() />
                        <LangField />
                        <SiteField />
                        <p class="muted">{if public { td_string!(locale, surveys.results_are_public) } else { td_string!(locale, surveys.results_are_private) }}</p>
                        <button type="submit" class="button button--secondary">
                            {if public { td_string!(locale, surveys.hide_results) } else { td_string!(locale, surveys.show_results) }}
                        </button>
                    </form>
                }
            })}
            {(!choice_questions.is_empty()).then(|| view! {
                <form method="get" class="filters survey-results__filter">
                    <div class="field">
                        <label for="field-filter">{td_string!(locale, surveys.filter_label)}</label>
                        <select id="field-filter" name="filter">
                            <option value="" selected=selected.is_empty()>{td_string!(locale, surveys.filter_all)}</option>
                            {choice_questions.iter().map(|q| view! {
                                <optgroup label=q.prompt.get(locale).to_owned()>
                                    {q.options.iter().enumerate().map(|(o, label)| {
                                        let value = format!("{}.{o}", q.id);
                                        let is_selected = value == selected;
                                        view! { <option value=value selected=is_selected>{label.get(locale).to_owned()}</option> }
                                    }).collect_view()}
                                </optgroup>
                            }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="button">{td_string!(locale, surveys.apply_filter)}</button>
                </form>
            })}
            {survey.questions.iter().zip(page.results.iter()).enumerate().map(|(n, (q, r))| {
                view! { <QuestionResults number=n + 1 question=q.clone() result=r.clone() staff /> }
            }).collect_view()}
        </article>
    }
}

#[component]
fn QuestionResults(
    number: usize,
    question: Question,
    result: ShownResult,
    staff: bool,
) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let q = question;
    let (prompt, prompt_lang) = words(&q.prompt, locale);
    let answered = result.answered;
    let heading_id = format!("question-{}", q.id);
    let labelled_by = heading_id.clone();
    let body = match q.kind {
        QuestionKind::Single | QuestionKind::Multiple | QuestionKind::Scale => {
            let mut labels: Vec<String> = match q.kind {
                QuestionKind::Scale => (1..=5).map(|n| n.to_string()).collect(),
                _ => q.options.iter().map(|o| o.get(locale).to_owned()).collect(),
            };
            if q.other {
                labels.push(td_string!(locale, surveys.other).to_owned());
            }
            let share = |count: Option<i64>| match (count, answered) {
                (Some(c), Some(a)) if a > 0 => Some(c as f64 / a as f64),
                _ => None,
            };
            let rows: Vec<(String, Option<i64>, Option<f64>)> = labels
                .into_iter()
                .zip(result.counts.iter().copied())
                .map(|(label, count)| (label, count, share(count)))
                .collect();
            let bars = rows
                .iter()
                .map(|(label, count, part)| Bar {
                    label: label.clone(),
                    value: count.unwrap_or(0) as f64,
                    shown: match (count, part) {
                        (Some(c), Some(p)) => format!("{} ({})", format::integer(*c, locale), format::percent(*p, locale)),
                        (count, _) => count_text(*count, locale),
                    },
                    class: "bar--accepted".to_owned(),
                })
                .collect();
            let summary = td_string!(locale, surveys.chart_summary, question = prompt.clone(), people = count_text(answered, locale)).to_string();
            view! {
                <BarChart id=format!("chart-{}", q.id) title=prompt.clone() summary bars />
                <table class="table">
                    <caption class="visually-hidden">{prompt.clone()}</caption>
                    <thead><tr>
                        <th scope="col">{td_string!(locale, surveys.answer_column)}</th>
                        <th scope="col">{td_string!(locale, surveys.people_column)}</th>
                        <th scope="col">{td_string!(locale, surveys.share_column)}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(label, count, part)| view! {
                            <tr>
                                <th scope="row">{label}</th>
                                <td>{count_text(count, locale)}</td>
                                <td>{part.map(|p| format::percent(p, locale)).unwrap_or_else(|| "—".to_owned())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        }
        QuestionKind::Number => view! {
            <dl class="facts">
                <dt>{td_string!(locale, surveys.mean)}</dt>
                <dd>{result.mean.map(|m| format::one_decimal(m, locale)).unwrap_or_else(|| td_string!(locale, surveys.fewer_than_5).to_owned())}</dd>
                <dt>{td_string!(locale, surveys.median)}</dt>
                <dd>{result.median.map(|m| format::one_decimal(m, locale)).unwrap_or_else(|| td_string!(locale, surveys.fewer_than_5).to_owned())}</dd>
            </dl>
        }
        .into_any(),
        _ => ().into_any(),
    };
    // What people wrote (texts, dates, "other"): staff only, never the public.
    let texts = (staff && !result.texts.is_empty()).then(|| {
        let texts = result.texts.clone();
        view! {
            <details class="survey-results__texts">
                <summary>{td_string!(locale, surveys.written_answers, count = texts.len()).to_string()}</summary>
                <ul>{texts.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
            </details>
        }
    });
    view! {
        <section class="survey-results__question" aria-labelledby=labelled_by>
            <h2 id=heading_id lang=prompt_lang>{format!("{number}. {prompt}")}</h2>
            <p class="muted">{td_string!(locale, surveys.answered_by)} " " {count_text(answered, locale)}</p>
            {body}
            {texts}
        </section>
    }
}
