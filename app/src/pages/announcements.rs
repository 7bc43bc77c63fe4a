//! `/{lang}/announcements`: the city's announcements, newest first, and for staff the form that
//! publishes one.

use crate::api::alerts::RADII;
use crate::api::announcements::{list_announcements, CreateAnnouncement};
use crate::app::{SiteResource, ViewerResource};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    error_from_address, Field, FormError, FormNotice, LangField, SuccessNotice, TextArea,
};
use crate::i18n::*;
use crate::model::announcement::Announcement;
use crate::model::SiteContext;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AnnouncementsPage() -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<SiteResource>();
    let viewer = expect_context::<ViewerResource>();
    let query = use_query_map();
    let published = move || query.with(|q| q.get("published").is_some());
    let locale = i18n.get_locale_untracked();
    view! {
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=td_string!(locale, alerts.announcements_title) />
            <Show when=published>
                <SuccessNotice>{t!(i18n, alerts.published)}</SuccessNotice>
            </Show>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let site = match site.await {
                        Ok(s) => s,
                        Err(err) => return view! { <ErrorNotice error=err /> }.into_any(),
                    };
                    let staff = viewer.await.ok().is_some_and(|v| v.is_staff_of(site.locality.id));
                    let items = list_announcements(None, Some(site.locality.slug.clone())).await;
                    view! {
                        {match items {
                            Ok(items) => view! { <AnnouncementList items /> }.into_any(),
                            Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                        }}
                        {staff.then(|| view! { <PublishForm site /> })}
                    }
                    .into_any()
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AnnouncementList(items: Vec<Announcement>) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    if items.is_empty() {
        return view! { <p>{td_string!(locale, alerts.no_announcements)}</p> }.into_any();
    }
    let now = chrono::Utc::now();
    view! {
        <ul class="announcement-list">
            {items
                .into_iter()
                .map(|a| {
                    let (title, title_lang) = a.title.get_in(locale);
                    let (body, body_lang) = a.body.get_in(locale);
                    let period = format!(
                        "{} – {}",
                        crate::format::date_time(a.valid_from, locale),
                        crate::format::date_time(a.valid_until, locale)
                    );
                    let expired = a.valid_until <= now;
                    let area = a.radius_m.map(|r| {
                        td_string!(locale, alerts.announcement_area, radius = r).to_string()
                    });
                    view! {
                        <li class="announcement-list__item" id=format!("announcement-{}", a.id)>
                            <h2 lang=title_lang.to_string()>{title.to_owned()}</h2>
                            <p class="announcement-list__meta">
                                {period}
                                {expired.then(|| format!(" · {}", td_string!(locale, alerts.expired)))}
                                {area.map(|a| format!(" · {a}"))}
                            </p>
                            <p lang=body_lang.to_string() class="announcement-list__body">{body.to_owned()}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn PublishForm(site: SiteContext) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let error: FormError = RwSignal::new(error_from_address(CreateAnnouncement::PATH)).into();
    let label = move |text: fn(Locale) -> &'static str| {
        Signal::derive(move || text(i18n.get_locale()).to_owned())
    };
    let languages = [
        (Locale::ro, "title_ro", "body_ro"),
        (Locale::ru, "title_ru", "body_ru"),
        (Locale::uk, "title_uk", "body_uk"),
        (Locale::en, "title_en", "body_en"),
    ];
    let per_language = languages
        .into_iter()
        .map(|(l, title, body)| {
            let name = match l {
                Locale::ro => td_string!(locale, lang.ro),
                Locale::ru => td_string!(locale, lang.ru),
                Locale::uk => td_string!(locale, lang.uk),
                Locale::en => td_string!(locale, lang.en),
            };
            let required = l == Locale::ro;
            view! {
                <fieldset class="form-section" lang=l.to_string()>
                    <legend>{name}</legend>
                    <Field name=title required maxlength=150 label=label(|l| td_string!(l, alerts.announcement_title)) error />
                    <TextArea name=body required maxlength=4000 rows=4 label=label(|l| td_string!(l, alerts.announcement_body)) error />
                </fieldset>
            }
        })
        .collect_view();
    let radii = RADII
        .iter()
        .map(|r| view! { <option value=r.to_string() selected=*r == 500>{format!("{r} m")}</option> })
        .collect_view();
    let centre = site.locality.centre;
    view! {
        <h2>{t!(i18n, alerts.publish_title)}</h2>
        <FormNotice error />
        <form class="form" method="post" action=CreateAnnouncement::PATH>
            <LangField />
            <crate::components::form::SiteField />
            {per_language}
            <fieldset class="form-section">
                <legend>{t!(i18n, alerts.announcement_scope)}</legend>
                <label class="radio"><input type="radio" name="scope" value="locality" checked />" " {t!(i18n, alerts.scope_locality)}</label>
                <label class="radio"><input type="radio" name="scope" value="area" />" " {t!(i18n, alerts.scope_area)}</label>
                <Field name="lat" value=crate::model::geo::fixed(centre.lat, 5) label=label(|l| td_string!(l, alerts.latitude)) error />
                <Field name="lng" value=crate::model::geo::fixed(centre.lng, 5) label=label(|l| td_string!(l, alerts.longitude)) error />
                <label for="field-radius">{t!(i18n, alerts.radius)}</label>
                <select id="field-radius" name="radius">{radii}</select>
            </fieldset>
            <fieldset class="form-section">
                <legend>{t!(i18n, alerts.validity)}</legend>
                <Field name="valid_from" kind="datetime-local" required=true label=label(|l| td_string!(l, alerts.valid_from)) error />
                <Field name="valid_until" kind="datetime-local" required=true label=label(|l| td_string!(l, alerts.valid_until)) error />
            </fieldset>
            <button type="submit" class="button">{t!(i18n, alerts.publish)}</button>
        </form>
    }
}
