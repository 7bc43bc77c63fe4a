//! Statistics: figures against hand-computed values on fixed data, the filters, the CSV tables,
//! the yearly report's JSON, and the aggregates the writes keep equal to a recount.

use crate::helpers::{report_form, spawn_app, Req, TestApp};
use axum::http::StatusCode;
use serde_json::Value;

/// Sîngerei's first two categories (id, slug), for reports of our own.
async fn two_categories(app: &TestApp) -> [(i64, String); 2] {
    let row = |n: i64| {
        format!(
            "SELECT c.id FROM categories c JOIN localities l ON l.id = c.locality_id \
             WHERE l.slug = 'singerei' ORDER BY c.sort_order, c.id LIMIT 1 OFFSET {n}"
        )
    };
    let slug = |id: i64| format!("SELECT slug FROM categories WHERE id = {id}");
    let (a, b) = (app.scalar(&row(0)).await, app.scalar(&row(1)).await);
    [(a, app.text(&slug(a)).await.expect("slug")), (b, app.text(&slug(b)).await.expect("slug"))]
}

/// A report with fixed times: `answer` and `resolve` are minutes after filing.
struct Fixed<'a> {
    category: i64,
    created: &'a str,
    status: &'a str,
    answer: Option<i64>,
    resolve: Option<i64>,
    supporters: i64,
    hidden: bool,
}

async fn insert_report(app: &TestApp, r: Fixed<'_>) {
    let Fixed { category, created, status, answer, resolve, supporters, hidden } = r;
    let at = |m: Option<i64>| match m {
        Some(m) => format!(
            "'{}'",
            (created.parse::<chrono::DateTime<chrono::Utc>>().expect("time")
                + chrono::TimeDelta::minutes(m))
            .to_rfc3339()
        ),
        None => "NULL".to_owned(),
    };
    app.execute(&format!(
        "INSERT INTO reports (locality_id, category_id, title, description, lat, lng, status, supporters, \
         hidden, created_at, updated_at, first_response_at, resolved_at) VALUES \
         ((SELECT id FROM localities WHERE slug = 'singerei'), {category}, 'Raport de test', \
         'Descrierea raportului de test.', 47.64, 28.14, '{status}', {supporters}, {hidden}, '{created}', \
         '{created}', {}, {})",
        at(answer),
        at(resolve)
    ))
    .await;
}

async fn stats(app: &TestApp, query: &str) -> Value {
    let res = app.get(&format!("/api/statistics/get?locality=singerei&{query}")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

fn by_status(s: &Value, status: &str) -> i64 {
    s["by_status"]
        .as_array()
        .and_then(|a| a.iter().find(|p| p[0] == status))
        .and_then(|p| p[1].as_i64())
        .unwrap_or(-1)
}

#[tokio::test]
async fn figures_match_hand_computed_values_and_filters_narrow_them() {
    let app = spawn_app().await;
    app.import_singerei().await;
    // Figures computed by hand: Sîngerei's demo reports are left out.
    app.execute(
        "DELETE FROM reports WHERE locality_id = (SELECT id FROM localities WHERE slug = 'singerei')",
    )
    .await;
    let [(c1, s1), (c2, s2)] = two_categories(&app).await;
    insert_report(
        &app,
        Fixed {
            category: c1,
            created: "2026-03-10T10:00:00Z",
            status: "resolved",
            answer: Some(60),
            resolve: Some(2880),
            supporters: 3,
            hidden: false,
        },
    )
    .await;
    insert_report(
        &app,
        Fixed {
            category: c1,
            created: "2026-03-15T10:00:00Z",
            status: "accepted",
            answer: Some(120),
            resolve: None,
            supporters: 1,
            hidden: false,
        },
    )
    .await;
    insert_report(
        &app,
        Fixed {
            category: c2,
            created: "2026-04-01T10:00:00Z",
            status: "new",
            answer: None,
            resolve: None,
            supporters: 0,
            hidden: false,
        },
    )
    .await;
    insert_report(
        &app,
        Fixed {
            category: c2,
            created: "2026-04-02T10:00:00Z",
            status: "resolved",
            answer: Some(30),
            resolve: Some(1440),
            supporters: 0,
            hidden: false,
        },
    )
    .await;
    insert_report(
        &app,
        Fixed {
            category: c1,
            created: "2026-04-03T10:00:00Z",
            status: "rejected",
            answer: Some(10),
            resolve: None,
            supporters: 0,
            hidden: false,
        },
    )
    .await;
    insert_report(
        &app,
        Fixed {
            category: c1,
            created: "2026-04-04T10:00:00Z",
            status: "new",
            answer: None,
            resolve: None,
            supporters: 9,
            hidden: true,
        },
    )
    .await;
    app.db.rebuild_statistics().await.expect("recount");

    let all = stats(&app, "").await;
    assert_eq!(all["totals"]["reports"], 5, "the hidden one counts nowhere");
    assert_eq!(all["totals"]["answered"], 4);
    assert_eq!(all["totals"]["supporters"], 4);
    for (status, n) in
        [("new", 1), ("accepted", 1), ("resolved", 2), ("rejected", 1), ("duplicate", 0)]
    {
        assert_eq!(by_status(&all, status), n, "{status}");
    }
    assert_eq!(all["by_category"][0][0], s1.as_str());
    assert_eq!(all["by_category"][0][1]["reports"], 3);
    assert_eq!(all["by_category"][1][0], s2.as_str());
    assert_eq!(all["by_category"][1][1]["reports"], 2);
    // Answers after 10, 30, 60 and 120 minutes: the median is the 2nd, the 90th percentile the 4th.
    assert_eq!(all["response"]["answer"]["median_minutes"], 30);
    assert_eq!(all["response"]["answer"]["p90_minutes"], 120);
    assert_eq!(all["response"]["resolution"]["median_minutes"], 1440);
    assert_eq!(all["response"]["resolution"]["p90_minutes"], 2880);
    let months: Vec<&str> = all["by_month"]
        .as_array()
        .expect("months")
        .iter()
        .filter_map(|m| m[0].as_object())
        .map(|_| "m")
        .collect();
    assert_eq!(months.len(), 2, "March and April 2026");
    assert_eq!(all["by_month"][0][0]["month"], 3);
    assert_eq!(all["fix_rate_filed"], 5);
    assert_eq!(all["fix_rate_resolved"], 2);

    let c1_only = stats(&app, &format!("category={s1}")).await;
    assert_eq!(c1_only["totals"]["reports"], 3);
    assert_eq!(c1_only["response"]["answer"]["median_minutes"], 60, "10, 60, 120");
    let resolved = stats(&app, "status=resolved").await;
    assert_eq!(resolved["totals"]["reports"], 2);
    assert_eq!(resolved["by_status"].as_array().map(Vec::len), Some(1));
    let april = stats(&app, "from=2026-04&to=2026-04").await;
    assert_eq!(april["totals"]["reports"], 3);
    assert_eq!(april["by_month"].as_array().map(Vec::len), Some(1));
    let unassigned = stats(&app, "department=0").await;
    assert_eq!(unassigned["totals"]["reports"], 5);
    let nobody = stats(&app, "department=999999").await;
    assert_eq!(nobody["totals"]["reports"], 0);
    assert_eq!(nobody["response"]["answer"]["median_minutes"], Value::Null);

    // Bălți's figures are its own.
    let balti = app.get("/api/statistics/get").await.json();
    assert_eq!(balti["totals"]["reports"], app.scalar("SELECT COUNT(*) FROM reports r JOIN localities l ON l.id = r.locality_id WHERE l.slug = 'balti' AND r.hidden = FALSE").await);

    // The same figures as CSV tables and in the yearly report.
    let csv = app.get("/api/v1/statistics.csv?table=status&locality=singerei&lang=en").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("\"resolved\",\"Resolved\",2"), "{}", csv.body);
    let csv = app
        .get(&format!("/api/v1/statistics.csv?table=category&locality=singerei&category={s2}"))
        .await;
    assert_eq!(csv.body.lines().count(), 2, "{}", csv.body);
    let csv = app.get("/api/v1/statistics.csv?table=response&locality=singerei").await;
    assert!(
        csv.body.lines().nth(1).is_some_and(|l| l.starts_with("\"*\",30,120,4,1440,2880,2")),
        "{}",
        csv.body
    );
    let bad = app.get("/api/v1/statistics.csv?table=passwords").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let year = app.get("/api/v1/statistics/year/2026?locality=singerei").await;
    assert_eq!(year.status, StatusCode::OK, "{}", year.body);
    let year = year.json();
    assert_eq!(year["reports"]["total"], 5);
    assert_eq!(year["reports"]["by_status"]["resolved"], 2);
    assert_eq!(year["reports"]["by_category"][s1.as_str()], 3);
    assert_eq!(year["reports"]["answered"], 4);
    assert_eq!(app.get("/api/v1/statistics/year/1999").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/statistics/year/abc.csv").await.status, StatusCode::NOT_FOUND);
    let year_csv = app.get("/api/v1/statistics/year/2026.csv?locality=singerei&lang=ro").await;
    assert!(year_csv.body.contains("\"reports\",\"total\",\"\",5"), "{}", year_csv.body);
}

#[tokio::test]
async fn every_write_keeps_the_statistics_equal_to_a_recount() {
    let app = spawn_app().await;
    let current = || async { app.get("/api/statistics/get").await.json() };
    let before = current().await;

    // Citizens file, support and follow; staff answer, resolve and hide; an account goes.
    let citizen = app.demo("cetatean@balti.demo").await;
    let mut created = Vec::new();
    for _ in 0..2 {
        let res =
            app.send(Req::multipart("/api/reports/create", report_form()).session(&citizen)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        created.push(res.json().as_i64().expect("id"));
    }
    let other = app.account_with_role("vecin@example.md", None, None).await;
    let id = created[0].to_string();
    for session in [&citizen, &other] {
        app.send(
            Req::form("/api/reports/support", &[("report_id", &id), ("lang", "ro")])
                .session(session),
        )
        .await;
        app.send(
            Req::form(
                "/api/reports/subscribe",
                &[("report_id", &id), ("email", ""), ("lang", "ro")],
            )
            .session(session),
        )
        .await;
    }
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let department =
        app.scalar("SELECT id FROM departments WHERE name LIKE '%Spații Verzi%'").await.to_string();
    for (status, body) in [("accepted", "Vine echipa."), ("resolved", "Gata.")] {
        let res = app
            .send(
                Req::form(
                    "/api/reports/status",
                    &[
                        ("report_id", &id),
                        ("status", status),
                        ("department_id", &department),
                        ("duplicate_of", ""),
                        ("body", body),
                        ("lang", "ro"),
                    ],
                )
                .session(&staff),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
    let moderator = app.demo("moderator@balti.demo").await;
    let res = app
        .send(
            Req::form(
                "/api/reports/moderate",
                &[
                    ("kind", "report"),
                    ("id", &created[1].to_string()),
                    ("hide", "true"),
                    ("reason", "Date personale"),
                    ("lang", "ro"),
                ],
            )
            .session(&moderator),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = app
        .send(
            Req::form(
                "/api/account/delete",
                &[("password", "a long enough password"), ("lang", "ro")],
            )
            .session(&other),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    let kept = current().await;
    assert_eq!(kept["totals"]["reports"], before["totals"]["reports"].as_i64().unwrap_or(0) + 1);
    assert_eq!(by_status(&kept, "resolved"), by_status(&before, "resolved") + 1);
    assert_eq!(
        kept["totals"]["supporters"],
        before["totals"]["supporters"].as_i64().unwrap_or(0) + 2,
        "supports stay when an account is deleted (anonymised)"
    );
    app.db.rebuild_statistics().await.expect("recount");
    let recounted = current().await;
    assert_eq!(kept, recounted, "what the writes kept equals a recount from the reports");
}

#[tokio::test]
async fn the_2023_report_shows_exactly_the_published_figures() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/statistics/year/2023").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let y = res.json();
    assert_eq!(y["reports"]["total"], 112);
    assert_eq!(y["reports"]["by_status"]["resolved"], 83, "finished");
    assert_eq!(y["reports"]["by_status"]["accepted"], 29, "in progress");
    assert_eq!(y["reports"]["by_status"]["new"], 0);
    assert_eq!(y["reports"]["answered"], 112, "every report answered by the city hall");
    assert_eq!(y["reports"]["by_category"]["green-spaces"], 31);
    assert_eq!(y["reports"]["by_category"]["street-lighting"], 25);
    assert_eq!(y["reports"]["by_category"]["roads"], 18);
    let initiatives = y["initiatives"].as_array().expect("initiatives");
    let votes: Vec<i64> = initiatives.iter().filter_map(|i| i["votes"].as_i64()).collect();
    assert_eq!(votes, vec![80, 90]);
    assert!(initiatives.iter().all(|i| i["level"] == "start"));
    let polls = y["polls"].as_array().expect("polls");
    assert_eq!(polls.len(), 13);
    let votes: i64 = polls.iter().filter_map(|p| p["participants"].as_i64()).sum();
    assert!(votes > 2000, "{votes}");
    let pfon = polls
        .iter()
        .find(|p| p["question"]["ro"].as_str().is_some_and(|q| q.contains("PFON - 23")))
        .expect("PFON-23");
    assert_eq!(pfon["participants"], 142);
    let tallies: Vec<i64> = pfon["options"]
        .as_array()
        .expect("options")
        .iter()
        .filter_map(|o| o["votes"].as_i64())
        .collect();
    assert_eq!(tallies, vec![33, 8, 101]);
    // The page in each language.
    for (lang, finished) in
        [("ro", "Finalizate"), ("ru", "Завершено"), ("uk", "Завершено"), ("en", "Finished")]
    {
        let page = app.get(&format!("/{lang}/statistics/year/2023")).await;
        assert_eq!(page.status, StatusCode::OK, "{lang}");
        assert!(page.body.contains(finished), "{lang}");
        assert!(page.body.contains("Renata Grădinaru"), "{lang}");
    }
}

#[tokio::test]
async fn civic_budget_participation_counts_proposals_and_confirmed_ballots_of_each_channel() {
    let app = spawn_app().await;
    let at = "'2001-03-01 06:00:00+00:00'";
    let edition = app
        .scalar(&format!(
            "INSERT INTO budget_editions (locality_id, slug, title_ro, title_en, phase, information_from, \
             proposals_from, review_from, voting_from, results_from, implementation_from, document_key, created_at) \
             VALUES ((SELECT id FROM localities WHERE slug = 'singerei'), 'bc-2001', 'Bugetul civic 2001', \
             'Civic budget 2001', 'results', {at}, {at}, {at}, {at}, {at}, {at}, 'k', {at}) RETURNING id"
        ))
        .await;
    let mut proposals = Vec::new();
    for (n, status) in
        ["draft", "submitted", "feasible", "feasible", "unfeasible"].iter().enumerate()
    {
        let budget = app
            .scalar(&format!(
                "INSERT INTO budget_budgets (edition_id, position, name_ro, amount, ballot_rule, outcome_rule) \
                 VALUES ({edition}, {n}, 'Linia {n}', 1000, '{{\"kind\":\"knapsack\",\"min_share_percent\":0}}', \
                 'greedy') RETURNING id"
            ))
            .await;
        let proposal = app
            .scalar(&format!(
                "INSERT INTO budget_proposals (budget_id, lang, title, description, cost, direction, status, \
                 created_at, updated_at) VALUES ({budget}, 'ro', 'Proiect {n}', 'Descriere', 100, 'green', \
                 '{status}', {at}, {at}) RETURNING id"
            ))
            .await;
        proposals.push((budget, proposal));
    }
    // Two confirmed ballots online, one left unconfirmed, one on paper.
    let (budget, _) = proposals[2];
    for (code, channel, confirmed) in [
        ("A1", "internet", at),
        ("A2", "internet", at),
        ("A3", "internet", "NULL"),
        ("P1", "paper", at),
    ] {
        app.execute(&format!(
            "INSERT INTO budget_ballots (budget_id, channel, code, confirmed_at, created_at, updated_at) \
             VALUES ({budget}, '{channel}', 'test-{code}', {confirmed}, {at}, {at})"
        ))
        .await;
    }

    let year = app.get("/api/v1/statistics/year/2001?locality=singerei").await;
    assert_eq!(year.status, StatusCode::OK, "{}", year.body);
    let budget = &year.json()["civic_budget"];
    assert_eq!(budget.as_array().map(Vec::len), Some(1), "{budget}");
    assert_eq!(budget[0]["edition"], "bc-2001");
    assert_eq!(budget[0]["proposals"], 4, "drafts are not proposals yet");
    assert_eq!(budget[0]["feasible"], 2);
    assert_eq!(budget[0]["ballots"]["internet"], 2, "an unconfirmed ballot is not a vote");
    assert_eq!(budget[0]["ballots"]["paper"], 1);
    assert_eq!(budget[0]["ballots"]["total"], 3);

    // The period decides: an edition voted in 2001 is not a figure of 2002, nor of Bălți.
    let later = app.get("/api/v1/statistics/year/2002?locality=singerei").await;
    assert_eq!(later.json()["civic_budget"], serde_json::json!([]));
    let balti = app.get("/api/v1/statistics/year/2001").await;
    assert_eq!(balti.json()["civic_budget"], serde_json::json!([]));

    let csv = app
        .get(
            "/api/v1/statistics.csv?table=budget&locality=singerei&lang=en&from=2001-01&to=2001-12",
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(
        lines,
        vec![
            "\"edition\",\"title\",\"voting_from\",\"proposals\",\"feasible\",\"ballots_internet\",\"ballots_paper\"",
            "\"bc-2001\",\"Civic budget 2001\",\"2001-03-01T06:00:00+00:00\",4,2,2,1",
        ]
    );
    let page = app.get("/en/singerei/statistics/year/2001").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Civic budget 2001"), "the edition is in the yearly report");
    assert!(page.body.contains("Paper ballots"));
    // The open-data page lists the civic budget's files, and they hold the edition.
    let open_data = app.get("/en/singerei/open-data").await;
    assert_eq!(open_data.status, StatusCode::OK);
    assert!(open_data.body.contains("Participation per edition"), "the budget's dataset is listed");
    let editions = app.get("/api/v1/budget/editions?locality=singerei").await;
    assert!(editions.body.contains("\"bc-2001\""), "{}", editions.body);
}
