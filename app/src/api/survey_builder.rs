//! Staff write a survey: one multipart form with the survey's texts, dates and rules and a slot
//! per question (`s{n}_…`, blank slots left out), kept as a draft until published; then its
//! results are shown to the public or not.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use crate::{
    api::auth::require_user,
    error::Problem,
    i18n::Locale,
    model::input::{self, Fields},
    model::survey::{
        QuestionDraft, QuestionKind, RawForm, Respondents, SurveyDraft, MAX_QUESTIONS,
    },
    model::Localized,
    store::{request_locality, services},
};

/// The languages of a survey's texts, Romanian first (required).
pub const LANGS: [&str; 4] = ["ro", "ru", "uk", "en"];

/// Stores a new survey or changes a draft (multipart form: `survey_id` (empty for a new one),
/// `title_{lang}`, `intro_{lang}`, `opens`, `closes` (city time), `respondents`, `anonymous`,
/// and per question slot `n`: `s{n}_section_{lang}`, `s{n}_prompt_{lang}`, `s{n}_help_{lang}`,
/// `s{n}_kind`, `s{n}_options_{lang}` (one option per line), `s{n}_other`, `s{n}_required`,
/// `s{n}_show_if` ("question.option", both counted from 1), `s{n}_remove`). Staff; where the
/// locality allows it, an organisation's members too (`organisation` names it for a new survey;
/// they change only their organisations' surveys).
#[server(prefix = "/api", endpoint = "surveys/save", input = MultipartFormData)]
pub async fn save_survey(data: MultipartData) -> Result<i64, AppError> {
    super::reply(
        async {
            let form = super::surveys::read_fields(data).await?;
            let one =
                |name: &str| form.get(name).and_then(|v| v.first()).cloned().unwrap_or_default();
            let locale = crate::locale::parse(&one("lang")).unwrap_or(Locale::ro);
            let (viewer, _) = require_user()?;
            let locality = request_locality(Some(one("locality").as_str())).await?;
            let writer = super::surveys::writer(&viewer, &locality).await?;
            if !writer.may_write() {
                return Err(AppError::Forbidden);
            }
            let id = match one("survey_id").trim() {
                "" => None,
                s => Some(s.parse::<i64>().map_err(|_| AppError::NotFound)?),
            };
            // A survey keeps the organisation it was written for; a new one is the city
            // hall's when staff write it, else the organisation its member names.
            let organisation_id = match id {
                Some(id) => {
                    let stored = services()?.store.survey(id).await?;
                    if stored.locality_id != locality.id {
                        return Err(AppError::NotFound);
                    }
                    if !writer.runs(stored.organisation_id) {
                        return Err(AppError::Forbidden);
                    }
                    stored.organisation_id
                }
                None if writer.staff => None,
                None => {
                    let named = one("organisation").trim().parse::<i64>().ok();
                    match named.filter(|o| writer.organisations.iter().any(|x| x.id == *o)) {
                        Some(o) => Some(o),
                        None => return Err(AppError::Forbidden),
                    }
                }
            };
            let editor = match id {
                Some(id) => format!("/surveys/{id}/edit"),
                None => "/surveys/new".to_owned(),
            };
            let editor = crate::paths::locality_page(&locality, locale, &editor);
            let result = async {
                let mut draft = read_draft(&form, locality.id)?;
                draft.organisation_id = organisation_id;
                let saved = services()?.store.save_survey(&viewer, id, &draft).await?;
                let page = format!("/surveys/{saved}/edit?saved=1");
                super::redirect(&crate::paths::locality_page(&locality, locale, &page));
                Ok(saved)
            }
            .await;
            if let Err(err) = &result {
                // What was typed goes back in the address while it fits one.
                let size: usize =
                    form.iter().flat_map(|(k, v)| v.iter().map(move |v| k.len() + v.len())).sum();
                let typed: Vec<(&str, &str)> = if size < 6_000 {
                    form.iter()
                        .filter(|(k, _)| *k != "lang" && *k != "locality")
                        .filter_map(|(k, v)| Some((k.as_str(), v.first()?.as_str())))
                        .collect()
                } else {
                    Vec::new()
                };
                super::back_to_form(
                    <SaveSurvey as leptos::server_fn::ServerFn>::PATH,
                    &editor,
                    err,
                    typed,
                );
            }
            result
        }
        .await,
    )
}

/// Reads and checks the builder's form: every problem at once, on the slot's fields.
#[cfg(feature = "ssr")]
fn read_draft(form: &RawForm, locality_id: i64) -> Result<SurveyDraft, AppError> {
    let one = |name: &str| form.get(name).and_then(|v| v.first()).map_or("", String::as_str);
    let texts = |prefix: &str| LANGS.map(|l| one(&format!("{prefix}_{l}")).to_owned());
    let mut fields = Fields::default();
    let [ro, ru, uk, en] = texts("title");
    let title = input::localized(&mut fields, "title", [&ro, &ru, &uk, &en], (3, 150), false);
    let [ro, ru, uk, en] = texts("intro");
    let intro = input::localized(&mut fields, "intro", [&ro, &ru, &uk, &en], (0, 3000), true);
    let opens_at = fields.check(input::city_datetime("opens", one("opens")));
    let closes_at = fields.check(input::city_datetime("closes", one("closes")));
    let respondents = Respondents::parse(one("respondents").trim());
    if respondents.is_none() {
        fields.push("respondents", Problem::Invalid);
    }
    // The slots in order; `slots[k]` is the slot number of the k-th question kept.
    let mut slots: Vec<usize> = Vec::new();
    let mut questions: Vec<QuestionDraft> = Vec::new();
    let mut conditions: Vec<(usize, String)> = Vec::new();
    for n in 0..MAX_QUESTIONS * 2 {
        let name = |f: &str| format!("s{n}_{f}");
        if one(&name("kind")).is_empty() {
            continue;
        }
        let prompt_ro = one(&name("prompt_ro")).trim();
        if one(&name("remove")) == "on" || prompt_ro.is_empty() {
            continue; // removed, or a blank slot
        }
        let mut localized = |f: &str, (min, max): (usize, usize), multiline| {
            let [ro, ru, uk, en] = texts(&name(f));
            input::localized(&mut fields, &name(f), [&ro, &ru, &uk, &en], (min, max), multiline)
        };
        let section = localized("section", (0, 150), false);
        let prompt = localized("prompt", (3, 400), true);
        let help = localized("help", (0, 400), false);
        let kind = QuestionKind::parse(one(&name("kind")).trim()).unwrap_or_else(|| {
            fields.push(&name("kind"), Problem::Invalid);
            QuestionKind::ShortText
        });
        let options = if kind.has_options() {
            let lines = |l: &str| -> Vec<String> {
                one(&name(&format!("options_{l}"))).lines().map(|s| s.trim().to_owned()).collect()
            };
            let ro: Vec<String> = lines("ro").into_iter().filter(|s| !s.is_empty()).collect();
            let [ru, uk, en] = ["ru", "uk", "en"].map(lines);
            if ro.iter().any(|o| o.chars().count() > 200) {
                fields.push(&name("options_ro"), Problem::TooLong);
            }
            let at = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
            ro.iter()
                .enumerate()
                .map(|(i, o)| Localized {
                    ro: o.clone(),
                    ru: at(&ru, i),
                    uk: at(&uk, i),
                    en: at(&en, i),
                })
                .collect()
        } else {
            Vec::new()
        };
        let flag = |f: &str| one(&name(f)) == "on";
        conditions.push((questions.len(), one(&name("show_if")).trim().to_owned()));
        questions.push(QuestionDraft {
            section,
            prompt,
            help,
            kind,
            options,
            other: kind.has_options() && flag("other"),
            required: flag("required"),
            show_if: None,
        });
        slots.push(n);
    }
    // "3.2": the third question as numbered on the form (its slot), its second option.
    for (position, condition) in conditions {
        if condition.is_empty() {
            continue;
        }
        let parsed = condition.split_once('.').and_then(|(q, o)| {
            let slot = q.trim().parse::<usize>().ok()?.checked_sub(1)?;
            let option = o.trim().parse::<usize>().ok()?.checked_sub(1)?;
            Some((slots.iter().position(|s| *s == slot)?, option))
        });
        match parsed {
            Some(c) => questions[position].show_if = Some(c),
            None => fields.push(&format!("s{}_show_if", slots[position]), Problem::Invalid),
        }
    }
    let (Some(opens_at), Some(closes_at), Some(respondents)) = (opens_at, closes_at, respondents)
    else {
        fields.finish()?;
        return Err(AppError::Internal);
    };
    let draft = SurveyDraft {
        locality_id,
        title,
        intro,
        opens_at,
        closes_at,
        respondents,
        anonymous: one("anonymous") == "on",
        // Set by the caller, which knows who writes it.
        organisation_id: None,
        questions,
    };
    // The draft's own checks name questions by position: put them on the slots' fields.
    for problem in draft.check() {
        let field = match problem.field.strip_prefix('q').and_then(|rest| rest.split_once('_')) {
            Some((position, what)) => {
                match position.parse::<usize>().ok().and_then(|p| slots.get(p)) {
                    Some(slot) => format!("s{slot}_{what}"),
                    None => problem.field.clone(),
                }
            }
            None => problem.field.clone(),
        };
        fields.push(&field, problem.problem);
    }
    fields.finish()?;
    Ok(draft)
}

/// Publishes a draft survey: it takes answers between its dates. Those who run it.
#[server(prefix = "/api", endpoint = "surveys/publish")]
pub async fn publish_survey(
    id: String,
    lang: String,
    locality: Option<String>,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, survey, locality) = survey_run_by_viewer(&id, locality.as_deref()).await?;
            services()?.store.publish_survey(&viewer, survey).await?;
            let locale = crate::locale::parse(&lang).unwrap_or(Locale::ro);
            let page = format!("/surveys/{survey}?published=1");
            super::redirect(&crate::paths::locality_page(&locality, locale, &page));
            Ok(())
        }
        .await,
    )
}

/// Shows (`public=true`) or hides the results of a survey to the public. Those who run it.
#[server(prefix = "/api", endpoint = "surveys/results-public")]
pub async fn set_survey_results_public(
    id: String,
    public: String,
    lang: String,
    locality: Option<String>,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, survey, locality) = survey_run_by_viewer(&id, locality.as_deref()).await?;
            let public = match public.trim() {
                "true" => true,
                "false" => false,
                _ => return Err(AppError::invalid("public", Problem::Invalid)),
            };
            services()?.store.set_results_public(&viewer, survey, public).await?;
            let locale = crate::locale::parse(&lang).unwrap_or(Locale::ro);
            let page = format!("/surveys/{survey}/results");
            super::redirect(&crate::paths::locality_page(&locality, locale, &page));
            Ok(())
        }
        .await,
    )
}

/// The viewer, who runs the survey `id` of the request's locality, the id and the locality.
#[cfg(feature = "ssr")]
async fn survey_run_by_viewer(
    id: &str,
    locality: Option<&str>,
) -> Result<(crate::model::Viewer, i64, crate::model::Locality), AppError> {
    let (viewer, _) = require_user()?;
    let locality = request_locality(locality).await?;
    let writer = super::surveys::writer(&viewer, &locality).await?;
    if !writer.may_write() {
        return Err(AppError::Forbidden);
    }
    let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
    let survey = services()?.store.survey(id).await?;
    if survey.locality_id != locality.id {
        return Err(AppError::NotFound);
    }
    if !writer.runs(survey.organisation_id) {
        return Err(AppError::Forbidden);
    }
    Ok((viewer, id, locality))
}

/// Lets the locality's NGO network's organisations write surveys (`allowed=true`) or not.
/// Its administrators only.
#[server(prefix = "/api", endpoint = "surveys/ngo-setting")]
pub async fn set_ngo_surveys(
    allowed: String,
    lang: String,
    locality: Option<String>,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            let locality = request_locality(locality.as_deref()).await?;
            if !viewer.is_admin(locality.id) {
                return Err(AppError::Forbidden);
            }
            let allowed = match allowed.trim() {
                "true" => true,
                "false" => false,
                _ => return Err(AppError::invalid("allowed", Problem::Invalid)),
            };
            services()?.store.set_ngo_surveys(&viewer, locality.id, allowed).await?;
            let locale = crate::locale::parse(&lang).unwrap_or(Locale::ro);
            super::redirect(&crate::paths::locality_page(&locality, locale, "/surveys"));
            Ok(())
        }
        .await,
    )
}
