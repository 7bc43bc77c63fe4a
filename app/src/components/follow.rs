//! "Follow": a box on the page of an initiative, a poll or a civic-budget project that starts or
//! stops its news by e-mail. Plain forms, so it works before (and without) the WASM.

use crate::api::subscriptions::{following, Follow, Unfollow};
use crate::components::form::{action_error, FormNotice, LangField};
use crate::components::layout::SignInPrompt;
use crate::i18n::*;
use crate::model::subscription::SubscriptionKind;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn FollowBox(kind: SubscriptionKind, id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let state = Resource::new(
        move || location.search.get(),
        move |_| following(kind.as_str().to_owned(), id),
    );
    let follow = ServerAction::<Follow>::new();
    let unfollow = ServerAction::<Unfollow>::new();
    let follow_error = action_error(follow);
    let unfollow_error = action_error(unfollow);
    let hint = move || match kind {
        SubscriptionKind::Initiative => td_string!(i18n.get_locale(), follow.initiative_hint),
        SubscriptionKind::Poll => td_string!(i18n.get_locale(), follow.poll_hint),
        _ => td_string!(i18n.get_locale(), follow.project_hint),
    };
    let fields = move || {
        view! {
            <LangField />
            <input type="hidden" name="kind" value=kind.as_str() />
            <input type="hidden" name="id" value=id />
        }
    };
    view! {
        <section class="side-box" aria-labelledby="follow-title">
            <h2 id="follow-title">{t!(i18n, follow.title)}</h2>
            <p>{hint}</p>
            <FormNotice error=follow_error />
            <FormNotice error=unfollow_error />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match state.await {
                        Ok(Some(true)) => view! {
                            <p class="notice notice--ok">{t!(i18n, follow.following)}</p>
                            <ActionForm action=unfollow>
                                {fields()}
                                <button type="submit" class="button button--secondary">{t!(i18n, follow.stop)}</button>
                            </ActionForm>
                        }.into_any(),
                        Ok(Some(false)) => view! {
                            <ActionForm action=follow>
                                {fields()}
                                <button type="submit" class="button button--secondary">{t!(i18n, follow.button)}</button>
                            </ActionForm>
                        }.into_any(),
                        _ => view! { <SignInPrompt /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
