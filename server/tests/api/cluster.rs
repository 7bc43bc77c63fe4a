//! What lets several server processes share one database: rate limits counted in it, leases
//! on background jobs, and claims on outgoing mail. (Real processes: `processes.rs`.)

use crate::helpers::{spawn_app, spawn_empty, Req};
use axum::http::StatusCode;
use server::db::rate_limits::{Attempt, Rate};
use server::db::Db;
use server::jobs::Jobs;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn keys(k: &[&str]) -> Vec<String> {
    k.iter().map(|s| (*s).to_owned()).collect()
}

/// Three at once, then one a second.
const RATE: Rate = Rate { interval_us: 1_000_000, tolerance_us: 3_000_000 };

async fn take(db: &Db, bucket: &'static str, k: &[&str], at: i64) -> bool {
    let attempt = Attempt { bucket, keys: keys(k), rate: RATE };
    let allowed = db.take_rates(&[attempt], at).await.expect("rate limit");
    allowed == [true]
}

#[tokio::test]
async fn rate_limits_in_the_database_allow_the_burst_then_one_per_interval() {
    let app = spawn_empty().await;
    let db = &app.db;
    let at = 1_800_000_000_000_000;
    for _ in 0..3 {
        assert!(take(db, "sign_in", &["addr:a"], at).await);
    }
    assert!(!take(db, "sign_in", &["addr:a"], at).await, "past the burst");
    assert!(take(db, "sign_in", &["addr:b"], at).await, "keys count apart");
    assert!(take(db, "sign_up", &["addr:a"], at).await, "buckets count apart");
    assert!(!take(db, "sign_in", &["addr:a", "account:x"], at).await, "one key over refuses");
    assert!(take(db, "sign_in", &["account:x"], at).await);
    assert!(take(db, "sign_in", &["account:x"], at).await);
    assert!(!take(db, "sign_in", &["account:x"], at).await, "the refused attempt counted for x");
    assert!(take(db, "sign_in", &["addr:a"], at + 1_000_000).await, "one more a second later");
    assert!(!take(db, "sign_in", &["addr:a"], at + 1_000_000).await);
    assert_eq!(db.forget_idle_rate_limits(at + 10_000_000).await.expect("forget"), 4);
    assert!(take(db, "sign_in", &["addr:a"], at + 10_000_000).await, "forgotten counts as new");
}

#[tokio::test]
async fn a_group_of_attempts_counts_as_the_same_attempts_one_by_one() {
    let app = spawn_empty().await;
    let db = &app.db;
    let at = 1_800_000_000_000_000;
    assert!(take(db, "vote_poll", &["addr:a"], at).await, "one already counted for a");
    let attempt = |bucket, k: &[&str]| Attempt { bucket, keys: keys(k), rate: RATE };
    let group = [
        attempt("vote_poll", &["addr:a", "account:1"]),
        attempt("vote_poll", &["addr:a", "account:2"]),
        attempt("any_write", &["addr:a"]),
        attempt("vote_poll", &["addr:a", "account:1"]),
        attempt("vote_poll", &["addr:b", "account:1"]),
        attempt("vote_poll", &["account:1", "account:1"]),
    ];
    let allowed = db.take_rates(&group, at).await.expect("rate limits");
    assert_eq!(
        allowed,
        [true, true, true, false, true, false],
        "a: 1 before + 2 in the group fill its 3; account 1's third attempt is its last"
    );
    assert!(!take(db, "vote_poll", &["addr:a"], at).await, "a stays full after the group");
    assert!(take(db, "vote_poll", &["account:2"], at).await, "account 2 used one of three");
    assert!(take(db, "vote_poll", &["addr:a"], at + 1_000_000).await, "a second later");
    assert_eq!(db.take_rates(&[], at).await.expect("nothing"), Vec::<bool>::new());
}

#[tokio::test]
async fn two_routers_on_one_postgres_database_share_the_rate_limits() {
    let app = spawn_app().await;
    if let Db::Sqlite(_) = app.db {
        println!("skipped on SQLite: one process serves it, and counts its limits in memory");
        return;
    }
    // A second process's router over the same database, at production's limits.
    let config = server::config::Config::from_lookup(|name| match name {
        "DATABASE_URL" => Some(app.url.clone()),
        "AGORA_TRUST_PROXY" => Some("1".into()),
        _ => None,
    })
    .expect("config");
    let first = server::router(server::state::AppState::new(config.clone(), app.db.clone()));
    let second = server::router(server::state::AppState::new(config, app.db.clone()));
    let attempt = |n: usize| {
        Req::form(
            "/api/auth/login",
            &[("email", "cetatean@balti.demo"), ("password", "wrong password"), ("lang", "ro")],
        )
        .client_addr(&format!("203.0.113.{}", 10 + n % 2))
    };
    // Five sign-ins a minute per e-mail address, counted by both processes together.
    for n in 0..5 {
        let router = if n % 2 == 0 { &first } else { &second };
        let res = crate::helpers::send_to(router, attempt(n)).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "attempt {n}: {}", res.body);
    }
    let res = crate::helpers::send_to(&second, attempt(5)).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
}

#[tokio::test]
async fn a_job_lease_has_one_holder_until_it_is_given_up_or_lapses() {
    let app = spawn_empty().await;
    let db = &app.db;
    let minute = chrono::TimeDelta::minutes(1);
    assert!(db.take_lease("digest", "a", minute).await.expect("lease"));
    assert!(!db.take_lease("digest", "b", minute).await.expect("lease"), "a holds it");
    assert!(db.take_lease("digest", "a", minute).await.expect("lease"), "a renews it");
    assert!(db.take_lease("reminders", "b", minute).await.expect("lease"), "another job");
    db.release_lease("digest", "a").await.expect("release");
    assert!(db.take_lease("digest", "b", -minute).await.expect("lease"), "given up: b takes it");
    assert!(db.take_lease("digest", "a", minute).await.expect("lease"), "b's lease lapsed");
    assert!(!db.take_lease("digest", "b", minute).await.expect("lease"));
}

#[tokio::test]
async fn a_job_scheduled_by_two_processes_runs_in_one_of_them_at_each_tick() {
    let app = spawn_empty().await;
    let runs: Arc<Mutex<Vec<String>>> = Arc::default();
    let period = Duration::from_millis(50);
    let mut handles = Vec::new();
    for _ in 0..2 {
        let jobs = Jobs::new(app.db.clone());
        let (runs, holder) = (runs.clone(), jobs.holder().to_owned());
        handles.push(jobs.every("test_job", period, move |_| {
            let (runs, holder) = (runs.clone(), holder.clone());
            async move { runs.lock().expect("lock").push(holder) }
        }));
    }
    tokio::time::sleep(period * 12).await;
    for handle in handles {
        handle.abort();
    }
    let runs = runs.lock().expect("lock").clone();
    assert!(runs.len() >= 5, "the job ran {} times", runs.len());
    assert!(runs.len() <= 13, "the job ran {} times in 12 periods", runs.len());
    // The holder keeps the job while it renews its lease; on a loaded machine a tick can come
    // late enough for the lease to lapse and the other process to take over, which is the
    // design, but not at every tick.
    let switches = runs.windows(2).filter(|w| w[0] != w[1]).count();
    assert!(switches <= 2, "the job changed hands {switches} times: {runs:?}");
}

#[tokio::test]
async fn two_mail_senders_claim_different_messages_and_a_lapsed_claim_is_taken_up() {
    let app = spawn_app().await;
    for email in ["cetatean@balti.demo", "admin@balti.demo", "moderator@balti.demo"] {
        let res =
            app.send(Req::form("/api/auth/forgot", &[("email", email), ("lang", "ro")])).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
    let waiting = app.scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await as usize;
    assert!(waiting >= 3);
    let first = app.db.claim_mail("first", 2).await.expect("claim");
    let second = app.db.claim_mail("second", 100).await.expect("claim");
    assert_eq!(first.len(), 2);
    assert_eq!(second.len(), waiting - 2);
    let ids: HashSet<i64> = first.iter().chain(&second).map(|m| m.id).collect();
    assert_eq!(ids.len(), waiting, "no message claimed twice");
    assert!(app.db.claim_mail("third", 100).await.expect("claim").is_empty());

    // The first sender stopped without sending: once its claim lapses, another takes it up.
    app.execute(
        "UPDATE outbox SET claimed_until = '2000-01-01T00:00:00+00:00' WHERE claimed_by = 'first'",
    )
    .await;
    let taken_up = app.db.claim_mail("third", 100).await.expect("claim");
    assert_eq!(
        taken_up.iter().map(|m| m.id).collect::<Vec<_>>(),
        first.iter().map(|m| m.id).collect::<Vec<_>>()
    );
    app.db.mark_mail_sent(taken_up[0].id).await.expect("mark");
    app.db.mark_mail_failed(taken_up[1].id, "refused").await.expect("mark");
    let again = app.db.claim_mail("fourth", 100).await.expect("claim");
    assert_eq!(again.iter().map(|m| m.id).collect::<Vec<_>>(), vec![taken_up[1].id], "retried");
}
