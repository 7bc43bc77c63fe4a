//! The civic budget: ballots under concurrency, never over the amount, one ballot per person
//! whatever the clicks, paper and online exclusive, phases enforced, results and open data.

use crate::helpers::{spawn_app, Req, TestApp};
use app::model::budget::BallotRefusal;
use app::store::BudgetStore;
use axum::http::StatusCode;
use std::sync::Arc;

/// A test edition in `phase` (voting open until the year 2999), one budget of `amount` lei
/// with `rule` (JSON) and feasible projects costing `costs`. Returns the edition's slug, the
/// budget id and the project ids.
pub(crate) async fn edition(
    app: &TestApp,
    slug: &str,
    phase: &str,
    amount: i64,
    rule: &str,
    costs: &[i64],
) -> (i64, Vec<i64>) {
    let t = |y: u32| format!("'{y}-01-01 00:00:00+00:00'");
    let edition = app
        .scalar(&format!(
            "INSERT INTO budget_editions (locality_id, slug, title_ro, phase, information_from, proposals_from, \
             review_from, voting_from, results_from, implementation_from, document_key, created_at) VALUES \
             ((SELECT id FROM localities WHERE slug = 'balti'), '{slug}', 'Test {slug}', '{phase}', {}, {}, {}, {}, {}, {}, 'k', {}) RETURNING id",
            t(2000), t(2000), t(2000), t(2000), t(2999), t(2999), t(2000)
        ))
        .await;
    let budget = app
        .scalar(&format!(
            "INSERT INTO budget_budgets (edition_id, name_ro, amount, ballot_rule, outcome_rule) VALUES \
             ({edition}, 'Oraș', {amount}, '{rule}', 'greedy') RETURNING id"
        ))
        .await;
    let mut projects = Vec::new();
    for (n, cost) in costs.iter().enumerate() {
        projects.push(
            app.scalar(&format!(
                "INSERT INTO budget_proposals (budget_id, lang, title, description, cost, direction, status, \
                 created_at, updated_at) VALUES ({budget}, 'ro', 'Proiect {n}', 'Descriere', {cost}, 'green', \
                 'feasible', {}, {}) RETURNING id",
                t(2000),
                t(2000)
            ))
            .await,
        );
    }
    (budget, projects)
}

pub(crate) const KNAPSACK: &str = r#"{"kind":"knapsack","min_share_percent":0}"#;

/// Accounts made straight in the database (signing up 300 people would test password hashing).
async fn voters(app: &TestApp, n: usize) -> Vec<i64> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        ids.push(
            app.scalar(&format!(
                "INSERT INTO users (email, display_name, created_at) VALUES ('voter{i}@test.example', 'V{i}', \
                 '2026-01-01 00:00:00+00:00') RETURNING id"
            ))
            .await,
        );
    }
    ids
}

#[tokio::test]
async fn three_hundred_concurrent_voters_are_each_counted_once_and_never_over_the_amount() {
    let app = spawn_app().await;
    let (budget, projects) =
        edition(&app, "t300", "voting", 1000, KNAPSACK, &[400, 300, 300, 250]).await;
    let db = Arc::new(app.db.clone());
    let mut tasks = Vec::new();
    for (i, user) in voters(&app, 300).await.into_iter().enumerate() {
        let db = db.clone();
        let projects = projects.clone();
        tasks.push(tokio::spawn(async move {
            // Every voter clicks every project, some twice, all at once: only what fits stays.
            let clicks = projects.iter().chain(projects.iter().take(i % 3)).map(|&p| {
                let db = db.clone();
                async move { db.ballot_add(budget, user, p).await }
            });
            for change in futures_util::future::join_all(clicks).await {
                change.expect("a click is saved or refused, never an error");
            }
            let confirmed = db.ballot_confirm(budget, user, &format!("DOC{user:08}"), None).await;
            let again = db.ballot_confirm(budget, user, &format!("DOC{user:08}"), None).await;
            (confirmed.expect("confirm"), again.expect("confirm again"))
        }));
    }
    let mut codes = std::collections::HashSet::new();
    for task in tasks {
        let (first, again) = task.await.expect("task");
        assert!(first.refusal.is_none(), "{:?}", first.refusal);
        assert!(first.ballot.total <= 1000);
        assert_eq!(first.ballot.code, again.ballot.code);
        assert_eq!(first.ballot.confirmed_at, again.ballot.confirmed_at);
        codes.insert(first.ballot.code);
    }
    assert_eq!(codes.len(), 300);
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) FROM budget_ballots WHERE budget_id = {budget} AND confirmed_at IS NOT NULL")).await,
        300
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM budget_ballots WHERE budget_id = {budget} AND total > 1000"
        ))
        .await,
        0
    );
    // The kept total is always the sum of the choices.
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM budget_ballots b WHERE b.budget_id = {budget} AND b.total <> \
             (SELECT COALESCE(SUM(p.cost), 0) FROM budget_choices c JOIN budget_proposals p ON p.id = c.proposal_id \
              WHERE c.ballot_id = b.id)"
        ))
        .await,
        0
    );
    let results = app.db.budget_results(budget).await.expect("count");
    assert_eq!(results.outcome.voters, 300);
    assert_eq!(results.internet_ballots, 300);
}

#[tokio::test]
async fn a_project_that_does_not_fit_is_refused_with_the_numbers() {
    let app = spawn_app().await;
    let (budget, p) = edition(&app, "fit", "voting", 1000, KNAPSACK, &[600, 500]).await;
    let user = voters(&app, 1).await[0];
    assert!(app.db.ballot_add(budget, user, p[0]).await.expect("add").refusal.is_none());
    let change = app.db.ballot_add(budget, user, p[1]).await.expect("add");
    assert_eq!(
        change.refusal,
        Some(BallotRefusal::OverAmount { total: 1100, amount: 1000, over_by: 100 })
    );
    assert_eq!(change.ballot.choices, vec![p[0]]);
    assert_eq!(change.ballot.total, 600);
    // A project of another budget is not on this ballot.
    let (_, other) = edition(&app, "other", "voting", 1000, KNAPSACK, &[10]).await;
    let change = app.db.ballot_add(budget, user, other[0]).await.expect("add");
    assert!(matches!(change.refusal, Some(BallotRefusal::UnknownProject { .. })));
}

#[tokio::test]
async fn two_tabs_double_submits_and_retries_give_one_ballot() {
    let app = spawn_app().await;
    let (budget, p) = edition(&app, "tabs", "voting", 1000, KNAPSACK, &[300, 300]).await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let add = |project: i64| {
        Req::form(
            "/api/budget/ballot/add",
            &[
                ("budget_id", &budget.to_string()),
                ("proposal_id", &project.to_string()),
                ("lang", "ro"),
            ],
        )
        .session(&citizen)
    };
    let (a, b, c) = tokio::join!(app.send(add(p[0])), app.send(add(p[0])), app.send(add(p[1])));
    for res in [a, b, c] {
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
    let confirm = || {
        Req::form(
            "/api/budget/ballot/confirm",
            &[("budget_id", &budget.to_string()), ("document", "0123456789012"), ("lang", "ro")],
        )
        .session(&citizen)
    };
    let (a, b) = tokio::join!(app.send(confirm()), app.send(confirm()));
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(b.status, StatusCode::OK, "{}", b.body);
    assert_eq!(a.json()["ballot"]["code"], b.json()["ballot"]["code"]);
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) FROM budget_ballots WHERE budget_id = {budget}"))
            .await,
        1
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM budget_choices c JOIN budget_ballots b ON b.id = c.ballot_id WHERE b.voter_id IS NOT NULL AND b.total = 600").await, 2);
    // A plain form post lands back on the ballot, and a refusal says why in the address.
    let res = app
        .send(
            Req::form(
                "/api/budget/ballot/add",
                &[("budget_id", &budget.to_string()), ("proposal_id", "999999"), ("lang", "ro")],
            )
            .session(&citizen)
            .header("accept", "text/html"),
        )
        .await;
    assert_eq!(res.status, StatusCode::FOUND);
    assert!(res.header("location").contains("/ro/budget/tabs/vote?refused=unknown_project.999999"));
    // A change leaves the ballot unconfirmed until confirmed again.
    let remove = Req::form(
        "/api/budget/ballot/remove",
        &[("budget_id", &budget.to_string()), ("proposal_id", &p[1].to_string()), ("lang", "ro")],
    )
    .session(&citizen);
    let res = app.send(remove).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.json()["ballot"]["confirmed_at"].is_null());
}

#[tokio::test]
async fn paper_and_online_ballots_exclude_each_other() {
    let app = spawn_app().await;
    let (budget, p) = edition(&app, "paper", "voting", 1000, KNAPSACK, &[300, 300]).await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let staff = app.demo("admin@balti.demo").await;
    let b = budget.to_string();
    for project in &p {
        let add = Req::form(
            "/api/budget/ballot/add",
            &[("budget_id", &b), ("proposal_id", &project.to_string()), ("lang", "ro")],
        );
        assert_eq!(app.send(add.session(&citizen)).await.status, StatusCode::OK);
    }
    let confirm = Req::form(
        "/api/budget/ballot/confirm",
        &[("budget_id", &b), ("document", "2002 0000 11111"), ("lang", "ro")],
    );
    assert_eq!(app.send(confirm.session(&citizen)).await.status, StatusCode::OK);
    let paper = |sheet: &str, document: &str| {
        Req::form(
            "/api/budget/paper",
            &[
                ("budget_id", b.as_str()),
                ("sheet", sheet),
                ("document", document),
                ("choices[0]", &p[0].to_string()),
                ("lang", "ro"),
            ],
        )
        .session(&staff)
    };
    // The same document, typed differently, voted online already.
    let res = app.send(paper("A-1", "2002000011111")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.problems("document"), vec!["already_used"]);
    let res = app.send(paper("A-1", "1999000022222")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // The same sheet twice, and a paper voter online.
    let res = app.send(paper("A-1", "1999000033333")).await;
    assert_eq!(res.problems("sheet"), vec!["already_used"]);
    let other = app.account_with_role("second@test.example", None, None).await;
    let add = Req::form(
        "/api/budget/ballot/add",
        &[("budget_id", &b), ("proposal_id", &p[0].to_string()), ("lang", "ro")],
    );
    assert_eq!(app.send(add.session(&other)).await.status, StatusCode::OK);
    let confirm = Req::form(
        "/api/budget/ballot/confirm",
        &[("budget_id", &b), ("document", "1999000022222"), ("lang", "ro")],
    );
    let res = app.send(confirm.session(&other)).await;
    assert_eq!(res.problems("document"), vec!["already_used"]);
    // A paper ballot over the amount is refused with the numbers.
    let over = Req::form(
        "/api/budget/paper",
        &[
            ("budget_id", b.as_str()),
            ("sheet", "A-2"),
            ("document", "1999000044444"),
            ("choices[0]", &p[0].to_string()),
            ("choices[1]", &p[1].to_string()),
            ("choices[2]", &p[1].to_string()),
            ("lang", "ro"),
        ],
    );
    let res = app.send(over.session(&staff)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.json()["refusal"]["kind"], "duplicate_project");
    let results = app.db.budget_results(budget).await.expect("count");
    assert_eq!((results.internet_ballots, results.paper_ballots), (1, 1));
}

#[tokio::test]
async fn phases_are_enforced() {
    let app = spawn_app().await;
    let (budget, p) = edition(&app, "phases", "review", 1000, KNAPSACK, &[300]).await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let b = budget.to_string();
    let add = || {
        Req::form(
            "/api/budget/ballot/add",
            &[("budget_id", b.as_str()), ("proposal_id", &p[0].to_string()), ("lang", "ro")],
        )
        .session(&citizen)
    };
    let res = app.send(add()).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.problems("budget_id"), vec!["closed"]);
    let propose = || {
        Req::multipart_fields(
            "/api/budget/propose",
            &[
                ("edition", "phases"),
                ("budget_id", b.as_str()),
                ("title", "Bănci noi în parc"),
                ("description", "Zece bănci noi în parcul central, lângă fântână."),
                ("written_in", "ro"),
                ("cost", "500"),
                ("direction", "green"),
                ("lang", "ro"),
            ],
        )
        .session(&citizen)
    };
    let res = app.send(propose()).await;
    assert_eq!(res.problems("budget_id"), vec!["closed"]);
    // Staff open the proposals: now the proposal goes in, and voting stays closed.
    let edition_id = app.scalar("SELECT id FROM budget_editions WHERE slug = 'phases'").await;
    let admin = app.demo("admin@balti.demo").await;
    let phase = Req::form(
        "/api/budget/phase",
        &[("edition_id", &edition_id.to_string()), ("phase", "proposals"), ("lang", "ro")],
    );
    assert_eq!(app.send(phase.session(&admin)).await.status, StatusCode::OK);
    app.execute("UPDATE budget_editions SET review_from = '2998-01-01 00:00:00+00:00', voting_from = '2998-01-01 00:00:00+00:00' WHERE slug = 'phases'").await;
    let res = app.send(propose()).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.send(add()).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A deadline past closes the phase even before staff move on.
    app.execute("UPDATE budget_editions SET review_from = '2001-01-01 00:00:00+00:00', voting_from = '2001-01-01 00:00:00+00:00', results_from = '2001-01-01 00:00:00+00:00', implementation_from = '2001-01-01 00:00:00+00:00' WHERE slug = 'phases'").await;
    assert_eq!(app.send(propose()).await.problems("budget_id"), vec!["closed"]);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'set_budget_phase'").await,
        1
    );
}

#[tokio::test]
async fn review_puts_a_proposal_on_the_ballot_and_results_are_published_after_voting() {
    let app = spawn_app().await;
    let demo = app.scalar("SELECT id FROM budget_editions WHERE slug = '2026'").await;
    // The demo's counted edition: results as data, as CSV and as a Pabulib file.
    let res = app.get(&format!("/api/v1/budget/editions/{demo}")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let json = res.json();
    let city = &json["budgets"][0];
    assert!(city["voters"].as_u64().unwrap_or(0) > 300, "{city}");
    assert!(city["spent"].as_u64().unwrap_or(u64::MAX) <= city["amount"].as_u64().unwrap_or(0));
    let budget = city["id"].as_i64().unwrap_or(0);
    let csv = app.get(&format!("/api/v1/budget/budgets/{budget}/results.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body.contains("\"project_id\",\"title\",\"cost\",\"votes\",\"funded\",\"reason\""),
        "{}",
        csv.body
    );
    let pb = app.get(&format!("/api/v1/budget/budgets/{budget}/results.pb")).await;
    assert_eq!(pb.status, StatusCode::OK);
    assert!(pb.body.starts_with("META"), "{}", pb.body);
    assert!(pb.body.contains("voting_method"), "{}", pb.body);
    let page = app.get("/ro/budget/2026/results").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Parc de joacă incluziv"));
    // The 2027 edition is voting: counts stay private.
    let open = app.scalar("SELECT id FROM budget_budgets WHERE edition_id = (SELECT id FROM budget_editions WHERE slug = '2027') AND position = 0").await;
    assert_eq!(
        app.get(&format!("/api/v1/budget/budgets/{open}/results.csv")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get("/ro/budget/2027/results").await.status, StatusCode::NOT_FOUND);
    // Review by staff, in the audit log; a refused proposal shows its reason.
    let (b, p) = edition(&app, "review", "review", 1000, KNAPSACK, &[300]).await;
    let _ = b;
    app.execute(&format!("UPDATE budget_proposals SET status = 'submitted' WHERE id = {}", p[0]))
        .await;
    let admin = app.demo("admin@balti.demo").await;
    let review = Req::form(
        "/api/budget/review",
        &[
            ("proposal_id", &p[0].to_string()),
            ("feasible", "no"),
            ("reason", "Terenul nu aparține municipiului."),
            ("revised_cost", ""),
            ("lang", "ro"),
        ],
    );
    assert_eq!(app.send(review.session(&admin)).await.status, StatusCode::OK);
    let page = app.get(&format!("/ro/budget/review/projects/{}", p[0])).await;
    assert!(page.body.contains("Terenul nu aparține municipiului."));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'review_budget_proposal'").await,
        1
    );
}

#[tokio::test]
async fn the_ballot_pages_work_without_javascript() {
    let app = spawn_app().await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let page = app.send(Req::get("/ro/budget/2027/vote").session(&citizen)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<progress"), "the budget bar");
    assert!(page.body.contains("action=\"/api/budget/ballot/add\""));
    let page = app.get("/ro/budget/2027").await;
    assert!(page.body.contains("aria-current=\"step\""));
    assert_eq!(app.get("/ro/budget").await.status, StatusCode::OK);
    assert_eq!(app.get("/ro/budget/nu-exista").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_edition_page_counts_confirmed_ballots_live() {
    let app = spawn_app().await;
    let (budget, p) = edition(&app, "live", "voting", 1000, KNAPSACK, &[300]).await;
    let edition_id =
        app.scalar(&format!("SELECT edition_id FROM budget_budgets WHERE id = {budget}")).await;
    // The page names the events it listens to, and shows the count before any script.
    let page = app.get("/ro/budget/live").await;
    assert!(page.body.contains(&format!("/api/v1/budget/editions/{edition_id}/events")));
    assert!(page.body.contains("data-testid=\"live-count\">0<"), "{}", page.body);
    assert_eq!(
        app.get("/api/v1/budget/editions/999999/events").await.status,
        StatusCode::NOT_FOUND
    );

    let mut events = app.events(&format!("/api/v1/budget/editions/{edition_id}/events")).await;
    assert!(events.next().await.contains("event: count\ndata: 0\n"));
    let citizen = app.demo("cetatean@balti.demo").await;
    let form = |uri: &str, extra: (&str, &str)| {
        Req::form(uri, &[("budget_id", &budget.to_string()), extra, ("lang", "ro")])
            .session(&citizen)
    };
    let added = app.send(form("/api/budget/ballot/add", ("proposal_id", &p[0].to_string()))).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    // Saved but not confirmed: the count stays; confirmed: every open page hears 1.
    assert!(events.next().await.contains("data: 0\n"));
    let confirmed =
        app.send(form("/api/budget/ballot/confirm", ("document", "0123456789012"))).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    assert!(events.next().await.contains("event: count\ndata: 1\n"));
}
