use super::{admin_error, reload_key};
use crate::api::admin::{get_localities, get_outbox, ImportLocality};
use crate::components::form::{action_error, FormNotice, LangField, TextArea};
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;

/// Operators: every message Agora sent or queued (without SMTP, this is where mail waits).
#[component]
pub fn OutboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = Resource::new(|| (), |_| get_outbox());
    view! {
        <div class="page">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), admin.outbox_title) />
            <p class="field__hint">{t!(i18n, admin.outbox_hint)}</p>
            <Transition fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    match outbox.await {
                        Ok(messages) => view! {
                            <ol class="outbox">
                                {messages.into_iter().map(|m| {
                                    let at = m.created_at;
                                    let sent = m.sent_at;
                                    view! {
                                        <li class="outbox__item" data-to=m.to.clone()>
                                            <p class="muted">
                                                {move || format::date_time(at, i18n.get_locale())} " · " {m.to.clone()} " · "
                                                {move || match sent {
                                                    Some(_) => t_string!(i18n, admin.sent),
                                                    None => t_string!(i18n, admin.queued),
                                                }}
                                            </p>
                                            <p><strong>{m.subject.clone()}</strong></p>
                                            <pre class="outbox__body">{m.body.clone()}</pre>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(err) => admin_error(err),
                    }
                })}
            </Transition>
        </div>
    }
}

/// Operators: the localities, and adding one from its JSON description.
#[component]
pub fn LocalitiesPage() -> impl IntoView {
    let i18n = use_i18n();
    let key = reload_key();
    let localities = Resource::new(move || key.get(), |_| get_localities());
    let import = ServerAction::<ImportLocality>::new();
    let error = action_error(import);
    let label =
        Signal::derive(move || td_string!(i18n.get_locale(), admin.locality_json).to_owned());
    view! {
        <div class="page">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), admin.localities_title) />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match localities.await {
                        Ok(list) => view! {
                            <ul>{list.into_iter().map(|(id, slug, name)| view! { <li>{name} " (" {slug} ", #" {id} ")"</li> }).collect_view()}</ul>
                        }.into_any(),
                        Err(err) => admin_error(err),
                    }
                })}
            </Transition>
            <h2>{t!(i18n, admin.import_locality)}</h2>
            <p class="field__hint">{t!(i18n, admin.import_hint)}</p>
            <FormNotice error />
            <ActionForm action=import attr:class="form">
                <LangField />
                <TextArea name="json" label rows=14 required=true error />
                <button type="submit" class="button">{t!(i18n, account.save)}</button>
            </ActionForm>
        </div>
    }
}
