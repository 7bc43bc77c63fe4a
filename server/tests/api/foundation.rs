//! The foundation: health, language redirects, the home page, the GeoJSON feed, the demo data
//! and localities.

use crate::helpers::{spawn_app, spawn_empty, BALTI_BBOX};
use axum::http::StatusCode;
use server::db::seed::DemoOutcome;

#[tokio::test]
async fn healthz_answers_once_the_database_is_up() {
    let app = spawn_empty().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json()["status"], "ok");
    assert_eq!(res.json()["database"], app.db.backend_name());
}

#[tokio::test]
async fn root_redirects_to_the_visitors_language() {
    let app = spawn_app().await;
    for (accept, expected) in [
        ("ru-RU,ru;q=0.9", "/ru"),
        ("uk", "/uk"),
        ("en-GB,en;q=0.8", "/en"),
        ("de-DE", "/ro"),
        ("", "/ro"),
    ] {
        let res = app.get_with("/", &[("accept-language", accept)]).await;
        assert!(res.status.is_redirection(), "{accept}: {}", res.status);
        assert_eq!(res.header("location"), expected, "{accept}");
        assert_eq!(res.header("vary"), "Accept-Language, Cookie");
    }
}

#[tokio::test]
async fn every_language_renders_the_home_page_with_its_lang_and_the_reports_list() {
    let app = spawn_app().await;
    for (lang, heading) in [
        ("ro", "Rapoarte în zona vizibilă"),
        ("ru", "Сообщения в видимой области"),
        ("uk", "Звернення у видимій області"),
        ("en", "Reports in the visible area"),
    ] {
        let res = app.get(&format!("/{lang}")).await;
        assert_eq!(res.status, StatusCode::OK, "/{lang}");
        assert!(res.body.contains(&format!("<html lang=\"{lang}\"")), "/{lang} has the wrong lang");
        assert!(res.body.contains(heading), "/{lang} lacks its heading");
        // The accessible list is in the server-rendered HTML, not only in the map.
        assert!(res.body.contains("class=\"report-list\""), "/{lang} lacks the list");
        assert!(
            res.body.contains(&format!("href=\"/{lang}/reports/")),
            "/{lang} lacks report links"
        );
    }
}

#[tokio::test]
async fn unknown_languages_and_pages_are_real_404s() {
    let app = spawn_app().await;
    for uri in ["/xx", "/de/reports", "/ro/no-such-page"] {
        let res = app.get(uri).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{uri}");
    }
    let res = app.get("/ru/no-such-page").await;
    assert!(res.body.contains("Страница не найдена"));
}

#[tokio::test]
async fn geojson_returns_the_pins_in_a_box() {
    let app = spawn_app().await;
    let res = app.get(&format!("/api/v1/reports.geojson?bbox={BALTI_BBOX}")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), "application/geo+json");
    let body = res.json();
    assert_eq!(body["type"], "FeatureCollection");
    let features = body["features"].as_array().expect("features");
    // 60 current reports and the 112 of 2023 from the activity report.
    assert_eq!(features.len(), 172);
    let first = &features[0];
    assert_eq!(first["geometry"]["type"], "Point");
    for key in ["id", "status", "category", "title", "url"] {
        assert!(!first["properties"][key].is_null(), "property {key} missing");
    }
    let url = first["properties"]["url"].as_str().expect("url");
    assert!(url.starts_with("https://agora.example/ro/reports/"), "{url}");

    // A box away from the city is empty.
    let res = app.get("/api/v1/reports.geojson?bbox=28.5,46.9,28.9,47.1").await;
    assert_eq!(res.json()["features"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn geojson_filters_by_status_and_category() {
    let app = spawn_app().await;
    let res = app.get(&format!("/api/v1/reports.geojson?bbox={BALTI_BBOX}&status=new")).await;
    let features = res.json()["features"].as_array().cloned().unwrap_or_default();
    assert_eq!(features.len(), 7);
    assert!(features.iter().all(|f| f["properties"]["status"] == "new"));

    let res = app
        .get(&format!(
            "/api/v1/reports.geojson?bbox={BALTI_BBOX}&category=green-spaces,street-lighting"
        ))
        .await;
    let features = res.json()["features"].as_array().cloned().unwrap_or_default();
    assert_eq!(features.len(), 17 + 13 + 31 + 25);
}

#[tokio::test]
async fn geojson_refuses_malformed_and_absurd_boxes_with_json_400() {
    let app = spawn_app().await;
    for query in [
        "",
        "?bbox=1,2,3",
        "?bbox=a,b,c,d",
        "?bbox=28.0,47.7,27.9,47.8",
        "?bbox=-170,-80,170,80",
        "?bbox=27.9,91,28.0,92",
        &format!("?bbox={BALTI_BBOX}&zoom=99"),
    ] {
        let res = app.get(&format!("/api/v1/reports.geojson{query}")).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(res.json()["error"].is_string(), "{query}: {}", res.body);
    }
}

#[tokio::test]
async fn map_server_function_answers_and_refuses_a_bad_box_with_422() {
    let app = spawn_app().await;
    let res = app.get(&format!("/api/map/features?bbox={BALTI_BBOX}&status=resolved")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["features"].as_array().map(Vec::len), Some(36 + 83));

    let res = app.get("/api/map/features?bbox=nonsense").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.json()["error"], "validation");
}

#[tokio::test]
async fn demo_data_matches_the_city_documents_and_loads_once() {
    let app = spawn_app().await;
    let in_locality = |slug: &str| {
        format!(
            "SELECT COUNT(*) FROM reports WHERE locality_id = (SELECT id FROM localities WHERE slug = '{slug}')"
        )
    };
    assert_eq!(app.scalar(&in_locality("balti")).await, 172);
    assert_eq!(app.scalar(&in_locality("singerei")).await, 4, "Sîngerei, the second locality");
    // 2023 as published: 112 reports, 83 finished, 29 in progress; green spaces 31, lighting 25, roads 18.
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM reports WHERE created_at < '2024-01-01' AND status = 'resolved'"
        )
        .await,
        83
    );
    for (slug, expected) in
        [("green-spaces", 17 + 31), ("street-lighting", 13 + 25), ("roads", 10 + 18)]
    {
        let n = app
            .scalar(&format!(
                "SELECT COUNT(*) FROM reports r JOIN categories c ON c.id = r.category_id WHERE c.slug = '{slug}' \
                 AND r.locality_id = (SELECT id FROM localities WHERE slug = 'balti')"
            ))
            .await;
        assert_eq!(n, expected, "{slug}");
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM categories").await,
        10 + 4,
        "Bălți's and Sîngerei's"
    );
    // The 2023 initiatives: 80 and 90 votes.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM ballots b JOIN initiatives i ON b.subject_kind = 'initiative' AND b.subject_id = i.id WHERE i.title = 'Parcarea din cont propriu'").await,
        80
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM ballots b JOIN initiatives i ON b.subject_kind = 'initiative' AND b.subject_id = i.id WHERE i.title = 'Кинотеатр'").await,
        90
    );
    // PFON-23: 33 / 8 / 101 of 142.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM ballots b JOIN polls p ON b.subject_kind = 'poll' AND b.subject_id = p.id WHERE p.question_ro LIKE '%PFON%'").await,
        142
    );
    // With the other twelve polls of 2023: 2357 votes, as the activity report counts them.
    assert_eq!(app.scalar("SELECT COUNT(*) FROM ballots WHERE subject_kind = 'poll'").await, 2357);
    for (name, votes) in [("Corina Popa", 33), ("Rodica Frecăuțanu", 8), ("Renata Grădinaru", 101)]
    {
        let n = app
            .scalar(&format!(
                "SELECT COUNT(*) FROM ballot_choices bc JOIN poll_options o ON o.id = bc.option_id WHERE o.label_ro = '{name}'"
            ))
            .await;
        assert_eq!(n, votes, "{name}");
    }
    // Every non-new report has a timeline entry from the city hall.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM reports r WHERE r.status <> 'new' AND NOT EXISTS (SELECT 1 FROM report_events e WHERE e.report_id = r.id AND e.official)").await,
        0
    );
    assert_eq!(app.db.load_demo().await.expect("second load"), DemoOutcome::AlreadyLoaded);
    assert_eq!(app.scalar(&in_locality("balti")).await, 172);
    assert_eq!(app.scalar(&in_locality("singerei")).await, 4, "Sîngerei, the second locality");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM localities").await, 2);

    // A load cut short after its rows (before the aggregates, the accounts and the last marker)
    // resumes without adding anything twice.
    let accounts = app.scalar("SELECT COUNT(*) FROM users").await;
    let roles = app.scalar("SELECT COUNT(*) FROM roles").await;
    app.execute(
        "DELETE FROM roles WHERE user_id = (SELECT id FROM users WHERE email = 'admin@balti.demo')",
    )
    .await;
    app.execute("DELETE FROM meta WHERE key = 'demo_data_loaded_at'").await;
    assert_eq!(
        app.db.load_demo().await.expect("resumed load"),
        DemoOutcome::Loaded { reports: 176 }
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM reports").await, 176);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, accounts);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM roles").await, roles);
    assert_eq!(app.db.load_demo().await.expect("third load"), DemoOutcome::AlreadyLoaded);
}

#[tokio::test]
async fn a_second_locality_joins_by_configuration_alone() {
    let app = spawn_app().await;
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/examples/singerei.json"
    ))
    .expect("example file");
    let spec: server::db::LocalitySpec = serde_json::from_str(&text).expect("valid example");
    app.db.import_locality(&spec, false, &Default::default()).await.expect("import");
    // Importing again updates in place.
    app.db.import_locality(&spec, false, &Default::default()).await.expect("re-import");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM localities").await, 2);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM categories c JOIN localities l ON l.id = c.locality_id WHERE l.slug = 'singerei'").await,
        4
    );

    let res = app.get("/api/site/context?locality=singerei").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let ctx = res.json();
    assert_eq!(ctx["locality"]["name"]["ru"], "Сынжерей");
    assert_eq!(ctx["locality"]["categories"].as_array().map(Vec::len), Some(4));
    // Bălți stays the default.
    let res = app.get("/api/site/context").await;
    assert_eq!(res.json()["locality"]["slug"], "balti");
    let res = app.get("/api/site/context?locality=nowhere").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[test]
fn both_backends_have_the_same_migrations() {
    let list = |dir: &str| {
        let mut names: Vec<String> =
            std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
                .expect("migrations dir")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
        names.sort();
        names
    };
    assert_eq!(list("sqlite"), list("postgres"));
}
