//! The implementation of funded civic-budget projects: given when the edition moves to its
//! implementation phase (funded projects only), kept by staff of the project's locality with
//! every bad input refused and nothing changed, milestones with photos on the project's page,
//! the edition's overview, the followers' mail and the "implemented" indicator.

use crate::alerts::deliver;
use crate::budget::{edition, KNAPSACK};
use crate::follows::{set_follow, set_time};
use crate::helpers::{jpeg_with_exif, spawn_app, Multipart, Req, TestApp};
use app::store::InclusionStore;
use axum::http::StatusCode;
use chrono::{TimeDelta, Utc};

/// `votes` confirmed paper ballots choosing `chosen` in `budget`.
async fn ballots(app: &TestApp, budget: i64, chosen: &[i64], votes: usize, tag: &str) {
    for n in 0..votes {
        let ballot = app
            .scalar(&format!(
                "INSERT INTO budget_ballots (budget_id, channel, paper_sheet, code, total, confirmed_at, \
                 created_at, updated_at) VALUES ({budget}, 'paper', '{tag}{n}', 'C{tag}{n}', 0, \
                 '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00') RETURNING id"
            ))
            .await;
        for p in chosen {
            app.execute(&format!(
                "INSERT INTO budget_choices (ballot_id, proposal_id) VALUES ({ballot}, {p})"
            ))
            .await;
        }
    }
}

fn work_form(project: i64, status: &str, progress: &str, department: &str) -> Req {
    Req::form(
        "/api/budget/work",
        &[
            ("proposal_id", &project.to_string()),
            ("status", status),
            ("progress", progress),
            ("department_id", department),
            ("actual_cost", ""),
            ("lang", "ro"),
        ],
    )
}

fn milestone_form(project: i64, on: &str, body: &str) -> Multipart {
    Multipart::new()
        .text("proposal_id", &project.to_string())
        .text("on", on)
        .text("body", body)
        .text("lang", "ro")
}

#[tokio::test]
async fn funded_projects_are_implemented_with_milestones_that_followers_hear_of() {
    let app = spawn_app().await;
    app.import_singerei().await;
    let admin = app.demo("admin@balti.demo").await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let other_staff =
        app.account_with_role("staff@singerei.example", Some("staff"), Some("singerei")).await;
    // Greedy by votes over 1,000 lei: 600 (3 votes) fits, 500 (2) does not, 300 (2) does.
    let (budget, p) = edition(&app, "works", "voting", 1000, KNAPSACK, &[600, 500, 300]).await;
    ballots(&app, budget, &[p[0]], 3, "a").await;
    ballots(&app, budget, &[p[1], p[2]], 2, "b").await;
    let edition_id =
        app.scalar(&format!("SELECT edition_id FROM budget_budgets WHERE id = {budget}")).await;
    set_follow(&app, &citizen, "follow", "project", &p[0].to_string(), "ro").await;
    set_time(
        &app,
        "follows",
        "created_at",
        app.scalar("SELECT MAX(id) FROM follows").await,
        Utc::now() - TimeDelta::hours(1),
    )
    .await;

    // Nothing to keep before the implementation phase.
    let early = app.send(work_form(p[0], "in_progress", "10", "").session(&admin)).await;
    assert_eq!(early.status, StatusCode::NOT_FOUND, "{}", early.body);
    let phase = Req::form(
        "/api/budget/phase",
        &[("edition_id", &edition_id.to_string()), ("phase", "implementation"), ("lang", "ro")],
    );
    assert_eq!(app.send(phase.session(&admin)).await.status, StatusCode::OK);
    let works = |id: i64| format!("SELECT COUNT(*) FROM budget_works WHERE proposal_id = {id}");
    assert_eq!(
        (
            app.scalar(&works(p[0])).await,
            app.scalar(&works(p[1])).await,
            app.scalar(&works(p[2])).await
        ),
        (1, 0, 1),
        "only the funded projects"
    );

    // Staff of Bălți keep it; bad input and other people are refused, nothing changes.
    let department = app
        .scalar("SELECT MIN(d.id) FROM departments d JOIN localities l ON l.id = d.locality_id WHERE l.slug = 'balti'")
        .await
        .to_string();
    let elsewhere = app
        .scalar(
            "INSERT INTO departments (locality_id, name) SELECT id, 'Primăria Sîngerei' \
             FROM localities WHERE slug = 'singerei' RETURNING id",
        )
        .await
        .to_string();
    for (req, status) in [
        (
            work_form(p[0], "in_progress", "140", "").session(&admin),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (work_form(p[0], "done", "50", "").session(&admin), StatusCode::UNPROCESSABLE_ENTITY),
        (work_form(p[0], "finished", "50", "").session(&admin), StatusCode::UNPROCESSABLE_ENTITY),
        (
            work_form(p[0], "in_progress", "40", &elsewhere).session(&admin),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (work_form(p[1], "in_progress", "40", "").session(&admin), StatusCode::NOT_FOUND),
        (work_form(p[0], "in_progress", "40", "").session(&citizen), StatusCode::FORBIDDEN),
        (work_form(p[0], "in_progress", "40", "").session(&other_staff), StatusCode::FORBIDDEN),
        (work_form(p[0], "in_progress", "40", ""), StatusCode::UNAUTHORIZED),
    ] {
        let res = app.send(req).await;
        assert_eq!(res.status, status, "{}", res.body);
    }
    let state =
        format!("SELECT status || ' ' || progress FROM budget_works WHERE proposal_id = {}", p[0]);
    assert_eq!(app.text(&state).await.as_deref(), Some("planned 0"));
    let ok = app.send(work_form(p[0], "in_progress", "40", &department).session(&admin)).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(app.text(&state).await.as_deref(), Some("in_progress 40"));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'update_budget_work'").await,
        1
    );

    // Milestones: a photo (stored without its EXIF), a date that is not in the future.
    let tomorrow = (app::format::local_date(Utc::now()) + TimeDelta::days(2)).to_string();
    let future = app
        .send(
            Req::multipart("/api/budget/milestone", milestone_form(p[0], &tomorrow, "Mai târziu"))
                .session(&admin),
        )
        .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", future.body);
    let refused = app
        .send(
            Req::multipart("/api/budget/milestone", milestone_form(p[0], "2026-05-04", "Pornit"))
                .session(&other_staff),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let milestones = format!("SELECT COUNT(*) FROM budget_milestones WHERE proposal_id = {}", p[0]);
    assert_eq!(app.scalar(&milestones).await, 0);
    let photo = jpeg_with_exif(640, 480);
    let with_photo = milestone_form(p[0], "2026-05-04", "Au început lucrările pe teren.").file(
        "photo",
        "santier.jpg",
        "image/jpeg",
        &photo,
    );
    let added = app.send(Req::multipart("/api/budget/milestone", with_photo).session(&admin)).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let milestone = app.scalar("SELECT MAX(id) FROM budget_milestones").await;
    let image = app.get(&format!("/media/milestones/{milestone}")).await;
    assert_eq!(image.status, StatusCode::OK);
    assert_eq!(image.header("content-type"), "image/jpeg");
    let plain = app
        .send(
            Req::multipart(
                "/api/budget/milestone",
                milestone_form(p[0], "2026-05-01", "Contract semnat."),
            )
            .session(&admin),
        )
        .await;
    assert_eq!(plain.status, StatusCode::OK, "{}", plain.body);
    let no_photo = app.scalar("SELECT MAX(id) FROM budget_milestones").await;
    assert_eq!(
        app.get(&format!("/media/milestones/{no_photo}")).await.status,
        StatusCode::NOT_FOUND
    );

    // The project's page and the edition's overview show it, before any script.
    let page = app.get(&format!("/ro/budget/works/projects/{}", p[0])).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "În lucru",
        "40 %",
        "Au început lucrările pe teren.",
        "Contract semnat.",
        &format!("/media/milestones/{milestone}"),
    ] {
        assert!(page.body.contains(text), "{text} missing");
    }
    let overview = app.get("/ro/budget/works").await;
    assert!(overview.body.contains("Realizarea proiectelor finanțate"));
    assert!(overview.body.contains("0 din 2 proiecte realizate"), "{}", overview.body);

    // The follower hears of each milestone once, in their language.
    let mail = deliver(&app).await;
    let news: Vec<_> = mail.iter().filter(|m| m.subject.contains("O nouă etapă")).collect();
    assert_eq!(news.len(), 2, "{:?}", mail.iter().map(|m| &m.subject).collect::<Vec<_>>());
    assert!(news.iter().any(|m| m.body.contains("Au început lucrările pe teren.")));
    assert!(deliver(&app).await.iter().all(|m| !m.subject.contains("O nouă etapă")));

    // Done: the indicator counts it.
    let done = app.send(work_form(p[0], "done", "", "").session(&admin)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(app.text(&state).await.as_deref(), Some("done 100"));
    let counts = app.db.inclusion_counts(edition_id).await.expect("counts");
    assert_eq!((counts.funded_projects, counts.done_projects), (2, 1));
}

#[tokio::test]
async fn the_demo_edition_shows_its_implementation() {
    let app = spawn_app().await;
    let page = app.get("/en/budget/2026").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Implementation of the funded projects"), "{}", page.body);
    assert!(page.body.contains("Last milestone"));
    let demo = app.scalar("SELECT id FROM budget_editions WHERE slug = '2026'").await;
    let counts = app.db.inclusion_counts(demo).await.expect("counts");
    assert!(counts.funded_projects >= 3 && counts.done_projects >= 1, "{counts:?}");
    assert!(app.scalar("SELECT COUNT(*) FROM budget_milestones").await >= 5);

    // The yearly implementation report, in each language; none before the results.
    let report = app.get("/ro/budget/2026/report").await;
    assert_eq!(report.status, StatusCode::OK);
    for text in [
        "Raportul de realizare: Bugetul civic 2026",
        "Parc de joacă incluziv în cartierul Dacia",
        "Realizat",
        "Incluziune și diversitate",
    ] {
        assert!(report.body.contains(text), "{text} missing");
    }
    let english = app.get("/en/budget/2026/report").await;
    assert!(english.body.contains("Implementation report: Civic budget 2026"));
    assert!(
        english.body.contains("Projects fully implemented") || english.body.contains("implemented")
    );
    assert_eq!(app.get("/ro/budget/2027/report").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn funded_projects_are_a_layer_of_the_city_map_on_request() {
    let app = spawn_app().await;
    // The layer's data, in the visitor's language: the demo's 2026 funded projects with a pin.
    let res = app.get("/api/budget/places?lang=en").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let json = res.json();
    assert_eq!(json["open"], "Open the project");
    let marks = json["marks"].as_array().cloned().unwrap_or_default();
    let playground = marks
        .iter()
        .find(|m| m["title"] == "Parc de joacă incluziv în cartierul Dacia")
        .cloned()
        .unwrap_or_default();
    assert_eq!(playground["caption"], "Done · 100\u{a0}%", "{json}");
    assert_eq!(playground["lang"], "ro");
    assert!(
        playground["href"].as_str().is_some_and(|h| h.starts_with("/en/budget/2026/projects/")),
        "{playground}"
    );
    let pinned = app
        .scalar(
            "SELECT COUNT(*) FROM budget_works w JOIN budget_proposals p ON p.id = w.proposal_id \
             WHERE p.lat IS NOT NULL",
        )
        .await;
    assert_eq!(
        i64::try_from(marks.len()).unwrap_or(0),
        pinned,
        "every funded project with a place"
    );
    // An edition leaving implementation takes its projects off the map.
    app.execute("UPDATE budget_editions SET phase = 'results' WHERE slug = '2026'").await;
    let none = app.get("/api/budget/places?lang=ro").await.json();
    assert_eq!(none["marks"].as_array().map(Vec::len), Some(0));
    app.execute("UPDATE budget_editions SET phase = 'implementation' WHERE slug = '2026'").await;

    // The home page offers the layer; asked for, it draws the projects (before any script)
    // and lists them beside the map, and the filters keep it.
    let plain = app.get("/ro").await.body;
    assert!(plain.contains("Arată proiectele bugetului civic"), "the switch");
    assert!(!plain.contains("class='static-map__project "), "nothing more by default");
    let layered = app.get("/ro?projects=1&status=new").await.body;
    assert!(layered.contains("Ascunde proiectele bugetului civic"));
    assert!(layered.contains("class='static-map__project static-map__project--done'"));
    assert!(layered.contains("Proiecte finanțate pe hartă"));
    assert!(layered.contains("Parc de joacă incluziv în cartierul Dacia"));
    assert!(layered.contains(r#"name="projects" value="1""#), "the filter form keeps the layer");
    assert!(layered.contains(r#"href="/ro?status=new""#), "switching off keeps the filters");
}
