//! The notification jobs: turn timeline events and new reports into mail for the people who
//! follow them, in each one's language, and send the daily digests of area alerts at a set
//! hour of the city's day. They run under job leases (`jobs.rs`), and `db::notify` makes each
//! event announced once even if two runs overlap.

use crate::db::budget::reminders::UnconfirmedBallot;
use crate::db::follow_notices::Happening;
use crate::db::notify::{NewReportRow, ReportEvent};
use crate::db::reports::FixedQuestion;
use crate::db::Db;
use app::i18n::Locale;
use app::model::budget_works::Milestone;
use app::model::civic_budget::{EditionSummary, Proposal};
use app::model::newsletter::Newsletter;
use app::model::subscription::SubscriptionKind;
use app::model::vote::{InitiativeDetail, Level, PollDetail, PollResults};
use app::model::ReportStatus;
use app::notices::budget::{ballot_reminder, BallotContext};
use app::notices::{
    announcement, digest, fixed_question, follow_news, new_report, report_update, FollowNews,
    NewReportNotice, ReportUpdate, WayOut,
};
use app::store::{
    BudgetStore, FollowTarget, InitiativeStore, MailTemplate, PollStore, StoreError, StoreResult,
    SubscriptionStore,
};
use chrono::{DateTime, NaiveTime, Utc};

/// How often the job looks for something to announce.
pub const PERIOD: std::time::Duration = std::time::Duration::from_secs(15);
/// How often the digest job checks whether the digest hour has come.
pub const DIGEST_PERIOD: std::time::Duration = std::time::Duration::from_secs(300);
/// How often the "is it fixed?" job looks for resolutions old enough to ask about.
pub const FIXED_PERIOD: std::time::Duration = std::time::Duration::from_secs(900);
/// The hour of the city's day (Europe/Chisinau) at which daily digests go out.
pub const DIGEST_HOUR: u32 = 8;

fn locale(lang: &str) -> Locale {
    app::locale::parse(lang).unwrap_or(Locale::ro)
}

fn notice<'a>(lang: &'a str, report: &'a NewReportRow) -> NewReportNotice<'a> {
    NewReportNotice {
        report_id: report.id,
        site: report.site(),
        title: &report.title,
        category: report.category(lang),
    }
}

/// Queues the messages for everything that happened since the last run; returns how many.
pub async fn run_once(db: &Db, base: &str) -> usize {
    let render = |lang: &str, event: &ReportEvent, way_out: &WayOut| -> MailTemplate {
        let update = ReportUpdate {
            report_id: event.report_id,
            site: event.site(),
            title: &event.title,
            status: event.to_status.as_deref().and_then(ReportStatus::parse),
            answer: &event.body,
        };
        report_update(locale(lang), base, &update, way_out)
    };
    let followers = db.notify_report_events(base, render).await.unwrap_or_else(|err| {
        tracing::error!(error = %err, "could not queue the followers' mail");
        0
    });
    let render = |lang: &str, report: &NewReportRow, way_out: &WayOut| -> MailTemplate {
        new_report(locale(lang), base, &notice(lang, report), way_out)
    };
    let areas = db.notify_new_reports(base, render).await.unwrap_or_else(|err| {
        tracing::error!(error = %err, "could not queue the area alerts");
        0
    });
    let render =
        |lang: &str,
         item: &app::model::announcement::Announcement,
         site: Option<&str>,
         way_out: &WayOut| { announcement(locale(lang), base, item, site, way_out) };
    let announced = db.notify_announcements(base, render).await.unwrap_or_else(|err| {
        tracing::error!(error = %err, "could not queue the announcements");
        0
    });
    let render = |lang: &str, item: &Newsletter, site: Option<&str>, way_out: &WayOut| {
        app::notices::network::newsletter(locale(lang), base, item, site, way_out)
    };
    let newsletters = db.notify_newsletters(base, render).await.unwrap_or_else(|err| {
        tracing::error!(error = %err, "could not queue the newsletter");
        0
    });
    let followed = run_follows(db, base).await.unwrap_or_else(|err| {
        tracing::error!(error = %err, "could not queue the mail about followed things");
        0
    });
    followers + areas + announced + newsletters + followed
}

/// What a follower's message needs to know about a happening, loaded before it is announced.
enum Followed {
    Initiative(InitiativeDetail),
    Poll(PollDetail, PollResults),
    Project {
        proposal: Proposal,
        edition: EditionSummary,
        funded: bool,
        milestones: Vec<Milestone>,
    },
}

impl Followed {
    async fn load(db: &Db, happening: &Happening) -> StoreResult<(Self, FollowTarget)> {
        let id = happening.target_id;
        let kind = SubscriptionKind::parse(&happening.kind).ok_or(StoreError::NotFound)?;
        let target = db.follow_target(kind, id).await?;
        let followed = match kind {
            SubscriptionKind::Initiative => Followed::Initiative(db.initiative(id, None).await?),
            SubscriptionKind::Poll => {
                Followed::Poll(db.poll(id, None).await?, db.poll_results(id).await?)
            }
            SubscriptionKind::Project => {
                let edition = db.proposal_edition(id).await?;
                let detail = db.edition_by_id(edition.id).await?;
                let proposal = detail
                    .proposals
                    .into_iter()
                    .find(|p| p.id == id)
                    .ok_or(StoreError::NotFound)?;
                let funded = if happening.event == "results" {
                    let results = db.budget_results(proposal.budget_id).await?;
                    results.outcome.funded.contains(&id.to_string())
                } else {
                    false
                };
                let milestones =
                    detail.milestones.into_iter().filter(|m| m.proposal_id == id).collect();
                Followed::Project { proposal, edition: detail.edition, funded, milestones }
            }
            SubscriptionKind::Report | SubscriptionKind::Area | SubscriptionKind::Newsletter => {
                return Err(StoreError::NotFound)
            }
        };
        Ok((followed, target))
    }

    /// The news for `event`; `None` for an event this kind does not have.
    fn news<'a>(&'a self, event: &str) -> Option<FollowNews<'a>> {
        Some(match self {
            Followed::Initiative(i) => match event.strip_prefix("level:") {
                Some(level) => {
                    let level = Level::parse(level)?;
                    FollowNews::LevelReached {
                        title: &i.summary.title,
                        level,
                        supporters: i.thresholds.of(level),
                    }
                }
                None => FollowNews::InitiativeAnswered {
                    title: &i.summary.title,
                    answer: i.official_answer.as_deref().unwrap_or_default(),
                },
            },
            Followed::Poll(poll, results) => FollowNews::PollClosed {
                question: &poll.summary.question,
                participants: results.participants,
                options: poll
                    .options
                    .iter()
                    .map(|o| (&o.label, results.votes_for(o.id), results.share(o.id)))
                    .collect(),
            },
            Followed::Project { proposal, edition, funded, milestones } => match event {
                milestone if milestone.starts_with("milestone:") => {
                    let id = milestone.strip_prefix("milestone:")?.parse::<i64>().ok()?;
                    let m = milestones.iter().find(|m| m.id == id)?;
                    FollowNews::ProjectMilestone {
                        title: &proposal.title,
                        on: m.on,
                        body: &m.body,
                        progress: proposal.work.as_ref().map_or(0, |w| w.progress),
                    }
                }
                "results" => FollowNews::ProjectResult {
                    title: &proposal.title,
                    edition: &edition.title,
                    funded: *funded,
                },
                _ => FollowNews::ProjectReviewed {
                    title: &proposal.title,
                    feasible: event == "review:feasible",
                    reason: proposal.review_reason.as_deref().unwrap_or_default(),
                },
            },
        })
    }
}

/// Mails the followers of initiatives, polls and projects about what happened to them since
/// they followed; returns how many messages were queued.
pub async fn run_follows(db: &Db, base: &str) -> StoreResult<usize> {
    let mut queued = 0;
    for happening in db.follow_happenings().await? {
        let (followed, target) = match Followed::load(db, &happening).await {
            Ok(loaded) => loaded,
            // Gone or hidden since: nobody is told.
            Err(StoreError::NotFound) => continue,
            Err(err) => return Err(err),
        };
        let Some(news) = followed.news(&happening.event) else { continue };
        let render = |lang: &str, way_out: &WayOut| {
            let locale = locale(lang);
            let page = app::paths::site_page(target.site.as_deref(), locale, &target.page);
            follow_news(locale, &format!("{base}{page}"), &news, way_out)
        };
        queued += db.announce_follow(base, &happening, render).await?;
    }
    Ok(queued)
}

/// The last digest hour at or before `now`, in the city's time: digests cover the reports
/// filed up to it.
pub fn digest_cutoff(now: DateTime<Utc>, hour: u32) -> DateTime<Utc> {
    let at = NaiveTime::from_hms_opt(hour.min(23), 0, 0).unwrap_or(NaiveTime::MIN);
    let on = |day: chrono::NaiveDate| app::format::city_time_to_utc(day.and_time(at));
    let today = app::format::local_date(now);
    match on(today) {
        Some(t) if t <= now => t,
        _ => today.pred_opt().and_then(on).unwrap_or(now),
    }
}

/// Queues the digests due at `cutoff`; returns how many.
pub async fn run_digests(db: &Db, base: &str, cutoff: DateTime<Utc>) -> usize {
    let render = |lang: &str, reports: &[&NewReportRow], way_out: &WayOut| -> MailTemplate {
        let notices: Vec<NewReportNotice<'_>> = reports.iter().map(|r| notice(lang, r)).collect();
        digest(locale(lang), base, &notices, way_out)
    };
    db.send_digests(base, cutoff, render).await.unwrap_or_else(|err| {
        tracing::error!(error = %err, "could not queue the daily digests");
        0
    })
}

/// Asks the reporters of reports resolved some days ago whether the problem is fixed; returns
/// how many were asked.
pub async fn run_fixed_checks(db: &Db, base: &str) -> usize {
    let render = |q: &FixedQuestion, token: &str| -> MailTemplate {
        let locale = locale(&q.lang);
        let page = format!("/is-it-fixed?token={token}");
        let link = format!("{base}{}", app::paths::site_page(q.site.as_deref(), locale, &page));
        fixed_question(locale, &link, q.report_id, &q.title)
    };
    db.ask_fixed_checks(render).await.unwrap_or_else(|err| {
        tracing::error!(error = %err, "could not ask whether resolved reports are fixed");
        0
    })
}

/// Reminds voters of the civic-budget ballots they left unconfirmed; returns how many.
pub async fn run_ballot_reminders(db: &Db, base: &str) -> usize {
    let render = |ballot: &UnconfirmedBallot| -> MailTemplate {
        let locale = locale(&ballot.locale);
        let rest = format!("/budget/{}/vote", ballot.edition_slug);
        let link = format!("{base}{}", app::paths::site_page(ballot.site(), locale, &rest));
        let (edition, budget) = (ballot.edition(), ballot.budget());
        let context = BallotContext {
            edition: &edition,
            budget: &budget,
            link: &link,
            voting_ends: ballot.results_from,
        };
        ballot_reminder(locale, &context)
    };
    db.remind_unconfirmed_ballots(render).await.unwrap_or_else(|err| {
        tracing::error!(error = %err, "could not remind voters of unconfirmed ballots");
        0
    })
}

/// Schedules the jobs in this process (each runs wherever its lease is held).
pub fn schedule(jobs: &crate::jobs::Jobs, base: String) {
    let events_base = base.clone();
    jobs.every("notify", PERIOD, move |db| {
        let base = events_base.clone();
        async move {
            run_once(&db, &base).await;
        }
    });
    let fixed_base = base.clone();
    jobs.every("fixed_checks", FIXED_PERIOD, move |db| {
        let base = fixed_base.clone();
        async move {
            run_fixed_checks(&db, &base).await;
        }
    });
    let reminders_base = base.clone();
    jobs.every("ballot_reminders", FIXED_PERIOD, move |db| {
        let base = reminders_base.clone();
        async move {
            run_ballot_reminders(&db, &base).await;
        }
    });
    jobs.every("alert_digests", DIGEST_PERIOD, move |db| {
        let base = base.clone();
        async move {
            run_digests(&db, &base, digest_cutoff(Utc::now(), DIGEST_HOUR)).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_digest_covers_up_to_the_last_eight_o_clock_in_chisinau() {
        // 07:30 UTC in December is 09:30 in Chișinău: today's 08:00 (06:00 UTC).
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 7, 30, 0).single().expect("time");
        let expected = Utc.with_ymd_and_hms(2026, 12, 2, 6, 0, 0).single().expect("time");
        assert_eq!(digest_cutoff(now, 8), expected);
        // 05:00 UTC is 07:00 there: yesterday's 08:00.
        let early = Utc.with_ymd_and_hms(2026, 12, 2, 5, 0, 0).single().expect("time");
        let before = Utc.with_ymd_and_hms(2026, 12, 1, 6, 0, 0).single().expect("time");
        assert_eq!(digest_cutoff(early, 8), before);
    }
}
