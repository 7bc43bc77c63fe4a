//! Staff setting up the civic budget: a new edition (titles in four languages, the dates its
//! six phases start), changes to it, its budgets, and budgets imported from a Pabulib `.pb`
//! file (paper counts, recounts, past editions). Every form works as a plain HTML post.

// A server function mirrors its HTML form, one argument per field.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use crate::{
    api::auth::require_user,
    api::budget::budget_locality,
    error::{FieldError, Problem},
    model::budget::{BallotRule, OutcomeRule},
    model::budget_setup::{EditionSetup, NewBudget, MAX_PABULIB_BYTES, RESERVED_SLUGS},
    model::civic_budget::{EditionSummary, PhaseDates},
    model::input::{self, Fields},
    model::{Localized, Viewer},
    store::services,
};

/// The edition form's fields, in the phases' order, that come back to it after a refusal.
pub const PHASE_FIELDS: [&str; 6] = [
    "information_from",
    "proposals_from",
    "review_from",
    "voting_from",
    "results_from",
    "implementation_from",
];

/// The highest minimum voting age an edition may set.
pub const MAX_VOTER_AGE: u8 = 30;

/// The longest edition title or budget name.
pub const NAME_MAX_CHARS: usize = 120;

/// The largest amount a budget may have, in lei (a thousand times Bălți's 2026 civic budget).
pub const MAX_AMOUNT: u64 = 2_000_000_000;

/// Staff of the site's locality, who may set up its civic budget.
#[cfg(feature = "ssr")]
async fn require_budget_staff() -> Result<(Viewer, i64), AppError> {
    let (viewer, _) = require_user()?;
    let locality = budget_locality().await?;
    if viewer.is_staff_of(locality) {
        Ok((viewer, locality))
    } else {
        Err(AppError::Forbidden)
    }
}

/// The edition `edition_id` when the viewer is staff of its locality.
#[cfg(feature = "ssr")]
async fn staff_edition(edition_id: i64) -> Result<(Viewer, EditionSummary), AppError> {
    let (viewer, _) = require_user()?;
    let edition = services()?.store.edition_by_id(edition_id).await?.edition;
    if viewer.is_staff_of(edition.locality_id) {
        Ok((viewer, edition))
    } else {
        Err(AppError::Forbidden)
    }
}

/// The address of an edition's setup page (looked up before any write).
#[cfg(feature = "ssr")]
async fn setup_page(lang: &str, locality_id: i64, slug: &str) -> Result<String, AppError> {
    let locality = services()?.store.locality(locality_id).await?;
    let locale = crate::locale::parse(lang).unwrap_or(crate::i18n::Locale::ro);
    Ok(crate::paths::locality_page(&locality, locale, &format!("/budget/{slug}/setup")))
}

/// Titles: Romanian required, the other languages optional (they fall back to Romanian).
#[cfg(feature = "ssr")]
fn read_names(fields: &mut Fields, prefix: &str, texts: [&str; 4]) -> Localized {
    let ro = fields.check(input::line(&format!("{prefix}_ro"), texts[0], 3, NAME_MAX_CHARS));
    let mut other = |lang: &str, value: &str| {
        fields
            .check(input::optional_text(&format!("{prefix}_{lang}"), Some(value), NAME_MAX_CHARS))
            .flatten()
            .map(|v| v.replace(['\r', '\n'], " "))
            .unwrap_or_default()
    };
    let (ru, uk, en) = (other("ru", texts[1]), other("uk", texts[2]), other("en", texts[3]));
    Localized { ro: ro.unwrap_or_default(), ru, uk, en }
}

/// The six phases' start dates: each required, each no earlier than the one before.
#[cfg(feature = "ssr")]
fn read_dates(fields: &mut Fields, values: [&str; 6]) -> Option<PhaseDates> {
    let dates: Vec<_> = PHASE_FIELDS
        .iter()
        .zip(values)
        .map(|(field, value)| fields.check(input::city_datetime(field, value)))
        .collect();
    let dates: [chrono::DateTime<chrono::Utc>; 6] =
        dates.into_iter().collect::<Option<Vec<_>>>()?.try_into().ok()?;
    // The first phase that starts before the one it follows is the one to correct.
    if let Some(n) = dates.windows(2).position(|w| w[1] < w[0]) {
        fields.push(PHASE_FIELDS[n + 1], Problem::Invalid);
        return None;
    }
    Some(PhaseDates(dates))
}

/// Staff: a new edition (`edition_id` empty) or new titles and dates for one.
#[server(prefix = "/api", endpoint = "budget/edition/save")]
pub async fn save_edition(
    edition_id: Option<i64>,
    slug: Option<String>,
    title_ro: String,
    title_ru: String,
    title_uk: String,
    title_en: String,
    information_from: String,
    proposals_from: String,
    review_from: String,
    voting_from: String,
    results_from: String,
    implementation_from: String,
    min_voter_age: Option<String>,
    lang: String,
) -> Result<i64, AppError> {
    super::reply(
        async {
            let store = services()?.store;
            let (viewer, locality, existing) = match edition_id {
                Some(id) => {
                    let (viewer, edition) = staff_edition(id).await?;
                    (viewer, edition.locality_id, Some(edition))
                }
                None => {
                    let (viewer, locality) = require_budget_staff().await?;
                    (viewer, locality, None)
                }
            };
            let mut fields = Fields::default();
            let slug = match &existing {
                Some(edition) => Some(edition.slug.clone()),
                None => {
                    let slug = fields.check(input::slug("slug", slug.as_deref().unwrap_or("")));
                    if slug.as_deref().is_some_and(|s| RESERVED_SLUGS.contains(&s)) {
                        fields.push("slug", Problem::Taken);
                    }
                    slug
                }
            };
            let title =
                read_names(&mut fields, "title", [&title_ro, &title_ru, &title_uk, &title_en]);
            let dates = read_dates(
                &mut fields,
                [
                    &information_from,
                    &proposals_from,
                    &review_from,
                    &voting_from,
                    &results_from,
                    &implementation_from,
                ],
            );
            // Absent (a script's call): what the edition had, or no age condition.
            let min_voter_age = match min_voter_age.as_deref().map(str::trim) {
                None | Some("") => existing.as_ref().map_or(0, |e| e.min_voter_age),
                Some(age) => match age.parse::<u8>() {
                    Ok(age) if age <= MAX_VOTER_AGE => age,
                    _ => {
                        fields.push("min_voter_age", Problem::Invalid);
                        0
                    }
                },
            };
            fields.finish()?;
            let (Some(slug), Some(dates)) = (slug, dates) else { return Err(AppError::Internal) };
            let page = setup_page(&lang, locality, &slug).await?;
            let setup = EditionSetup { slug, title, dates, min_voter_age };
            let id = match existing {
                Some(edition) => {
                    store.update_edition(&viewer, edition.id, &setup).await?;
                    edition.id
                }
                None => store.create_edition(&viewer, locality, &setup).await?,
            };
            super::redirect(&format!("{page}?saved=1"));
            Ok(id)
        }
        .await,
    )
}

/// A whole number of at most `max`, digits grouped or not; `None` when empty.
#[cfg(feature = "ssr")]
fn whole(fields: &mut Fields, field: &str, value: &str, max: u64) -> Option<u64> {
    let digits = value.trim().replace([' ', '\u{a0}', '.', ','], "");
    if digits.is_empty() {
        return None;
    }
    let n = digits.parse::<u64>().ok().filter(|n| *n <= max);
    if n.is_none() {
        fields.push(field, Problem::Invalid);
    }
    n
}

/// Staff: a budget for an edition still taking proposals.
#[server(prefix = "/api", endpoint = "budget/budget/add")]
pub async fn add_budget(
    edition_id: i64,
    name_ro: String,
    name_ru: String,
    name_uk: String,
    name_en: String,
    amount: String,
    ballot_rule: String,
    min_share_percent: Option<String>,
    min_projects: Option<String>,
    max_projects: Option<String>,
    outcome_rule: String,
    lang: String,
) -> Result<i64, AppError> {
    super::reply(
        async {
            let (viewer, edition) = staff_edition(edition_id).await?;
            let mut fields = Fields::default();
            let name = read_names(&mut fields, "name", [&name_ro, &name_ru, &name_uk, &name_en]);
            let amount = if amount.trim().is_empty() {
                fields.push("amount", Problem::Required);
                None
            } else {
                match whole(&mut fields, "amount", &amount, MAX_AMOUNT) {
                    Some(0) => {
                        fields.push("amount", Problem::Invalid);
                        None
                    }
                    other => other,
                }
            };
            let count = |fields: &mut Fields, field: &str, value: &Option<String>| {
                whole(fields, field, value.as_deref().unwrap_or(""), 1000)
                    .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
            };
            let rule = match ballot_rule.as_str() {
                "knapsack" => {
                    let share = count(&mut fields, "min_share_percent", &min_share_percent);
                    if share.is_some_and(|s| s > 100) {
                        fields.push("min_share_percent", Problem::Invalid);
                    }
                    let share = u8::try_from(share.unwrap_or(0).min(100)).unwrap_or(0);
                    Some(BallotRule::Knapsack { min_share_percent: share })
                }
                "approval" => {
                    let min = count(&mut fields, "min_projects", &min_projects).unwrap_or(1);
                    let max = count(&mut fields, "max_projects", &max_projects);
                    match max {
                        None => fields.push("max_projects", Problem::Required),
                        Some(max) if min == 0 || max < min => {
                            fields.push("max_projects", Problem::Invalid)
                        }
                        Some(_) => {}
                    }
                    max.map(|max| BallotRule::Approval { min_projects: min, max_projects: max })
                }
                _ => {
                    fields.push("ballot_rule", Problem::Invalid);
                    None
                }
            };
            let outcome = OutcomeRule::parse(&outcome_rule);
            if outcome.is_none() {
                fields.push("outcome_rule", Problem::Invalid);
            }
            fields.finish()?;
            let (Some(amount), Some(ballot_rule), Some(outcome_rule)) = (amount, rule, outcome)
            else {
                return Err(AppError::Internal);
            };
            let page = setup_page(&lang, edition.locality_id, &edition.slug).await?;
            let budget = NewBudget { edition_id, name, amount, ballot_rule, outcome_rule };
            let id = services()?.store.add_budget(&viewer, &budget).await?;
            super::redirect(&format!("{page}?budget_added=1"));
            Ok(id)
        }
        .await,
    )
}

/// The import form's text fields that come back to it after a refusal.
pub const IMPORT_FORM_FIELDS: [&str; 1] = ["name"];

/// Staff: a budget read from a Pabulib file (multipart form: `edition_id`, `name` optional,
/// `lang`, `file`). A file that cannot be read is refused with the line at fault.
#[server(prefix = "/api", endpoint = "budget/import", input = MultipartFormData)]
pub async fn import_pabulib(data: MultipartData) -> Result<i64, AppError> {
    super::reply(
        async {
            let form = super::upload::read_upload(data, "file", MAX_PABULIB_BYTES).await?;
            let edition_id = form
                .get("edition_id")
                .trim()
                .parse::<i64>()
                .map_err(|_| AppError::invalid("edition_id", Problem::Invalid))?;
            let (viewer, edition) = staff_edition(edition_id).await?;
            let page = setup_page(form.get("lang"), edition.locality_id, &edition.slug).await?;
            let result = import_from(&viewer, &edition, &form, &page).await;
            if let Err((err, refusal)) = &result {
                let mut typed: Vec<(&str, String)> = form
                    .fields()
                    .filter(|(k, _)| IMPORT_FORM_FIELDS.contains(k))
                    .map(|(k, v)| (k, v.to_owned()))
                    .collect();
                if let Some(r) = refusal {
                    typed.push(("line", r.line.to_string()));
                    typed.push(("detail", r.detail.chars().take(300).collect()));
                }
                super::back_to_form(
                    <ImportPabulib as leptos::server_fn::ServerFn>::PATH,
                    &page,
                    err,
                    typed.iter().map(|(k, v)| (*k, v.as_str())),
                );
            }
            result.map_err(|(err, _)| err)
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn import_from(
    viewer: &Viewer,
    edition: &EditionSummary,
    form: &super::upload::UploadForm,
    page: &str,
) -> Result<i64, (AppError, Option<crate::model::budget_setup::ImportRefusal>)> {
    let invalid = |problem| (AppError::Validation(vec![FieldError::new("file", problem)]), None);
    if form.too_large {
        return Err(invalid(Problem::FileTooLarge));
    }
    let [file] = form.files.as_slice() else {
        return Err(invalid(if form.files.is_empty() {
            Problem::Required
        } else {
            Problem::Invalid
        }));
    };
    let Ok(text) = std::str::from_utf8(file) else {
        return Err(invalid(Problem::UnreadableFile));
    };
    let name = form.get("name").trim();
    let mut fields = Fields::default();
    if !name.is_empty() {
        fields.check(input::line("name", name, 3, NAME_MAX_CHARS));
    }
    fields.finish().map_err(|e| (e, None))?;
    let store = services().map_err(|e| (e, None))?.store;
    let imported = store
        .import_pabulib(viewer, edition.id, (!name.is_empty()).then_some(name), text)
        .await
        .map_err(|e| (e.into(), None))?;
    match imported {
        Ok(budget_id) => {
            super::redirect(&format!("{page}?imported={budget_id}"));
            Ok(budget_id)
        }
        Err(refusal) => {
            tracing::info!(line = refusal.line, detail = %refusal.detail, "refused a Pabulib import");
            Err((
                AppError::Validation(vec![FieldError::new("file", Problem::UnreadableFile)]),
                Some(refusal),
            ))
        }
    }
}
