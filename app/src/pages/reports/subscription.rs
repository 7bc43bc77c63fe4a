use crate::api::reports::ConfirmSubscription;
use crate::components::form::{action_error, FormNotice, LangField};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Confirms an e-mail subscription with a button press (link scanners must not confirm it).
#[component]
pub fn ConfirmSubscriptionPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ConfirmSubscription>::new();
    let error = action_error(action);
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    view! {
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), report.follow_title) />
            <FormNotice error />
            <ActionForm action attr:class="form">
                <LangField />
                <input type="hidden" name="token" value=token />
                <button type="submit" class="button">{t!(i18n, newreport.confirm_follow)}</button>
            </ActionForm>
        </section>
    }
}
