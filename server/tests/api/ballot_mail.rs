//! The civic budget's mail to voters, read back from a real SMTP server process: a receipt for
//! each confirmation ("I wasn't sure my vote counted"), and one reminder about a ballot left
//! unconfirmed.

use crate::alerts::{send_outbox, BASE};
use crate::budget::{edition, KNAPSACK};
use crate::helpers::{spawn_app, Req, TestApp, TestResponse};
use axum::http::StatusCode;

async fn ballot(app: &TestApp, who: &str, what: &str, budget: i64, project: i64) -> TestResponse {
    let res = app
        .send(
            Req::form(
                &format!("/api/budget/ballot/{what}"),
                &[
                    ("budget_id", &budget.to_string()),
                    ("proposal_id", &project.to_string()),
                    ("lang", "ro"),
                ],
            )
            .session(who),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{what}: {}", res.body);
    res
}

async fn confirm(app: &TestApp, who: &str, budget: i64, lang: &str) -> TestResponse {
    let res = app
        .send(
            Req::form(
                "/api/budget/ballot/confirm",
                &[
                    ("budget_id", &budget.to_string()),
                    ("document", "2004 0000 55555"),
                    ("lang", lang),
                ],
            )
            .session(who),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res
}

#[tokio::test]
async fn each_confirmation_is_mailed_a_receipt_with_its_code_and_choices() {
    let app = spawn_app().await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let (budget, projects) = edition(&app, "chitanta", "voting", 1000, KNAPSACK, &[400, 300]).await;
    for &project in &projects {
        ballot(&app, &citizen, "add", budget, project).await;
    }
    // Whatever the demo queued before is not this test's business.
    send_outbox(&app).await;

    let first = confirm(&app, &citizen, budget, "en").await;
    let code = first.json()["ballot"]["code"].as_str().unwrap_or_default().to_owned();
    // Confirming again changes nothing, and sends nothing.
    confirm(&app, &citizen, budget, "en").await;
    let mail = send_outbox(&app).await;
    assert_eq!(mail.len(), 1, "{:?}", mail.iter().map(|m| &m.subject).collect::<Vec<_>>());
    let m = &mail[0];
    assert_eq!(m.to, "cetatean@balti.demo");
    assert_eq!(m.subject, format!("Your vote in “Test chitanta” is confirmed: {code}"));
    assert!(m.body.contains(&format!("Your ballot code is {code}")), "{}", m.body);
    assert!(
        m.body.contains("- Proiect 0 (400 lei)") && m.body.contains("- Proiect 1 (300 lei)"),
        "{}",
        m.body
    );
    assert!(m.body.contains("Total: 700 lei"), "{}", m.body);
    assert!(m.body.contains(&format!("{BASE}/en/budget/chitanta/vote")), "{}", m.body);

    // A change leaves the ballot unconfirmed; confirming it again is a new receipt.
    ballot(&app, &citizen, "remove", budget, projects[1]).await;
    confirm(&app, &citizen, budget, "ro").await;
    let mail = send_outbox(&app).await;
    assert_eq!(mail.len(), 1);
    assert!(
        mail[0].subject.starts_with("Votul dvs. în „Test chitanta” este confirmat"),
        "{}",
        mail[0].subject
    );
    assert!(!mail[0].body.contains("Proiect 1"), "{}", mail[0].body);
}

#[tokio::test]
async fn a_ballot_left_unconfirmed_is_reminded_once() {
    let app = spawn_app().await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let admin = app.demo("admin@balti.demo").await;
    let (budget, projects) = edition(&app, "amintire", "voting", 1000, KNAPSACK, &[400]).await;
    ballot(&app, &citizen, "add", budget, projects[0]).await;
    ballot(&app, &admin, "add", budget, projects[0]).await;
    confirm(&app, &admin, budget, "ro").await;
    send_outbox(&app).await;

    // Just left: not yet.
    assert_eq!(server::notify::run_ballot_reminders(&app.db, BASE).await, 0);
    // A day later, the unconfirmed one is reminded; the confirmed one never is.
    app.execute(&format!(
        "UPDATE budget_ballots SET updated_at = '2001-01-01 00:00:00+00:00' WHERE budget_id = {budget}"
    ))
    .await;
    assert_eq!(server::notify::run_ballot_reminders(&app.db, BASE).await, 1);
    let mail = send_outbox(&app).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].to, "cetatean@balti.demo");
    assert_eq!(mail[0].subject, "Buletinul dvs. din „Test amintire” nu este încă confirmat");
    assert!(mail[0].body.contains(&format!("{BASE}/ro/budget/amintire/vote")), "{}", mail[0].body);
    // Once.
    assert_eq!(server::notify::run_ballot_reminders(&app.db, BASE).await, 0);
}
