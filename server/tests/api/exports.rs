//! The open-data exports: the files equal the public data, personal data stays out, and large
//! exports arrive as a stream of pages.

use crate::helpers::*;
use axum::http::StatusCode;
use http_body_util::BodyExt;
use tower::ServiceExt;

fn parse_csv(body: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(body.as_bytes());
    let headers = reader.headers().expect("a header row").iter().map(str::to_owned).collect();
    let rows = reader
        .records()
        .map(|r| r.expect("a well-formed CSV row").iter().map(str::to_owned).collect())
        .collect();
    (headers, rows)
}

fn column(headers: &[String], name: &str) -> usize {
    headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
}

#[tokio::test]
async fn reports_csv_equals_the_public_reports_without_personal_data() {
    let app = spawn_app().await;
    // One report hidden by a moderator, one whose reporter chose to show the name.
    let hidden = app.scalar("SELECT MIN(id) FROM reports WHERE locality_id = (SELECT id FROM localities WHERE slug = 'balti')").await;
    app.execute(&format!(
        "UPDATE reports SET hidden = TRUE, hidden_reason = 'test' WHERE id = {hidden}"
    ))
    .await;
    let shown = app.scalar("SELECT MAX(id) FROM reports WHERE locality_id = (SELECT id FROM localities WHERE slug = 'balti')").await;
    app.execute(&format!(
        "UPDATE reports SET show_name = TRUE, reporter_name = 'Ion Public', \
         reporter_email = 'ion.secret@example.md' WHERE id = {shown}"
    ))
    .await;
    let private = app.scalar(&format!("SELECT MAX(id) FROM reports WHERE id < {shown}")).await;
    app.execute(&format!(
        "UPDATE reports SET show_name = FALSE, reporter_name = 'Maria Private', \
         reporter_email = 'maria.secret@example.md' WHERE id = {private}"
    ))
    .await;

    let res = app.get("/api/v1/export/reports.csv").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.header("content-type"), "text/csv; charset=utf-8");
    assert_eq!(res.header("content-disposition"), "attachment; filename=\"balti-reports.csv\"");
    assert!(!res.body.contains("secret@example.md") && !res.body.contains("Maria Private"));

    let (headers, rows) = parse_csv(&res.body);
    assert_eq!(headers, server::routes::exports::REPORT_COLUMNS.map(str::to_owned).to_vec());
    let public = app.scalar("SELECT COUNT(*) FROM reports WHERE locality_id = (SELECT id FROM localities WHERE slug = 'balti') AND hidden = FALSE").await;
    assert!(public > 50, "the demo has many reports");
    assert_eq!(rows.len() as i64, public);
    let (id, title, status, category, reporter) = (
        column(&headers, "id"),
        column(&headers, "title"),
        column(&headers, "status"),
        column(&headers, "category"),
        column(&headers, "reporter"),
    );
    let ids: Vec<i64> = rows.iter().map(|r| r[id].parse().expect("numeric id")).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ordered by id, each once");
    assert!(!ids.contains(&hidden));
    for row in &rows {
        let rid = &row[id];
        let sql = |col: &str| format!("SELECT {col} FROM reports WHERE id = {rid}");
        let db_title = app.text(&sql("title")).await.unwrap_or_default();
        // Cells that look like formulas gain an apostrophe; demo titles do not.
        assert_eq!(row[title], db_title);
        assert_eq!(Some(row[status].clone()), app.text(&sql("status")).await);
        let slug = app
            .text(&format!(
                "SELECT c.slug FROM reports r JOIN categories c ON c.id = r.category_id WHERE r.id = {rid}"
            ))
            .await;
        assert_eq!(Some(row[category].clone()), slug);
    }
    let by_id = |want: i64| rows.iter().find(|r| r[id] == want.to_string()).expect("row");
    assert_eq!(by_id(shown)[reporter], "Ion Public");
    assert_eq!(by_id(private)[reporter], "");
}

#[tokio::test]
async fn reports_geojson_is_a_feature_collection_of_every_public_report() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/export/reports.geojson").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.header("content-type"), "application/geo+json");
    assert!(res.header("content-disposition").contains("balti-reports.geojson"));
    let doc = res.json();
    assert_eq!(doc["type"], "FeatureCollection");
    let features = doc["features"].as_array().expect("features");
    let public = app.scalar("SELECT COUNT(*) FROM reports WHERE locality_id = (SELECT id FROM localities WHERE slug = 'balti') AND hidden = FALSE").await;
    assert_eq!(features.len() as i64, public);
    let first = &features[0];
    let fid = first["id"].as_i64().expect("id");
    let lng = app.text(&format!("SELECT CAST(lng AS TEXT) FROM reports WHERE id = {fid}")).await;
    let lat = app.text(&format!("SELECT CAST(lat AS TEXT) FROM reports WHERE id = {fid}")).await;
    let coords = first["geometry"]["coordinates"].as_array().expect("coordinates");
    let close = |a: f64, b: Option<String>| {
        (a - b.unwrap_or_default().parse::<f64>().unwrap_or(0.0)).abs() < 1e-9
    };
    assert!(close(coords[0].as_f64().unwrap_or(0.0), lng), "RFC 7946 order: lng, lat");
    assert!(close(coords[1].as_f64().unwrap_or(0.0), lat));
    assert_eq!(
        first["properties"]["title"].as_str().map(str::to_owned),
        app.text(&format!("SELECT title FROM reports WHERE id = {fid}")).await
    );
    // A locality that does not exist is the usual 404.
    let res = app.get("/api/v1/export/reports.geojson?locality=atlantis").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.error(), "not_found");
}

#[tokio::test]
async fn initiatives_and_polls_csv_carry_votes_and_results() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/export/initiatives.csv").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let (headers, rows) = parse_csv(&res.body);
    let public = app.scalar("SELECT COUNT(*) FROM initiatives WHERE hidden = FALSE").await;
    assert_eq!(rows.len() as i64, public);
    let (id, votes) = (column(&headers, "id"), column(&headers, "votes"));
    for row in &rows {
        let counted = app
            .scalar(&format!(
                "SELECT COUNT(*) FROM ballots WHERE subject_kind = 'initiative' AND subject_id = {}",
                row[id]
            ))
            .await;
        assert_eq!(row[votes], counted.to_string());
    }

    let res = app.get("/api/v1/export/polls.csv").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let (headers, rows) = parse_csv(&res.body);
    assert_eq!(rows.len() as i64, app.scalar("SELECT COUNT(*) FROM poll_options").await);
    let (option, votes, participants, poll) = (
        column(&headers, "option"),
        column(&headers, "votes"),
        column(&headers, "participants"),
        column(&headers, "poll_id"),
    );
    // PFON-23, as the city published it: 33 / 8 / 101 of 142.
    let pfon: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| {
            r[poll] == rows.iter().find(|r| r[participants] == "142").expect("PFON-23")[poll]
        })
        .collect();
    let mut counts: Vec<&str> = pfon.iter().map(|r| r[votes].as_str()).collect();
    counts.sort_unstable();
    assert_eq!(
        counts,
        ["101", "33", "8"],
        "{:?}",
        pfon.iter().map(|r| &r[option]).collect::<Vec<_>>()
    );
}

/// A poll that keeps its results until people vote shows no counts to the export while open.
#[tokio::test]
async fn polls_csv_hides_counts_a_poll_keeps_until_voting() {
    let app = spawn_app().await;
    let poll = app.scalar("SELECT MAX(id) FROM polls").await;
    app.execute(&format!(
        "UPDATE polls SET results_before_vote = FALSE, closes_at = opens_at WHERE id = {poll}"
    ))
    .await;
    let before = app.get("/api/v1/export/polls.csv").await;
    let count = |body: &str| {
        let (headers, rows) = parse_csv(body);
        let (p, v) = (column(&headers, "poll_id"), column(&headers, "votes"));
        rows.iter().filter(|r| r[p] == poll.to_string()).filter(|r| r[v].is_empty()).count()
    };
    assert_eq!(count(&before.body), 0, "closed: counts shown");
    let far = "2999-01-01T00:00:00Z";
    match &app.db {
        server::db::Db::Sqlite(pool) => {
            sqlx::query("UPDATE polls SET closes_at = $1 WHERE id = $2")
                .bind(far)
                .bind(poll)
                .execute(pool)
                .await
                .map(|_| ())
        }
        server::db::Db::Postgres(pool) => {
            sqlx::query("UPDATE polls SET closes_at = CAST($1 AS TIMESTAMPTZ) WHERE id = $2")
                .bind(far)
                .bind(poll)
                .execute(pool)
                .await
                .map(|_| ())
        }
    }
    .expect("reopen the poll");
    let open = app.get("/api/v1/export/polls.csv").await;
    let options =
        app.scalar(&format!("SELECT COUNT(*) FROM poll_options WHERE poll_id = {poll}")).await;
    assert_eq!(count(&open.body) as i64, options, "open and secret: no counts");
}

/// Thousands of reports arrive as many body frames (a page each), not as one buffered file,
/// and every one of them is in the file exactly once.
#[cfg(feature = "bench")]
#[tokio::test]
async fn large_exports_stream_page_by_page() {
    let app = spawn_app().await;
    let category = app.scalar("SELECT MIN(id) FROM categories").await;
    let rows: Vec<(f64, f64, i64, &str)> =
        (0..2_600).map(|i| (47.75 + f64::from(i) * 1e-5, 27.92, category, "new")).collect();
    app.db.bench_insert_reports(&rows).await.expect("bulk reports");
    let total = app.scalar("SELECT COUNT(*) FROM reports WHERE locality_id = (SELECT id FROM localities WHERE slug = 'balti') AND hidden = FALSE").await;

    for uri in ["/api/v1/export/reports.csv", "/api/v1/export/reports.geojson"] {
        let response =
            app.router.clone().oneshot(Req::get(uri).into_request()).await.expect("answer");
        assert_eq!(response.status(), StatusCode::OK);
        let mut body = response.into_body();
        let (mut frames, mut bytes) = (0usize, Vec::new());
        while let Some(frame) = body.frame().await {
            if let Ok(data) = frame.expect("a frame").into_data() {
                frames += 1;
                bytes.extend_from_slice(&data);
            }
        }
        let pages = (total as usize).div_ceil(server::routes::exports::PAGE_ROWS as usize);
        assert!(frames >= pages, "{uri}: {frames} frames for {pages} pages");
        let text = String::from_utf8(bytes).expect("UTF-8");
        if uri.ends_with(".csv") {
            let (_, parsed) = parse_csv(&text);
            assert_eq!(parsed.len() as i64, total);
            let mut ids: Vec<&str> = parsed.iter().map(|r| r[0].as_str()).collect();
            ids.dedup();
            assert_eq!(ids.len() as i64, total);
        } else {
            let doc: serde_json::Value = serde_json::from_str(&text).expect("one JSON document");
            assert_eq!(doc["features"].as_array().map(Vec::len), Some(total as usize));
        }
    }
}

/// The open-data page, in each language: every dataset with its licence, size and files, the
/// footer links to it, and the download script is served.
#[tokio::test]
async fn the_open_data_page_lists_every_dataset_in_four_languages() {
    let app = spawn_app().await;
    let reports = app.scalar("SELECT COUNT(*) FROM reports WHERE locality_id = (SELECT id FROM localities WHERE slug = 'balti') AND hidden = FALSE").await;
    for lang in ["ro", "ru", "uk", "en"] {
        let words: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(format!(
                "{}/../locales/{lang}.json",
                env!("CARGO_MANIFEST_DIR")
            ))
            .expect("locale file"),
        )
        .expect("locale JSON");
        let page = app.get(&format!("/{lang}/open-data")).await;
        assert_eq!(page.status, StatusCode::OK, "{lang}");
        for part in [
            words["open_data"]["title"].as_str().unwrap_or("?"),
            words["open_data"]["licence_name"].as_str().unwrap_or("?"),
            words["open_data"]["reports_title"].as_str().unwrap_or("?"),
            "https://creativecommons.org/licenses/by/4.0/",
            "/api/v1/export/reports.csv?locality=balti",
            "/api/v1/export/reports.geojson?locality=balti",
            "/api/v1/export/initiatives.csv?locality=balti",
            "/api/v1/export/polls.csv?locality=balti",
            "/api/v1/statistics.csv?table=category&amp;locality=balti",
            "/open311/discovery.json",
            "/scripts/download.js",
            &format!("href=\"/{lang}/open-data\""),
        ] {
            assert!(page.body.contains(part), "{lang}: {part}");
        }
        assert!(page.body.contains(&format!("<dd>{reports}</dd>")), "{lang}: the row count");
    }
}
