//! The civic budget: editions, proposing, staff review and phases, ballots, paper ballots and
//! results. Every form works as a plain HTML post; each function answers with a redirect to
//! the page it came from.

// A server function mirrors its HTML form, one argument per field.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::civic_budget::{
    BallotChange, BallotState, BudgetResults, EditionDetail, EditionSummary,
};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    api::auth::{current_viewer, require_user},
    error::Problem,
    model::civic_budget::{refusal_query, Phase, ProposalStatus},
    model::input::{self, Fields},
    model::Viewer,
    notices::budget::{ballot_receipt, BallotContext},
    store::{services, PaperBallot, ProposalReview},
};

/// The locality whose civic budget a page is about: the site the request is for.
#[cfg(feature = "ssr")]
pub(super) async fn budget_locality() -> Result<i64, AppError> {
    Ok(crate::store::request_locality(None).await?.id)
}

#[cfg(feature = "ssr")]
fn locale_of(lang: &str) -> crate::i18n::Locale {
    crate::locale::parse(lang).unwrap_or(crate::i18n::Locale::ro)
}

/// The address of `edition`'s page on its locality's own site, in `lang`. Looked up before
/// any write, so that nothing can fail after a change was saved.
#[cfg(feature = "ssr")]
pub(crate) async fn edition_page(lang: &str, edition: &EditionSummary) -> Result<String, AppError> {
    let locality = services()?.store.locality(edition.locality_id).await?;
    let rest = format!("/budget/{}", edition.slug);
    Ok(crate::paths::locality_page(&locality, locale_of(lang), &rest))
}

/// Staff of the edition's locality, or `Forbidden`.
#[cfg(feature = "ssr")]
fn require_staff(viewer: &Viewer, edition: &EditionSummary) -> Result<(), AppError> {
    if viewer.is_staff_of(edition.locality_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[server(prefix = "/api", endpoint = "budget/editions", input = GetUrl)]
pub async fn list_editions() -> Result<Vec<EditionSummary>, AppError> {
    super::reply(
        async {
            let locality = budget_locality().await?;
            Ok(services()?.store.editions(locality).await?)
        }
        .await,
    )
}

/// An edition as the viewer may see it: drafts only for their authors, and what they may do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditionView {
    pub detail: EditionDetail,
    pub signed_in: bool,
    pub viewer_id: Option<i64>,
    pub can_manage: bool,
    pub my_ballots: Vec<BallotState>,
    /// Whether proposing and voting are open now.
    pub proposing_open: bool,
    pub voting_open: bool,
    /// The locality's departments, for staff assigning funded projects (else empty).
    pub departments: Vec<crate::model::admin::Department>,
}

#[server(prefix = "/api", endpoint = "budget/edition", input = GetUrl)]
pub async fn get_edition(slug: String) -> Result<EditionView, AppError> {
    super::reply(
        async {
            let viewer = current_viewer();
            let store = services()?.store;
            let locality = budget_locality().await?;
            let mut detail = store.edition(locality, &slug).await?;
            let can_manage = viewer.is_staff_of(detail.edition.locality_id);
            let me = viewer.user_id();
            detail.proposals.retain(|p| {
                p.status != ProposalStatus::Draft || (me.is_some() && p.author_id == me)
            });
            // Votes are counted in public once the results are out.
            if detail.edition.phase < Phase::Results && !can_manage {
                detail.proposals.iter_mut().for_each(|p| p.votes = 0);
            }
            let my_ballots = match me {
                Some(user) => store.my_ballots(detail.edition.id, user).await?,
                None => Vec::new(),
            };
            let departments = if can_manage && detail.edition.phase == Phase::Implementation {
                store.departments(detail.edition.locality_id).await?
            } else {
                Vec::new()
            };
            let at = chrono::Utc::now();
            Ok(EditionView {
                departments,
                proposing_open: detail.edition.allows(Phase::Proposals, at),
                voting_open: detail.edition.allows(Phase::Voting, at),
                detail,
                signed_in: me.is_some(),
                viewer_id: me,
                can_manage,
                my_ballots,
            })
        }
        .await,
    )
}

/// Staff: a proposal found feasible (on the ballot) or not, with a public reason.
#[server(prefix = "/api", endpoint = "budget/review")]
pub async fn review_proposal(
    proposal_id: i64,
    feasible: String,
    reason: String,
    revised_cost: Option<String>,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            let store = services()?.store;
            let edition = store.proposal_edition(proposal_id).await?;
            require_staff(&viewer, &edition)?;
            let page = edition_page(&lang, &edition).await?;
            let mut fields = Fields::default();
            let feasible = match feasible.as_str() {
                "yes" => true,
                "no" => false,
                _ => {
                    fields.push("feasible", Problem::Invalid);
                    false
                }
            };
            let reason = fields.check(input::text("reason", &reason, 3, 2000));
            let revised_cost = match revised_cost.as_deref().map(str::trim).unwrap_or_default() {
                "" => None,
                v => match v.replace([' ', '.'], "").parse::<u64>() {
                    Ok(c) if c > 0 => Some(c),
                    _ => {
                        fields.push("revised_cost", Problem::Invalid);
                        None
                    }
                },
            };
            fields.finish()?;
            let review = ProposalReview {
                proposal_id,
                feasible,
                reason: reason.unwrap_or_default(),
                revised_cost,
            };
            store.review_proposal(&viewer, &review).await?;
            super::redirect(&format!("{page}/projects/{proposal_id}?reviewed=1"));
            Ok(())
        }
        .await,
    )
}

/// Staff: moves an edition to another phase.
#[server(prefix = "/api", endpoint = "budget/phase")]
pub async fn set_phase(edition_id: i64, phase: String, lang: String) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            let store = services()?.store;
            let edition = store.edition_by_id(edition_id).await?.edition;
            require_staff(&viewer, &edition)?;
            let page = edition_page(&lang, &edition).await?;
            let phase =
                Phase::parse(&phase).ok_or_else(|| AppError::invalid("phase", Problem::Invalid))?;
            store.set_phase(&viewer, edition_id, phase).await?;
            super::redirect(&format!("{page}?phase=1"));
            Ok(())
        }
        .await,
    )
}

/// After a ballot change: back to the ballot, at the budget, with the refusal if any. API
/// callers get the refusal in the body with 422.
#[cfg(feature = "ssr")]
fn after_ballot_change(
    edition: &EditionSummary,
    page: &str,
    change: &BallotChange,
) -> Result<BallotChange, AppError> {
    let budget = change.ballot.budget_id;
    if change.refusal.is_none() {
        // The edition's pages show the confirmed ballots live; a change may confirm or
        // unconfirm one (an unchanged count is sent to nobody new).
        // Never an error here: the change is saved already.
        live_edition_changed(edition.id);
    }
    let query = match &change.refusal {
        Some(refusal) => {
            let _ = super::reply::<()>(Err(AppError::invalid("ballot", Problem::Invalid)));
            format!("?refused={}", refusal_query(refusal))
        }
        None => String::new(),
    };
    super::redirect(&format!("{page}/vote{query}#budget-{budget}"));
    Ok(change.clone())
}

/// Tells the edition's open pages that its confirmed ballots may have changed.
#[cfg(feature = "ssr")]
fn live_edition_changed(edition_id: i64) {
    if let Ok(services) = services() {
        services.live.changed(crate::store::Topic::Edition(edition_id));
    }
}

#[cfg(feature = "ssr")]
async fn ballot_edition(budget_id: i64) -> Result<EditionSummary, AppError> {
    Ok(services()?.store.budget_edition(budget_id).await?.0)
}

/// Adds a project to the signed-in person's ballot (saved at once).
#[server(prefix = "/api", endpoint = "budget/ballot/add")]
pub async fn ballot_add(
    budget_id: i64,
    proposal_id: i64,
    lang: String,
) -> Result<BallotChange, AppError> {
    super::reply(
        async {
            let (_, user_id) = require_user()?;
            let edition = ballot_edition(budget_id).await?;
            let page = edition_page(&lang, &edition).await?;
            let change = services()?.store.ballot_add(budget_id, user_id, proposal_id).await?;
            after_ballot_change(&edition, &page, &change)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "budget/ballot/remove")]
pub async fn ballot_remove(
    budget_id: i64,
    proposal_id: i64,
    lang: String,
) -> Result<BallotChange, AppError> {
    super::reply(
        async {
            let (_, user_id) = require_user()?;
            let edition = ballot_edition(budget_id).await?;
            let page = edition_page(&lang, &edition).await?;
            let change = services()?.store.ballot_remove(budget_id, user_id, proposal_id).await?;
            after_ballot_change(&edition, &page, &change)
        }
        .await,
    )
}

/// Confirms the ballot as saved; `document` is the voter's identity document number.
#[server(prefix = "/api", endpoint = "budget/ballot/confirm")]
pub async fn ballot_confirm(
    budget_id: i64,
    document: String,
    eligible: Option<String>,
    lang: String,
) -> Result<BallotChange, AppError> {
    super::reply(
        async {
            let (_, user_id) = require_user()?;
            let services = services()?;
            let (edition, budget) = services.store.budget_edition(budget_id).await?;
            // Who may vote is set per edition: the voter says they are old enough.
            if edition.min_voter_age > 0 && eligible.as_deref() != Some("on") {
                return Err(AppError::invalid("eligible", Problem::Required));
            }
            let page = edition_page(&lang, &edition).await?;
            let detail = services.store.edition_by_id(edition.id).await?;
            let locale = locale_of(&lang);
            let link = format!("{}{page}/vote", services.site.public_url);
            let voting_ends =
                edition.dates.end(Phase::Voting).unwrap_or(edition.dates.start(Phase::Results));
            let receipt = |ballot: &BallotState| {
                let titles: Vec<(String, u64)> = ballot
                    .choices
                    .iter()
                    .filter_map(|id| detail.proposals.iter().find(|p| p.id == *id))
                    .map(|p| (p.title.clone(), p.revised_cost.unwrap_or(p.cost)))
                    .collect();
                let context = BallotContext {
                    edition: &edition.title,
                    budget: &budget.name,
                    link: &link,
                    voting_ends,
                };
                ballot_receipt(locale, &context, ballot, &titles)
            };
            let change = services
                .store
                .ballot_confirm(budget_id, user_id, &document, Some(&receipt))
                .await?;
            after_ballot_change(&edition, &page, &change)
        }
        .await,
    )
}

/// What entering a paper ballot did: the ballot stored, or the rule it broke.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaperEntry {
    pub ballot: Option<BallotState>,
    pub refusal: Option<crate::model::budget::BallotRefusal>,
}

/// Staff at the information centre: a paper ballot with its sheet number and the voter's
/// identity document (checked in person).
#[server(prefix = "/api", endpoint = "budget/paper")]
pub async fn enter_paper_ballot(
    budget_id: i64,
    sheet: String,
    document: String,
    choices: Option<Vec<i64>>,
    lang: String,
) -> Result<PaperEntry, AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            let store = services()?.store;
            let edition = ballot_edition(budget_id).await?;
            require_staff(&viewer, &edition)?;
            let page = edition_page(&lang, &edition).await?;
            let sheet =
                input::line("sheet", &sheet, 1, 40).map_err(|e| AppError::Validation(vec![e]))?;
            let paper =
                PaperBallot { budget_id, sheet, document, choices: choices.unwrap_or_default() };
            let entry = match store.paper_ballot(&viewer, &paper).await? {
                Ok(ballot) => {
                    live_edition_changed(edition.id);
                    PaperEntry { ballot: Some(ballot), refusal: None }
                }
                Err(refusal) => PaperEntry { ballot: None, refusal: Some(refusal) },
            };
            let query = match (&entry.ballot, &entry.refusal) {
                (Some(ballot), _) => format!("?entered={}", ballot.code),
                (None, Some(refusal)) => {
                    let _ = super::reply::<()>(Err(AppError::invalid("choices", Problem::Invalid)));
                    format!("?refused={}", refusal_query(refusal))
                }
                (None, None) => String::new(),
            };
            super::redirect(&format!("{page}/paper{query}"));
            Ok(entry)
        }
        .await,
    )
}

/// The results of every budget of an edition: public once the results phase has come.
#[server(prefix = "/api", endpoint = "budget/results", input = GetUrl)]
pub async fn get_results(slug: String) -> Result<Vec<BudgetResults>, AppError> {
    super::reply(
        async {
            let viewer = current_viewer();
            let store = services()?.store;
            let locality = budget_locality().await?;
            let detail = store.edition(locality, &slug).await?;
            if detail.edition.phase < Phase::Results && !viewer.is_staff_of(locality) {
                return Err(AppError::NotFound);
            }
            let mut out = Vec::with_capacity(detail.budgets.len());
            for b in &detail.budgets {
                out.push(store.budget_results(b.id).await?);
            }
            Ok(out)
        }
        .await,
    )
}
