use super::list::status_label;
use crate::api::votes::{get_poll, PollView, VotePoll};
use crate::app::IslandScripts;
use crate::components::error::ErrorNotice;
use crate::components::form::{action_error, problem_text, FormNotice, LangField, SuccessNotice};
use crate::components::layout::SignInPrompt;
use crate::error::AppError;
use crate::format;
use crate::i18n::*;
use crate::islands::{LiveResults, Plural, ResultsWords};
use crate::model::vote::{PollDetail, PollStatus, VoteOutcome};
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

#[component]
pub fn PollPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let location = use_location();
    let id =
        Signal::derive(move || params.with(|p| p.get("id").and_then(|i| i.parse::<i64>().ok())));
    let poll = Resource::new(
        move || (id.get(), location.search.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_poll(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <IslandScripts bundle=crate::assets::Bundle::Poll />
        <Transition fallback=move || view! { <p class="page">{t!(i18n, map.loading)}</p> }>
            {move || Suspend::new(async move {
                match poll.await {
                    Ok(v) => view! { <PollBody view=v /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
                    Err(err) => view! { <div class="page"><ErrorNotice error=err /></div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PollBody(view: PollView) -> impl IntoView {
    let i18n = use_i18n();
    let p = view.poll.clone();
    let s = p.summary.clone();
    let id = s.id;
    let question = s.question.clone();
    let description = p.description.clone();
    let (opens, closes) = (s.opens_at, s.closes_at);
    let query = use_query_map();
    let voted_now = move || query.with(|q| q.get("voted").is_some());
    let can_vote = s.status == PollStatus::Open && p.viewer_choices.is_none();
    view! {
        <article class="page page--narrow poll-page">
            <Show when=voted_now>
                <SuccessNotice>{t!(i18n, polls.thanks)}</SuccessNotice>
            </Show>
            <p class="muted">{t!(i18n, polls.title)} " #" {id}</p>
            <h1>{move || question.get(i18n.get_locale()).to_owned()}</h1>
            <p class="report-card__meta">
                <span class=format!("badge badge--poll-{}", s.status.as_str())>{move || status_label(i18n.get_locale(), s.status)}</span>
                <span>{move || format!("{} – {}", format::date_time(opens, i18n.get_locale()), format::date_time(closes, i18n.get_locale()))}</span>
            </p>
            {move || {
                let d = description.get(i18n.get_locale()).to_owned();
                (!d.is_empty()).then(|| view! { <p class="report-page__description">{d}</p> })
            }}
            {(s.status == PollStatus::Closed).then(|| view! { <p class="notice" role="status"><strong>{t!(i18n, polls.closed_notice)}</strong></p> })}
            {match (can_vote, view.signed_in) {
                (true, true) => view! { <VoteForm poll=p.clone() /> }.into_any(),
                (true, false) => view! { <SignInPrompt /> }.into_any(),
                _ => ().into_any(),
            }}
            {p.viewer_choices.is_some().then(|| view! { <p class="notice notice--ok">{t!(i18n, polls.you_voted)}</p> })}
            <Results poll=p.clone() />
        </article>
    }
}

#[component]
fn VoteForm(poll: PollDetail) -> impl IntoView {
    let i18n = use_i18n();
    let vote = ServerAction::<VotePoll>::new();
    let error = action_error(vote);
    let problem =
        move || error.with(|e| e.as_ref().and_then(|e| e.field_problems("choices").next()));
    let page_error =
        Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    let multiple = poll.max_choices > 1;
    let max = poll.max_choices;
    let already =
        move || matches!(vote.value().get(), Some(Ok(r)) if r.outcome == VoteOutcome::AlreadyVoted);
    view! {
        <ActionForm action=vote attr:class="form poll-form">
            <LangField />
            <input type="hidden" name="poll_id" value=poll.summary.id />
            <fieldset class="form-section" aria-describedby="poll-choices-hint">
                <legend>{t!(i18n, polls.your_answer)}</legend>
                <p id="poll-choices-hint" class="field__hint">
                    {move || if multiple { t_string!(i18n, polls.choose_up_to, max = max).to_string() } else { t_string!(i18n, polls.choose_one).to_owned() }}
                </p>
                {move || problem().map(|p| view! { <p class="field__error" role="alert">{problem_text(i18n.get_locale(), p)}</p> })}
                {poll.options.iter().enumerate().map(|(n, o)| {
                    let label = o.label.clone();
                    let name = if multiple { format!("choices[{n}]") } else { "choices[0]".to_owned() };
                    view! {
                        <label class="checkbox poll-option">
                            <input type=if multiple { "checkbox" } else { "radio" } name=name value=o.id />
                            <span>{move || label.get(i18n.get_locale()).to_owned()}</span>
                            {o.link.clone().map(|href| view! { " " <a href=href target="_blank" rel="noopener noreferrer">{t!(i18n, polls.document)}</a> })}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <FormNotice error=page_error />
            <Show when=already>
                <p class="notice">{t!(i18n, polls.already_voted)}</p>
            </Show>
            <button type="submit" class="button">{t!(i18n, polls.vote)}</button>
        </ActionForm>
    }
}

/// Percentages, counts and participants, live in the browser ([`LiveResults`]).
#[component]
fn Results(poll: PollDetail) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let Some(initial) = poll.results.clone() else {
        return view! { <p class="notice">{t!(i18n, polls.results_after_vote)}</p> }.into_any();
    };
    let words = ResultsWords {
        lang: locale.to_string(),
        heading: td_string!(locale, polls.results).to_owned(),
        participants: Plural::from_samples(locale, |n| {
            td_string!(locale, polls.participants, count = n).to_string()
        }),
        votes: Plural::from_samples(locale, |n| {
            td_string!(locale, polls.votes, count = n).to_string()
        }),
        csv: td_string!(locale, polls.csv).to_owned(),
        shares_note: None,
    };
    let options = poll.options.iter().map(|o| (o.id, o.label.get(locale).to_owned())).collect();
    view! { <LiveResults poll_id=poll.summary.id options initial words /> }.into_any()
}
