//! `/{lang}/newsletters/new` and `/{lang}/newsletters/{id}/edit`: the secretariat writes an
//! issue (quarter, title and text in up to four languages, Romanian required), keeps it as a
//! draft or publishes it at once. A refused form comes back with what was typed.

use crate::api::newsletters::{get_newsletter, list_newsletters, SaveNewsletter};
use crate::app::ViewerResource;
use crate::components::error::ErrorNotice;
use crate::components::form::{
    error_from_address, Field, FormError, FormNotice, LangField, SelectField, SiteField, TextArea,
};
use crate::components::layout::SignInPrompt;
use crate::error::AppError;
use crate::i18n::*;
use crate::model::newsletter::{Newsletter, Quarter};
use crate::pages::events::language_label;
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn NewNewsletterPage() -> impl IntoView {
    view! { <Editor id=None /> }
}

#[component]
pub fn EditNewsletterPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    view! { <Editor id=Some(id) /> }
}

#[component]
fn Editor(id: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let viewer = expect_context::<ViewerResource>();
    let editing = id.is_some();
    let existing = Resource::new(
        move || id.clone(),
        |id| async move {
            match id {
                Some(id) => {
                    get_newsletter(id, None).await.map(|i| (Some(i.issue), Vec::new(), i.writer))
                }
                None => list_newsletters(None).await.map(|shelf| {
                    let taken = shelf.issues.iter().map(|i| i.quarter).collect();
                    (None, taken, shelf.writer)
                }),
            }
        },
    );
    let heading = if editing {
        td_string!(locale, newsletters.form_title_edit)
    } else {
        td_string!(locale, newsletters.form_title_new)
    };
    view! {
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=heading />
            <Suspense fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    let viewer = viewer.await.unwrap_or_default();
                    if viewer.user.is_none() {
                        return view! { <SignInPrompt /> }.into_any();
                    }
                    match existing.await {
                        Ok((existing, taken, true)) => view! { <IssueForm existing taken /> }.into_any(),
                        Ok(_) => view! { <ErrorNotice error=AppError::Forbidden /> }.into_any(),
                        Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The quarter a new issue is most likely about: the one that just ended, else the first
/// after it that has no issue yet.
fn likely_quarter(taken: &[Quarter]) -> Quarter {
    let current = Quarter::of(crate::format::local_date(chrono::Utc::now()));
    [current.previous(), current, current.next()]
        .into_iter()
        .find(|q| !taken.contains(q))
        .unwrap_or(current)
}

#[component]
fn IssueForm(existing: Option<Newsletter>, taken: Vec<Quarter>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let sent_back = error_from_address(SaveNewsletter::PATH);
    let came_back = sent_back.is_some();
    let error: FormError = RwSignal::new(sent_back).into();
    let query = use_query_map().get_untracked();
    // What the form shows: what was typed when it comes back refused, else the issue.
    let value = |field: &str, f: &dyn Fn(&Newsletter) -> String| -> String {
        if came_back {
            query.get(field).unwrap_or_default()
        } else {
            existing.as_ref().map(f).unwrap_or_default()
        }
    };
    let label = move |text: fn(Locale) -> &'static str| {
        Signal::derive(move || text(i18n.get_locale()).to_owned())
    };
    let quarter = existing.as_ref().map(|n| n.quarter).unwrap_or_else(|| likely_quarter(&taken));
    let year = value("year", &|n| n.quarter.year.to_string());
    let year = if year.is_empty() { quarter.year.to_string() } else { year };
    let this_year = chrono::Datelike::year(&crate::format::local_date(chrono::Utc::now()));
    let mut years: Vec<(String, String)> =
        (this_year - 1..=this_year + 1).map(|y| (y.to_string(), y.to_string())).collect();
    if !years.iter().any(|(y, _)| *y == year) {
        years.insert(0, (year.clone(), year.clone()));
    }
    let quarters: Vec<(String, String)> = [
        td_string!(locale, newsletters.q1),
        td_string!(locale, newsletters.q2),
        td_string!(locale, newsletters.q3),
        td_string!(locale, newsletters.q4),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, label)| ((i + 1).to_string(), label.to_owned()))
    .collect();
    let chosen_quarter = value("quarter", &|n| n.quarter.quarter.to_string());
    let chosen_quarter =
        if chosen_quarter.is_empty() { quarter.quarter.to_string() } else { chosen_quarter };
    let per_language = [
        (Locale::ro, "title_ro", "body_ro"),
        (Locale::ru, "title_ru", "body_ru"),
        (Locale::uk, "title_uk", "body_uk"),
        (Locale::en, "title_en", "body_en"),
    ]
    .into_iter()
    .map(|(lang, title, body)| {
        let required = lang == Locale::ro;
        let pick = move |text: &crate::model::Localized| -> String {
            match lang {
                Locale::ro => text.ro.clone(),
                Locale::ru => text.ru.clone(),
                Locale::uk => text.uk.clone(),
                Locale::en => text.en.clone(),
            }
        };
        let title_value = value(title, &|n| pick(&n.title));
        let body_value = value(body, &|n| pick(&n.body));
        view! {
            <fieldset class="form-section" lang=lang.to_string()>
                <legend>{language_label(locale, lang.as_str())}</legend>
                <Field name=title required maxlength=150 value=title_value label=label(|l| td_string!(l, newsletters.title_label)) error />
                <TextArea name=body required maxlength=20000 rows=14 value=body_value label=label(|l| td_string!(l, newsletters.body_label)) error />
            </fieldset>
        }
    })
    .collect_view();
    let id = existing.as_ref().map(|n| n.id.to_string()).unwrap_or_default();
    let published = existing.as_ref().is_some_and(Newsletter::is_published);
    let options = |pairs: Vec<(String, String)>| Signal::derive(move || pairs.clone());
    view! {
        <p class="muted">{td_string!(locale, newsletters.body_hint)}</p>
        <FormNotice error />
        <form class="form" method="post" action=SaveNewsletter::PATH>
            <LangField />
            <SiteField />
            <input type="hidden" name="id" value=id />
            <div class="form-row">
                <SelectField name="year" label=label(|l| td_string!(l, newsletters.year_label)) options=options(years) selected=year error />
                <SelectField name="quarter" label=label(|l| td_string!(l, newsletters.quarter_field)) options=options(quarters) selected=chosen_quarter error />
            </div>
            {per_language}
            <div class="form-actions">
                <button type="submit" class="button button--large">
                    {if published { td_string!(locale, newsletters.save_changes) } else { td_string!(locale, newsletters.save_draft) }}
                </button>
                {(!published).then(|| view! {
                    <button type="submit" name="publish" value="1" class="button button--secondary button--large">{td_string!(locale, newsletters.save_and_publish)}</button>
                })}
            </div>
        </form>
    }
}
