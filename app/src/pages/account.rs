//! The signed-in person's own page: profile, sessions, export and deletion.

use crate::api::auth::{
    get_profile, ChangePassword, DeleteAccount, SignOutEverywhere, UpdateProfile,
};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    action_error, Field, FormNotice, LangField, SelectField, SuccessNotice,
};
use crate::components::localized::LocalizedText;
use crate::error::AppError;
use crate::i18n::*;
use crate::locale;
use crate::model::account::CivicGroup;
use crate::paths;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn group_label(l: Locale, g: CivicGroup) -> &'static str {
    match g {
        CivicGroup::Undisclosed => td_string!(l, account.group_undisclosed),
        CivicGroup::Resident => td_string!(l, account.group_resident),
        CivicGroup::Refugee => td_string!(l, account.group_refugee),
        CivicGroup::Migrant => td_string!(l, account.group_migrant),
        CivicGroup::Other => td_string!(l, account.group_other),
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let profile = Resource::new(|| (), |_| get_profile());
    view! {
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), account.title) />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(p) => view! { <AccountForms profile=p /> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <crate::components::layout::SignInPrompt /> }.into_any(),
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AccountForms(profile: crate::model::Profile) -> impl IntoView {
    let i18n = use_i18n();
    let update = ServerAction::<UpdateProfile>::new();
    let update_error = action_error(update);
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let delete = ServerAction::<DeleteAccount>::new();
    let delete_error = action_error(delete);
    let password = ServerAction::<ChangePassword>::new();
    let password_error = action_error(password);
    let query = use_query_map();
    let saved = move || query.with(|q| q.get("saved").is_some());
    let password_changed = move || query.with(|q| q.get("password_changed").is_some());
    let label = move |text: fn(Locale) -> &'static str| {
        Signal::derive(move || text(i18n.get_locale()).to_owned())
    };
    let languages = Signal::derive(move || {
        locale::ALL
            .into_iter()
            .map(|l| {
                let name = match l {
                    Locale::ro => td_string!(l, lang.ro),
                    Locale::ru => td_string!(l, lang.ru),
                    Locale::uk => td_string!(l, lang.uk),
                    Locale::en => td_string!(l, lang.en),
                };
                (l.to_string(), name.to_owned())
            })
            .collect::<Vec<_>>()
    });
    let groups = Signal::derive(move || {
        let l = i18n.get_locale();
        CivicGroup::ALL
            .into_iter()
            .map(|g| (g.as_str().to_owned(), group_label(l, g).to_owned()))
            .collect::<Vec<_>>()
    });
    let page_error = Signal::derive(move || {
        update_error.get().filter(|e| !matches!(e, AppError::Validation(_)))
    });
    let password_page_error = Signal::derive(move || {
        password_error.get().filter(|e| !matches!(e, AppError::Validation(_)))
    });
    let delete_page_error = Signal::derive(move || {
        delete_error.get().filter(|e| !matches!(e, AppError::Validation(_)))
    });
    let name = profile.display_name.clone();
    let preferred = profile.locale.clone();
    let group = profile.civic_group.as_str().to_owned();
    view! {
        <p class="muted">{t!(i18n, account.signed_in_as)} " " <strong>{profile.email.clone()}</strong></p>
        <Show when=saved>
            <SuccessNotice>{t!(i18n, account.saved)}</SuccessNotice>
        </Show>
        <h2>{t!(i18n, account.profile)}</h2>
        <FormNotice error=page_error />
        <ActionForm action=update attr:class="form">
            <LangField />
            <Field name="display_name" autocomplete="name" required=true maxlength=80 value=name
                label=label(|l| td_string!(l, auth.display_name)) error=update_error />
            <SelectField name="locale" label=label(|l| td_string!(l, account.preferred_language))
                options=languages selected=preferred error=update_error />
            <SelectField name="civic_group" label=label(|l| td_string!(l, account.group))
                options=groups selected=group error=update_error />
            <p class="field__hint">{t!(i18n, account.group_hint)}</p>
            <button type="submit" class="button">{t!(i18n, account.save)}</button>
        </ActionForm>

        <h2>{t!(i18n, account.my_activity)}</h2>
        <ul class="link-list">
            <li><a href=move || format!("/{}/reports?mine=1", i18n.get_locale())>{t!(i18n, account.my_reports)}</a></li>
            <li><a href=move || format!("/{}/initiatives?mine=1", i18n.get_locale())>{t!(i18n, account.my_initiatives)}</a></li>
        </ul>
        <h3>{t!(i18n, account.my_votes)}</h3>
        <MyVotes />

        <h2>{t!(i18n, account.data)}</h2>
        <p><a class="button button--secondary" href="/account/export.json" download="agora-account.json">{t!(i18n, account.export)}</a></p>
        <p><a href=move || paths::page(i18n.get_locale(), "/subscriptions")>{t!(i18n, alerts.account_link)}</a></p>
        <ActionForm action=everywhere attr:class="form form--inline">
            <LangField />
            <button type="submit" class="button button--secondary">{t!(i18n, account.sign_out_everywhere)}</button>
        </ActionForm>

        <h2 id="password">{t!(i18n, account.password_title)}</h2>
        <Show when=password_changed>
            <SuccessNotice>{t!(i18n, account.password_saved)}</SuccessNotice>
        </Show>
        <p>{t!(i18n, account.password_intro)}</p>
        <FormNotice error=password_page_error />
        <ActionForm action=password attr:class="form">
            <LangField />
            <Field name="current_password" kind="password" autocomplete="current-password" required=true
                label=label(|l| td_string!(l, account.current_password)) error=password_error />
            <Field name="new_password" kind="password" autocomplete="new-password" required=true
                label=label(|l| td_string!(l, auth.new_password)) error=password_error />
            <p class="field__hint">{t!(i18n, auth.password_hint)}</p>
            <button type="submit" class="button">{t!(i18n, account.password_submit)}</button>
        </ActionForm>

        <h2>{t!(i18n, account.delete_title)}</h2>
        <p>{t!(i18n, account.delete_explain)}</p>
        <FormNotice error=delete_page_error />
        <ActionForm action=delete attr:class="form">
            <LangField />
            <Field name="password" kind="password" autocomplete="current-password" required=true
                label=label(|l| td_string!(l, account.delete_password)) error=delete_error />
            <button type="submit" class="button button--danger">{t!(i18n, account.delete_submit)}</button>
        </ActionForm>
    }
}

#[component]
fn MyVotes() -> impl IntoView {
    let i18n = use_i18n();
    let votes = Resource::new(|| (), |_| crate::api::votes::my_votes());
    // Polls are listed under their question in the visitor's language.
    let polls = Resource::new(|| (), |_| crate::api::votes::list_polls(None));
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let list = votes.await.unwrap_or_default();
                if list.is_empty() {
                    return view! { <p class="muted">{t!(i18n, account.no_votes)}</p> }.into_any();
                }
                let polls = polls.await.unwrap_or_default();
                let locale = i18n.get_locale_untracked();
                view! {
                    <ul class="link-list">
                        {list.into_iter().map(|v| {
                            let is_poll = v.kind == crate::model::vote::SubjectKind::Poll;
                            let section = if is_poll { "/polls" } else { "/initiatives" };
                            let question = polls.iter().find(|p| is_poll && p.id == v.id).map(|p| p.question.clone());
                            let title = match question {
                                Some(q) => view! { <LocalizedText text=q /> }.into_any(),
                                None => v.title.clone().into_any(),
                            };
                            view! {
                                <li>
                                    <a href=paths::page(locale, &format!("{section}/{}", v.id))>{title}</a>
                                    " · " {crate::format::date(crate::format::local_date(v.cast_at), locale)}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            })}
        </Transition>
    }
}
