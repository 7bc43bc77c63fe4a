use crate::api::votes::list_polls;
use crate::app::ViewerResource;
use crate::components::error::ErrorNotice;
use crate::format;
use crate::i18n::*;
use crate::model::vote::{PollStatus, PollSummary};
use leptos::prelude::*;

#[component]
pub fn PollsPage() -> impl IntoView {
    let i18n = use_i18n();
    let viewer = expect_context::<ViewerResource>();
    let polls = Resource::new(|| (), |_| list_polls(None));
    view! {
        <div class="page">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), polls.title) />
            <p>{t!(i18n, polls.intro)}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let locality = match use_context::<crate::app::SiteResource>() {
                        Some(site) => site.await.ok().map(|s| s.locality.id),
                        None => None,
                    };
                    let staff = match (viewer.await, locality) {
                        (Ok(v), Some(id)) => v.is_staff_of(id),
                        _ => false,
                    };
                    staff.then(|| view! { <p><a class="button" href=move || format!("/{}/polls/new", i18n.get_locale())>{t!(i18n, polls.create)}</a></p> })
                })}
            </Transition>
            <Transition fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    match polls.await {
                        Ok(list) => {
                            let (open, rest): (Vec<PollSummary>, Vec<PollSummary>) = list.into_iter().partition(|p| p.status != PollStatus::Closed);
                            view! {
                                <section aria-labelledby="open-polls">
                                    <h2 id="open-polls">{t!(i18n, polls.active)}</h2>
                                    <PollCards polls=open />
                                </section>
                                <section aria-labelledby="closed-polls">
                                    <h2 id="closed-polls">{t!(i18n, polls.closed_list)}</h2>
                                    <PollCards polls=rest />
                                </section>
                            }
                            .into_any()
                        }
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn PollCards(polls: Vec<PollSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if polls.is_empty() {
        return view! { <p class="empty">{t!(i18n, polls.none)}</p> }.into_any();
    }
    view! {
        <ol class="report-list">
            {polls.into_iter().map(|p| {
                let id = p.id;
                let q = p.question.clone();
                let (opens, closes) = (p.opens_at, p.closes_at);
                view! {
                    <li class="report-card">
                        <a class="report-card__title" href=crate::paths::page(i18n.get_locale_untracked(), &format!("/polls/{id}"))>
                            <crate::components::localized::LocalizedText text=q.clone() />
                        </a>
                        <div class="report-card__meta">
                            <span class=format!("badge badge--poll-{}", p.status.as_str())>{move || status_label(i18n.get_locale(), p.status)}</span>
                            <span>{move || t_string!(i18n, polls.participants, count = p.participants)}</span>
                            <span>{move || format!("{} – {}", format::date(format::local_date(opens), i18n.get_locale()), format::date(format::local_date(closes), i18n.get_locale()))}</span>
                        </div>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

pub fn status_label(l: Locale, s: PollStatus) -> &'static str {
    match s {
        PollStatus::Upcoming => td_string!(l, polls.upcoming),
        PollStatus::Open => td_string!(l, polls.open),
        PollStatus::Closed => td_string!(l, polls.closed),
    }
}
