//! Two `agora serve` processes on one PostgreSQL database, as behind a load balancer.

use super::{Server, Wire};
use crate::helpers::spawn_app;
use crate::mail::smtp_sink;
use crate::votes::open_poll;
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// Voter `i` votes for `option` through `server`, from an address of its own.
async fn vote(server: &Server, poll: i64, option: i64, session: &str, i: usize) -> Wire {
    let (poll, option) = (poll.to_string(), option.to_string());
    let fields = [("poll_id", poll.as_str()), ("choices[0]", option.as_str()), ("lang", "ro")];
    let from = format!("10.1.{}.{}", i / 256, i % 256);
    server.post_form("/api/polls/vote", &fields, session, &from).await.expect("vote")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_live_updates_votes_rate_limits_and_mail() {
    let app = spawn_app().await;
    if let server::db::Db::Sqlite(_) = app.db {
        println!("skipped on SQLite: one server process is the design there");
        return;
    }
    let (poll, options) = open_poll(&app).await;
    let voters = app.db.bench_insert_voters(201).await.expect("voters");
    let (smtp_port, received) = smtp_sink().await;
    let smtp = format!("smtp://127.0.0.1:{smtp_port}");
    let env = [("AGORA_SMTP_URL", smtp.as_str()), ("AGORA_MAIL_FROM", "agora@balti.example")];
    let first = Server::start(&app.url, &app.dir.path().join("first"), &env).await;
    let second = Server::start(&app.url, &app.dir.path().join("second"), &env).await;
    // A vote on the first process reaches a browser following the poll on the second.
    let mut events = second.events(&format!("/api/v1/polls/{poll}/events")).await;
    let before = events.next_results(Duration::from_secs(10)).await.expect("the first counts");
    let before = before["participants"].as_i64().expect("participants");
    let res = vote(&first, poll, options[0], &voters[0], 0).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let update = events.next_results(left).await.expect("an update from the other process");
        if update["participants"] == before + 1 {
            break;
        }
    }

    // 200 voters each send their vote to both processes at once: each is counted once.
    let sent: Vec<_> = (1..=200)
        .flat_map(|i| [(&first, i), (&second, i)])
        .map(|(server, i)| vote(server, poll, options[i % options.len()], &voters[i], i))
        .collect();
    let replies = futures_util::future::join_all(sent).await;
    let mut outcomes = Vec::new();
    for res in &replies {
        assert_eq!(res.status, 200, "{}", res.body);
        outcomes.push(res.json()["outcome"].as_str().unwrap_or_default().to_owned());
    }
    assert_eq!(outcomes.iter().filter(|o| *o == "recorded").count(), 200);
    assert_eq!(outcomes.iter().filter(|o| *o == "already_voted").count(), 200);
    let counted = first.get(&format!("/api/v1/polls/{poll}")).await.expect("poll").json();
    assert_eq!(counted["participants"], before + 201);
    let choices = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM ballot_choices c JOIN ballots b ON b.id = c.ballot_id \
             WHERE b.subject_kind = 'poll' AND b.subject_id = {poll}"
        ))
        .await;
    assert_eq!(choices, before + 201, "one choice per ballot");

    // Sign-in attempts count against one allowance, whichever process they reach.
    let fields =
        [("email", "cetatean@balti.demo"), ("password", "not the password"), ("lang", "ro")];
    for n in 0..5 {
        let server = if n % 2 == 0 { &first } else { &second };
        let res = server.post_form("/api/auth/login", &fields, "", "198.51.100.7").await;
        assert_eq!(res.expect("sign in").status, 401, "attempt {n}");
    }
    let res = second.post_form("/api/auth/login", &fields, "", "198.51.100.7").await;
    assert_eq!(res.expect("sign in").status, 429, "the sixth attempt");

    // Mail queued through either process is sent once, by one of them.
    let accounts = ["cetatean@balti.demo", "admin@balti.demo", "moderator@balti.demo"];
    for (n, email) in accounts.iter().enumerate() {
        let server = if n % 2 == 0 { &first } else { &second };
        let fields = [("email", *email), ("lang", "ro")];
        let res = server.post_form("/api/auth/forgot", &fields, "", "198.51.100.8").await;
        assert_eq!(res.expect("forgot").status, 200);
    }
    let queued = app.scalar("SELECT COUNT(*) FROM outbox").await as usize;
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await > 0 {
        assert!(Instant::now() < deadline, "mail still waiting after 30 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Both processes keep checking the outbox every 5 s; give them a round to misbehave.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let received = received.lock().expect("lock").clone();
    assert_eq!(received.len(), queued, "each message sent once");
    let recipients: HashSet<String> = received
        .iter()
        .filter_map(|m| m.lines().find_map(|l| l.strip_prefix("To: ")).map(str::to_owned))
        .collect();
    assert_eq!(recipients.len(), queued);
    first.kill().await;
    second.kill().await;
}
