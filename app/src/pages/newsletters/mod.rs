//! `/{lang}/newsletters`: the NGO network's quarterly newsletter, every published issue and a
//! way to receive the next ones by e-mail (signed in at once, or by an address confirmed by
//! link at `/{lang}/newsletters/confirm`). The network's secretariat also sees
//! its drafts and writes new issues (`edit.rs`); `issue.rs` shows one issue.

mod edit;
mod issue;

pub use edit::{EditNewsletterPage, NewNewsletterPage};
pub use issue::NewsletterPage;

use crate::api::newsletters::{
    list_newsletters, ConfirmNewsletter, NewsletterShelf, SubscribeNewsletter,
    UnsubscribeNewsletter,
};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    error_from_address, Field, FormError, FormNotice, LangField, SiteField, SuccessNotice,
};
use crate::i18n::*;
use crate::model::newsletter::Newsletter;
use crate::notices::network::quarter_label;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

/// "Published on 03.07.2026", or the draft badge's word.
pub(crate) fn issue_date(locale: Locale, issue: &Newsletter) -> String {
    match issue.published_at {
        Some(at) => td_string!(
            locale,
            newsletters.published_on,
            date = crate::format::date(crate::format::local_date(at), locale)
        )
        .to_string(),
        None => td_string!(locale, newsletters.draft_badge).to_owned(),
    }
}

#[component]
pub fn NewslettersPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let query = use_query_map();
    let notice = query.with_untracked(|q| {
        [
            ("subscribed", td_string!(locale, newsletters.subscribed)),
            ("check_mail", td_string!(locale, newsletters.check_mail)),
            ("unsubscribed", td_string!(locale, newsletters.unsubscribed)),
            ("confirmed", td_string!(locale, newsletters.confirmed)),
        ]
        .into_iter()
        .find(|(flag, _)| q.get(flag).is_some())
        .map(|(_, text)| text)
    });
    let shelf = Resource::new(|| (), |_| list_newsletters(None));
    view! {
        <section class="page page--narrow newsletters">
            <crate::components::page_title::PageHeading text=td_string!(locale, newsletters.title) />
            <p>{td_string!(locale, newsletters.intro)}</p>
            {notice.map(|n| view! { <SuccessNotice>{n}</SuccessNotice> })}
            <Suspense fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    match shelf.await {
                        Ok(shelf) => view! { <Shelf shelf /> }.into_any(),
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Shelf(shelf: NewsletterShelf) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let items = shelf
        .issues
        .iter()
        .map(|issue| {
            let (title, title_lang) = issue.title.get_in(locale);
            let href = crate::paths::page(locale, &format!("/newsletters/{}", issue.id));
            let draft = !issue.is_published();
            view! {
                <li class="newsletter-list__item">
                    <a href=href>
                        <span class="newsletter-list__quarter">{quarter_label(locale, issue.quarter)}</span>
                        <span class="newsletter-list__title" lang=title_lang.to_string()>{title.to_owned()}</span>
                    </a>
                    <span class=if draft { "badge badge--draft" } else { "muted" }>{issue_date(locale, issue)}</span>
                </li>
            }
        })
        .collect_view();
    let empty = shelf.issues.is_empty();
    let site = crate::paths::current_site().map(|s| format!("&locality={s}")).unwrap_or_default();
    let feed = format!("/feeds/newsletters.atom?lang={locale}{site}");
    view! {
        <Subscribe subscribed=shelf.subscribed />
        {shelf.writer.then(|| view! {
            <p><a class="button" href=crate::paths::page(locale, "/newsletters/new")>{td_string!(locale, newsletters.write)}</a></p>
        })}
        <h2>{td_string!(locale, newsletters.issues_heading)}</h2>
        <p class="muted"><a href=feed type="application/atom+xml">{td_string!(locale, newsletters.feed_link)}</a></p>
        {if empty {
            view! { <p>{td_string!(locale, newsletters.none)}</p> }.into_any()
        } else {
            view! { <ul class="newsletter-list">{items}</ul> }.into_any()
        }}
    }
}

/// Receiving it by e-mail: the signed-in viewer's state and button, or an address field.
#[component]
fn Subscribe(subscribed: Option<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let error: FormError = RwSignal::new(error_from_address(SubscribeNewsletter::PATH)).into();
    let label =
        Signal::derive(move || td_string!(i18n.get_locale(), newsletters.email_label).to_owned());
    let form = match subscribed {
        Some(true) => view! {
            <p>{td_string!(locale, newsletters.subscribed_state)}</p>
            <form method="post" action=UnsubscribeNewsletter::PATH>
                <LangField />
                <SiteField />
                <button type="submit" class="button button--secondary">{td_string!(locale, newsletters.unsubscribe_button)}</button>
            </form>
        }
        .into_any(),
        Some(false) => view! {
            <form method="post" action=SubscribeNewsletter::PATH>
                <LangField />
                <SiteField />
                <button type="submit" class="button">{td_string!(locale, newsletters.subscribe_button)}</button>
            </form>
        }
        .into_any(),
        None => view! {
            <FormNotice error />
            <form class="form form--inline" method="post" action=SubscribeNewsletter::PATH>
                <LangField />
                <SiteField />
                <Field name="email" kind="email" autocomplete="email" required=true maxlength=254 label error />
                <button type="submit" class="button">{td_string!(locale, newsletters.subscribe_button)}</button>
            </form>
        }
        .into_any(),
    };
    view! {
        <section class="newsletter-subscribe" aria-labelledby="newsletter-subscribe-title">
            <h2 id="newsletter-subscribe-title">{td_string!(locale, newsletters.subscribe_title)}</h2>
            <p class="muted">{td_string!(locale, newsletters.subscribe_intro)}</p>
            {form}
        </section>
    }
}

/// `/{lang}/newsletters/confirm?token=…`: the button that confirms an e-mailed subscription
/// (a press, so that link scanners confirm nothing).
#[component]
pub fn ConfirmNewsletterPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let token = use_query_map().with_untracked(|q| q.get("token").unwrap_or_default());
    let error: FormError = RwSignal::new(error_from_address(ConfirmNewsletter::PATH)).into();
    view! {
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=td_string!(locale, newsletters.confirm_title) />
            <FormNotice error />
            <form method="post" action=ConfirmNewsletter::PATH>
                <LangField />
                <input type="hidden" name="token" value=token />
                <button type="submit" class="button button--large">{td_string!(locale, newsletters.confirm_button)}</button>
            </form>
        </section>
    }
}
