//! `/{lang}/kiosk`: the kiosk's start screen (the four languages, then what a visitor can do
//! there), where staff also switch a screen to kiosk mode; `/{lang}/kiosk/glance`: the city at
//! a glance, shown while nobody uses the kiosk.

mod glance;

pub use glance::GlancePage;

use crate::api::kiosk::{kiosk_idle, StartKiosk, StopKiosk, IDLE_DEFAULT};
use crate::app::ViewerResource;
use crate::components::form::{LangField, SiteField};
use crate::components::kiosk::own_name;
use crate::i18n::*;
use crate::locale;
use crate::paths;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The idle times offered to staff, in seconds.
const IDLE_CHOICES: [u32; 6] = [30, 60, 90, 120, 180, 300];

#[component]
pub fn KioskStartPage() -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let viewer = expect_context::<ViewerResource>();
    let kiosk = kiosk_idle();
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    let languages = locale::ALL
        .into_iter()
        .map(|l| {
            let current = (l == locale).then_some("true");
            view! {
                <li>
                    <a class="kiosk-lang" href=paths::switch_language(&path, "", l) lang=l.to_string()
                        hreflang=l.to_string() aria-current=current>
                        <span class="kiosk-lang__hello">{td_string!(l, kiosk.welcome)}</span>
                        <span class="kiosk-lang__name">{own_name(l)}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    let tile = |rest: &str, icon: &'static str, text: &'static str| {
        view! {
            <li>
                <a class="kiosk-tile" href=paths::page(locale, rest)>
                    <img src=format!("/icons/{icon}.svg") alt="" width="56" height="56" />
                    <span>{text}</span>
                </a>
            </li>
        }
    };
    view! {
        <section class="kiosk-start" data-kiosk-page="start">
            <crate::components::page_title::PageHeading text=td_string!(locale, kiosk.title) />
            <nav aria-label=td_string!(locale, nav.language)>
                <ul class="kiosk-langs">{languages}</ul>
            </nav>
            <h2>{td_string!(locale, kiosk.what_to_do)}</h2>
            <ul class="kiosk-tiles">
                {tile("/reports/new", "road", td_string!(locale, nav.report_problem))}
                {tile("", "building", td_string!(locale, nav.map))}
                {tile("/initiatives", "tree", td_string!(locale, nav.initiatives))}
                {tile("/polls", "dots", td_string!(locale, nav.polls))}
                {tile("/surveys", "dots", td_string!(locale, nav.surveys))}
                {tile("/budget", "building", td_string!(locale, nav.budget))}
                {tile("/services", "drop", td_string!(locale, nav.services))}
                {tile("/events", "bus", td_string!(locale, nav.events))}
            </ul>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let viewer = viewer.await.unwrap_or_default();
                    let site = crate::store::site_slug();
                    let staff = match crate::store::request_locality(site.as_deref()).await {
                        Ok(locality) => viewer.is_staff_of(locality.id),
                        Err(_) => false,
                    };
                    staff.then(|| view! { <KioskSetting on=kiosk.is_some() /> })
                })}
            </Suspense>
        </section>
    }
}

/// For the locality's staff: switch this screen to kiosk mode (which signs them out), or back.
#[component]
fn KioskSetting(on: bool) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    if on {
        return view! {
            <form method="post" action=StopKiosk::PATH class="form kiosk-setting">
                <h2>{td_string!(locale, kiosk.setting_title)}</h2>
                <p>{td_string!(locale, kiosk.is_on)}</p>
                <LangField />
                <SiteField />
                <button type="submit" class="button button--secondary">{td_string!(locale, kiosk.switch_off)}</button>
            </form>
        }
        .into_any();
    }
    let choices = IDLE_CHOICES
        .into_iter()
        .map(|s| {
            view! {
                <option value=s.to_string() selected={ s == IDLE_DEFAULT }>
                    {td_string!(locale, kiosk.idle_choice, seconds = s)}
                </option>
            }
        })
        .collect_view();
    view! {
        <form method="post" action=StartKiosk::PATH class="form kiosk-setting">
            <h2>{td_string!(locale, kiosk.setting_title)}</h2>
            <p>{td_string!(locale, kiosk.setting_intro)}</p>
            <LangField />
            <SiteField />
            <div class="field">
                <label for="kiosk-idle">{td_string!(locale, kiosk.idle_label)}</label>
                <select id="kiosk-idle" name="idle">{choices}</select>
            </div>
            <button type="submit" class="button">{td_string!(locale, kiosk.switch_on)}</button>
        </form>
    }
    .into_any()
}
