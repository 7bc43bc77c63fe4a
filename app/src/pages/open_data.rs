//! `/{lang}/open-data`: every dataset a locality publishes, with its licence, formats, size and
//! last change. Downloads are plain links; `/scripts/download.js`, where it runs, shows their
//! progress as they stream.

use crate::api::open_data::get_open_data_facts;
use crate::app::SiteResource;
use crate::components::error::ErrorNotice;
use crate::format;
use crate::i18n::*;
use crate::model::open_data::{DatasetFacts, OpenDataFacts};
use crate::model::SiteContext;
use leptos::prelude::*;

/// The licence every dataset is published under.
pub const LICENCE_URL: &str = "https://creativecommons.org/licenses/by/4.0/";

/// The statistics tables that have a CSV download (`/api/v1/statistics.csv?table=…`).
const STATISTICS_TABLES: [&str; 5] = ["status", "category", "month", "response", "department"];

#[component]
pub fn OpenDataPage() -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<SiteResource>();
    let l = i18n.get_locale_untracked();
    view! {
        // The words of `/scripts/download.js`, which has no translations of its own.
        <div
            class="page page--open-data"
            data-downloading=td_string!(l, open_data.downloading)
            data-downloaded=td_string!(l, open_data.downloaded)
            data-failed=td_string!(l, open_data.download_failed)
        >
            <Suspense fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    let site = match site.await {
                        Ok(site) => site,
                        Err(err) => return view! { <ErrorNotice error=err /> }.into_any(),
                    };
                    match get_open_data_facts(Some(site.locality.slug.clone())).await {
                        Ok(facts) => view! { <OpenDataBody site facts /> }.into_any(),
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Suspense>
            <script src="/scripts/download.js" defer></script>
        </div>
    }
}

/// One download link: a plain link that any browser follows; the script adds a progress bar.
#[component]
fn Download(href: String, label: String, file: String) -> impl IntoView {
    view! {
        <li class="download">
            <a href=href download=file data-download="">{label}</a>
        </li>
    }
}

/// A dataset's section: what it holds, how much, since when, and its files.
#[component]
fn Dataset(
    id: &'static str,
    title: String,
    description: String,
    #[prop(optional)] facts: Option<DatasetFacts>,
    children: Children,
) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let facts = facts.map(|f| {
        let updated = f
            .updated_at
            .map(|t| format::date(format::local_date(t), l))
            .unwrap_or_else(|| "—".to_owned());
        view! {
            <dl class="dataset__facts">
                <dt>{td_string!(l, open_data.rows)}</dt>
                <dd>{format::integer(f.rows, l)}</dd>
                <dt>{td_string!(l, open_data.updated)}</dt>
                <dd>{updated}</dd>
            </dl>
        }
    });
    view! {
        <section class="dataset" aria-labelledby=id>
            <h2 id=id>{title}</h2>
            <p>{description}</p>
            {facts}
            <ul class="link-list dataset__files" aria-label=td_string!(l, open_data.formats)>
                {children()}
            </ul>
        </section>
    }
}

#[component]
fn OpenDataBody(site: SiteContext, facts: OpenDataFacts) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let slug = site.locality.slug.clone();
    let q = format!("locality={slug}");
    let label = |format: &str| td_string!(l, open_data.download, format = format).to_string();
    let downloads = |path: &str, formats: &[(&str, &str)]| {
        formats
            .iter()
            .map(|(ext, name)| {
                let href = format!("/api/v1/export/{path}.{ext}?{q}");
                let file = format!("{slug}-{path}.{ext}");
                view! { <Download href label=label(name) file /> }
            })
            .collect_view()
    };
    let reports_files = downloads("reports", &[("csv", "CSV"), ("geojson", "GeoJSON")]);
    let initiatives_files = downloads("initiatives", &[("csv", "CSV")]);
    let polls_files = downloads("polls", &[("csv", "CSV")]);
    let (initiatives_json, polls_json) = (label("JSON"), label("JSON"));
    let (events_json, events_ics) =
        (format!("/api/v1/events?{q}"), format!("/api/v1/events.ics?{q}&lang={l}"));
    let (events_json_label, events_ics_label) = (label("JSON"), label("iCalendar"));
    let (directory_json, directory_json_label) = (format!("/api/v1/services?{q}"), label("JSON"));
    let table_name = |t: &str| match t {
        "status" => td_string!(l, stats.by_status),
        "category" => td_string!(l, stats.by_category),
        "month" => td_string!(l, stats.by_month),
        "response" => td_string!(l, open_data.response_times),
        _ => td_string!(l, stats.by_department),
    };
    let statistics_links = STATISTICS_TABLES
        .map(|t| {
            let href = format!("/api/v1/statistics.csv?table={t}&{q}&lang={l}");
            view! { <li><a href=href>{table_name(t)} " (CSV)"</a></li> }
        })
        .collect_view();
    let this_year = chrono::Datelike::year(&format::local_date(chrono::Utc::now()));
    let year_links = (this_year - 1..=this_year)
        .rev()
        .map(|y| {
            let json = format!("/api/v1/statistics/year/{y}?{q}");
            let csv = format!("/api/v1/statistics/year/{y}.csv?{q}&lang={l}");
            let name = td_string!(l, open_data.year_report, year = y).to_string();
            view! { <li>{name} ": " <a href=json>"JSON"</a> ", " <a href=csv>"CSV"</a></li> }
        })
        .collect_view();
    let services_href = format!("/open311/v2/services.json?jurisdiction_id={slug}");
    let discovery = td_string!(l, open_data.open311_discovery);
    view! {
        <h1>{td_string!(l, open_data.title)} " — " {site.locality.name.get(l).to_owned()}</h1>
        <p>{td_string!(l, open_data.intro)}</p>
        <p class="notice">
            {td_string!(l, open_data.licence)} " "
            <a href=LICENCE_URL rel="license">{td_string!(l, open_data.licence_name)}</a>
            ". " {td_string!(l, open_data.attribution)}
        </p>
        <p class="muted">{td_string!(l, open_data.progress_hint)}</p>

        <Dataset id="dataset-reports" title=td_string!(l, open_data.reports_title).to_owned()
            description=td_string!(l, open_data.reports_description).to_owned() facts=facts.reports>
            {reports_files}
        </Dataset>
        <Dataset id="dataset-initiatives" title=td_string!(l, open_data.initiatives_title).to_owned()
            description=td_string!(l, open_data.initiatives_description).to_owned() facts=facts.initiatives>
            {initiatives_files}
            <li><a href="/api/v1/initiatives">{initiatives_json}</a></li>
        </Dataset>
        <Dataset id="dataset-polls" title=td_string!(l, open_data.polls_title).to_owned()
            description=td_string!(l, open_data.polls_description).to_owned() facts=facts.polls>
            {polls_files}
            <li><a href="/api/v1/polls">{polls_json}</a></li>
        </Dataset>
        <Dataset id="dataset-events" title=td_string!(l, open_data.events_title).to_owned()
            description=td_string!(l, open_data.events_description).to_owned() facts=facts.events>
            <li><a href=events_json>{events_json_label}</a></li>
            <li><a href=events_ics type="text/calendar">{events_ics_label}</a></li>
        </Dataset>
        <Dataset id="dataset-services" title=td_string!(l, open_data.services_title).to_owned()
            description=td_string!(l, open_data.services_description).to_owned() facts=facts.services>
            <li><a href=directory_json>{directory_json_label}</a></li>
        </Dataset>
        <Dataset id="dataset-statistics" title=td_string!(l, open_data.statistics_title).to_owned()
            description=td_string!(l, open_data.statistics_description).to_owned()>
            {statistics_links}
            {year_links}
        </Dataset>
        <Dataset id="dataset-budget" title=td_string!(l, open_data.budget_title).to_owned()
            description=td_string!(l, open_data.budget_description).to_owned()>
            <li><a href=format!("/api/v1/budget/editions?{q}")>{td_string!(l, open_data.budget_editions)} " (JSON)"</a></li>
            <li><a href=format!("/api/v1/statistics.csv?table=budget&{q}&lang={l}")>{td_string!(l, open_data.budget_participation)} " (CSV)"</a></li>
        </Dataset>
        <Dataset id="dataset-open311" title=td_string!(l, open_data.open311_title).to_owned()
            description=td_string!(l, open_data.open311_description).to_owned()>
            <li><a href="/open311/discovery.json">{discovery} " (JSON)"</a></li>
            <li><a href="/open311/discovery.xml">{discovery} " (XML)"</a></li>
            <li><a href=services_href>{td_string!(l, open_data.open311_services)} " (JSON)"</a></li>
        </Dataset>
    }
}
