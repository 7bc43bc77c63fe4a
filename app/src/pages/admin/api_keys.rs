//! `/{lang}/admin/api-keys`: the Open311 API keys of a locality. An administrator names and
//! issues a key (shown once), sees when each was last used, and revokes it.

use super::{admin_error, reload_key};
use crate::api::open_data::{get_api_keys, ApiKeysPage, IssueApiKey, RevokeApiKey};
use crate::components::form::{action_error, Field, FormNotice, LangField};
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let i18n = use_i18n();
    let key = reload_key();
    let query = leptos_router::hooks::use_query_map();
    let page = Resource::new(
        move || (key.get(), query.with(|q| (q.get("locality"), q.get("issued")))),
        |(_, (locality, issued))| {
            get_api_keys(locality, issued.and_then(|i| i.parse::<i64>().ok()))
        },
    );
    view! {
        <div class="page">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), open_data.keys_title) />
            <Transition fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(data) => view! { <Keys data /> }.into_any(),
                        Err(err) => admin_error(err),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn Keys(data: ApiKeysPage) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let issue = ServerAction::<IssueApiKey>::new();
    let issue_error = action_error(issue);
    let revoke = ServerAction::<RevokeApiKey>::new();
    let revoke_error = action_error(revoke);
    let slug = data.locality_slug.clone();
    let when = move |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| format::date_time(t, l)).unwrap_or_else(|| "—".to_owned())
    };
    let rows = data
        .keys
        .iter()
        .cloned()
        .map(|k| {
            let revoked = k.revoked_at.is_some();
            let slug = slug.clone();
            view! {
                <tr>
                    <td>{k.name.clone()}</td>
                    <td><code>{format!("{}…", k.prefix)}</code></td>
                    <td>{format::date_time(k.created_at, l)}<br /><span class="muted">{k.created_by.clone()}</span></td>
                    <td>{when(k.last_used_at)}</td>
                    <td>
                        {if revoked {
                            view! { <span>{td_string!(l, open_data.key_revoked)} " " {when(k.revoked_at)}</span> }.into_any()
                        } else {
                            view! {
                                <ActionForm action=revoke>
                                    <LangField />
                                    <input type="hidden" name="locality" value=slug />
                                    <input type="hidden" name="key_id" value=k.id />
                                    <button type="submit" class="button button--small button--danger">{td_string!(l, open_data.key_revoke)}</button>
                                </ActionForm>
                            }.into_any()
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let issued = data.issued.clone().map(|k| {
        view! {
            <div class="notice notice--ok" role="status">
                <p>{td_string!(l, open_data.key_issued, name = k.name.clone())}</p>
                <p><code class="api-key">{k.key.clone()}</code></p>
                <p>{td_string!(l, open_data.key_shown_once)}</p>
            </div>
        }
    });
    let name_label =
        Signal::derive(move || td_string!(i18n.get_locale(), open_data.key_name).to_owned());
    view! {
        <p>{td_string!(l, open_data.keys_intro)} " — " {data.locality_name.clone()}</p>
        {issued}
        <FormNotice error=revoke_error />
        <crate::components::table::TableWrap label=td_string!(l, open_data.keys_title)>
            <table class="queue">
                <thead>
                    <tr>
                        <th scope="col">{td_string!(l, open_data.key_name)}</th>
                        <th scope="col">{td_string!(l, open_data.key_prefix)}</th>
                        <th scope="col">{td_string!(l, open_data.key_created)}</th>
                        <th scope="col">{td_string!(l, open_data.key_last_used)}</th>
                        <th scope="col"><span class="visually-hidden">{td_string!(l, open_data.key_revoke)}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </crate::components::table::TableWrap>
        <h2>{td_string!(l, open_data.key_issue_title)}</h2>
        <ActionForm action=issue attr:class="form form--inline">
            <LangField />
            <input type="hidden" name="locality" value=data.locality_slug.clone() />
            <Field name="name" label=name_label required=true maxlength=80 error=issue_error />
            <button type="submit" class="button">{td_string!(l, open_data.key_issue)}</button>
        </ActionForm>
    }
}
