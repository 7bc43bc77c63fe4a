//! `/{lang}/subscriptions`: every subscription of an address, each with its way out. Reached
//! from the link in every subscription message (`?token=`, no sign-in) or from the account page.

use crate::api::subscriptions::{list_subscriptions, RemoveSubscription};
use crate::components::error::ErrorNotice;
use crate::components::form::{action_error, FormNotice, LangField, SuccessNotice};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::subscription::{Subscription, SubscriptionKind};
use crate::paths;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SubscriptionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").filter(|t| !t.is_empty()));
    let removed = move || query.with(|q| q.get("removed").is_some());
    let locale = i18n.get_locale_untracked();
    let list =
        Resource::new(token, move |token| list_subscriptions(token, Some(locale.to_string())));
    view! {
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=td_string!(locale, alerts.manage_title) />
            <p>{t!(i18n, alerts.manage_intro)}</p>
            <Show when=removed>
                <SuccessNotice>{t!(i18n, alerts.unsubscribed)}</SuccessNotice>
            </Show>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => view! { <p>{t!(i18n, alerts.none)}</p> }.into_any(),
                        Ok(items) => view! { <SubscriptionList items token=token() /> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <crate::components::layout::SignInPrompt /> }.into_any(),
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn describe(locale: Locale, item: &Subscription) -> String {
    let id = item.target_id.unwrap_or(item.id);
    let title = item.title.as_str();
    match item.kind {
        SubscriptionKind::Report => {
            td_string!(locale, alerts.report_item, id = id, title = title).to_string()
        }
        SubscriptionKind::Initiative => {
            td_string!(locale, follow.initiative_item, title = title).to_string()
        }
        SubscriptionKind::Poll => td_string!(locale, follow.poll_item, title = title).to_string(),
        SubscriptionKind::Project => {
            td_string!(locale, follow.project_item, title = title).to_string()
        }
        SubscriptionKind::Newsletter => {
            td_string!(locale, newsletters.subscription_item, place = title).to_string()
        }
        SubscriptionKind::Area => {
            let place = format!("{:.5}, {:.5}", item.lat.unwrap_or(0.0), item.lng.unwrap_or(0.0));
            let text = td_string!(
                locale,
                alerts.area_item,
                radius = item.radius_m.unwrap_or(0),
                place = place
            )
            .to_string();
            if item.digest {
                format!("{text} ({})", td_string!(locale, alerts.daily))
            } else {
                text
            }
        }
    }
}

#[component]
fn SubscriptionList(items: Vec<Subscription>, token: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let remove = ServerAction::<RemoveSubscription>::new();
    let error = action_error(remove);
    view! {
        <FormNotice error />
        <ul class="subscriptions">
            {items
                .into_iter()
                .map(move |item| {
                    let token = token.clone();
                    let text = describe(locale, &item);
                    let label = match &item.page {
                        Some(page) => view! { <a href=paths::site_page(None, locale, page)>{text}</a> }.into_any(),
                        None => view! { <span>{text}</span> }.into_any(),
                    };
                    let pending = (!item.confirmed).then(|| view! { " " <em>"(" {td_string!(locale, alerts.pending)} ")"</em> });
                    view! {
                        <li class="subscriptions__item">
                            {label}
                            {pending}
                            <ActionForm action=remove attr:class="form form--inline">
                                <LangField />
                                {token.map(|t| view! { <input type="hidden" name="token" value=t /> })}
                                <input type="hidden" name="kind" value=item.kind.as_str() />
                                <input type="hidden" name="id" value=item.id />
                                <button type="submit" class="button button--secondary">{td_string!(locale, alerts.unsubscribe)}</button>
                            </ActionForm>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
