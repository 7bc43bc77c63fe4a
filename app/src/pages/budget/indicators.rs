use super::{edition_slug, EditionLinks};
use crate::api::inclusion::{
    get_indicators, get_my_answers, EditionIndicators, MyAnswers, SaveMyAnswers,
};
use crate::components::error::ErrorNotice;
use crate::components::form::{action_error, FormNotice, LangField, SelectField, SuccessNotice};
use crate::components::page_title::PageHeading;
use crate::error::AppError;
use crate::format;
use crate::i18n::*;
use crate::model::inclusion::{
    InclusionCounts, Indicator, IndicatorKey, Measured, ParticipantAnswers, AGE_BANDS,
    SMALLEST_GROUP,
};
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/{lang}/budget/{edition}/indicators`: the inclusive budgeting plan's targets beside what
/// the edition measured (a figure from fewer than five people reads "fewer than 5"), and for
/// the edition's participants a short optional form about themselves and the process.
#[component]
pub fn IndicatorsPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = edition_slug();
    let query = use_query_map();
    let indicators = Resource::new(move || (slug.get(), query.get()), |(s, _)| get_indicators(s));
    let mine = Resource::new(move || (slug.get(), query.get()), |(s, _)| get_my_answers(s));
    view! {
        <Transition fallback=move || view! { <p class="page">{t!(i18n, map.loading)}</p> }>
            {move || Suspend::new(async move {
                match (indicators.await, mine.await) {
                    (Ok(data), mine) => view! { <IndicatorsBody data mine=mine.unwrap_or_default() /> }.into_any(),
                    (Err(AppError::NotFound), _) => view! { <NotFoundPage /> }.into_any(),
                    (Err(err), _) => view! { <div class="page"><ErrorNotice error=err /></div> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// What the page shows for a measured value.
fn measured_text(l: Locale, key: IndicatorKey, m: Measured) -> String {
    match m {
        Measured::TooFew => td_string!(l, inclusion.too_few).to_owned(),
        Measured::NotYet => td_string!(l, inclusion.not_yet).to_owned(),
        Measured::Value(v) if key == IndicatorKey::Satisfaction => format::one_decimal(v, l),
        Measured::Value(v) if key == IndicatorKey::ParticipantsGrowth => {
            let sign = if v > 0.0 { "+" } else { "" };
            format!("{sign}{}", format::percent(v, l))
        }
        Measured::Value(v) => format::percent(v, l),
    }
}

fn target_text(l: Locale, i: &Indicator) -> String {
    let value = match i.key {
        IndicatorKey::Satisfaction => format::one_decimal(i.target, l),
        IndicatorKey::ParticipantsGrowth => format!("+{}", format::whole_percent(i.target, l)),
        _ => format::whole_percent(i.target, l),
    };
    format!("≥ {value}")
}

fn indicator_name(l: Locale, key: IndicatorKey) -> &'static str {
    match key {
        IndicatorKey::ParticipantsGrowth => td_string!(l, inclusion.key.participants_growth),
        IndicatorKey::RefugeesAndMigrants => td_string!(l, inclusion.key.refugees_and_migrants),
        IndicatorKey::MixedTeams => td_string!(l, inclusion.key.mixed_teams),
        IndicatorKey::Implemented => td_string!(l, inclusion.key.implemented),
        IndicatorKey::CohesionActions => td_string!(l, inclusion.key.cohesion_actions),
        IndicatorKey::Satisfaction => td_string!(l, inclusion.key.satisfaction),
        IndicatorKey::Trust => td_string!(l, inclusion.key.trust),
    }
}

/// A count of people, or "fewer than 5".
pub(super) fn people(l: Locale, n: i64) -> String {
    if n < SMALLEST_GROUP {
        td_string!(l, inclusion.too_few).to_owned()
    } else {
        format::integer(n, l)
    }
}

#[component]
fn IndicatorsBody(data: EditionIndicators, mine: MyAnswers) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let e = data.edition.clone();
    let counts = data.counts.clone();
    let answered = use_query_map().with_untracked(|q| q.get("answered").is_some());

    let previous = counts.previous.clone().map(|p| {
        td_string!(
            l,
            inclusion.previous,
            title = p.title.get(l).to_owned(),
            count = people(l, p.participants)
        )
        .to_string()
    });
    view! {
        <article class="page budget-indicators">
            {answered.then(|| view! { <SuccessNotice>{td_string!(l, inclusion.thanks)}</SuccessNotice> })}
            <PageHeading text=td_string!(l, inclusion.title, edition = e.title.get(l).to_owned()).to_string() />
            <EditionLinks slug=e.slug.clone() phase=e.phase />
            <p>{td_string!(l, inclusion.intro)}</p>
            <dl class="stats-cards">
                <div><dt>{td_string!(l, inclusion.participants)}</dt><dd>{people(l, counts.participants)}</dd></div>
                <div><dt>{td_string!(l, inclusion.proposals)}</dt><dd>{format::integer(counts.proposals, l)}</dd></div>
            </dl>
            {previous.map(|p| view! { <p>{p}</p> })}
            <IndicatorsTable counts=counts.clone() />
            <p class="muted">{td_string!(l, inclusion.privacy)}</p>
            {mine.may_answer.then(|| view! { <AboutMeForm edition=e.slug.clone() answers=mine.answers.clone().unwrap_or_default() /> })}
        </article>
    }
}

/// The participant's optional answers: a plain form, each part "not said" unless chosen.
#[component]
fn AboutMeForm(edition: String, answers: ParticipantAnswers) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let action = ServerAction::<SaveMyAnswers>::new();
    let error = action_error(action);
    let not_said = || (String::new(), td_string!(l, inclusion.not_said).to_owned());
    let options = move |values: Vec<(&str, &str)>| {
        let list: Vec<(String, String)> = std::iter::once(not_said())
            .chain(values.into_iter().map(|(v, t)| (v.to_owned(), t.to_owned())))
            .collect();
        Signal::derive(move || list.clone())
    };
    let label = |text: &'static str| Signal::derive(move || text.to_owned());
    let ages = options(AGE_BANDS.iter().map(|a| (*a, *a)).collect());
    let genders = options(vec![
        ("female", td_string!(l, inclusion.gender_female)),
        ("male", td_string!(l, inclusion.gender_male)),
        ("other", td_string!(l, inclusion.gender_other)),
    ]);
    let statuses = options(vec![
        ("resident", td_string!(l, inclusion.status_resident)),
        ("refugee", td_string!(l, inclusion.status_refugee)),
        ("migrant", td_string!(l, inclusion.status_migrant)),
        ("other", td_string!(l, inclusion.status_other)),
    ]);
    let languages = options(vec![
        ("ro", td_string!(l, inclusion.language_ro)),
        ("ru", td_string!(l, inclusion.language_ru)),
        ("uk", td_string!(l, inclusion.language_uk)),
        ("en", td_string!(l, inclusion.language_en)),
        ("other", td_string!(l, inclusion.language_other)),
    ]);
    let scale = options(vec![
        ("1", td_string!(l, inclusion.satisfaction_1)),
        ("2", "2"),
        ("3", "3"),
        ("4", "4"),
        ("5", td_string!(l, inclusion.satisfaction_5)),
    ]);
    let trust =
        options(vec![("yes", td_string!(l, inclusion.yes)), ("no", td_string!(l, inclusion.no))]);
    let chosen = |v: &Option<String>| v.clone().unwrap_or_default();
    let a = answers;
    view! {
        <section class="form-section" aria-labelledby="about-me">
            <h2 id="about-me">{td_string!(l, inclusion.about_heading)}</h2>
            <p>{td_string!(l, inclusion.about_intro)}</p>
            <ActionForm action attr:class="form">
                <LangField />
                <input type="hidden" name="edition" value=edition />
                <SelectField name="age_band" label=label(td_string!(l, inclusion.age_band)) options=ages selected=chosen(&a.age_band) error />
                <SelectField name="gender" label=label(td_string!(l, inclusion.gender)) options=genders selected=chosen(&a.gender) error />
                <SelectField name="status" label=label(td_string!(l, inclusion.status_label)) options=statuses selected=chosen(&a.status) error />
                <SelectField name="language" label=label(td_string!(l, inclusion.language)) options=languages selected=chosen(&a.language) error />
                <SelectField name="satisfaction" label=label(td_string!(l, inclusion.satisfaction)) options=scale
                    selected=a.satisfaction.map(|s| s.to_string()).unwrap_or_default() error />
                <SelectField name="trust" label=label(td_string!(l, inclusion.trust)) options=trust
                    selected=a.trust.map(|t| if t { "yes" } else { "no" }.to_owned()).unwrap_or_default() error />
                <FormNotice error />
                <button type="submit" class="button">{td_string!(l, inclusion.save)}</button>
            </ActionForm>
        </section>
    }
}

/// The plan's indicators: target, measured value and whether it is met.
#[component]
pub(super) fn IndicatorsTable(counts: InclusionCounts) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let rows = counts
        .indicators()
        .into_iter()
        .map(|i| {
            let status = match i.met() {
                Some(true) => td_string!(l, inclusion.met),
                Some(false) => td_string!(l, inclusion.not_met),
                None => "—",
            };
            view! {
                <tr>
                    <th scope="row">{indicator_name(l, i.key)}</th>
                    <td>{target_text(l, &i)}</td>
                    <td>{measured_text(l, i.key, i.measured)}</td>
                    <td class=format!("indicator indicator--{}", match i.met() { Some(true) => "met", Some(false) => "not-met", None => "unknown" })>{status}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
    <table class="data-table">
        <caption>{td_string!(l, inclusion.table_caption)}</caption>
        <thead><tr>
            <th scope="col">{td_string!(l, inclusion.indicator)}</th>
            <th scope="col">{td_string!(l, inclusion.target)}</th>
            <th scope="col">{td_string!(l, inclusion.measured)}</th>
            <th scope="col">{td_string!(l, inclusion.status)}</th>
        </tr></thead>
        <tbody>{rows}</tbody>
    </table>
    }
}
