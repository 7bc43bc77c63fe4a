//! The banner of city announcements valid now, above the home page's map.

use crate::i18n::*;
use crate::model::announcement::Announcement;
use crate::paths;
use leptos::prelude::*;

#[component]
pub fn AnnouncementBanner(items: Vec<Announcement>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    (!items.is_empty()).then(|| {
        let list = items
            .into_iter()
            .map(|a| {
                let (title, title_lang) = a.title.get_in(locale);
                let (body, body_lang) = a.body.get_in(locale);
                view! {
                    <li class="announcements__item">
                        <strong lang=title_lang.to_string()>{title.to_owned()}</strong>
                        " "
                        <span lang=body_lang.to_string()>{body.to_owned()}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <aside class="announcements" aria-labelledby="announcements-title">
                <h2 id="announcements-title" class="announcements__title">
                    <a href=paths::page(locale, "/announcements")>{td_string!(locale, alerts.announcements_title)}</a>
                </h2>
                <ul class="announcements__list">{list}</ul>
            </aside>
        }
    })
}
