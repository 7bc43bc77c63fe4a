//! The orientation and referral directory: `/{lang}/services` (the finder and the list),
//! `/{lang}/services/{id}`, its printable referral sheet, and the form of those who keep the
//! entries (`/services/new`, `/services/{id}/edit`).

mod detail;
mod edit;
mod finder;
mod sheet;

pub use detail::ServicePage;
pub use edit::{EditServicePage, NewServicePage};
pub use finder::ServicesPage;
pub use sheet::ReferralSheetPage;

use crate::i18n::*;
use crate::model::directory::{
    OpeningHours, Seeker, Service, ServiceAudience, ServiceCategory, ServiceMatch,
};
use leptos::prelude::*;

pub fn category_label(locale: Locale, c: ServiceCategory) -> &'static str {
    match c {
        ServiceCategory::LegalAid => td_string!(locale, services.category_legal_aid),
        ServiceCategory::LanguageCourses => td_string!(locale, services.category_language_courses),
        ServiceCategory::Counselling => td_string!(locale, services.category_counselling),
        ServiceCategory::SocialServices => td_string!(locale, services.category_social_services),
        ServiceCategory::Health => td_string!(locale, services.category_health),
        ServiceCategory::Employment => td_string!(locale, services.category_employment),
        ServiceCategory::EducationChildren => {
            td_string!(locale, services.category_education_children)
        }
        ServiceCategory::Housing => td_string!(locale, services.category_housing),
        ServiceCategory::Other => td_string!(locale, services.category_other),
    }
}

/// The finder's first screen: what each kind of help is, in plain words.
pub fn category_hint(locale: Locale, c: ServiceCategory) -> &'static str {
    match c {
        ServiceCategory::LegalAid => td_string!(locale, services.hint_legal_aid),
        ServiceCategory::LanguageCourses => td_string!(locale, services.hint_language_courses),
        ServiceCategory::Counselling => td_string!(locale, services.hint_counselling),
        ServiceCategory::SocialServices => td_string!(locale, services.hint_social_services),
        ServiceCategory::Health => td_string!(locale, services.hint_health),
        ServiceCategory::Employment => td_string!(locale, services.hint_employment),
        ServiceCategory::EducationChildren => td_string!(locale, services.hint_education_children),
        ServiceCategory::Housing => td_string!(locale, services.hint_housing),
        ServiceCategory::Other => td_string!(locale, services.hint_other),
    }
}

pub fn audience_label(locale: Locale, a: ServiceAudience) -> &'static str {
    match a {
        ServiceAudience::Everyone => td_string!(locale, services.audience_everyone),
        ServiceAudience::RefugeesMigrants => {
            td_string!(locale, services.audience_refugees_migrants)
        }
        ServiceAudience::ChildrenFamilies => {
            td_string!(locale, services.audience_children_families)
        }
        ServiceAudience::Women => td_string!(locale, services.audience_women),
        ServiceAudience::Elderly => td_string!(locale, services.audience_elderly),
        ServiceAudience::Youth => td_string!(locale, services.audience_youth),
    }
}

pub fn seeker_label(locale: Locale, s: Seeker) -> &'static str {
    match s {
        Seeker::Adult => td_string!(locale, services.who_adult),
        Seeker::Child => td_string!(locale, services.who_child),
        Seeker::Woman => td_string!(locale, services.who_woman),
        Seeker::Elderly => td_string!(locale, services.who_elderly),
        Seeker::Young => td_string!(locale, services.who_young),
    }
}

/// The languages spoken, named in the visitor's: `română, українська`.
pub fn languages_text(locale: Locale, codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| crate::pages::events::language_label(locale, c))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn cost_label(locale: Locale, free: bool) -> &'static str {
    if free {
        td_string!(locale, services.free)
    } else {
        td_string!(locale, services.paid)
    }
}

/// Open now, closed now, open day and night, or by appointment.
pub fn open_state(
    locale: Locale,
    hours: &OpeningHours,
    open_now: bool,
) -> (&'static str, &'static str) {
    if hours.always() {
        (td_string!(locale, services.always_open), "open")
    } else if hours.by_appointment() {
        (td_string!(locale, services.by_appointment), "appointment")
    } else if open_now {
        (td_string!(locale, services.open_now), "open")
    } else {
        (td_string!(locale, services.closed_now), "closed")
    }
}

/// A distance as people say it: `450 m`, `1,2 km`.
pub fn distance_text(locale: Locale, metres: u32) -> String {
    if metres < 1000 {
        format!("{} m", (metres / 10) * 10)
    } else {
        format!("{} km", crate::format::one_decimal(f64::from(metres) / 1000.0, locale))
    }
}

/// The week's opening hours as a table, Monday first.
#[component]
pub fn HoursTable(hours: OpeningHours) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    if hours.always() || hours.by_appointment() {
        return view! { <p>{open_state(locale, &hours, false).0}</p> }.into_any();
    }
    let weekdays = td_string!(locale, events.weekdays);
    let rows: Vec<(String, String)> = weekdays
        .split(',')
        .enumerate()
        .map(|(i, day)| {
            let ranges: Vec<String> =
                hours.day(i).iter().map(|r| OpeningHours::range_text(*r)).collect();
            let text = if ranges.is_empty() {
                td_string!(locale, services.closed).to_owned()
            } else {
                ranges.join(", ")
            };
            (day.trim().to_owned(), text)
        })
        .collect();
    view! {
        <table class="hours-table">
            <caption class="visually-hidden">{td_string!(locale, services.hours)}</caption>
            <tbody>
                {rows.into_iter().map(|(day, text)| view! { <tr><th scope="row">{day}</th><td>{text}</td></tr> }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

pub fn service_href(locale: Locale, id: i64) -> String {
    crate::paths::page(locale, &format!("/services/{id}"))
}

/// One service in a list: its name (a link), who provides it, whether it is open now, how far,
/// and how to reach it.
#[component]
pub fn ServiceItem(found: ServiceMatch) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let s: Service = found.service;
    let (name, name_lang) = s.draft.name.get_in(locale);
    let (state, state_class) = open_state(locale, &s.draft.hours, found.open_now);
    let phone = s.draft.phone.clone();
    view! {
        <li class="service-item" id=format!("service-{}", s.id)>
            <h3 class="service-item__name"><a href=service_href(locale, s.id) lang=name_lang.to_string()>{name.to_owned()}</a></h3>
            <p class="service-item__meta">{s.draft.provider.clone()}</p>
            <p class="service-item__tags">
                <span class=format!("badge badge--{state_class}")>{state}</span>
                {found.distance_m.map(|m| view! { <span class="tag">{distance_text(locale, m)}</span> })}
                <span class="tag">{category_label(locale, s.draft.category)}</span>
                <span class="tag">{cost_label(locale, s.draft.free)}</span>
            </p>
            <p class="service-item__meta">
                {s.draft.address.clone()}
                " · "{td_string!(locale, services.speaks)}": "{languages_text(locale, &s.draft.languages)}
            </p>
            {phone.map(|p| view! { <p class="service-item__meta"><a href=format!("tel:{}", p.replace(' ', ""))>{p.clone()}</a></p> })}
        </li>
    }
}
