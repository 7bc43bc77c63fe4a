//! `/{lang}/surveys`: the locality's surveys, open ones first; staff also see drafts and write
//! new ones here.

use super::Stage;
use crate::api::survey_builder::SetNgoSurveys;
use crate::api::surveys::list_surveys;
use crate::components::error::ErrorNotice;
use crate::components::form::{LangField, SiteField};
use crate::components::localized::LocalizedText;
use crate::components::page_title::PageHeading;
use crate::format;
use crate::i18n::*;
use crate::model::survey::SurveySummary;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

#[component]
pub fn SurveysPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let surveys = Resource::new(|| (), |_| list_surveys(None));
    view! {
        <div class="page">
            <PageHeading text=td_string!(locale, surveys.title) />
            <p>{td_string!(locale, surveys.intro)}</p>
            <Transition fallback=move || view! { <p>{td_string!(locale, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    match surveys.await {
                        Ok(list) => {
                            let staff = list.writer.may_write();
                            let setting = list.admin.then(|| view! { <NgoSetting allowed=list.ngo_surveys /> });
                            let (open, rest): (Vec<SurveySummary>, Vec<SurveySummary>) = list
                                .surveys
                                .into_iter()
                                .partition(|s| matches!(Stage::of_summary(s), Stage::Open | Stage::Upcoming));
                            view! {
                                {staff.then(|| view! {
                                    <p><a class="button" href=crate::paths::page(locale, "/surveys/new")>{td_string!(locale, surveys.create)}</a></p>
                                })}
                                {setting}
                                <section aria-labelledby="open-surveys">
                                    <h2 id="open-surveys">{td_string!(locale, surveys.open_list)}</h2>
                                    <SurveyCards surveys=open />
                                </section>
                                <section aria-labelledby="other-surveys">
                                    <h2 id="other-surveys">{td_string!(locale, surveys.other_list)}</h2>
                                    <SurveyCards surveys=rest />
                                </section>
                            }
                            .into_any()
                        }
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

/// The administrators' switch: may the NGO network's organisations write surveys here?
#[component]
fn NgoSetting(allowed: bool) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    view! {
        <form method="post" action=SetNgoSurveys::PATH class="notice">
            <input type="hidden" name="allowed" value=(!allowed).to_string() />
            <LangField />
            <SiteField />
            <p>{if allowed { td_string!(locale, surveys.ngo_allowed) } else { td_string!(locale, surveys.ngo_forbidden) }}</p>
            <button type="submit" class="button button--secondary">
                {if allowed { td_string!(locale, surveys.forbid_ngo) } else { td_string!(locale, surveys.allow_ngo) }}
            </button>
        </form>
    }
}

#[component]
fn SurveyCards(surveys: Vec<SurveySummary>) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    if surveys.is_empty() {
        return view! { <p class="empty">{td_string!(locale, surveys.none)}</p> }.into_any();
    }
    view! {
        <ol class="report-list">
            {surveys.into_iter().map(|s| {
                let stage = Stage::of_summary(&s);
                let page = crate::paths::page(locale, &format!("/surveys/{}", s.id));
                let results = s.results_public.then(|| crate::paths::page(locale, &format!("/surveys/{}/results", s.id)));
                view! {
                    <li class="report-card">
                        <a class="report-card__title" href=page><LocalizedText text=s.title.clone() /></a>
                        <div class="report-card__meta">
                            <span class=stage.class()>{stage.label(locale)}</span>
                            <span>{format!("{} – {}", format::date(format::local_date(s.opens_at), locale), format::date(format::local_date(s.closes_at), locale))}</span>
                            <span>{td_string!(locale, surveys.question_count, count = s.questions).to_string()}</span>
                            <span>{td_string!(locale, surveys.answer_count, count = s.responses).to_string()}</span>
                            {results.map(|href| view! { <a href=href>{td_string!(locale, surveys.see_results)}</a> })}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}
