//! The crowd benchmarks: many citizens voting in one poll, or confirming a civic-budget
//! ballot, at the same moment.

use super::{demo_router, get_json, spread, with_backends};
use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use server::db::Db;
use std::time::Instant;
use tower::ServiceExt;

/// How many citizens vote at the same moment in the votes benchmarks: 500, or
/// `AGORA_BENCH_VOTERS` (a larger crowd gives a profiler more to see).
fn voters() -> usize {
    std::env::var("AGORA_BENCH_VOTERS").ok().and_then(|v| v.parse().ok()).unwrap_or(500)
}

/// What a crowd does at once.
#[derive(Clone, Copy)]
pub enum Crowd {
    /// Vote in one poll.
    Votes,
    /// Add a project to a civic-budget ballot and confirm it.
    Ballots,
}

/// Prints the crowd's table: one row per backend.
pub async fn bench_crowd(postgres: &Option<String>, crowd: Crowd) -> anyhow::Result<()> {
    let (title, label, per_second, done) = match crowd {
        Crowd::Votes => (
            "citizens vote in one poll at once (each its own session and address)",
            "votes",
            "votes/s",
            "counted",
        ),
        Crowd::Ballots => (
            "citizens add a project to their civic-budget ballot and confirm it, all at once",
            "ballots",
            "ballots/s",
            "confirmed",
        ),
    };
    println!("{} {title}", voters());
    println!(
        "{:<10} {:>8} {:>11} {:>10} {:>10} {:>10} {:>8}",
        "backend", "voters", per_second, "median ms", "p99 ms", done, "refused"
    );
    with_backends(postgres, label, |backend, url, dir| async move {
        let (router, db) = demo_router(&url, &dir).await?;
        match crowd {
            Crowd::Votes => bench_votes(&backend, &router, &db).await?,
            Crowd::Ballots => bench_ballots(&backend, &router, &db).await?,
        }
        db.close().await;
        Ok(())
    })
    .await?;
    println!();
    Ok(())
}

async fn bench_votes(backend: &str, router: &axum::Router, db: &Db) -> anyhow::Result<()> {
    let voters = voters();
    let sessions = db.bench_insert_voters(voters).await?;
    let (poll, options) = open_poll(router).await?;
    let before = participants(router, poll).await?;
    // `AGORA_BENCH_COLD=1`: the crowd meets a server that has just started (its database
    // connections are opened by the votes themselves).
    if std::env::var("AGORA_BENCH_COLD").map_or(true, |v| v != "1") {
        open_poll_pages(router, poll, &sessions).await?;
    }
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(sessions.len());
    for (i, session) in sessions.iter().enumerate() {
        let body = format!("poll_id={poll}&choices%5B0%5D={}&lang=ro", options[i % options.len()]);
        let req = citizen_post("/api/polls/vote", body, session, i)?;
        let router = router.clone();
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            let res = router.oneshot(req).await?;
            let ok = res.status().is_success();
            res.into_body().collect().await?;
            anyhow::Ok((t.elapsed(), ok))
        }));
    }
    let mut times = Vec::with_capacity(tasks.len());
    let mut refused = 0;
    for task in tasks {
        let (elapsed, ok) = task.await??;
        times.push(elapsed);
        refused += usize::from(!ok);
    }
    let wall = started.elapsed().as_secs_f64();
    let counted = participants(router, poll).await? - before;
    let (median, p99) = spread(&mut times, 99);
    println!(
        "{backend:<10} {voters:>8} {:>11.0} {median:>10.2} {p99:>10.2} {counted:>10} {refused:>8}",
        voters as f64 / wall
    );
    anyhow::ensure!(
        counted as usize == voters - refused,
        "{counted} participants counted for {} accepted votes",
        voters - refused
    );
    Ok(())
}

/// Every citizen opens the poll's page first, as they would before voting (not timed): the
/// server then runs as it does when a crowd arrives, with its database connections open.
async fn open_poll_pages(
    router: &axum::Router,
    poll: i64,
    sessions: &[String],
) -> anyhow::Result<()> {
    let mut tasks = Vec::with_capacity(sessions.len());
    for session in sessions {
        let req = Request::get(format!("/ro/polls/{poll}"))
            .header("cookie", format!("agora_session={session}"))
            .body(Body::empty())?;
        let router = router.clone();
        tasks.push(tokio::spawn(async move {
            let res = router.oneshot(req).await?;
            anyhow::ensure!(res.status().is_success(), "the poll's page answered {}", res.status());
            res.into_body().collect().await?;
            anyhow::Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(())
}

/// A form post by simulated citizen `i` (its own session and address).
fn citizen_post(uri: &str, body: String, session: &str, i: usize) -> anyhow::Result<Request<Body>> {
    Ok(Request::post(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("agora_session={session}"))
        .header("x-forwarded-for", format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256))
        .body(Body::from(body))?)
}

/// Each citizen adds a project of the demo's open edition to their ballot and confirms it
/// with their own document number; the time is the pair's, and every confirmed ballot must be
/// counted once.
async fn bench_ballots(backend: &str, router: &axum::Router, db: &Db) -> anyhow::Result<()> {
    use app::store::{BudgetStore, LocalityStore};
    let voters = voters();
    let sessions = db.bench_insert_voters(voters).await?;
    let locality = db.default_locality().await?.id;
    let edition = db
        .editions(locality)
        .await?
        .into_iter()
        .find(|e| e.phase == app::model::civic_budget::Phase::Voting)
        .ok_or_else(|| anyhow::anyhow!("the demo data has no edition in its voting phase"))?;
    let detail = db.edition_by_id(edition.id).await?;
    let budget = detail.budgets.first().ok_or_else(|| anyhow::anyhow!("no budget"))?.id;
    let projects: Vec<i64> = detail
        .proposals
        .iter()
        .filter(|p| {
            p.budget_id == budget && p.status == app::model::civic_budget::ProposalStatus::Feasible
        })
        .map(|p| p.id)
        .collect();
    anyhow::ensure!(!projects.is_empty(), "no project on the ballot");
    let before = edition.confirmed_ballots;
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(sessions.len());
    for (i, session) in sessions.iter().cloned().enumerate() {
        let project = projects[i % projects.len()];
        let router = router.clone();
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            let add = format!("budget_id={budget}&proposal_id={project}&lang=ro");
            let res = router
                .clone()
                .oneshot(citizen_post("/api/budget/ballot/add", add, &session, i)?)
                .await?;
            let mut ok = res.status().is_success();
            res.into_body().collect().await?;
            let confirm = format!("budget_id={budget}&document=BENCH{i:08}&eligible=on&lang=ro");
            let res = router
                .oneshot(citizen_post("/api/budget/ballot/confirm", confirm, &session, i)?)
                .await?;
            ok &= res.status().is_success();
            res.into_body().collect().await?;
            anyhow::Ok((t.elapsed(), ok))
        }));
    }
    let mut times = Vec::with_capacity(tasks.len());
    let mut refused = 0;
    for task in tasks {
        let (elapsed, ok) = task.await??;
        times.push(elapsed);
        refused += usize::from(!ok);
    }
    let wall = started.elapsed().as_secs_f64();
    let confirmed = db.edition_by_id(edition.id).await?.edition.confirmed_ballots - before;
    let (median, p99) = spread(&mut times, 99);
    println!(
        "{backend:<10} {voters:>8} {:>11.0} {median:>10.2} {p99:>10.2} {confirmed:>10} {refused:>8}",
        voters as f64 / wall
    );
    anyhow::ensure!(
        confirmed as usize == voters - refused,
        "{confirmed} ballots confirmed for {} accepted confirmations",
        voters - refused
    );
    Ok(())
}

/// The first poll open for voting, and its option ids, as the open-data API lists them.
async fn open_poll(router: &axum::Router) -> anyhow::Result<(i64, Vec<i64>)> {
    let list = get_json(router, "/api/v1/polls").await?;
    let now = chrono::Utc::now().to_rfc3339();
    let poll = list["polls"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| {
            p["opens_at"].as_str().is_some_and(|o| o <= now.as_str())
                && p["closes_at"].as_str().is_some_and(|c| c > now.as_str())
        })
        .and_then(|p| p["id"].as_i64())
        .ok_or_else(|| anyhow::anyhow!("the demo data has no open poll"))?;
    let detail = get_json(router, &format!("/api/v1/polls/{poll}")).await?;
    let options = detail["options"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["id"].as_i64())
        .collect();
    Ok((poll, options))
}

async fn participants(router: &axum::Router, poll: i64) -> anyhow::Result<i64> {
    let detail = get_json(router, &format!("/api/v1/polls/{poll}")).await?;
    detail["participants"].as_i64().ok_or_else(|| anyhow::anyhow!("no participant count"))
}
