//! Inclusion in the civic budget: only participants may say who they are, bad answers are
//! refused with nothing saved, and the indicators page shows hand-computed figures, with
//! "fewer than 5" wherever fewer than five people stand behind a figure.

use crate::helpers::{spawn_app, Req, TestApp};
use axum::http::StatusCode;

/// A Bălți edition in its voting phase, voting from `year`, one budget of 1,000 lei and
/// proposals (status, mixed team, cohesion actions) costing 100 each. Returns the budget and
/// the proposals' ids.
async fn edition(
    app: &TestApp,
    slug: &str,
    year: u32,
    proposals: &[(&str, bool, bool)],
) -> (i64, Vec<i64>) {
    let at = |y: u32| format!("'{y}-01-01 00:00:00+00:00'");
    let edition = app
        .scalar(&format!(
            "INSERT INTO budget_editions (locality_id, slug, title_ro, phase, information_from, proposals_from, \
             review_from, voting_from, results_from, implementation_from, document_key, created_at) VALUES \
             ((SELECT id FROM localities WHERE slug = 'balti'), '{slug}', 'Ediția {slug}', 'voting', {a}, {a}, {a}, \
             {a}, {end}, {end}, 'k', {a}) RETURNING id",
            a = at(year),
            end = at(2999)
        ))
        .await;
    let budget = app
        .scalar(&format!(
            "INSERT INTO budget_budgets (edition_id, name_ro, amount, ballot_rule, outcome_rule) VALUES \
             ({edition}, 'Oraș', 1000, '{{\"kind\":\"knapsack\",\"min_share_percent\":0}}', 'greedy') RETURNING id"
        ))
        .await;
    let mut ids = Vec::new();
    for (n, (status, mixed, cohesion)) in proposals.iter().enumerate() {
        ids.push(
            app.scalar(&format!(
                "INSERT INTO budget_proposals (budget_id, lang, title, description, cost, direction, status, \
                 mixed_team, cohesion_actions, created_at, updated_at) VALUES ({budget}, 'ro', 'Proiect {n}', \
                 'Descriere', 100, 'green', '{status}', {mixed}, {cohesion}, {a}, {a}) RETURNING id",
                a = at(year)
            ))
            .await,
        );
    }
    (budget, ids)
}

/// A voter made in the database with a confirmed ballot (or, without `user`, a paper ballot)
/// whose document hashes to `hash`, and what they said about themselves.
async fn participant(
    app: &TestApp,
    budget: i64,
    hash: &str,
    user: bool,
    said: Option<(&str, i64, bool)>,
) {
    let voter = if user {
        app.scalar(&format!(
            "INSERT INTO users (email, display_name, created_at) VALUES ('{hash}@test.example', '{hash}', \
             '2026-01-01 00:00:00+00:00') RETURNING id"
        ))
        .await
        .to_string()
    } else {
        "NULL".to_owned()
    };
    let channel = if user { "internet" } else { "paper" };
    app.execute(&format!(
        "INSERT INTO budget_ballots (budget_id, voter_id, channel, document_hash, code, confirmed_at, created_at, \
         updated_at) VALUES ({budget}, {voter}, '{channel}', '{hash}', 'code-{hash}', '2026-01-01 00:00:00+00:00', \
         '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00')"
    ))
    .await;
    if let Some((status, satisfaction, trust)) = said {
        app.execute(&format!(
            "INSERT INTO budget_participants (edition_id, user_id, status, satisfaction, trust) VALUES \
             ((SELECT edition_id FROM budget_budgets WHERE id = {budget}), {voter}, '{status}', {satisfaction}, {trust})"
        ))
        .await;
    }
}

fn about_me(fields: &[(&str, &str)]) -> Req {
    let mut all = vec![("edition", "incl"), ("lang", "ro")];
    all.extend_from_slice(fields);
    Req::form("/api/budget/about-me/save", &all)
}

#[tokio::test]
async fn only_participants_answer_and_the_indicators_match_hand_computed_values() {
    let app = spawn_app().await;
    let (budget, p) = edition(
        &app,
        "incl",
        2000,
        &[
            ("feasible", true, true),
            ("feasible", true, false),
            ("submitted", false, true),
            ("unfeasible", false, true),
            ("feasible", false, false),
            ("draft", true, true),
        ],
    )
    .await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let saved = || app.scalar("SELECT COUNT(*) FROM budget_participants");
    let answers =
        [("status", "refugee"), ("satisfaction", "4"), ("trust", "yes"), ("gender", "female")];

    // Nobody answers without taking part: not anonymously, not before voting.
    assert_eq!(app.send(about_me(&answers)).await.status, StatusCode::UNAUTHORIZED);
    let res = app.send(about_me(&answers).session(&citizen)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    assert_eq!(saved().await, 0);

    let add = Req::form(
        "/api/budget/ballot/add",
        &[("budget_id", &budget.to_string()), ("proposal_id", &p[0].to_string()), ("lang", "ro")],
    );
    assert_eq!(app.send(add.session(&citizen)).await.status, StatusCode::OK);
    let confirm = Req::form(
        "/api/budget/ballot/confirm",
        &[("budget_id", &budget.to_string()), ("document", "2002000011111"), ("lang", "ro")],
    );
    assert_eq!(app.send(confirm.session(&citizen)).await.status, StatusCode::OK);

    // An answer outside the choices is refused, and nothing is kept.
    let res =
        app.send(about_me(&[("status", "refugee"), ("satisfaction", "7")]).session(&citizen)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.problems("satisfaction"), vec!["invalid"]);
    assert_eq!(saved().await, 0);
    let res = app.send(about_me(&answers).session(&citizen)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(
        res.header("location").ends_with("/ro/budget/incl/indicators?answered=1"),
        "{}",
        res.header("location")
    );
    // Answering again replaces the answers.
    let res = app.send(about_me(&answers).session(&citizen)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(saved().await, 1);

    // With one participant, every figure about people reads "fewer than 5".
    let page = app.get("/en/budget/incl/indicators").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("fewer than 5"));
    assert!(!page.body.contains("About you"), "the form is for participants only");

    // Six more online voters (one unanswered) and a paper voter; an unconfirmed ballot is no vote.
    for (n, said) in [
        Some(("refugee", 5, true)),
        Some(("migrant", 4, true)),
        Some(("resident", 4, false)),
        Some(("resident", 3, true)),
        Some(("resident", 5, true)),
        None,
    ]
    .into_iter()
    .enumerate()
    {
        participant(&app, budget, &format!("h{n}"), true, said).await;
    }
    participant(&app, budget, "paper-1", false, None).await;
    app.execute(&format!(
        "INSERT INTO budget_ballots (budget_id, channel, code, created_at, updated_at) VALUES \
         ({budget}, 'internet', 'code-unconfirmed', '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00')"
    ))
    .await;

    let res = app.get("/api/budget/indicators?slug=incl").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let counts = &res.json()["counts"];
    assert_eq!(counts["participants"], 8, "7 online and 1 on paper");
    assert_eq!(counts["previous"], serde_json::Value::Null);
    assert_eq!(
        (counts["status_answers"].as_i64(), counts["refugees_and_migrants"].as_i64()),
        (Some(6), Some(3))
    );
    assert_eq!(
        (
            counts["proposals"].as_i64(),
            counts["mixed_team"].as_i64(),
            counts["cohesion_actions"].as_i64()
        ),
        (Some(5), Some(2), Some(3)),
        "drafts are left out"
    );
    assert_eq!(
        (counts["satisfaction_answers"].as_i64(), counts["satisfaction_sum"].as_i64()),
        (Some(6), Some(25))
    );
    assert_eq!(
        (counts["trust_answers"].as_i64(), counts["trust_yes"].as_i64()),
        (Some(6), Some(5))
    );

    let page = app.get("/ro/budget/incl/indicators").await;
    for figure in [
        "50,00\u{a0}%",
        "40,00\u{a0}%",
        "60,00\u{a0}%",
        "4,2",
        "83,33\u{a0}%",
        "nu se măsoară încă",
    ] {
        assert!(page.body.contains(figure), "{figure} on the page");
    }
    let mine = app.send(Req::get("/ro/budget/incl/indicators").session(&citizen)).await;
    assert!(mine.body.contains("Despre dvs. (opțional)"), "a participant sees the form");
    assert!(mine.body.contains("value=\"refugee\" selected"), "with their answers");

    // The next edition compares itself with this one: too few people yet to say how it grew.
    let (next, _) = edition(&app, "incl2", 2001, &[("feasible", false, false)]).await;
    participant(&app, next, "n1", true, None).await;
    let res = app.get("/api/budget/indicators?slug=incl2").await;
    let counts = &res.json()["counts"];
    assert_eq!(counts["previous"]["slug"], "incl");
    assert_eq!(counts["previous"]["participants"], 8);
    let page = app.get("/ro/budget/incl2/indicators").await;
    assert!(
        page.body.contains("Ediția precedentă, Ediția incl: 8 participanți."),
        "the previous edition is named"
    );

    // An edition is its locality's: Sîngerei's site does not show it.
    let other = app.get("/ro/singerei/budget/incl/indicators").await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}
