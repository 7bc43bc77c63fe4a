//! The NGO network's calendar: `/{lang}/events` (upcoming, past and month views, the map,
//! and the review desk), `/{lang}/events/{id}` and `/{lang}/events/new`.

mod calendar;
mod detail;
mod new;

pub use calendar::EventsPage;
pub use detail::EventPage;
pub use new::NewEventPage;

use crate::i18n::*;
use crate::model::network::{Audience, Event, EventCategory};
use leptos::prelude::*;

pub fn category_label(locale: Locale, c: EventCategory) -> &'static str {
    match c {
        EventCategory::Workshop => td_string!(locale, events.category_workshop),
        EventCategory::Consultation => td_string!(locale, events.category_consultation),
        EventCategory::Culture => td_string!(locale, events.category_culture),
        EventCategory::Volunteering => td_string!(locale, events.category_volunteering),
        EventCategory::Information => td_string!(locale, events.category_information),
        EventCategory::Networking => td_string!(locale, events.category_networking),
    }
}

pub fn audience_label(locale: Locale, a: Audience) -> &'static str {
    match a {
        Audience::Everyone => td_string!(locale, events.audience_everyone),
        Audience::RefugeesMigrants => td_string!(locale, events.audience_refugees_migrants),
        Audience::Youth => td_string!(locale, events.audience_youth),
        Audience::Elderly => td_string!(locale, events.audience_elderly),
        Audience::Families => td_string!(locale, events.audience_families),
        Audience::Ngos => td_string!(locale, events.audience_ngos),
    }
}

/// The language an event is held in, named in the visitor's.
pub fn language_label(locale: Locale, code: &str) -> &'static str {
    match code {
        "ro" => td_string!(locale, lang.ro),
        "ru" => td_string!(locale, lang.ru),
        "uk" => td_string!(locale, lang.uk),
        "en" => td_string!(locale, lang.en),
        _ => td_string!(locale, events.language_multi),
    }
}

/// When an event happens, in the city's time: `12.03.2026, 10:00 – 12:00`, or both dates
/// when it spans days.
pub fn when(e: &Event, locale: Locale) -> String {
    use crate::format::{date_time, local_date};
    let start = date_time(e.starts_at, locale);
    if local_date(e.starts_at) == local_date(e.ends_at) {
        let end = e.ends_at.with_timezone(&chrono_tz::Europe::Chisinau).format("%H:%M");
        format!("{start} – {end}")
    } else {
        format!("{start} – {}", date_time(e.ends_at, locale))
    }
}

/// One event in a list: when, what (a link to its page), who, where and for whom.
#[component]
pub fn EventItem(event: Event) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let (title, title_lang) = event.title.get_in(locale);
    let href = crate::paths::page(locale, &format!("/events/{}", event.id));
    let place = if event.place.is_empty() {
        td_string!(locale, events.online).to_owned()
    } else if event.online_url.is_empty() {
        event.place.clone()
    } else {
        format!("{} · {}", event.place, td_string!(locale, events.online))
    };
    view! {
        <li class="event-item" id=format!("event-{}", event.id)>
            <p class="event-item__when"><time datetime=event.starts_at.to_rfc3339()>{when(&event, locale)}</time></p>
            <h3 class="event-item__title"><a href=href lang=title_lang.to_string()>{title.to_owned()}</a></h3>
            <p class="event-item__meta">
                <span>{event.organisation.name.clone()}</span>
                " · "<span>{place}</span>
            </p>
            <p class="event-item__tags">
                <span class="tag">{category_label(locale, event.category)}</span>
                <span class="tag">{audience_label(locale, event.audience)}</span>
                <span class="tag">{language_label(locale, &event.language)}</span>
            </p>
        </li>
    }
}
