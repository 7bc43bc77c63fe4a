//! Every locality its own site: addresses, the switcher, scoping of reads and writes to the
//! locality they concern, the boundary, and moderators who only moderate.

use crate::helpers::{spawn_app, Multipart, Req, TestApp};
use axum::http::StatusCode;

/// A point inside Sîngerei's boundary (and far outside Bălți's).
const SINGEREI_PIN: (&str, &str) = ("47.6402", "28.1431");
/// Bălți's centre, outside Sîngerei.
const BALTI_PIN: (&str, &str) = ("47.7617", "27.9289");

fn report_in(locality: &str, category: &str, (lat, lng): (&str, &str)) -> Req {
    Req::multipart(
        "/api/reports/create",
        Multipart::new()
            .text("lang", "ro")
            .text("locality", locality)
            .text("category", category)
            .text("title", "Groapă în drum")
            .text("description", "O groapă adâncă în mijlocul drumului, lângă școală.")
            .text("lat", lat)
            .text("lng", lng)
            .text("address", "strada Școlii"),
    )
}

fn poll_form(locality: &str) -> Req {
    Req::form(
        "/api/polls/create",
        &[
            ("question_ro", "Unde să amenajăm un teren de joacă în Sîngerei?"),
            ("question_ru", ""),
            ("question_uk", ""),
            ("question_en", ""),
            ("description_ro", ""),
            ("description_ru", ""),
            ("description_uk", ""),
            ("description_en", ""),
            ("options_ro", "Lângă școală\nÎn parcul central"),
            ("options_ru", ""),
            ("options_uk", ""),
            ("options_en", ""),
            ("links", ""),
            ("max_choices", "1"),
            ("opens_at", "2026-03-01T09:00"),
            ("closes_at", "2026-04-01T18:00"),
            ("lang", "ro"),
            ("locality", locality),
        ],
    )
}

async fn created_id(app: &TestApp, req: Req) -> String {
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.body.trim().to_owned()
}

#[tokio::test]
async fn each_locality_has_its_own_site_and_the_default_keeps_its_addresses() {
    let app = spawn_app().await;
    let singerei = app.get("/ro/singerei").await;
    assert_eq!(singerei.status, StatusCode::OK, "{}", singerei.body);
    // The header says where the visitor is, the map and its filters are Sîngerei's.
    assert!(singerei.body.contains(r#"data-testid="current-locality">Sîngerei<"#));
    assert!(singerei.body.contains("Apeduct și canalizare"), "Sîngerei's categories");
    assert!(!singerei.body.contains("Spații verzi"), "no Bălți category on Sîngerei's map");
    assert!(singerei.body.contains("47.6395"), "the map is centred on Sîngerei");
    // Links stay on Sîngerei's site; the switcher leads back to Bălți.
    assert!(singerei.body.contains(r#"href="/ro/singerei/reports/new""#));
    assert!(singerei.body.contains(r#"href="/ro" data-locality="balti""#));
    // The language switch and the alternate links keep the locality.
    let hreflang: Vec<&str> = singerei
        .body
        .match_indices("hreflang=\"ru\"")
        .filter_map(|(i, _)| singerei.body.get(i.saturating_sub(80)..i + 60))
        .collect();
    assert_eq!(singerei.body.matches(r#"href="/ru/singerei""#).count(), 1, "{hreflang:?}");
    assert_eq!(
        singerei.body.matches("to=ru&amp;next=%2Fru%2Fsingerei\"").count(),
        1,
        "{hreflang:?}"
    );
    assert!(!singerei.body.contains(r#"href="/ru""#), "{hreflang:?}");
    assert!(!singerei.body.contains("next=%2Fru\""), "{hreflang:?}");

    let balti = app.get("/ro").await;
    assert_eq!(balti.status, StatusCode::OK);
    assert!(balti.body.contains(r#"data-testid="current-locality">Bălți<"#));
    assert!(balti.body.contains("Spații verzi"));
    assert!(balti.body.contains(r#"href="/ro/reports/new""#));
    assert!(balti.body.contains(r#"href="/ro/singerei" data-locality="singerei""#));

    // Every page has its locality's address; unknown localities are the usual 404.
    for path in ["/ro/singerei/reports", "/en/singerei/reports/new", "/ru/singerei/polls"] {
        assert_eq!(app.get(path).await.status, StatusCode::OK, "{path}");
    }
    assert_eq!(app.get("/ro/nowhere").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/ro/nowhere/reports").await.status, StatusCode::NOT_FOUND);
    // The report form on Sîngerei's site files into Sîngerei.
    let form = app.get("/ro/singerei/reports/new").await.body;
    assert!(form.contains(r#"name="locality" value="singerei""#));
}

#[tokio::test]
async fn the_localities_are_listed_with_their_home_addresses() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/localities").await;
    assert_eq!(res.status, StatusCode::OK);
    let list = res.json();
    let all = list["localities"].as_array().expect("a list");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["slug"], "balti");
    assert_eq!(all[0]["home"], "/{lang}");
    assert_eq!(all[0]["default"], true);
    assert_eq!(all[1]["slug"], "singerei");
    assert_eq!(all[1]["home"], "/{lang}/singerei");
    assert_eq!(all[1]["name"]["ru"], "Сынжерей");
    assert_eq!(all[1]["centre"]["lat"], 47.6395);
}

#[tokio::test]
async fn a_report_outside_the_locality_is_refused_there() {
    let app = spawn_app().await;
    let res = app.send(report_in("singerei", "roads", BALTI_PIN)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.problems("location"), vec!["outside_boundary"]);
    // Bălți's categories are not Sîngerei's.
    let res = app.send(report_in("singerei", "green-spaces", SINGEREI_PIN)).await;
    assert_eq!(res.problems("category"), vec!["unknown_category"]);
    let before = app.scalar("SELECT COUNT(*) FROM reports").await;
    let id = created_id(&app, report_in("singerei", "roads", SINGEREI_PIN)).await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM reports").await, before + 1);
    let locality = app
        .text(&format!(
            "SELECT l.slug FROM reports r JOIN localities l ON l.id = r.locality_id WHERE r.id = {id}"
        ))
        .await;
    assert_eq!(locality.as_deref(), Some("singerei"));
    // Refused in Bălți too, with the message in the visitor's language on the form.
    let res = app.send(report_in("", "roads", SINGEREI_PIN)).await;
    assert_eq!(res.problems("location"), vec!["outside_boundary"]);
}

#[tokio::test]
async fn lists_maps_and_open_data_show_one_locality() {
    let app = spawn_app().await;
    let list = |q: &str| format!("/api/reports/list?{q}");
    let singerei = app.get(&list("locality=singerei")).await.json();
    assert_eq!(singerei["total"], 4, "Sîngerei's demo reports");
    let balti = app.get(&list("")).await.json();
    let balti_total = app
        .scalar(
            "SELECT COUNT(*) FROM reports r JOIN localities l ON l.id = r.locality_id \
             WHERE l.slug = 'balti' AND r.hidden = FALSE",
        )
        .await;
    assert_eq!(balti["total"], balti_total);
    // A box over both towns: each site's map shows its own pins only.
    let bbox = "27.8,47.6,28.2,47.8";
    let map_singerei =
        app.get(&format!("/api/map/features?bbox={bbox}&zoom=16&locality=singerei")).await.json();
    assert_eq!(map_singerei["total"], 4);
    let geojson =
        app.get(&format!("/api/v1/reports.geojson?bbox={bbox}&zoom=16&locality=singerei")).await;
    assert_eq!(geojson.json()["features"].as_array().map(Vec::len), Some(4));
    // The site's own address scopes the same way as `locality=`.
    let page = app.get("/ro/singerei/reports").await.body;
    assert!(page.contains("Felinare stinse în parcul central"));
    assert!(!app.get("/ro/reports").await.body.contains("Felinare stinse în parcul central"));
    assert_eq!(
        app.get("/api/v1/polls?locality=singerei").await.json()["polls"],
        serde_json::json!([])
    );
    assert_eq!(app.get("/api/v1/polls?locality=nowhere").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn polls_and_initiatives_belong_to_one_locality() {
    let app = spawn_app().await;
    let staff = app.demo("staff@singerei.demo").await;
    let poll = created_id(&app, poll_form("singerei").session(&staff)).await;
    // Its page is on Sîngerei's site only.
    assert_eq!(app.get(&format!("/ro/singerei/polls/{poll}")).await.status, StatusCode::OK);
    assert_eq!(app.get(&format!("/ro/polls/{poll}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/api/polls/get?id={poll}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("/api/polls/get?id={poll}&locality=singerei")).await.status,
        StatusCode::OK
    );
    let polls = app.get("/api/polls/list?locality=singerei").await.json();
    assert_eq!(polls.as_array().map(Vec::len), Some(1));
    assert!(!app.get("/api/polls/list").await.body.contains("în Sîngerei"));
    // A Bălți initiative has no page on Sîngerei's site.
    let initiative =
        app.scalar("SELECT id FROM initiatives WHERE title = 'Кинотеатр'").await.to_string();
    assert_eq!(app.get(&format!("/ro/initiatives/{initiative}")).await.status, StatusCode::OK);
    assert_eq!(
        app.get(&format!("/ro/singerei/initiatives/{initiative}")).await.status,
        StatusCode::NOT_FOUND
    );
    // Sîngerei's staff may not create a poll in Bălți, nor Bălți's in Sîngerei.
    let res = app.send(poll_form("balti").session(&staff)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let balti_staff = app.demo("spatii.verzi@balti.demo").await;
    let res = app.send(poll_form("singerei").session(&balti_staff)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn moderators_hide_content_and_nothing_else() {
    let app = spawn_app().await;
    let moderator = app.demo("moderator@balti.demo").await;
    let initiative =
        app.scalar("SELECT id FROM initiatives WHERE title = 'Кинотеатр'").await.to_string();
    let report = app.report_of("green-spaces", "accepted").await.to_string();
    let refused = [
        poll_form(""),
        Req::form(
            "/api/initiatives/answer",
            &[
                ("id", &initiative),
                ("answer", "Primăria analizează propunerea împreună cu proprietarul."),
                ("lang", "ro"),
            ],
        ),
        Req::form(
            "/api/reports/status",
            &[
                ("report_id", &report),
                ("status", "resolved"),
                ("department_id", ""),
                ("duplicate_of", ""),
                ("body", "Rezolvat."),
                ("lang", "ro"),
            ],
        ),
        Req::get("/api/staff/queue"),
        Req::get("/api/initiatives/awaiting"),
    ];
    for req in refused {
        let res = app.send(req.session(&moderator)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM polls WHERE question_ro LIKE '%în Sîngerei%'").await,
        0
    );
    let answer =
        format!("SELECT COALESCE(official_answer, '') FROM initiatives WHERE id = {initiative}");
    assert_ne!(
        app.text(&answer).await.as_deref(),
        Some("Primăria analizează propunerea împreună cu proprietarul.")
    );
    // What a moderator does: hide, with a reason.
    let res = app
        .send(
            Req::form(
                "/api/initiatives/moderate",
                &[
                    ("id", &initiative),
                    ("hide", "true"),
                    ("reason", "Conținut duplicat"),
                    ("lang", "ro"),
                ],
            )
            .session(&moderator),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // Sîngerei's moderator moderates Sîngerei only.
    let foreign = app.demo("moderator@singerei.demo").await;
    let res = app
        .send(
            Req::form(
                "/api/initiatives/moderate",
                &[("id", &initiative), ("hide", "false"), ("reason", "Greșeală"), ("lang", "ro")],
            )
            .session(&foreign),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_locality_may_not_take_the_name_of_a_page() {
    let app = spawn_app().await;
    let operator = app.demo("operator@agora.demo").await;
    let json = |slug: &str| {
        format!(
            r#"{{"slug":"{slug}","name":{{"ro":"X","ru":"","uk":"","en":""}},"centre":[47.6,28.1],"zoom":14,"boundary":[],"categories":[]}}"#
        )
    };
    for slug in ["reports", "admin", "statistics", "budget", "open-data"] {
        let res = app
            .send(
                Req::form("/api/admin/locality", &[("json", &json(slug)), ("lang", "ro")])
                    .session(&operator),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{slug}: {}", res.body);
    }
    let res = app
        .send(
            Req::form("/api/admin/locality", &[("json", &json("drochia")), ("lang", "ro")])
                .session(&operator),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.get("/ro/drochia").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_host_name_can_serve_one_locality() {
    // The tests' configuration maps singerei.agora.example to Sîngerei.
    let app = spawn_app().await;
    let host = [("host", "singerei.agora.example")];
    let home = app.get_with("/ro", &host).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains(r#"data-testid="current-locality">Sîngerei<"#));
    assert!(home.body.contains("Apeduct și canalizare"));
    let list = app.get_with("/api/reports/list", &host).await.json();
    assert_eq!(list["total"], 4);
    let other = app.get_with("/ro", &[("host", "agora.example")]).await;
    assert!(other.body.contains(r#"data-testid="current-locality">Bălți<"#));
}
