use crate::api::votes::{
    get_initiative, AnswerInitiative, InitiativeView, ModerateInitiative, SupportInitiative,
    WithdrawInitiative,
};
use crate::app::SiteResource;
use crate::components::error::ErrorNotice;
use crate::components::follow::FollowBox;
use crate::components::form::{action_error, FormNotice, LangField, SuccessNotice, TextArea};
use crate::components::layout::SignInPrompt;
use crate::components::level::{level_from, LevelBadge, LevelProgress};
use crate::components::map::PlaceOnMap;
use crate::components::share::{Preview, PreviewImage, Share};
use crate::error::AppError;
use crate::format;
use crate::i18n::*;
use crate::model::subscription::SubscriptionKind;
use crate::model::vote::Tally;
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};

#[component]
pub fn InitiativePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let location = use_location();
    let id =
        Signal::derive(move || params.with(|p| p.get("id").and_then(|i| i.parse::<i64>().ok())));
    let view = Resource::new(
        move || (id.get(), location.search.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_initiative(id, None).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <crate::app::MapScripts bundle=crate::assets::Bundle::Place />
        <Transition fallback=move || view! { <p class="page">{t!(i18n, map.loading)}</p> }>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(v) => view! { <InitiativeBody view=v /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
                    Err(err) => view! { <div class="page"><ErrorNotice error=err /></div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn InitiativeBody(view: InitiativeView) -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<SiteResource>();
    let ini = view.initiative.clone();
    let s = ini.summary.clone();
    let support = ServerAction::<SupportInitiative>::new();
    let withdraw = ServerAction::<WithdrawInitiative>::new();
    // What the page was loaded with, replaced by whichever action answered last.
    let tally =
        RwSignal::new(Tally { votes: s.votes, level: s.level, supported: ini.supported_by_viewer });
    for answered in [support.value(), withdraw.value()] {
        Effect::new(move |_| {
            if let Some(Ok(latest)) = answered.get() {
                tally.set(latest);
            }
        });
    }
    let support_error = action_error(support);
    let votes = Signal::derive(move || tally.get().votes);
    let level = Signal::derive(move || tally.get().level);
    let closed = ini.closed(chrono::Utc::now());
    let created = s.created_at;
    let category = s.category.clone();
    let id = s.id;
    let locale = i18n.get_locale_untracked();
    // Which language the author wrote in, named in the visitor's.
    let written = match crate::locale::parse(&s.lang) {
        Some(Locale::ro) => td_string!(locale, ux.written_in_ro),
        Some(Locale::ru) => td_string!(locale, ux.written_in_ru),
        Some(Locale::uk) => td_string!(locale, ux.written_in_uk),
        _ => td_string!(locale, ux.written_in_en),
    };
    let foreign = s.lang != locale.as_str();
    let query = leptos_router::hooks::use_query_map();
    let created_flag = move || query.with(|q| q.get("created").is_some());
    view! {
        <article class="page report-page">
            <Show when=created_flag>
                <SuccessNotice>{t!(i18n, initiatives.created)}</SuccessNotice>
            </Show>
            {ini.hidden_reason.clone().map(|r| view! { <p class="notice notice--error">{t!(i18n, initiatives.hidden)} ": " {r}</p> })}
            <header class="report-page__header">
                <p class="muted">{td_string!(locale, ux.initiative_number, id = id).to_string()}</p>
                <crate::components::page_title::PageHeading text=s.title.clone() lang=s.lang.clone() />
                <div class="report-card__meta">
                    {move || view! { <LevelBadge level=level.get() /> }}
                    <span>{t!(i18n, initiatives.by)} " " {s.author.clone()}</span>
                    <time datetime=created.to_rfc3339()>{move || format::date(format::local_date(created), i18n.get_locale())}</time>
                    {foreign.then(|| view! { <span class="muted">{written}</span> })}
                    <Suspense fallback=|| ()>
                        {move || {
                            let slug = category.clone();
                            Suspend::new(async move {
                                let c = site.await.ok().and_then(|s| s.locality.categories.into_iter().find(|c| Some(&c.slug) == slug.as_ref()));
                                c.map(|c| view! { <span class="category">{c.name.get(i18n.get_locale_untracked()).to_owned()}</span> })
                            })
                        }}
                    </Suspense>
                </div>
                {s.closes_at.map(|c| view! {
                    <p class="muted">{t!(i18n, initiatives.closes)} " " {move || format::date(format::local_date(c), i18n.get_locale())}</p>
                })}
            </header>
            <div class="report-page__grid">
                <div class="report-page__main">
                    {ini.has_image.then(|| view! {
                        <p><img class="initiative-image" src=format!("/media/initiatives/{id}") alt="" /></p>
                    })}
                    <p class="report-page__description" lang=s.lang.clone()>{ini.body.clone()}</p>
                    <section aria-labelledby="levels-title">
                        <h2 id="levels-title">{t!(i18n, initiatives.levels)}</h2>
                        <ul class="levels">
                            {crate::model::vote::Level::ALL.into_iter().map(|l| {
                                let reached = ini.levels_reached.iter().find(|(x, _)| *x == l).map(|(_, at)| *at);
                                let need = ini.thresholds.of(l);
                                view! {
                                    <li class=if reached.is_some() { "levels__item levels__item--reached" } else { "levels__item" }>
                                        <span class=format!("level level--{}", l.as_str()) lang="en">{l.badge()}</span>
                                        " " {level_from(locale, need)} " "
                                        {reached.map(|at| view! { <span class="muted">{t!(i18n, initiatives.reached_on)} " " {move || format::date(format::local_date(at), i18n.get_locale())}</span> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                    <section aria-labelledby="answer-title">
                        <h2 id="answer-title">{t!(i18n, initiatives.official_answer)}</h2>
                        {match (ini.official_answer.clone(), ini.answered_at) {
                            (Some(answer), Some(at)) => view! {
                                <div class="timeline__item timeline__item--official">
                                    <p class="timeline__head">
                                        <span class="official-badge">{t!(i18n, report.official)}</span>
                                        <time datetime=at.to_rfc3339()>{move || format::date_time(at, i18n.get_locale())}</time>
                                    </p>
                                    <p class="timeline__body">{answer}</p>
                                </div>
                            }.into_any(),
                            _ => {
                                let owed = ini.answer_level.map(|l| (l, ini.thresholds.of(l)));
                                view! {
                                    <p class="muted">
                                        {move || match owed {
                                            Some((l, n)) => t_string!(i18n, initiatives.answer_owed, level = l.badge(), count = n).to_string(),
                                            None => t_string!(i18n, initiatives.no_answer_yet).to_owned(),
                                        }}
                                    </p>
                                }.into_any()
                            }
                        }}
                        {view.can_answer.then(|| view! { <AnswerForm id /> })}
                    </section>
                </div>
                <aside class="report-page__side">
                    <section class="side-box" aria-labelledby="support-title">
                        <h2 id="support-title">{t!(i18n, initiatives.support_title)}</h2>
                        <p class="big-count" aria-live="polite" data-testid="initiative-votes">
                            {move || t_string!(i18n, initiatives.supporters, count = votes.get())}
                        </p>
                        <LevelProgress votes thresholds=ini.thresholds />
                        <FormNotice error=support_error />
                        {if closed {
                            view! { <p class="notice">{t!(i18n, initiatives.closed)}</p> }.into_any()
                        } else if !view.signed_in {
                            view! { <SignInPrompt /> }.into_any()
                        } else {
                            view! {
                                <Show
                                    when=move || tally.get().supported
                                    fallback=move || view! {
                                        <ActionForm action=support>
                                            <LangField />
                                            <input type="hidden" name="id" value=id />
                                            <button type="submit" class="button">{t!(i18n, initiatives.support)}</button>
                                        </ActionForm>
                                    }
                                >
                                    <p class="notice notice--ok">{t!(i18n, initiatives.you_support)}</p>
                                    <ActionForm action=withdraw>
                                        <LangField />
                                        <input type="hidden" name="id" value=id />
                                        <button type="submit" class="button button--secondary button--small">{t!(i18n, initiatives.withdraw)}</button>
                                    </ActionForm>
                                </Show>
                            }.into_any()
                        }}
                    </section>
                    <FollowBox kind=SubscriptionKind::Initiative id />
                    <Share preview=Preview {
                        title: s.title.clone(),
                        description: ini.body.clone(),
                        image: if ini.has_image {
                            PreviewImage::Photo(format!("/media/initiatives/{id}"))
                        } else {
                            PreviewImage::Drawn { kind: "initiatives", id }
                        },
                    } />
                    <Suspense fallback=|| ()>
                        {
                            let (at, title) = (s.at, s.title.clone());
                            move || {
                                let title = title.clone();
                                Suspend::new(async move {
                                    let site = site.await.ok();
                                    at.zip(site).map(|(at, site)| view! { <PlaceOnMap site at look=None title /> })
                                })
                            }
                        }
                    </Suspense>
                    {view.can_moderate.then(|| view! { <ModerateInitiativeForm id hidden=ini.hidden_reason.is_some() /> })}
                </aside>
            </div>
        </article>
    }
}

#[component]
fn AnswerForm(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let answer = ServerAction::<AnswerInitiative>::new();
    let error = action_error(answer);
    let label =
        Signal::derive(move || td_string!(i18n.get_locale(), initiatives.answer_label).to_owned());
    view! {
        <ActionForm action=answer attr:class="form staff-panel side-box">
            <LangField />
            <input type="hidden" name="id" value=id />
            <TextArea name="answer" label rows=5 required=true error />
            <button type="submit" class="button">{t!(i18n, initiatives.answer_submit)}</button>
        </ActionForm>
    }
}

#[component]
fn ModerateInitiativeForm(id: i64, hidden: bool) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ModerateInitiative>::new();
    let error = action_error(action);
    view! {
        <details class="moderate side-box">
            <summary>{move || if hidden { t_string!(i18n, initiatives.unhide) } else { t_string!(i18n, report.hide) }}</summary>
            <ActionForm action attr:class="form">
                <LangField />
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="hide" value=if hidden { "false" } else { "true" } />
                <label for="ini-reason">{t!(i18n, report.hide_reason)}</label>
                <input id="ini-reason" type="text" name="reason" required minlength="3" maxlength="300" />
                <button type="submit" class="button button--small button--danger">{t!(i18n, account.save)}</button>
                <FormNotice error />
            </ActionForm>
        </details>
    }
}
