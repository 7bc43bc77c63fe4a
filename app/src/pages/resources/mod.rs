//! `/{lang}/resources`: the NGO network's database of online educational resources, searched
//! by words (any of the four languages), topic, language and audience, all kept in the
//! address. Staff review the proposals here; an organisation's members see theirs.
//! `/{lang}/resources/new` is the proposal form.

mod new;

pub use new::NewResourcePage;

use crate::api::resources::{list_resources, resource_desk, ResourceRoles, ReviewResource};
use crate::components::error::ErrorNotice;
use crate::components::form::{error_from_address, FormNotice, ReviewForms, SuccessNotice};
use crate::i18n::*;
use crate::model::network::{Audience, EventStatus};
use crate::model::resources::{Resource as Entry, ResourceFileInfo, Topic};
use crate::pages::events::{audience_label, language_label};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

pub fn topic_label(locale: Locale, t: Topic) -> &'static str {
    match t {
        Topic::LanguageLearning => td_string!(locale, resources.topic_language_learning),
        Topic::RightsLegal => td_string!(locale, resources.topic_rights_legal),
        Topic::Integration => td_string!(locale, resources.topic_integration),
        Topic::HealthWellbeing => td_string!(locale, resources.topic_health_wellbeing),
        Topic::EducationSkills => td_string!(locale, resources.topic_education_skills),
        Topic::Employment => td_string!(locale, resources.topic_employment),
        Topic::DigitalSkills => td_string!(locale, resources.topic_digital_skills),
        Topic::CivicParticipation => td_string!(locale, resources.topic_civic_participation),
    }
}

/// "PDF, 1.2 MB: guide.pdf" (or "PDF, 85 KB: …"), what a download will be.
pub(crate) fn file_label(locale: Locale, f: &ResourceFileInfo) -> String {
    let bytes = f.size_bytes.max(0);
    let size = if bytes < 1_048_576 {
        let kb = ((bytes + 1023) / 1024).max(1);
        td_string!(locale, resources.size_kb, n = kb.to_string()).to_string()
    } else {
        let tenths = (bytes * 10 + 524_288) / 1_048_576;
        let sep = if locale == Locale::en { '.' } else { ',' };
        let n = format!("{}{sep}{}", tenths / 10, tenths % 10);
        td_string!(locale, resources.size_mb, n = n).to_string()
    };
    td_string!(locale, resources.file_size, size = size, name = f.name.as_str()).to_string()
}

/// The search as the address holds it.
#[derive(Clone, Debug, Default, PartialEq)]
struct Search {
    words: String,
    topic: String,
    language: String,
    audience: String,
}

#[component]
pub fn ResourcesPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let query = use_query_map();
    let search = query.with_untracked(|q| {
        let get = |k: &str| q.get(k).unwrap_or_default();
        Search {
            words: get("words"),
            topic: get("topic"),
            language: get("language"),
            audience: get("audience"),
        }
    });
    let notice = query.with_untracked(|q| {
        if q.get("published").is_some() {
            Some(td_string!(locale, resources.published_notice))
        } else if q.get("proposed").is_some() {
            Some(td_string!(locale, resources.proposed_notice))
        } else if q.get("rejected").is_some() {
            Some(td_string!(locale, resources.rejected_notice))
        } else {
            None
        }
    });
    let s = search.clone();
    let data = Resource::new(
        || (),
        move |_| {
            let s = s.clone();
            let opt = |v: &str| (!v.is_empty()).then(|| v.to_owned());
            async move {
                let list = list_resources(
                    opt(&s.words),
                    opt(&s.topic),
                    opt(&s.language),
                    opt(&s.audience),
                    None,
                )
                .await;
                (list, resource_desk(None).await)
            }
        },
    );
    view! {
        <section class="page resources-page">
            <crate::components::page_title::PageHeading text=td_string!(locale, resources.title) />
            <p class="lead">{td_string!(locale, resources.intro)}</p>
            {notice.map(|n| view! { <SuccessNotice>{n}</SuccessNotice> })}
            <Suspense fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || {
                    let search = search.clone();
                    Suspend::new(async move {
                        let (list, roles) = data.await;
                        let roles = roles.unwrap_or_default();
                        match list {
                            Ok(list) => view! { <Library search list roles /> }.into_any(),
                            Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn Library(search: Search, list: Vec<Entry>, roles: ResourceRoles) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let any = || (String::new(), td_string!(locale, resources.any).to_owned());
    let options = |pairs: Vec<(String, String)>, chosen: &str| {
        pairs
            .into_iter()
            .map(|(value, label)| {
                let selected = value == chosen;
                view! { <option value=value selected=selected>{label}</option> }
            })
            .collect_view()
    };
    let topics: Vec<(String, String)> = std::iter::once(any())
        .chain(
            Topic::ALL.iter().map(|t| (t.as_str().to_owned(), topic_label(locale, *t).to_owned())),
        )
        .collect();
    let languages: Vec<(String, String)> = std::iter::once(any())
        .chain(
            ["ro", "ru", "uk", "en"]
                .iter()
                .map(|l| ((*l).to_owned(), language_label(locale, l).to_owned())),
        )
        .collect();
    let audiences: Vec<(String, String)> = std::iter::once(any())
        .chain(
            Audience::ALL
                .iter()
                .map(|a| (a.as_str().to_owned(), audience_label(locale, *a).to_owned())),
        )
        .collect();
    let count = td_string!(locale, resources.found, count = list.len()).to_string();
    let may_propose = !roles.organisations.is_empty();
    view! {
        {(!roles.unpublished.is_empty()).then(|| view! { <Desk roles=roles.clone() /> })}
        {may_propose.then(|| view! {
            <p><a class="button" href=crate::paths::page(locale, "/resources/new")>{td_string!(locale, resources.propose)}</a></p>
        })}
        <form class="filters resources-search" method="get" role="search">
            <div class="field">
                <label for="resources-words">{td_string!(locale, resources.words)}</label>
                <input id="resources-words" type="search" name="words" maxlength="200" value=search.words.clone() />
            </div>
            <div class="field">
                <label for="resources-topic">{td_string!(locale, resources.topic)}</label>
                <select id="resources-topic" name="topic">{options(topics, &search.topic)}</select>
            </div>
            <div class="field">
                <label for="resources-language">{td_string!(locale, resources.language)}</label>
                <select id="resources-language" name="language">{options(languages, &search.language)}</select>
            </div>
            <div class="field">
                <label for="resources-audience">{td_string!(locale, resources.audience)}</label>
                <select id="resources-audience" name="audience">{options(audiences, &search.audience)}</select>
            </div>
            <button type="submit" class="button">{td_string!(locale, resources.search)}</button>
        </form>
        <p role="status">{count}</p>
        <ul class="event-list">
            {list.into_iter().map(|r| view! { <ResourceItem resource=r /> }).collect_view()}
        </ul>
    }
}

/// One resource: its title links to it; what it is, who offers it, and for whom.
#[component]
fn ResourceItem(resource: Entry) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let r = resource;
    let (title, title_lang) = r.title.get_in(locale);
    let (description, description_lang) = r.description.get_in(locale);
    let added = crate::format::date(crate::format::local_date(r.created_at), locale);
    view! {
        <li class="event-item" id=format!("resource-{}", r.id)>
            <h3 class="event-item__title">
                <a href=r.href() rel="noopener nofollow" lang=title_lang.to_string()>{title.to_owned()}</a>
            </h3>
            {r.file.as_ref().map(|f| view! { <p class="muted">{file_label(locale, f)}</p> })}
            <p lang=description_lang.to_string()>{description.to_owned()}</p>
            <p class="event-item__meta">{r.organisation.name.clone()}" · "{added}</p>
            <p class="event-item__tags">
                <span class="tag">{topic_label(locale, r.topic)}</span>
                <span class="tag">{audience_label(locale, r.audience)}</span>
                <span class="tag">{language_label(locale, &r.language)}</span>
            </p>
        </li>
    }
}

/// Proposals waiting for review (publish or refuse, for staff) and refused ones.
#[component]
fn Desk(roles: ResourceRoles) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let error = RwSignal::new(error_from_address(ReviewResource::PATH));
    let reviewer = roles.reviewer;
    view! {
        <section class="desk" aria-labelledby="resources-desk">
            <h2 id="resources-desk">{td_string!(locale, resources.desk_title)}</h2>
            <FormNotice error=error.into() />
            <ul class="event-list">
                {roles.unpublished.into_iter().map(|r| {
                    let id = r.id;
                    let waiting = r.status == EventStatus::Proposed;
                    let state = if waiting {
                        td_string!(locale, resources.status_proposed).to_owned()
                    } else {
                        format!("{}: {}", td_string!(locale, resources.status_rejected), r.review_note)
                    };
                    view! {
                        <li class="desk__item">
                            <ul class="event-list"><ResourceItem resource=r /></ul>
                            <p class="muted">{state}</p>
                            {(reviewer && waiting).then(|| view! {
                                <ReviewForms action=ReviewResource::PATH id id_prefix="resource" accept_value="publish"
                                    accept=td_string!(locale, resources.publish) reject=td_string!(locale, resources.reject)
                                    reason=td_string!(locale, resources.reject_reason) />
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
