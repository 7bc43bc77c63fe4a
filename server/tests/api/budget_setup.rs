//! Staff setting up the civic budget: editions created and changed with every bad input
//! refused and nothing saved, budgets added before the review phase, and Pabulib files
//! imported as budgets that count exactly as the originals did.

use crate::helpers::{spawn_app, Multipart, Req, TestApp};
use axum::http::StatusCode;
use serde_json::Value;

const DATES: [(&str, &str); 6] = [
    ("information_from", "2029-01-10T09:00"),
    ("proposals_from", "2029-02-01T09:00"),
    ("review_from", "2029-03-01T00:00"),
    ("voting_from", "2029-04-01T08:00"),
    ("results_from", "2029-05-01T00:00"),
    ("implementation_from", "2029-06-01T00:00"),
];

/// The edition form with `changes` over a valid new edition `slug`.
fn edition_form(slug: &str, changes: &[(&str, &str)]) -> Req {
    let mut fields: Vec<(&str, &str)> = vec![
        ("slug", slug),
        ("title_ro", "Bugetul civic 2029"),
        ("title_ru", "Гражданский бюджет 2029"),
        ("title_uk", ""),
        ("title_en", ""),
        ("lang", "ro"),
    ];
    fields.extend(DATES);
    for (name, value) in changes {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value,
            None => fields.push((name, value)),
        }
    }
    Req::form("/api/budget/edition/save", &fields)
}

fn budget_form(edition: i64, changes: &[(&str, &str)]) -> Req {
    let edition = edition.to_string();
    let mut fields: Vec<(&str, &str)> = vec![
        ("edition_id", &edition),
        ("name_ro", "Tot orașul"),
        ("name_ru", ""),
        ("name_uk", ""),
        ("name_en", "The whole city"),
        ("amount", "1 500 000"),
        ("ballot_rule", "knapsack"),
        ("min_share_percent", "10"),
        ("min_projects", ""),
        ("max_projects", ""),
        ("outcome_rule", "equal_shares"),
        ("lang", "ro"),
    ];
    for (name, value) in changes {
        if let Some(field) = fields.iter_mut().find(|(n, _)| n == name) {
            field.1 = value;
        }
    }
    Req::form("/api/budget/budget/add", &fields)
}

async fn count(app: &TestApp, table: &str) -> i64 {
    app.scalar(&format!("SELECT COUNT(*) FROM {table}")).await
}

#[tokio::test]
async fn staff_create_an_edition_change_its_dates_and_add_budgets_until_review() {
    let app = spawn_app().await;
    app.import_singerei().await;
    let admin = app.demo("admin@balti.demo").await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let singerei =
        app.account_with_role("staff@singerei.example", Some("staff"), Some("singerei")).await;
    let editions = count(&app, "budget_editions").await;

    // Bad input, and people who may not: refused, nothing saved.
    for (req, status, field, problem) in [
        (
            edition_form("2029", &[("review_from", "2029-01-01T00:00")]),
            422,
            "review_from",
            "invalid",
        ),
        (edition_form("2029", &[("voting_from", "")]), 422, "voting_from", "required"),
        (edition_form("2029", &[("results_from", "soon")]), 422, "results_from", "invalid"),
        (edition_form("Ediția 2029", &[]), 422, "slug", "invalid"),
        (edition_form("new", &[]), 422, "slug", "taken"),
        (edition_form("2026", &[]), 422, "slug", "taken"),
        (edition_form("2029", &[("title_ro", "ab")]), 422, "title_ro", "too_short"),
    ] {
        let res = app.send(req.session(&admin)).await;
        assert_eq!(res.status.as_u16(), status, "{field}: {}", res.body);
        assert_eq!(res.problems(field), vec![problem], "{field}: {}", res.body);
    }
    assert_eq!(app.send(edition_form("2029", &[])).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.send(edition_form("2029", &[]).session(&citizen)).await.status,
        StatusCode::FORBIDDEN
    );
    // Sîngerei's staff on Bălți's site may not start Bălți's edition.
    assert_eq!(
        app.send(edition_form("2029", &[]).session(&singerei)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(count(&app, "budget_editions").await, editions);

    // Bălți's staff create it: in its information phase, dates in the city's time.
    let res = app.send(edition_form("2029", &[]).session(&admin)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id = res.json().as_i64().unwrap_or(0);
    let where_ = app
        .text(&format!(
            "SELECT e.phase || ' ' || l.slug FROM budget_editions e \
             JOIN localities l ON l.id = e.locality_id WHERE e.id = {id}"
        ))
        .await;
    assert_eq!(where_.as_deref(), Some("information balti"));
    let page = app.send(Req::get("/ro/budget/2029/setup").session(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("2029-02-01T09:00"), "the dates, as typed");
    assert!(page.body.contains("Гражданский бюджет 2029"));
    let page = app.get("/ru/budget/2029").await;
    assert!(page.body.contains("Гражданский бюджет 2029"));
    assert!(app.get("/ro/budget/2029/setup").await.body.contains("notice--error"));

    // Sîngerei's staff start Sîngerei's own on its site; the same slug is free there.
    let res = app
        .send(edition_form("2029", &[]).session(&singerei).header("host", "singerei.agora.example"))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    // New titles and dates; the slug stays.
    let change = || {
        edition_form(
            "ignored",
            &[
                ("edition_id", &id.to_string()),
                ("title_en", "Civic budget 2029"),
                ("voting_from", "2029-04-15T08:00"),
            ],
        )
    };
    assert_eq!(app.send(change().session(&singerei)).await.status, StatusCode::FORBIDDEN);
    let res = app.send(change().session(&admin)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        app.text(&format!("SELECT slug || ' ' || title_en FROM budget_editions WHERE id = {id}"))
            .await
            .as_deref(),
        Some("2029 Civic budget 2029")
    );
    assert!(app.get("/en/budget/2029").await.body.contains("15 Apr 2029"));

    // Budgets: bad rules refused; a good one added and shown with its rule.
    let budgets = count(&app, "budget_budgets").await;
    for (changes, field, problem) in [
        (vec![("amount", "")], "amount", "required"),
        (vec![("amount", "0")], "amount", "invalid"),
        (vec![("amount", "lots")], "amount", "invalid"),
        (vec![("min_share_percent", "120")], "min_share_percent", "invalid"),
        (
            vec![("ballot_rule", "approval"), ("min_projects", "3"), ("max_projects", "2")],
            "max_projects",
            "invalid",
        ),
        (vec![("ballot_rule", "approval")], "max_projects", "required"),
        (vec![("ballot_rule", "lottery")], "ballot_rule", "invalid"),
        (vec![("outcome_rule", "lottery")], "outcome_rule", "invalid"),
        (vec![("name_ro", "x")], "name_ro", "too_short"),
    ] {
        let res = app.send(budget_form(id, &changes).session(&admin)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", res.body);
        assert_eq!(res.problems(field), vec![problem], "{field}: {}", res.body);
    }
    assert_eq!(
        app.send(budget_form(id, &[]).session(&citizen)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.send(budget_form(id, &[]).session(&singerei)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(count(&app, "budget_budgets").await, budgets);
    let res = app.send(budget_form(id, &[]).session(&admin)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let approval = [
        ("name_ro", "Incluziune"),
        ("name_en", ""),
        ("ballot_rule", "approval"),
        ("min_projects", "1"),
        ("max_projects", "2"),
        ("outcome_rule", "greedy"),
    ];
    assert_eq!(app.send(budget_form(id, &approval).session(&admin)).await.status, StatusCode::OK);
    let rule = |position: i64| {
        format!(
            "SELECT amount || ' ' || ballot_rule || ' ' || outcome_rule FROM budget_budgets \
             WHERE edition_id = {id} AND position = {position}"
        )
    };
    assert_eq!(
        app.text(&rule(0)).await.as_deref(),
        Some(r#"1500000 {"kind":"knapsack","min_share_percent":10} equal_shares"#)
    );
    assert_eq!(
        app.text(&rule(1)).await.as_deref(),
        Some(r#"1500000 {"kind":"approval","min_projects":1,"max_projects":2} greedy"#)
    );
    let page = app.get("/en/budget/2029").await.body;
    assert!(page.contains("The whole city") && page.contains("Incluziune"), "{page}");

    // Once review begins, no new budget: proposals could no longer reach it.
    let phase = Req::form(
        "/api/budget/phase",
        &[("edition_id", &id.to_string()), ("phase", "review"), ("lang", "ro")],
    );
    assert_eq!(app.send(phase.session(&admin)).await.status, StatusCode::OK);
    let res = app.send(budget_form(id, &[]).session(&admin)).await;
    assert_eq!(res.problems("edition_id"), vec!["closed"], "{}", res.body);
    let audited = app
        .scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action IN \
             ('create_budget_edition', 'update_budget_edition', 'add_budget')",
        )
        .await;
    assert_eq!(audited, 5, "two editions, a change, two budgets");
}

/// The import form for `edition` with `file`.
fn import_form(edition: i64, name: &str, file: &[u8]) -> Req {
    let form = Multipart::new()
        .text("edition_id", &edition.to_string())
        .text("name", name)
        .text("lang", "ro")
        .file("file", "budget.pb", "text/plain", file);
    Req::multipart("/api/budget/import", form)
}

/// Title → (votes, funded) of a budget in the open data of its edition.
fn counted(edition: &Value, budget: i64) -> Vec<(String, u64, bool)> {
    let budgets = edition["budgets"].as_array().cloned().unwrap_or_default();
    let Some(b) = budgets.iter().find(|b| b["id"].as_i64() == Some(budget)) else {
        return Vec::new();
    };
    let mut rows: Vec<(String, u64, bool)> = b["projects"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|p| p["votes"].as_u64().unwrap_or(0) > 0)
        .map(|p| {
            (
                p["title"].as_str().unwrap_or_default().to_owned(),
                p["votes"].as_u64().unwrap_or(0),
                p["funded"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    rows.sort();
    rows
}

#[tokio::test]
async fn a_pabulib_file_becomes_a_budget_that_counts_as_the_original_did() {
    let app = spawn_app().await;
    app.import_singerei().await;
    let admin = app.demo("admin@balti.demo").await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let singerei =
        app.account_with_role("staff@singerei.example", Some("staff"), Some("singerei")).await;
    // The demo's counted 2026 edition, as published.
    let demo = app.scalar("SELECT id FROM budget_editions WHERE slug = '2026'").await;
    let original = app.get(&format!("/api/v1/budget/editions/{demo}")).await.json();
    let mut files = Vec::new();
    for b in original["budgets"].as_array().cloned().unwrap_or_default() {
        let id = b["id"].as_i64().unwrap_or(0);
        let pb = app.get(&format!("/api/v1/budget/budgets/{id}/results.pb")).await;
        assert_eq!(pb.status, StatusCode::OK);
        files.push((id, pb.body));
    }
    assert_eq!(files.len(), 2);

    // A past edition migrated: created, then each budget's file imported.
    let res = app.send(edition_form("2025", &[]).session(&admin)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let past = res.json().as_i64().unwrap_or(0);
    let (budgets, ballots) =
        (count(&app, "budget_budgets").await, count(&app, "budget_ballots").await);
    // Refused, with nothing saved: a broken file (at its line), not UTF-8, no file, too large,
    // and people who may not.
    let budget_line = files[0].1.lines().position(|l| l.starts_with("budget;")).unwrap_or(0) + 1;
    let broken: String =
        files[0]
            .1
            .lines()
            .map(|l| {
                if l.starts_with("budget;") {
                    "budget;lots\n".to_owned()
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
    for (req, status, problem) in [
        (import_form(past, "", broken.as_bytes()).session(&admin), 422, Some("unreadable_file")),
        (import_form(past, "", &[0xff, 0xfe, b'M']).session(&admin), 422, Some("unreadable_file")),
        (
            Req::multipart(
                "/api/budget/import",
                Multipart::new().text("edition_id", &past.to_string()).text("lang", "ro"),
            )
            .session(&admin),
            422,
            Some("required"),
        ),
        (
            import_form(past, "", &vec![b'x'; 8 * 1024 * 1024 + 1]).session(&admin),
            422,
            Some("file_too_large"),
        ),
        (import_form(past, "", files[0].1.as_bytes()), 401, None),
        (import_form(past, "", files[0].1.as_bytes()).session(&citizen), 403, None),
        (import_form(past, "", files[0].1.as_bytes()).session(&singerei), 403, None),
    ] {
        let res = app.send(req).await;
        assert_eq!(res.status.as_u16(), status, "{}", res.body);
        if let Some(problem) = problem {
            assert_eq!(res.problems("file"), vec![problem], "{}", res.body);
        }
    }
    assert_eq!(
        (count(&app, "budget_budgets").await, count(&app, "budget_ballots").await),
        (budgets, ballots)
    );
    // Without JavaScript the form comes back with the line at fault.
    let res = app
        .send(
            import_form(past, "Tot orașul", broken.as_bytes())
                .session(&admin)
                .header("accept", "text/html"),
        )
        .await;
    assert_eq!(res.status, StatusCode::FOUND);
    let back = res.header("location");
    assert!(back.starts_with("/ro/budget/2025/setup?"), "{back}");
    assert!(back.contains(&format!("line={budget_line}")), "{back}");
    let page = app.send(Req::get(back).session(&admin)).await.body;
    assert!(page.contains(&format!("Rândul {budget_line} al fișierului")), "{page}");
    assert!(page.contains("Tot orașul"), "what was typed comes back");

    let mut imported = Vec::new();
    for (_, file) in &files {
        let res = app.send(import_form(past, "", file.as_bytes()).session(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        imported.push(res.json().as_i64().unwrap_or(0));
    }
    // Counted once the results are out: the same votes, the same funded projects, the same
    // ballots by channel.
    let phase = Req::form(
        "/api/budget/phase",
        &[("edition_id", &past.to_string()), ("phase", "results"), ("lang", "ro")],
    );
    assert_eq!(app.send(phase.session(&admin)).await.status, StatusCode::OK);
    let copy = app.get(&format!("/api/v1/budget/editions/{past}")).await.json();
    for ((original_id, _), copy_id) in files.iter().zip(&imported) {
        let before = counted(&original, *original_id);
        assert!(before.iter().any(|(_, _, funded)| *funded), "{before:?}");
        assert_eq!(counted(&copy, *copy_id), before);
        for channel in ["internet", "paper"] {
            let ballots = |budget: i64| {
                format!(
                    "SELECT COUNT(*) FROM budget_ballots WHERE budget_id = {budget} \
                     AND channel = '{channel}' AND confirmed_at IS NOT NULL"
                )
            };
            let (copied, was) =
                (app.scalar(&ballots(*copy_id)).await, app.scalar(&ballots(*original_id)).await);
            assert!(was > 0 && copied == was, "{channel}: {copied} of {was}");
        }
    }
    let json = &copy["budgets"][0];
    assert_eq!(json["outcome_rule"], original["budgets"][0]["outcome_rule"]);
    assert_eq!(json["ballot_rule"], original["budgets"][0]["ballot_rule"]);
    // The budget's name came from the file; the import is in the audit log.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'import_budget_pabulib'").await,
        2
    );
    let page = app.get("/ro/budget/2025/results").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Parc de joacă incluziv"));
}

#[tokio::test]
async fn an_editions_minimum_age_is_set_by_staff_and_declared_by_each_voter() {
    let app = spawn_app().await;
    let admin = app.demo("admin@balti.demo").await;
    let citizen = app.demo("cetatean@balti.demo").await;
    for (age, status) in [("abc", 422), ("31", 422), ("18", 200)] {
        let res = app.send(edition_form("2030", &[("min_voter_age", age)]).session(&admin)).await;
        assert_eq!(res.status.as_u16(), status, "{age}: {}", res.body);
    }
    assert_eq!(
        app.text("SELECT slug || ' ' || min_voter_age FROM budget_editions WHERE slug = '2030'")
            .await
            .as_deref(),
        Some("2030 18")
    );
    // The demo's 2027 edition (voting) asks voters from 16 to say they are.
    let page = app.send(Req::get("/ro/budget/2027/vote").session(&citizen)).await.body;
    assert!(page.contains("Pot vota locuitorii de la 16 ani"), "who may vote");
    let budget = app
        .scalar("SELECT b.id FROM budget_budgets b JOIN budget_editions e ON e.id = b.edition_id WHERE e.slug = '2027' AND b.position = 0")
        .await
        .to_string();
    let project = app
        .scalar(&format!("SELECT MIN(id) FROM budget_proposals WHERE budget_id = {budget} AND status = 'feasible'"))
        .await
        .to_string();
    let add = [("budget_id", budget.as_str()), ("proposal_id", project.as_str()), ("lang", "ro")];
    assert_eq!(
        app.send(Req::form("/api/budget/ballot/add", &add).session(&citizen)).await.status,
        StatusCode::OK
    );
    let confirm = |eligible: Option<&'static str>| {
        let mut fields = vec![
            ("budget_id", budget.clone()),
            ("document", "2004000077777".to_owned()),
            ("lang", "ro".to_owned()),
        ];
        if let Some(e) = eligible {
            fields.push(("eligible", e.to_owned()));
        }
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Req::form("/api/budget/ballot/confirm", &fields).session(&citizen)
    };
    let confirmed = format!(
        "SELECT COUNT(*) FROM budget_ballots b JOIN users u ON u.id = b.voter_id \
         WHERE b.budget_id = {budget} AND u.email = 'cetatean@balti.demo' AND b.confirmed_at IS NOT NULL"
    );
    let res = app.send(confirm(None)).await;
    assert_eq!(res.problems("eligible"), vec!["required"], "{}", res.body);
    assert_eq!(app.scalar(&confirmed).await, 0, "nothing confirmed without the declaration");
    let res = app.send(confirm(Some("on"))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.scalar(&confirmed).await, 1);
}
