//! Surveys for everyone: the list, a survey answered section by section (what was answered is
//! kept on the server under a cookie's random token, so that a survey left halfway is resumed,
//! without JavaScript too), and the results with small figures hidden.

use crate::error::AppError;
use crate::model::survey::{RawForm, ShownResult, Survey, SurveySummary, SurveyWriter};
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    api::auth::current_viewer,
    error::Problem,
    i18n::Locale,
    model::survey::{
        answers_so_far, filter_by, for_showing, read_sheet, results_visible, sections, tally,
        visible,
    },
    model::{Locality, Viewer},
    store::{check_rate, request_locality, services, Limit},
};

/// The cookie that holds this browser's token for its unfinished surveys.
pub const DRAFT_COOKIE: &str = "agora_survey";
/// The draft's entry for the part to resume at (answers are named `q{id}`).
pub const RESUME_AT: &str = "section";

/// A locality's surveys as the viewer may see them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SurveyList {
    pub surveys: Vec<SurveySummary>,
    /// What the viewer may write (drafts they run are listed too).
    pub writer: SurveyWriter,
    /// An administrator of the locality, who lets its NGOs write surveys or not.
    pub admin: bool,
    pub ngo_surveys: bool,
}

/// A survey's page for the viewer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyPage {
    pub survey: Survey,
    /// The viewer runs it (its staff, or its organisation's members).
    pub runs: bool,
    pub signed_in: bool,
    /// A once-per-person survey this person has answered.
    pub answered: bool,
    /// What this browser has answered so far.
    pub draft: RawForm,
    /// Results may be seen by the viewer.
    pub results_visible: bool,
}

/// A survey's results as the viewer may see them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultsPage {
    pub survey: Survey,
    /// The viewer runs it: what people wrote is shown too.
    pub runs: bool,
    /// Sheets counted (after the filter); `None`: fewer than five.
    pub responses: Option<i64>,
    /// The answer the sheets were narrowed to: (question id, option index).
    pub filter: Option<(i64, usize)>,
    pub results: Vec<ShownResult>,
}

#[server(prefix = "/api", endpoint = "surveys/list", input = GetUrl)]
pub async fn list_surveys(locality: Option<String>) -> Result<SurveyList, AppError> {
    super::reply(
        async {
            let locality = request_locality(locality.as_deref()).await?;
            let viewer = current_viewer();
            let writer = writer(&viewer, &locality).await?;
            let store = services()?.store;
            let mut surveys = store.surveys(locality.id, writer.may_write()).await?;
            surveys.retain(|s| s.published || writer.runs(s.organisation_id));
            Ok(SurveyList {
                surveys,
                writer,
                admin: viewer.is_admin(locality.id),
                ngo_surveys: store.ngo_surveys(locality.id).await?,
            })
        }
        .await,
    )
}

/// What `viewer` may write in `locality` (see [`SurveyWriter`]).
#[cfg(feature = "ssr")]
pub(crate) async fn writer(viewer: &Viewer, locality: &Locality) -> Result<SurveyWriter, AppError> {
    if viewer.is_staff_of(locality.id) {
        return Ok(SurveyWriter { staff: true, organisations: Vec::new() });
    }
    let Some(user) = viewer.user_id() else { return Ok(SurveyWriter::default()) };
    let store = services()?.store;
    if !store.ngo_surveys(locality.id).await? {
        return Ok(SurveyWriter::default());
    }
    let organisations = store
        .memberships(user)
        .await?
        .into_iter()
        .filter(|o| o.locality_id == locality.id)
        .collect();
    Ok(SurveyWriter { staff: false, organisations })
}

/// A survey of the request's locality: published ones for everyone, drafts for those who run
/// them; and whether the viewer runs it.
#[cfg(feature = "ssr")]
async fn visible_survey(
    id: i64,
    locality: &Locality,
    viewer: &Viewer,
) -> Result<(Survey, bool), AppError> {
    let survey = services()?.store.survey(id).await?;
    if survey.locality_id != locality.id {
        return Err(AppError::NotFound);
    }
    let runs = writer(viewer, locality).await?.runs(survey.organisation_id);
    if !(survey.published || runs) {
        return Err(AppError::NotFound);
    }
    Ok((survey, runs))
}

#[server(prefix = "/api", endpoint = "surveys/get", input = GetUrl)]
pub async fn get_survey(id: i64, locality: Option<String>) -> Result<SurveyPage, AppError> {
    super::reply(
        async {
            let viewer = current_viewer();
            let locality = request_locality(locality.as_deref()).await?;
            let (survey, runs) = visible_survey(id, &locality, &viewer).await?;
            let store = services()?.store;
            let answered = match viewer.user_id() {
                Some(user) => store.has_answered(id, user).await?,
                None => false,
            };
            let draft = match draft_token() {
                Some(token) => store.survey_draft(id, &token).await?.unwrap_or_default(),
                None => RawForm::new(),
            };
            Ok(SurveyPage {
                results_visible: results_visible(&survey, runs),
                runs,
                signed_in: viewer.user_id().is_some(),
                answered,
                draft,
                survey,
            })
        }
        .await,
    )
}

/// The results, optionally of the sheets whose answer to question `by` includes option
/// `option` (e.g. only the refugees'). Staff also see what was written; the public sees counts.
#[server(prefix = "/api", endpoint = "surveys/results", input = GetUrl)]
pub async fn survey_results(
    id: i64,
    by: Option<i64>,
    option: Option<usize>,
    locality: Option<String>,
) -> Result<ResultsPage, AppError> {
    super::reply(
        async {
            let viewer = current_viewer();
            let locality = request_locality(locality.as_deref()).await?;
            let (survey, runs) = visible_survey(id, &locality, &viewer).await?;
            if !results_visible(&survey, runs) {
                return Err(AppError::NotFound);
            }
            let sheets: Vec<_> =
                services()?.store.sheets(id).await?.into_iter().map(|(_, s)| s).collect();
            // Only a choice question's option narrows the sheets; anything else is refused.
            let filter = match (by, option) {
                (Some(q), Some(o)) => {
                    let valid = survey
                        .questions
                        .iter()
                        .any(|x| x.id == q && x.kind.has_options() && o < x.options.len());
                    if !valid {
                        return Err(AppError::invalid("by", Problem::Invalid));
                    }
                    Some((q, o))
                }
                (None, None) => None,
                _ => return Err(AppError::invalid("by", Problem::Invalid)),
            };
            let sheets = match filter {
                Some((q, o)) => filter_by(&sheets, q, o),
                None => sheets,
            };
            let results = tally(&survey.questions, &sheets)
                .into_iter()
                .map(|r| for_showing(r, runs))
                .collect();
            Ok(ResultsPage {
                responses: crate::model::survey::shown(sheets.len() as i64),
                runs,
                filter,
                results,
                survey,
            })
        }
        .await,
    )
}

/// One step through a survey (multipart form: `survey`, `section`, `lang`, `locality`, the
/// answers `q{id}` (several for check boxes) and `q{id}_other`, and `step`: `next`, `back`,
/// `save` (keep it for later) or `submit`). What was answered is kept after every step; a
/// section is checked before the next one is shown, and the whole sheet before it is stored.
#[server(prefix = "/api", endpoint = "surveys/answer", input = MultipartFormData)]
pub async fn answer_survey(data: MultipartData) -> Result<i64, AppError> {
    super::reply(
        async {
            let form = read_fields(data).await?;
            let one = |name: &str| form.get(name).and_then(|v| v.first()).cloned();
            let locale =
                crate::locale::parse(&one("lang").unwrap_or_default()).unwrap_or(Locale::ro);
            let id = one("survey")
                .and_then(|s| s.trim().parse::<i64>().ok())
                .ok_or(AppError::NotFound)?;
            let viewer = current_viewer();
            let locality = request_locality(one("locality").as_deref()).await?;
            let (survey, _) = visible_survey(id, &locality, &viewer).await?;
            let page = crate::paths::locality_page(&locality, locale, &format!("/surveys/{id}"));
            let result = step(&survey, &viewer, &form, &page).await;
            if let Err((err, section)) = &result {
                super::back_to_form(
                    <AnswerSurvey as leptos::server_fn::ServerFn>::PATH,
                    &format!("{page}?section={section}"),
                    err,
                    [],
                );
            }
            result.map_err(|(err, _)| err)
        }
        .await,
    )
}

/// Takes one step; a refusal says which section to show again.
#[cfg(feature = "ssr")]
async fn step(
    survey: &Survey,
    viewer: &Viewer,
    form: &RawForm,
    page: &str,
) -> Result<i64, (AppError, usize)> {
    let store = services().map_err(|e| (e, 0))?.store;
    let sections = sections(&survey.questions);
    let last = sections.len().saturating_sub(1);
    let section = form
        .get("section")
        .and_then(|v| v.first())
        .and_then(|s| s.trim().parse::<usize>().ok())
        .unwrap_or(0)
        .min(last);
    let refuse = |err: AppError| (err, section);
    if !survey.open_at(chrono::Utc::now()) {
        return Err(refuse(AppError::Conflict));
    }
    let user = viewer.user_id();
    if survey.respondents.needs_account() && user.is_none() {
        return Err(refuse(AppError::Unauthorized));
    }
    if let Some(user) =
        user.filter(|_| survey.respondents == crate::model::survey::Respondents::OncePerPerson)
    {
        if store.has_answered(survey.id, user).await.map_err(|e| refuse(e.into()))? {
            return Err(refuse(AppError::Conflict));
        }
    }
    // This section's answers replace what was kept of it.
    let token = draft_token();
    let mut draft = match &token {
        Some(t) => store.survey_draft(survey.id, t).await.map_err(|e| refuse(e.into()))?,
        None => None,
    }
    .unwrap_or_default();
    for q in survey.questions.get(sections.get(section).cloned().unwrap_or(0..0)).unwrap_or(&[]) {
        for field in [q.field(), q.other_field()] {
            draft.remove(&field);
            if let Some(values) = form.get(&field) {
                let values: Vec<String> =
                    values.iter().take(crate::model::survey::MAX_OPTIONS + 1).cloned().collect();
                draft.insert(field, values);
            }
        }
    }
    let (kept_in, token_in) = (&store, token.as_deref());
    let keep = move |mut draft: RawForm, resume_at: usize| async move {
        draft.insert(RESUME_AT.to_owned(), vec![resume_at.to_string()]);
        let kept = kept_in.keep_survey_draft(survey.id, token_in, &draft).await?;
        if token_in != Some(kept.as_str()) {
            set_draft_cookie(&kept)?;
        }
        Ok::<_, AppError>(())
    };
    let step = form.get("step").and_then(|v| v.first()).map_or("next", String::as_str);
    // Sections where something is shown, given the answers so far.
    let so_far = answers_so_far(&survey.questions, &draft);
    let shown = visible(&survey.questions, &so_far);
    let has_shown =
        |n: usize| survey.questions[sections[n].clone()].iter().any(|q| shown.contains(&q.id));
    let section_problems = |n: usize| -> Vec<crate::error::FieldError> {
        let fields: Vec<String> =
            survey.questions[sections[n].clone()].iter().map(|q| q.field()).collect();
        read_sheet(&survey.questions, &draft)
            .err()
            .unwrap_or_default()
            .into_iter()
            .filter(|p| fields.contains(&p.field))
            .collect()
    };
    match step {
        "back" => {
            let previous = (0..section).rev().find(|n| has_shown(*n)).unwrap_or(0);
            keep(draft, previous).await.map_err(refuse)?;
            super::redirect(&format!("{page}?section={previous}"));
            Ok(0)
        }
        "save" => {
            keep(draft, section).await.map_err(refuse)?;
            super::redirect(&format!("{page}?section={section}&saved=1"));
            Ok(0)
        }
        "next" if section < last => {
            let problems = section_problems(section);
            let next = (section + 1..=last).find(|n| has_shown(*n)).unwrap_or(last);
            keep(draft, if problems.is_empty() { next } else { section }).await.map_err(refuse)?;
            if !problems.is_empty() {
                return Err(refuse(AppError::Validation(problems)));
            }
            super::redirect(&format!("{page}?section={next}"));
            Ok(0)
        }
        _ => match read_sheet(&survey.questions, &draft) {
            Err(problems) => {
                let first =
                    (0..=last).find(|n| !section_problems(*n).is_empty()).unwrap_or(section);
                keep(draft, first).await.map_err(refuse)?;
                Err((AppError::Validation(problems), first))
            }
            Ok(sheet) => {
                check_rate(Limit::VotePoll, None).await.map_err(refuse)?;
                let lang = form.get("lang").and_then(|v| v.first()).cloned().unwrap_or_default();
                let lang = crate::locale::parse(&lang).unwrap_or(Locale::ro).to_string();
                let id = store
                    .submit_sheet(survey, user, &lang, &sheet, token.as_deref())
                    .await
                    .map_err(|e| refuse(e.into()))?;
                super::redirect(&format!("{page}?answered=1"));
                Ok(id)
            }
        },
    }
}

/// This browser's token for its unfinished surveys, from its cookie.
#[cfg(feature = "ssr")]
fn draft_token() -> Option<String> {
    let value = super::auth::server_side::read_cookie(DRAFT_COOKIE)?;
    (!value.is_empty() && value.len() <= 64).then_some(value)
}

#[cfg(feature = "ssr")]
fn set_draft_cookie(token: &str) -> Result<(), AppError> {
    use super::auth::server_side::{secure_cookies, set_cookie};
    let secure = if secure_cookies()? { "; Secure" } else { "" };
    // As long as drafts are kept (30 days); HttpOnly: no script needs it.
    set_cookie(&format!(
        "{DRAFT_COOKIE}={token}; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax{secure}"
    ));
    Ok(())
}

/// A multipart form without files, read whole: every value of every field, in order.
#[cfg(feature = "ssr")]
pub(crate) async fn read_fields(data: MultipartData) -> Result<RawForm, AppError> {
    let malformed = |_| AppError::Validation(Vec::new());
    let Some(mut multipart) = data.into_inner() else { return Err(AppError::Internal) };
    let mut form = RawForm::new();
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        if field.file_name().is_some() {
            return Err(AppError::invalid(&name, Problem::Invalid));
        }
        let value = field.text().await.map_err(malformed)?;
        form.entry(name).or_default().push(value);
    }
    Ok(form)
}
