use super::list::status_label;
use crate::api::votes::{get_poll, PollView, VotePoll};
use crate::app::IslandScripts;
use crate::components::error::ErrorNotice;
use crate::components::follow::FollowBox;
use crate::components::form::{action_error, problem_text, FormNotice, LangField, SuccessNotice};
use crate::components::layout::SignInPrompt;
use crate::components::localized::{LocalizedPassage, LocalizedText};
use crate::components::page_title::PageHeading;
use crate::components::share::{Preview, PreviewImage, Share};
use crate::error::AppError;
use crate::error::Problem;
use crate::format;
use crate::i18n::*;
use crate::islands::{ChoiceLimit, ChoiceWords, LiveResults, Plural, ResultsWords};
use crate::model::subscription::SubscriptionKind;
use crate::model::vote::{PollDetail, PollStatus, VoteOutcome};
use crate::model::Localized;
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
                Some(id) => get_poll(id, None).await,
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
    let locale = i18n.get_locale_untracked();
    let p = view.poll.clone();
    let s = p.summary.clone();
    let id = s.id;
    let (question, question_lang) = s.question.get_in(locale);
    let (opens, closes) = (s.opens_at, s.closes_at);
    let query = use_query_map();
    let voted_now = move || query.with(|q| q.get("voted").is_some());
    let can_vote = s.status == PollStatus::Open && p.viewer_choices.is_none();
    // What the voter chose, in their words: shown after voting.
    let chosen: Option<Vec<Localized>> = p.viewer_choices.as_ref().map(|ids| {
        p.options.iter().filter(|o| ids.contains(&o.id)).map(|o| o.label.clone()).collect()
    });
    view! {
        <article class="page page--narrow poll-page">
            <Show when=voted_now>
                <SuccessNotice>{t!(i18n, polls.thanks)}</SuccessNotice>
            </Show>
            <p class="muted">{td_string!(locale, ux.poll_number, id = id).to_string()}</p>
            <PageHeading text=question.to_owned() lang=(question_lang != locale).then(|| question_lang.to_string()) />
            <p class="report-card__meta">
                <span class=format!("badge badge--poll-{}", s.status.as_str())>{status_label(locale, s.status)}</span>
                <span>{format!("{} – {}", format::date_time(opens, locale), format::date_time(closes, locale))}</span>
            </p>
            {(!p.description.ro.is_empty()).then(|| view! {
                <LocalizedPassage text=p.description.clone() class="report-page__description" />
            })}
            {(s.status == PollStatus::Closed).then(|| view! { <p class="notice" role="status"><strong>{t!(i18n, polls.closed_notice)}</strong></p> })}
            {match (can_vote, view.signed_in) {
                (true, true) => view! { <VoteForm poll=p.clone() /> }.into_any(),
                (true, false) => view! { <SignInPrompt /> }.into_any(),
                _ => ().into_any(),
            }}
            {chosen.map(|labels| view! {
                <div class="notice notice--ok">
                    <p>{t!(i18n, polls.you_voted)}</p>
                    <p>
                        {t!(i18n, ux.you_chose)} " "
                        {labels.into_iter().enumerate().map(|(n, label)| view! {
                            {(n > 0).then_some(", ")}<strong><LocalizedText text=label /></strong>
                        }).collect_view()}
                    </p>
                </div>
            })}
            <Results poll=p.clone() />
            {(s.status != PollStatus::Closed).then(|| view! { <FollowBox kind=SubscriptionKind::Poll id /> })}
            <Share preview=Preview {
                title: question.to_owned(),
                description: p.description.get(locale).to_owned(),
                image: PreviewImage::Drawn { kind: "polls", id },
            } />
        </article>
    }
}

#[component]
fn VoteForm(poll: PollDetail) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let vote = ServerAction::<VotePoll>::new();
    let error = action_error(vote);
    let problem =
        move || error.with(|e| e.as_ref().and_then(|e| e.field_problems("choices").next()));
    let page_error =
        Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    let multiple = poll.max_choices > 1;
    let max = poll.max_choices;
    let question = poll.summary.question.get(locale).to_owned();
    let problem_words = move |p: Problem| match p {
        Problem::TooManyChoices => td_string!(locale, ux.too_many_choices, max = max).to_string(),
        other => problem_text(locale, other).to_owned(),
    };
    let already =
        move || matches!(vote.value().get(), Some(Ok(r)) if r.outcome == VoteOutcome::AlreadyVoted);
    let options = poll
        .options
        .iter()
        .enumerate()
        .map(|(n, o)| {
            let name = if multiple { format!("choices[{n}]") } else { "choices[0]".to_owned() };
            view! {
                <label class="checkbox poll-option">
                    <input type=if multiple { "checkbox" } else { "radio" } name=name value=o.id />
                    <LocalizedText text=o.label.clone() />
                    {o.link.clone().map(|href| view! { " " <a href=href target="_blank" rel="noopener noreferrer">{t!(i18n, polls.document)}</a> })}
                </label>
            }
        })
        .collect_view();
    // At most `max` boxes can be ticked once the page is interactive.
    let options = if multiple {
        let words = ChoiceWords {
            chosen: td_string!(locale, ux.chosen_of, count = "{count}", max = max).to_string(),
            full: td_string!(locale, ux.choices_full).to_owned(),
        };
        view! { <ChoiceLimit max words>{options}</ChoiceLimit> }.into_any()
    } else {
        options.into_any()
    };
    view! {
        // Kept on the device when sent offline (`/scripts/outbox.js`), named by its question.
        <ActionForm action=vote attr:class="form poll-form" attr:data-outbox="vote" attr:data-outbox-label=question>
            <LangField />
            <crate::components::form::SiteField />
            <input type="hidden" name="poll_id" value=poll.summary.id />
            <fieldset class="form-section" aria-describedby="poll-choices-hint">
                <legend>{t!(i18n, polls.your_answer)}</legend>
                <p id="poll-choices-hint" class="field__hint">
                    {if multiple { td_string!(locale, polls.choose_up_to, max = max).to_string() } else { td_string!(locale, polls.choose_one).to_owned() }}
                </p>
                {move || problem().map(|p| view! { <p class="field__error" role="alert">{problem_words(p)}</p> })}
                {options}
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
        // Shares are of the participants: with several answers each, they add up past 100 %.
        shares_note: (poll.max_choices > 1)
            .then(|| td_string!(locale, ux.shares_note, max = poll.max_choices).to_string()),
    };
    let options = poll
        .options
        .iter()
        .map(|o| {
            let (label, lang) = o.label.get_in(locale);
            let lang = if lang == locale { String::new() } else { lang.to_string() };
            (o.id, label.to_owned(), lang)
        })
        .collect();
    view! { <LiveResults poll_id=poll.summary.id options initial words /> }.into_any()
}
