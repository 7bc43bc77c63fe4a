//! `/{lang}/services`: the finder, in three light steps that work without script. First
//! "what do you need?" (`?need=`), then a few questions (who, which language, free only,
//! where you are), then the matching services (`&found=1`) nearest first, open now marked,
//! as a list and on the map. `?found=1` alone lists every service. The first step also shows
//! staff and NGO members what waits on them.

use super::{category_hint, category_label, seeker_label, ServiceItem};
use crate::api::directory::{directory_desk, find_services, ServicesDesk};
use crate::api::directory_edit::ReviewServiceChange;
use crate::app::SiteResource;
use crate::components::error::ErrorNotice;
use crate::components::form::{error_from_address, FormNotice, ReviewForms, SuccessNotice};
use crate::components::map::{PickLocation, PlacesOnMap};
use crate::i18n::*;
use crate::model::directory::{
    ChangeStatus, Seeker, ServiceCategory, ServiceMatch, SERVICE_LANGUAGES,
};
use crate::model::SiteContext;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

/// The finder's answers as the address holds them, each possibly empty.
#[derive(Clone, Debug, Default, PartialEq)]
struct Answers {
    need: String,
    speaks: String,
    who: String,
    refugee: String,
    free: String,
    lat: String,
    lng: String,
    found: bool,
}

impl Answers {
    fn from_address() -> Self {
        use_query_map().with_untracked(|q| {
            let get = |k: &str| q.get(k).unwrap_or_default();
            Answers {
                need: get("need"),
                speaks: get("speaks"),
                who: get("who"),
                refugee: get("refugee"),
                free: get("free"),
                lat: get("lat"),
                lng: get("lng"),
                found: q.get("found").is_some(),
            }
        })
    }

    /// The address of the finder with these answers (and `more`).
    fn link(&self, locale: Locale, more: &str) -> String {
        let pairs = [
            ("need", &self.need),
            ("speaks", &self.speaks),
            ("who", &self.who),
            ("refugee", &self.refugee),
            ("free", &self.free),
            ("lat", &self.lat),
            ("lng", &self.lng),
        ];
        let mut query: Vec<String> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", crate::paths::encode_component(v)))
            .collect();
        if !more.is_empty() {
            query.push(more.to_owned());
        }
        let query = if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) };
        crate::paths::page(locale, &format!("/services{query}"))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Need,
    Questions,
    Results,
}

#[component]
pub fn ServicesPage() -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let answers = Answers::from_address();
    let step = if answers.found {
        Step::Results
    } else if !answers.need.is_empty() {
        Step::Questions
    } else {
        Step::Need
    };
    // Each step loads only the code it runs: none for the first, the location picker for
    // the questions, the map of places for the results.
    let scripts = match step {
        Step::Need => None,
        Step::Questions => Some(crate::assets::Bundle::Picker),
        Step::Results => Some(crate::assets::Bundle::Place),
    };
    let notice = use_query_map().with_untracked(|q| {
        if q.get("proposed").is_some() {
            Some(td_string!(locale, services.proposed_notice))
        } else if q.get("removed").is_some() {
            Some(td_string!(locale, services.removed_notice))
        } else if q.get("rejected").is_some() {
            Some(td_string!(locale, services.rejected_notice))
        } else {
            None
        }
    });
    let body = match step {
        Step::Need => view! { <NeedStep /> }.into_any(),
        Step::Questions => view! { <QuestionsStep answers /> }.into_any(),
        Step::Results => view! { <ResultsStep answers /> }.into_any(),
    };
    view! {
        {scripts.map(|bundle| view! { <crate::app::MapScripts bundle /> })}
        <section class="page services-page">
            <crate::components::page_title::PageHeading text=td_string!(locale, services.title) />
            {notice.map(|n| view! { <SuccessNotice>{n}</SuccessNotice> })}
            {body}
        </section>
    }
}

/// "What do you need?": one large button per kind of help.
#[component]
fn NeedStep() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let desk = Resource::new(|| (), |_| directory_desk(None));
    let all = crate::paths::page(locale, "/services?found=1");
    view! {
        <p class="lead">{td_string!(locale, services.intro)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                desk.await.ok().map(|desk| view! { <Desk desk /> })
            })}
        </Suspense>
        <h2 id="finder-need">{td_string!(locale, services.what_do_you_need)}</h2>
        <ul class="need-grid" aria-labelledby="finder-need">
            {ServiceCategory::ALL.iter().map(|c| {
                let href = crate::paths::page(locale, &format!("/services?need={}", c.as_str()));
                view! {
                    <li>
                        <a class="need-grid__choice" href=href>
                            <span class="need-grid__label">{category_label(locale, *c)}</span>
                            <span class="need-grid__hint">{category_hint(locale, *c)}</span>
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
        <p><a class="button button--secondary" href=all>{td_string!(locale, services.show_all)}</a></p>
        <p class="muted">{td_string!(locale, services.no_account_needed)}</p>
    }
}

/// A group of radio buttons, the first ("any") chosen unless the address says otherwise.
#[component]
fn Choice(
    name: &'static str,
    legend: &'static str,
    options: Vec<(String, String)>,
    chosen: String,
) -> impl IntoView {
    view! {
        <fieldset class="form-section choice">
            <legend>{legend}</legend>
            {options.into_iter().enumerate().map(|(i, (value, label))| {
                let checked = if chosen.is_empty() { i == 0 } else { value == chosen };
                let id = format!("{name}-{}", if value.is_empty() { "any" } else { value.as_str() });
                view! {
                    <div class="choice__option">
                        <input type="radio" id=id.clone() name=name value=value checked=checked />
                        <label for=id>{label}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// A few questions in plain words; every one may be skipped.
#[component]
fn QuestionsStep(answers: Answers) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let site = expect_context::<SiteResource>();
    let need = ServiceCategory::parse(&answers.need);
    let any = || (String::new(), td_string!(locale, services.any).to_owned());
    let languages: Vec<(String, String)> =
        std::iter::once(any())
            .chain(SERVICE_LANGUAGES.iter().map(|l| {
                ((*l).to_owned(), crate::pages::events::language_label(locale, l).to_owned())
            }))
            .collect();
    let who: Vec<(String, String)> = std::iter::once(any())
        .chain(
            Seeker::ALL
                .iter()
                .map(|s| (s.as_str().to_owned(), seeker_label(locale, *s).to_owned())),
        )
        .collect();
    let refugee = vec![
        (String::new(), td_string!(locale, services.refugee_unsaid).to_owned()),
        ("yes".to_owned(), td_string!(locale, services.refugee_yes).to_owned()),
        ("no".to_owned(), td_string!(locale, services.refugee_no).to_owned()),
    ];
    let typed = (answers.lat.clone(), answers.lng.clone());
    let back = crate::paths::page(locale, "/services");
    view! {
        <p class="muted"><a href=back>{td_string!(locale, services.start_again)}</a></p>
        <h2>{need.map(|c| category_label(locale, c)).unwrap_or_default()}</h2>
        <p>{td_string!(locale, services.questions_intro)}</p>
        <form class="form finder-form" method="get" action=crate::paths::page(locale, "/services")>
            <input type="hidden" name="need" value=answers.need.clone() />
            <input type="hidden" name="found" value="1" />
            <Choice name="speaks" legend=td_string!(locale, services.q_language) options=languages chosen=answers.speaks.clone() />
            <Choice name="who" legend=td_string!(locale, services.q_who) options=who chosen=answers.who.clone() />
            <Choice name="refugee" legend=td_string!(locale, services.q_refugee) options=refugee chosen=answers.refugee.clone() />
            <label class="checkbox finder-form__free">
                <input type="checkbox" name="free" value="1" checked=!answers.free.is_empty() />
                {td_string!(locale, services.q_free)}
            </label>
            <fieldset class="form-section">
                <legend>{td_string!(locale, services.q_where)}</legend>
                <p class="muted">{td_string!(locale, services.q_where_hint)}</p>
                <Suspense fallback=|| ()>
                    {move || {
                        let typed = typed.clone();
                        Suspend::new(async move {
                            site.await.ok().map(|site| view! {
                                <PickLocation site typed pin_title=td_string!(locale, services.you_are_here) />
                            })
                        })
                    }}
                </Suspense>
            </fieldset>
            <button type="submit" class="button button--large">{td_string!(locale, services.find)}</button>
        </form>
    }
}

/// The matching services: what was asked, then the list (nearest first) and the map.
#[component]
fn ResultsStep(answers: Answers) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let site = expect_context::<SiteResource>();
    let query = answers.clone();
    let found = Resource::new(
        || (),
        move |_| {
            let a = query.clone();
            let opt = |v: &str| (!v.is_empty()).then(|| v.to_owned());
            async move {
                find_services(
                    opt(&a.need),
                    opt(&a.speaks),
                    opt(&a.who),
                    opt(&a.refugee),
                    opt(&a.free),
                    opt(&a.lat),
                    opt(&a.lng),
                    None,
                    Some(locale.to_string()),
                )
                .await
            }
        },
    );
    let asked = summary(locale, &answers);
    let change = answers.link(locale, "");
    let any_answer = answers != Answers { found: true, ..Answers::default() };
    let near = !answers.lat.is_empty();
    view! {
        <p class="finder-nav">
            <a href=crate::paths::page(locale, "/services")>{td_string!(locale, services.start_again)}</a>
            {(any_answer && !answers.need.is_empty()).then(|| view! { " · " <a href=change.clone()>{td_string!(locale, services.change_answers)}</a> })}
        </p>
        {(!asked.is_empty()).then(|| view! { <p class="finder-asked"><strong>{td_string!(locale, services.you_asked)}</strong>" "{asked.clone()}</p> })}
        <Suspense fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
            {move || Suspend::new(async move {
                let site = match site.await {
                    Ok(s) => s,
                    Err(err) => return view! { <ErrorNotice error=err /> }.into_any(),
                };
                match found.await {
                    Ok(found) => view! { <Results site found near /> }.into_any(),
                    Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The answers in words: `Legal aid · speaks Ukrainian · free only · near you`.
fn summary(locale: Locale, a: &Answers) -> String {
    let mut parts = Vec::new();
    if let Some(c) = ServiceCategory::parse(&a.need) {
        parts.push(category_label(locale, c).to_owned());
    }
    if !a.speaks.is_empty() {
        let language = crate::pages::events::language_label(locale, &a.speaks);
        parts.push(format!("{} {language}", td_string!(locale, services.in_language)));
    }
    if let Some(s) = Seeker::parse(&a.who) {
        parts.push(seeker_label(locale, s).to_owned());
    }
    match a.refugee.as_str() {
        "yes" => parts.push(td_string!(locale, services.asked_refugee).to_owned()),
        "no" => parts.push(td_string!(locale, services.asked_not_refugee).to_owned()),
        _ => {}
    }
    if !a.free.is_empty() {
        parts.push(td_string!(locale, services.free_only).to_owned());
    }
    if !a.lat.is_empty() {
        parts.push(td_string!(locale, services.nearest_first).to_owned());
    }
    parts.join(" · ")
}

#[component]
fn Results(site: SiteContext, found: Vec<ServiceMatch>, near: bool) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    if found.is_empty() {
        let all = crate::paths::page(locale, "/services?found=1");
        return view! {
            <p class="notice">{td_string!(locale, services.none_found)}</p>
            <p><a class="button button--secondary" href=all>{td_string!(locale, services.show_all)}</a></p>
        }
        .into_any();
    }
    let count = td_string!(locale, services.found_count, count = found.len()).to_string();
    let places: Vec<(String, crate::model::LatLng, String)> = found
        .iter()
        .filter_map(|m| {
            let at = m.service.draft.at?;
            let name = m.service.draft.name.get(locale).to_owned();
            Some((super::service_href(locale, m.service.id), at, name))
        })
        .collect();
    let open_count = found.iter().filter(|m| m.open_now).count();
    let open = td_string!(locale, services.open_count, count = open_count).to_string();
    view! {
        <p role="status" class="finder-count">{count}" · "{open}</p>
        {(!near).then(|| view! { <p class="muted">{td_string!(locale, services.order_hint)}</p> })}
        <ul class="service-list">
            {found.into_iter().map(|found| view! { <ServiceItem found /> }).collect_view()}
        </ul>
        {(!places.is_empty()).then(|| view! {
            <h2>{td_string!(locale, services.on_the_map)}</h2>
            <PlacesOnMap site places label=td_string!(locale, services.map_label) open=td_string!(locale, services.open_page) />
        })}
        <p class="muted"><a href=format!("/api/v1/services?lang={locale}")>{td_string!(locale, services.open_data)}</a></p>
    }
    .into_any()
}

/// Changes waiting for review (approve or refuse, for staff), refused ones, and entries not
/// checked for six months.
#[component]
fn Desk(desk: ServicesDesk) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    if !desk.reviewer && desk.organisations.is_empty() {
        return ().into_any();
    }
    let error = RwSignal::new(error_from_address(ReviewServiceChange::PATH));
    let reviewer = desk.reviewer;
    let new_entry = crate::paths::page(locale, "/services/new");
    view! {
        <section class="desk" aria-labelledby="services-desk">
            <h2 id="services-desk">{td_string!(locale, services.desk_title)}</h2>
            <p><a class="button" href=new_entry>{td_string!(locale, services.add)}</a></p>
            <FormNotice error=error.into() />
            {desk.changes.is_empty().then(|| view! { <p class="muted">{td_string!(locale, services.no_changes)}</p> })}
            <ul class="service-list">
                {desk.changes.into_iter().map(|c| {
                    let id = c.id;
                    let waiting = c.status == ChangeStatus::Proposed;
                    let what = match c.service_id {
                        Some(s) => view! { <a href=super::service_href(locale, s)>{td_string!(locale, services.change_to_entry)}</a> }.into_any(),
                        None => view! { <span>{td_string!(locale, services.new_entry)}</span> }.into_any(),
                    };
                    let state = if waiting {
                        td_string!(locale, services.status_proposed).to_owned()
                    } else {
                        format!("{}: {}", td_string!(locale, services.status_rejected), c.review_note)
                    };
                    let d = c.draft.clone();
                    view! {
                        <li class="desk__item">
                            <h3 class="service-item__name">{d.name.get(locale).to_owned()}</h3>
                            <p class="service-item__meta">{what}" · "{d.provider.clone()}{c.organisation_name.clone().map(|o| format!(" · {o}"))}</p>
                            <details>
                                <summary>{td_string!(locale, services.proposed_entry)}</summary>
                                <super::detail::Facts draft=d.clone() />
                                <p class="event-description">{d.description.get(locale).to_owned()}</p>
                            </details>
                            <p class="muted">{state}</p>
                            {(reviewer && waiting).then(|| view! {
                                <ReviewForms action=ReviewServiceChange::PATH id id_prefix="reject" accept_value="approve"
                                    accept=td_string!(locale, services.approve) reject=td_string!(locale, services.reject)
                                    reason=td_string!(locale, services.reject_reason) />
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(!desk.stale.is_empty()).then(|| view! {
                <h3>{td_string!(locale, services.stale_title)}</h3>
                <p class="muted">{td_string!(locale, services.stale_hint)}</p>
                <ul>
                    {desk.stale.into_iter().map(|s| view! {
                        <li><a href=super::service_href(locale, s.id)>{s.draft.name.get(locale).to_owned()}</a>
                            " · "{crate::format::date(crate::format::local_date(s.checked_at), locale)}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
    .into_any()
}
