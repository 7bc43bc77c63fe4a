//! `/{lang}/events`: the network's calendar. Upcoming events by default, `?past=1` for those
//! over, `?month=YYYY-MM` for a month's grid; `?organisation=slug` narrows any of them. The
//! locality's staff see the proposals waiting for them here; an organisation's members see
//! their own.

use super::EventItem;
use crate::api::events::{event_desk, list_events, CalendarDesk, EventList, ReviewEvent};
use crate::app::SiteResource;
use crate::components::error::ErrorNotice;
use crate::components::form::{error_from_address, FormNotice, ReviewForms, SuccessNotice};
use crate::i18n::*;
use crate::model::network::{Event, EventStatus};
use crate::model::SiteContext;
use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

/// Which view the address asks for.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
enum View {
    Upcoming,
    Past,
    Month(NaiveDate),
}

fn view_of(past: Option<String>, month: Option<String>) -> View {
    let first = month.as_deref().and_then(|m| {
        crate::format::city_month(m)?;
        NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok()
    });
    match (first, past) {
        (Some(first), _) => View::Month(first),
        (None, Some(_)) => View::Past,
        (None, None) => View::Upcoming,
    }
}

#[component]
pub fn EventsPage() -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<SiteResource>();
    let query = use_query_map();
    let args = move || {
        query.with(|q| {
            (
                q.get("past"),
                q.get("month").filter(|m| !m.is_empty()),
                q.get("organisation").filter(|o| !o.is_empty()),
                q.get("published").or_else(|| q.get("rejected")),
            )
        })
    };
    let data = Resource::new(args, |(past, month, organisation, _)| async move {
        let month_arg = month.clone();
        let list =
            list_events(past.as_ref().map(|_| true), month_arg, organisation.clone(), None).await;
        let desk = event_desk(None).await;
        (view_of(past, month), organisation, list, desk)
    });
    let locale = i18n.get_locale_untracked();
    let notice = move || {
        query.with(|q| {
            if q.get("published").is_some() {
                Some(td_string!(locale, events.published_notice))
            } else if q.get("rejected").is_some() {
                Some(td_string!(locale, events.rejected_notice))
            } else {
                None
            }
        })
    };
    view! {
        <crate::app::MapScripts bundle=crate::assets::Bundle::Place />
        <section class="page events-page">
            <crate::components::page_title::PageHeading text=td_string!(locale, events.title) />
            <p class="lead">{td_string!(locale, events.intro)}</p>
            {move || notice().map(|n| view! { <SuccessNotice>{n}</SuccessNotice> })}
            <Suspense fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    let (view, organisation, list, desk) = data.await;
                    let site = match site.await {
                        Ok(s) => s,
                        Err(err) => return view! { <ErrorNotice error=err /> }.into_any(),
                    };
                    let desk = desk.unwrap_or_default();
                    match list {
                        Ok(list) => view! { <Calendar site view organisation list desk /> }.into_any(),
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Calendar(
    site: SiteContext,
    view: View,
    organisation: Option<String>,
    list: EventList,
    desk: CalendarDesk,
) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let slug = site.locality.site_slug().map(str::to_owned);
    let feed_query = |extra: &str| {
        let mut q = format!("?lang={locale}");
        if let Some(slug) = &slug {
            q.push_str(&format!("&locality={slug}"));
        }
        q.push_str(extra);
        q
    };
    let by_organisation =
        organisation.as_ref().map(|o| format!("&organisation={o}")).unwrap_or_default();
    let ics = format!("/api/v1/events.ics{}", feed_query(&by_organisation));
    let json = format!("/api/v1/events{}", feed_query(&by_organisation));
    let this_month = crate::format::local_date(chrono::Utc::now()).with_day(1).unwrap_or_default();
    let keep = |rest: &str| {
        let filter = organisation.as_ref().map(|o| format!("organisation={o}"));
        let query = [Some(rest.to_owned()).filter(|r| !r.is_empty()), filter]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("&");
        let query = if query.is_empty() { String::new() } else { format!("?{query}") };
        crate::paths::page(locale, &format!("/events{query}"))
    };
    let tabs = [
        (keep(""), td_string!(locale, events.upcoming), view == View::Upcoming),
        (
            keep(&format!("month={}", this_month.format("%Y-%m"))),
            td_string!(locale, events.month_view),
            matches!(view, View::Month(_)),
        ),
        (keep("past=1"), td_string!(locale, events.past), view == View::Past),
    ];
    let organisations = list.organisations.clone();
    let chosen = organisation.clone().unwrap_or_default();
    let may_propose = !desk.organisations.is_empty();
    let events = list.events;
    // Past events stay listed but leave the map to what is still to come.
    let mapped = if view == View::Past { &[][..] } else { &events[..] };
    let places: Vec<(String, crate::model::LatLng, String)> = mapped
        .iter()
        .filter_map(|e| {
            let at = e.at?;
            let page = crate::paths::page(locale, &format!("/events/{}", e.id));
            Some((page, at, e.title.get(locale).to_owned()))
        })
        .collect();
    let body = match &view {
        View::Month(first) => view! { <MonthGrid first=*first events=events.clone() keep=keep("") /> }.into_any(),
        _ if events.is_empty() => view! { <p>{td_string!(locale, events.none)}</p> }.into_any(),
        _ => view! { <ul class="event-list">{events.clone().into_iter().map(|event| view! { <EventItem event /> }).collect_view()}</ul> }.into_any(),
    };
    view! {
        {(!desk.unpublished.is_empty()).then(|| view! { <Desk desk=desk.clone() /> })}
        <div class="events-page__actions">
            {may_propose.then(|| view! {
                <a class="button" href=crate::paths::page(locale, "/events/new")>{td_string!(locale, events.propose)}</a>
            })}
            <a class="button button--secondary" href=ics type="text/calendar">{td_string!(locale, events.subscribe)}</a>
            <a href=json>{td_string!(locale, events.open_data)}</a>
            <a href=crate::paths::page(locale, "/resources")>{td_string!(locale, resources.title)}</a>
            <a href=crate::paths::page(locale, "/newsletters")>{td_string!(locale, newsletters.link)}</a>
        </div>
        <p class="muted">{td_string!(locale, events.subscribe_hint)}</p>
        <nav class="tabs" aria-label=td_string!(locale, events.views)>
            {tabs.into_iter().map(|(href, label, current)| view! {
                <a class="tabs__tab" href=href aria-current=current.then_some("page")>{label}</a>
            }).collect_view()}
        </nav>
        <form class="filters filters--inline" method="get">
            {match &view {
                View::Past => Some(view! { <input type="hidden" name="past" value="1" /> }.into_any()),
                View::Month(first) => Some(view! { <input type="hidden" name="month" value=first.format("%Y-%m").to_string() /> }.into_any()),
                View::Upcoming => None,
            }}
            <label for="events-organisation">{td_string!(locale, events.organiser)}</label>
            <select id="events-organisation" name="organisation">
                <option value="">{td_string!(locale, events.all_organisers)}</option>
                {organisations.into_iter().map(|o| {
                    let selected = o.slug == chosen;
                    view! { <option value=o.slug selected=selected>{o.name}</option> }
                }).collect_view()}
            </select>
            <button type="submit" class="button button--secondary">{td_string!(locale, events.show)}</button>
        </form>
        {(!places.is_empty()).then(|| view! {
            <crate::components::map::PlacesOnMap site places label=td_string!(locale, events.map_label) open=td_string!(locale, events.open) />
        })}
        {body}
    }
}

/// A month as a grid of weeks (Monday first), each day linking to its events listed below.
#[component]
fn MonthGrid(first: NaiveDate, events: Vec<Event>, keep: String) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
    let previous = first.checked_sub_months(chrono::Months::new(1)).unwrap_or(first);
    let sep = if keep.contains('?') { '&' } else { '?' };
    let link = |d: NaiveDate| format!("{keep}{sep}month={}", d.format("%Y-%m"));
    let day_of = |e: &Event| crate::format::local_date(e.starts_at);
    let days_in_month = (next - first).num_days();
    let lead = first.weekday().num_days_from_monday() as i64;
    let cells: Vec<Option<NaiveDate>> = (0..lead)
        .map(|_| None)
        .chain((0..days_in_month).map(|d| Some(first + chrono::TimeDelta::days(d))))
        .collect();
    let weeks: Vec<Vec<Option<NaiveDate>>> = cells.chunks(7).map(<[_]>::to_vec).collect();
    let weekdays = td_string!(locale, events.weekdays);
    let title = crate::format::month_name(first, locale);
    let counts = |d: NaiveDate| events.iter().filter(|e| day_of(e) == d).count();
    let listed: Vec<NaiveDate> = {
        let mut days: Vec<NaiveDate> =
            events.iter().map(day_of).filter(|d| d.month() == first.month()).collect();
        days.dedup();
        days
    };
    view! {
        <div class="month">
            <p class="month__nav">
                <a href=link(previous) rel="prev">"← " {crate::format::month_name(previous, locale)}</a>
                <a href=link(next) rel="next">{crate::format::month_name(next, locale)} " →"</a>
            </p>
            <table class="month__grid">
                <caption>{title}</caption>
                <thead><tr>{weekdays.split(',').map(|d| view! { <th scope="col" abbr=d.trim().to_owned()>{d.trim().chars().take(2).collect::<String>()}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {weeks.into_iter().map(|week| view! {
                        <tr>
                            {week.into_iter().map(|day| match day {
                                None => view! { <td></td> }.into_any(),
                                Some(d) => {
                                    let n = counts(d);
                                    let label = td_string!(locale, events.on_day, count = n).to_string();
                                    if n == 0 {
                                        view! { <td>{d.day()}</td> }.into_any()
                                    } else {
                                        view! { <td class="month__busy"><a href=format!("#day-{d}")>{d.day()}<span class="visually-hidden">{format!(" — {label}")}</span></a></td> }.into_any()
                                    }
                                }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {if listed.is_empty() {
            view! { <p>{td_string!(locale, events.none_this_month)}</p> }.into_any()
        } else {
            listed.into_iter().map(|d| {
                let of_day: Vec<Event> = events.iter().filter(|e| day_of(e) == d).cloned().collect();
                view! {
                    <h2 id=format!("day-{d}") class="month__day">{crate::format::date(d, locale)}</h2>
                    <ul class="event-list">{of_day.into_iter().map(|event| view! { <EventItem event /> }).collect_view()}</ul>
                }
            }).collect_view().into_any()
        }}
    }
}

/// Proposals waiting for review (publish or refuse, for staff) and refused events.
#[component]
fn Desk(desk: CalendarDesk) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let error = RwSignal::new(error_from_address(ReviewEvent::PATH));
    let reviewer = desk.reviewer;
    view! {
        <section class="desk" aria-labelledby="events-desk">
            <h2 id="events-desk">{td_string!(locale, events.desk_title)}</h2>
            <FormNotice error=error.into() />
            <ul class="event-list">
                {desk.unpublished.into_iter().map(|e| {
                    let id = e.id;
                    let waiting = e.status == EventStatus::Proposed;
                    let state = if waiting {
                        td_string!(locale, events.status_proposed).to_owned()
                    } else {
                        format!("{}: {}", td_string!(locale, events.status_rejected), e.review_note)
                    };
                    view! {
                        <li class="desk__item">
                            <ul class="event-list"><EventItem event=e /></ul>
                            <p class="muted">{state}</p>
                            {(reviewer && waiting).then(|| view! {
                                <ReviewForms action=ReviewEvent::PATH id id_prefix="reject" accept_value="publish"
                                    accept=td_string!(locale, events.publish) reject=td_string!(locale, events.reject)
                                    reason=td_string!(locale, events.reject_reason) />
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
