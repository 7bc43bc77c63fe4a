use crate::api::auth::SignOut;
use crate::app::ViewerResource;
use crate::components::form::LangField;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// "Sign in", or the signed-in person's menu (account, staff pages, sign out).
#[component]
pub fn UserMenu() -> impl IntoView {
    let i18n = use_i18n();
    let viewer = expect_context::<ViewerResource>();
    let location = use_location();
    let login_href = move || {
        let here = location.pathname.get();
        crate::paths::page(i18n.get_locale(), &format!("/login?next={}", urlencoding_min(&here)))
    };
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let viewer = viewer.await.unwrap_or_default();
                match viewer.user.clone() {
                    None => view! {
                        <a class="user-link" href=login_href>{t!(i18n, auth.login_link_short)}</a>
                    }.into_any(),
                    Some(user) => {
                        // Moderators hide content where they meet it; the queue is the clerks'.
                        let staff = viewer.grants.iter().any(|g| g.role != crate::model::Role::Moderator);
                        let admin = viewer.grants.iter().any(|g| matches!(g.role, crate::model::Role::Admin | crate::model::Role::Operator));
                        let operator = viewer.is_operator();
                        let sign_out = ServerAction::<SignOut>::new();
                        let name = if user.display_name.is_empty() { user.email.clone() } else { user.display_name.clone() };
                        view! {
                            <details class="user-menu">
                                <summary><span class="visually-hidden">{t!(i18n, auth.signed_in_as)} " "</span>{name}</summary>
                                <ul>
                                    <li><a href=move || crate::paths::page(i18n.get_locale(), "/account")>{t!(i18n, account.title)}</a></li>
                                    {staff.then(|| view! { <li><a href=move || crate::paths::page(i18n.get_locale(), "/staff")>{t!(i18n, staff.queue_title)}</a></li> })}
                                    {admin.then(|| view! { <li><a href=move || crate::paths::page(i18n.get_locale(), "/admin")>{t!(i18n, admin.title)}</a></li> })}
                                    {operator.then(|| view! { <li><a href=move || crate::paths::page(i18n.get_locale(), "/admin/outbox")>{t!(i18n, admin.outbox_title)}</a></li> })}
                                    <li>
                                        <ActionForm action=sign_out>
                                            <LangField />
                                            <button type="submit" class="link-button">{t!(i18n, auth.logout)}</button>
                                        </ActionForm>
                                    </li>
                                </ul>
                            </details>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Asks a visitor to sign in to use what follows, coming back here afterwards.
#[component]
pub fn SignInPrompt() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let href = move || {
        crate::paths::page(
            i18n.get_locale(),
            &format!("/login?next={}", urlencoding_min(&location.pathname.get())),
        )
    };
    view! {
        <p class="notice">
            {t!(i18n, auth.sign_in_needed)} " "
            <a href=href>{t!(i18n, auth.login_link_short)}</a>
        </p>
    }
}

/// Percent-encodes the few characters a path can carry that would break a query value.
pub fn urlencoding_min(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '%' => "%25".to_owned(),
            '&' => "%26".to_owned(),
            '?' => "%3F".to_owned(),
            '#' => "%23".to_owned(),
            '+' => "%2B".to_owned(),
            ' ' => "%20".to_owned(),
            c => c.to_string(),
        })
        .collect()
}
