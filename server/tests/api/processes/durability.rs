//! A server under a stream of votes and reports is killed (SIGKILL) again and again: after each
//! restart every write it acknowledged is there, and none is there twice.
//!
//! On PostgreSQL the test runs its own cluster with `fsync=on` (the suite's cluster runs with
//! `fsync=off`), and once crashes the database server itself (an immediate shutdown, which
//! leaves it to crash recovery) while votes are arriving.

use super::{request, Server};
use crate::helpers::report_form;
use server::db::Db;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const ROUNDS: usize = 4;
const CLIENTS: usize = 16;
const VOTERS: usize = 6000;

/// A PostgreSQL cluster of the test's own, stopped and deleted when dropped.
struct Cluster {
    dir: tempfile::TempDir,
}

impl Cluster {
    fn script(args: &[&str]) -> String {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../.ci/postgres");
        let out = std::process::Command::new(script)
            .args(args)
            .env("AGORA_PG_FSYNC", "on")
            .output()
            .expect("run .ci/postgres");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    fn start() -> (Cluster, String) {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let path = dir.path().to_string_lossy().into_owned();
        let url = Cluster::script(&["start", &path, &port.to_string()]);
        (Cluster { dir }, url)
    }

    fn path(&self) -> String {
        self.dir.path().to_string_lossy().into_owned()
    }

    /// Stops the database server at once, as a crash would.
    fn crash(&self) {
        Cluster::script(&["crash", &self.path()]);
    }

    /// Starts it again: it recovers from its write-ahead log.
    fn resume(&self) {
        Cluster::script(&["resume", &self.path()]);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        Cluster::script(&["stop", &self.path()]);
    }
}

/// What the server said it stored.
#[derive(Clone, Default)]
struct Acknowledged {
    /// Voters whose vote was recorded.
    votes: Vec<usize>,
    /// Reports created: id and title.
    reports: Vec<(i64, String)>,
}

async fn scalar(db: &Db, sql: &str) -> i64 {
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn texts(db: &Db, sql: &str) -> Vec<String> {
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// One client: votes, and every fourth time reports a problem, until told to stop.
async fn client(
    server: std::net::SocketAddr,
    poll: i64,
    option: i64,
    voters: Arc<Vec<String>>,
    next: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    acks: Arc<Mutex<Acknowledged>>,
) {
    while !stop.load(Ordering::SeqCst) {
        let i = next.fetch_add(1, Ordering::SeqCst);
        let Some(session) = voters.get(i) else { return };
        let cookie = format!("agora_session={session}");
        let from = format!("10.2.{}.{}", i / 256, i % 256);
        if i % 4 == 3 {
            let title = format!("Durabilitate {i}");
            let (content_type, body) = report_form().text("title", &title).finish();
            let headers = [
                ("Content-Type", content_type.as_str()),
                ("Cookie", cookie.as_str()),
                ("X-Forwarded-For", from.as_str()),
            ];
            if let Ok(res) = request(server, "POST", "/api/reports/create", &headers, &body).await {
                if res.status == 200 {
                    let id = res.body.trim().parse().expect("the new report's id");
                    acks.lock().expect("lock").reports.push((id, title));
                }
            }
        } else {
            let body = format!("poll_id={poll}&choices%5B0%5D={option}&lang=ro");
            let headers = [
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Cookie", cookie.as_str()),
                ("X-Forwarded-For", from.as_str()),
            ];
            if let Ok(res) =
                request(server, "POST", "/api/polls/vote", &headers, body.as_bytes()).await
            {
                if res.status == 200 && res.json()["outcome"] == "recorded" {
                    acks.lock().expect("lock").votes.push(i);
                }
            }
        }
    }
}

/// Everything acknowledged is stored, once; no ballot lacks its choice.
async fn check(db: &Db, poll: i64, acks: &Acknowledged) {
    let voted: HashSet<String> = texts(
        db,
        &format!(
            "SELECT u.email FROM ballots b JOIN users u ON u.id = b.voter_id \
             WHERE b.subject_kind = 'poll' AND b.subject_id = {poll}"
        ),
    )
    .await
    .into_iter()
    .collect();
    for i in &acks.votes {
        assert!(voted.contains(&format!("bench-voter-{i}@example.md")), "vote {i} was lost");
    }
    let ballots = scalar(
        db,
        &format!(
            "SELECT COUNT(*) FROM ballots WHERE subject_kind = 'poll' AND subject_id = {poll}"
        ),
    )
    .await;
    assert_eq!(ballots as usize, voted.len(), "a voter has two ballots");
    let bare = scalar(
        db,
        &format!(
            "SELECT COUNT(*) FROM ballots b WHERE b.subject_kind = 'poll' AND b.subject_id = {poll} \
             AND NOT EXISTS (SELECT 1 FROM ballot_choices c WHERE c.ballot_id = b.id)"
        ),
    )
    .await;
    assert_eq!(bare, 0, "a ballot was stored without its choice");
    for (id, title) in &acks.reports {
        let stored = texts(db, &format!("SELECT title FROM reports WHERE id = {id}")).await;
        assert_eq!(stored, vec![title.clone()], "report {id} was lost");
    }
    let doubled = scalar(
        db,
        "SELECT COUNT(*) FROM (SELECT title FROM reports WHERE title LIKE 'Durabilitate %' \
         GROUP BY title HAVING COUNT(*) > 1) twice",
    )
    .await;
    assert_eq!(doubled, 0, "a report was stored twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_votes_and_reports_survive_sigkill() {
    let dir = tempfile::tempdir().expect("temp dir");
    let postgres = std::env::var("AGORA_TEST_DATABASE").is_ok_and(|t| t != "sqlite");
    let (cluster, url) = if postgres {
        let (cluster, url) = Cluster::start();
        (Some(cluster), url)
    } else {
        (None, format!("sqlite://{}", dir.path().join("agora.db").display()))
    };
    let db = Db::connect(&url).await.expect("connect");
    db.migrate().await.expect("migrate");
    db.load_demo().await.expect("demo data");
    let voters = Arc::new(db.bench_insert_voters(VOTERS).await.expect("voters"));
    let poll = scalar(&db, "SELECT id FROM polls WHERE max_choices = 2").await;
    let option =
        scalar(&db, &format!("SELECT MIN(id) FROM poll_options WHERE poll_id = {poll}")).await;

    let next = Arc::new(AtomicUsize::new(0));
    let acks = Arc::new(Mutex::new(Acknowledged::default()));
    let data_dir = dir.path().join("data");
    for round in 0..ROUNDS {
        let server = Server::start(&url, &data_dir, &[("AGORA_RATE_LIMIT_SCALE", "1000")]).await;
        let stop = Arc::new(AtomicBool::new(false));
        let clients: Vec<_> = (0..CLIENTS)
            .map(|_| {
                tokio::spawn(client(
                    server.addr,
                    poll,
                    option,
                    voters.clone(),
                    next.clone(),
                    stop.clone(),
                    acks.clone(),
                ))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let crash_database = round == 2 && cluster.is_some();
        if let (true, Some(cluster)) = (crash_database, &cluster) {
            cluster.crash();
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        server.kill().await;
        stop.store(true, Ordering::SeqCst);
        for c in clients {
            c.await.expect("client");
        }
        if let (true, Some(cluster)) = (crash_database, &cluster) {
            cluster.resume();
        }
        let acks = acks.lock().expect("lock").clone();
        println!(
            "round {round}: {} votes and {} reports acknowledged so far{}",
            acks.votes.len(),
            acks.reports.len(),
            if crash_database { " (the database server crashed too)" } else { "" }
        );
        check(&db, poll, &acks).await;
    }
    let acks = acks.lock().expect("lock").clone();
    assert!(acks.votes.len() > ROUNDS * 10, "too few votes went through to prove anything");
    assert!(!acks.reports.is_empty(), "no report went through");
    db.close().await;
}
