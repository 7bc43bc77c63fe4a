//! The city at a glance, for a kiosk nobody is using: the newest reports on the map, the open
//! polls' results and the civic budget's vote, in type that reads from a few metres.
//! `/scripts/kiosk.js` shows one panel at a time, reloads the page every few minutes for fresh
//! figures, and opens the start screen at the first touch; without it the panels stand in turn.

use crate::api::budget::list_editions;
use crate::api::map::get_map_features;
use crate::api::reports::list_reports;
use crate::api::votes::{get_poll, list_polls};
use crate::app::SiteResource;
use crate::components::map::static_map::covered_box;
use crate::components::map::{Mark, StaticMap};
use crate::components::status::StatusBadge;
use crate::format;
use crate::i18n::*;
use crate::islands::MapBase;
use crate::model::civic_budget::{EditionSummary, Phase};
use crate::model::vote::{PollDetail, PollStatus};
use crate::model::{ReportSummary, SiteContext};
use crate::paths;
use leptos::prelude::*;

/// At most this many of each on the screen.
const NEWEST_REPORTS: usize = 5;
const OPEN_POLLS: usize = 3;

#[component]
pub fn GlancePage() -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let site = expect_context::<SiteResource>();
    view! {
        <section class="kiosk-glance" data-kiosk-page="glance">
            <crate::components::page_title::PageHeading text=td_string!(locale, kiosk.glance_title) />
            <a class="kiosk-glance__start" href=paths::page(locale, "/kiosk")>
                {td_string!(locale, kiosk.touch_to_start)}
            </a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let Ok(site) = site.await else { return ().into_any() };
                    let slug = Some(site.locality.slug.clone());
                    let base = MapBase::for_site(&site, locale);
                    let marks = match covered_box(&base) {
                        Some(bbox) => get_map_features(bbox.to_param(), Some(base.zoom), None, None, None, None, None, slug.clone())
                            .await
                            .map(|f| f.features.iter().map(Mark::from).collect())
                            .unwrap_or_default(),
                        None => Vec::new(),
                    };
                    let newest = list_reports(None, None, None, None, None, Some("newest".into()), None, None, slug.clone())
                        .await
                        .map(|p| p.items.into_iter().take(NEWEST_REPORTS).collect())
                        .unwrap_or_default();
                    let mut polls = Vec::new();
                    for summary in list_polls(slug.clone()).await.unwrap_or_default() {
                        if summary.status != PollStatus::Open || polls.len() == OPEN_POLLS {
                            continue;
                        }
                        if let Ok(view) = get_poll(summary.id, slug.clone()).await {
                            polls.push(view.poll);
                        }
                    }
                    let editions: Vec<EditionSummary> = list_editions()
                        .await
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|e| e.phase == Phase::Voting || e.phase == Phase::Results)
                        .collect();
                    view! {
                        <ReportsPanel site base marks newest />
                        {(!polls.is_empty()).then(|| view! { <PollsPanel polls /> })}
                        {(!editions.is_empty()).then(|| view! { <BudgetPanel editions /> })}
                    }
                    .into_any()
                })}
            </Suspense>
        </section>
    }
}

/// The newest reports: pinned on the map's picture, and listed beside it.
#[component]
fn ReportsPanel(
    site: SiteContext,
    base: MapBase,
    marks: Vec<Mark>,
    newest: Vec<ReportSummary>,
) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let items = newest
        .into_iter()
        .map(|r| {
            let category = site
                .locality
                .categories
                .iter()
                .find(|c| c.slug == r.category)
                .map(|c| c.name.get(locale).to_owned())
                .unwrap_or_default();
            view! {
                <li class="glance-report">
                    <StatusBadge status=r.status />
                    <strong>{r.title}</strong>
                    <span class="muted">{category} " · " {format::date_time(r.created_at, locale)}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="glance-panel" data-glance-panel="" aria-labelledby="glance-reports">
            <h2 id="glance-reports">{td_string!(locale, kiosk.glance_reports)}</h2>
            <div class="glance-panel__body">
                <div class="glance-map"><StaticMap base marks /></div>
                <ol class="glance-list">{items}</ol>
            </div>
        </section>
    }
}

/// The open polls: each question with its results where they are public before voting, else
/// how many have taken part so far.
#[component]
fn PollsPanel(polls: Vec<PollDetail>) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let polls = polls
        .into_iter()
        .map(|poll| {
            let people = td_string!(
                locale,
                kiosk.participants,
                count = format::integer(poll.summary.participants, locale)
            )
            .to_string();
            let results = poll.results.clone().map(|results| {
                poll.options
                    .iter()
                    .map(|o| {
                        let share = (results.share(o.id) * 100.0).round();
                        let label = o.label.get(locale).to_owned();
                        view! {
                            <li class="glance-option">
                                <span>{label}</span>
                                <progress max="100" value=share.to_string()></progress>
                                <strong>{format!("{share:.0} %")}</strong>
                            </li>
                        }
                    })
                    .collect_view()
            });
            view! {
                <li class="glance-poll">
                    <h3>{poll.summary.question.get(locale).to_owned()}</h3>
                    {results.map(|r| view! { <ul class="glance-options">{r}</ul> })}
                    <p class="muted">{people}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="glance-panel" data-glance-panel="" aria-labelledby="glance-polls">
            <h2 id="glance-polls">{td_string!(locale, kiosk.glance_polls)}</h2>
            <ul class="glance-polls">{polls}</ul>
        </section>
    }
}

/// The civic budget's editions in their vote or with results: phase and ballots so far.
#[component]
fn BudgetPanel(editions: Vec<EditionSummary>) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let editions = editions
        .into_iter()
        .map(|e| {
            let ballots = td_string!(
                locale,
                kiosk.ballots,
                count = format::integer(e.confirmed_ballots, locale)
            )
            .to_string();
            view! {
                <li class="glance-edition">
                    <h3>{e.title.get(locale).to_owned()}</h3>
                    <p>{crate::pages::budget::phase_label(locale, e.phase)}</p>
                    <p class="glance-edition__ballots">{ballots}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="glance-panel" data-glance-panel="" aria-labelledby="glance-budget">
            <h2 id="glance-budget">{td_string!(locale, kiosk.glance_budget)}</h2>
            <ul class="glance-editions">{editions}</ul>
        </section>
    }
}
