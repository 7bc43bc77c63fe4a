//! The reports module: creating (with photos), reading, supporting, commenting, following, and
//! the city hall's workflow and moderation.

use crate::helpers::{jpeg_with_exif, report_form, spawn_app, Multipart, Req, BALTI_BBOX, CENTRE};
use axum::http::StatusCode;

const CREATE: &str = "/api/reports/create";

#[tokio::test]
async fn an_anonymous_citizen_reports_a_problem_with_a_photo() {
    let app = spawn_app().await;
    let photo = jpeg_with_exif(2400, 1800);
    let form = report_form().text("email", "Ion@Example.md").text("name", "Ion").file(
        "photos",
        "tree.jpg",
        "image/jpeg",
        &photo,
    );
    let res = app.send(Req::multipart(CREATE, form)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id: i64 = res.body.trim().parse().expect("the new id");
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) FROM reports WHERE id = {id} AND status = 'new'"))
            .await,
        1
    );
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) FROM report_photos WHERE report_id = {id}")).await,
        1
    );

    // The stored photo is resized, re-encoded, and carries no metadata.
    let stem = app
        .text(&format!("SELECT file_stem FROM report_photos WHERE report_id = {id}"))
        .await
        .expect("stem");
    let stored = std::fs::read(app.dir.path().join("photos").join(format!("{stem}.jpg")))
        .expect("stored file");
    assert!(!stored.windows(4).any(|w| w == b"Exif"), "EXIF survived");
    assert!(!stored.windows(3).any(|w| w == b"GPS"), "GPS data survived");
    let decoded = image::load_from_memory(&stored).expect("a valid image");
    assert_eq!((decoded.width(), decoded.height()), (1600, 1200));
    assert!(app.dir.path().join("photos").join(format!("{stem}_thumb.jpg")).exists());

    // Served as JPEG, never sniffed.
    let photo_id =
        app.scalar(&format!("SELECT id FROM report_photos WHERE report_id = {id}")).await;
    let served = app.get(&format!("/media/photos/{photo_id}")).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.header("content-type"), "image/jpeg");
    assert_eq!(served.header("x-content-type-options"), "nosniff");

    // The e-mail left for updates gets a confirmation link, and the report page exists.
    let mail = app.last_mail("ion@example.md").await.expect("a subscription mail");
    assert!(mail.contains("/ro/subscriptions/confirm?token="), "{mail}");
    let page = app.get(&format!("/ro/reports/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Copac căzut pe trotuar"));
    // The contact details are not public.
    assert!(!page.body.contains("ion@example.md"));
}

#[tokio::test]
async fn refusals_store_nothing() {
    let app = spawn_app().await;
    let before = app.scalar("SELECT COUNT(*) FROM reports").await;
    let big = vec![0xFFu8; 3 * 1024 * 1024]; // the test limit is 2 MB
    let png_header_huge = {
        let img = image::RgbImage::from_pixel(20_000, 1, image::Rgb([1, 2, 3]));
        let mut out = Vec::new();
        image::ImageEncoder::write_image(
            image::codecs::png::PngEncoder::new(&mut out),
            img.as_raw(),
            20_000,
            1,
            image::ExtendedColorType::Rgb8,
        )
        .expect("png");
        out
    };
    let mut truncated = jpeg_with_exif(200, 200);
    truncated.truncate(truncated.len() / 2);
    let good = jpeg_with_exif(100, 100);
    let cases: Vec<(&str, Multipart, &str, &str)> = vec![
        (
            "outside the boundary",
            report_form_at("47.0105", "28.8638"),
            "location",
            "outside_boundary",
        ),
        (
            "unknown category",
            base().text("category", "volcanoes").text("lat", CENTRE.0).text("lng", CENTRE.1),
            "category",
            "unknown_category",
        ),
        ("no category", base().text("lat", CENTRE.0).text("lng", CENTRE.1), "category", "required"),
        (
            "empty title",
            Multipart::new()
                .text("lang", "ro")
                .text("category", "roads")
                .text("title", "   ")
                .text("description", "O descriere suficient de lungă.")
                .text("lat", CENTRE.0)
                .text("lng", CENTRE.1),
            "title",
            "required",
        ),
        (
            "over-long title",
            Multipart::new()
                .text("lang", "ro")
                .text("category", "roads")
                .text("title", &"a".repeat(121))
                .text("description", "O descriere suficient de lungă.")
                .text("lat", CENTRE.0)
                .text("lng", CENTRE.1),
            "title",
            "too_long",
        ),
        (
            "short description",
            Multipart::new()
                .text("lang", "ro")
                .text("category", "roads")
                .text("title", "Groapă")
                .text("description", "scurt")
                .text("lat", CENTRE.0)
                .text("lng", CENTRE.1),
            "description",
            "too_short",
        ),
        (
            "no place at all",
            Multipart::new()
                .text("lang", "ro")
                .text("category", "roads")
                .text("title", "Groapă mare")
                .text("description", "O descriere suficient de lungă."),
            "location",
            "required",
        ),
        ("nonsense coordinates", report_form_at("north", "east"), "location", "invalid"),
        (
            "not an image",
            report_form().file("photos", "notes.jpg", "image/jpeg", b"just some text"),
            "photos",
            "unsupported_image",
        ),
        (
            "a GIF",
            report_form().file(
                "photos",
                "a.gif",
                "image/gif",
                b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
            ),
            "photos",
            "unsupported_image",
        ),
        (
            "corrupt JPEG",
            report_form().file("photos", "x.jpg", "image/jpeg", &truncated),
            "photos",
            "unsupported_image",
        ),
        (
            "oversized file",
            report_form().file("photos", "big.jpg", "image/jpeg", &big),
            "photos",
            "image_too_large",
        ),
        (
            "bomb-sized dimensions",
            report_form().file("photos", "bomb.png", "image/png", &png_header_huge),
            "photos",
            "image_too_large",
        ),
        (
            "six photos",
            (0..6).fold(report_form(), |f, i| {
                f.file("photos", &format!("{i}.jpg"), "image/jpeg", &good)
            }),
            "photos",
            "too_many_images",
        ),
    ];
    for (what, form, field, problem) in cases {
        let res = app.send(Req::multipart(CREATE, form)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {}", res.body);
        assert!(res.problems(field).contains(&problem.to_owned()), "{what}: {}", res.body);
    }
    // A good photo with a bad one: neither is kept.
    let mixed = report_form().file("photos", "ok.jpg", "image/jpeg", &good).file(
        "photos",
        "bad.jpg",
        "image/jpeg",
        b"nope",
    );
    let res = app.send(Req::multipart(CREATE, mixed)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A plain form where photos are expected is told so, not dropped.
    let plain = app
        .send(Req::form(CREATE, &[("lang", "ro"), ("category", "roads"), ("title", "Groapă")]))
        .await;
    assert_eq!(plain.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", plain.body);
    assert!(plain.problems("content_type").contains(&"invalid".to_owned()), "{}", plain.body);
    // A body beyond what any form may hold (five photos at the 2 MB test cap, plus the form) is
    // cut off, whether or not it announces its length.
    let huge = vec![0u8; 13 * 1024 * 1024];
    for announced in [true, false] {
        let mut req =
            Req::multipart(CREATE, report_form().file("photos", "huge.jpg", "image/jpeg", &huge));
        if announced {
            req = req.with_content_length();
        }
        let res = app.send(req).await;
        assert_eq!(
            res.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "announced {announced}: {}",
            res.body
        );
    }

    assert_eq!(app.scalar("SELECT COUNT(*) FROM reports").await, before);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM report_photos").await, 0);
    assert_eq!(app.photo_files(), 0, "refused photos left files behind");
}

fn base() -> Multipart {
    Multipart::new()
        .text("lang", "ro")
        .text("title", "Groapă pe drum")
        .text("description", "O groapă adâncă pe carosabil.")
}

fn report_form_at(lat: &str, lng: &str) -> Multipart {
    base().text("category", "roads").text("lat", lat).text("lng", lng)
}

#[tokio::test]
async fn a_report_without_coordinates_waits_for_staff_to_place_its_pin() {
    let app = spawn_app().await;
    let form = Multipart::new()
        .text("lang", "ro")
        .text("category", "roads")
        .text("title", "Groapă pe strada Decebal")
        .text("description", "Groapă mare în dreptul blocului 12.")
        .text("address", "str. Decebal 12");
    let res = app.send(Req::multipart(CREATE, form)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id: i64 = res.body.trim().parse().expect("id");
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM reports WHERE id = {id} AND location_confirmed = FALSE"
        ))
        .await,
        1
    );
    // Not on the map yet.
    let map = app.get(&format!("/api/v1/reports.geojson?bbox={BALTI_BBOX}")).await;
    assert!(!map.body.contains(&format!("\"id\":{id},")));
    // Staff place it.
    let admin = app.demo("admin@balti.demo").await;
    let res = app
        .send(
            Req::form(
                "/api/reports/location",
                &[
                    ("report_id", &id.to_string()),
                    ("lat", "47.7550"),
                    ("lng", "27.9400"),
                    ("lang", "ro"),
                ],
            )
            .session(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let map = app.get(&format!("/api/v1/reports.geojson?bbox={BALTI_BBOX}")).await;
    assert!(map.body.contains(&format!("\"id\":{id}")), "placed report not on the map");
}

#[tokio::test]
async fn signed_in_reporters_are_recorded_and_find_their_reports() {
    let app = spawn_app().await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let res = app
        .send(Req::multipart(CREATE, report_form().text("show_name", "on")).session(&citizen))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let mine = app.send(Req::get("/api/reports/list?mine=true").session(&citizen)).await;
    assert_eq!(mine.json()["total"], 1);
    assert_eq!(app.get("/api/reports/list?mine=true").await.status, StatusCode::UNAUTHORIZED);
    // The name shows because the reporter chose so.
    let id = mine.json()["items"][0]["id"].as_i64().expect("id");
    assert_eq!(
        app.get(&format!("/api/reports/get?id={id}")).await.json()["report"]["reporter"],
        "Ion Cetățeanu"
    );
}

#[tokio::test]
async fn unknown_reports_are_404_as_data_and_as_pages() {
    let app = spawn_app().await;
    assert_eq!(app.get("/api/reports/get?id=99999").await.status, StatusCode::NOT_FOUND);
    let page = app.get("/en/reports/99999").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Page not found"));
    assert_eq!(app.get("/en/reports/not-a-number").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn lists_filter_sort_search_and_page() {
    let app = spawn_app().await;
    let all = app.get("/api/reports/list").await.json();
    assert_eq!(all["total"], 172);
    assert_eq!(all["items"].as_array().map(Vec::len), Some(20));
    let page3 = app.get("/api/reports/list?page=2").await.json();
    assert_eq!(page3["items"].as_array().map(Vec::len), Some(20));
    assert_ne!(page3["items"][0]["id"], all["items"][0]["id"]);

    let roads = app.get("/api/reports/list?category=roads").await.json();
    assert_eq!(roads["total"], 10 + 18);
    let open = app.get("/api/reports/list?status=new,accepted").await.json();
    assert_eq!(open["total"], 21 + 29);
    // Search ignores case and diacritics.
    let search = app.get("/api/reports/list?q=PUSKIN").await.json();
    let with_diacritics = app.get("/api/reports/list?q=pu%C8%99kin").await.json();
    assert!(search["total"].as_i64().unwrap_or(0) > 0);
    assert_eq!(search["total"], with_diacritics["total"]);
    // Dates are city days.
    let none = app.get("/api/reports/list?until=2020-01-01").await.json();
    assert_eq!(none["total"], 0);
    let since = app.get("/api/reports/list?since=2026-06-01").await.json();
    assert!(since["total"].as_i64().unwrap_or(0) < 172);

    // Most supported first.
    let id = app.report_of("roads", "accepted").await;
    let citizen = app.demo("cetatean@balti.demo").await;
    app.send(
        Req::form("/api/reports/support", &[("report_id", &id.to_string()), ("lang", "ro")])
            .session(&citizen),
    )
    .await;
    let sorted = app.get("/api/reports/list?sort=supported").await.json();
    assert_eq!(sorted["items"][0]["id"], id);
}

#[tokio::test]
async fn nearby_open_reports_of_the_same_category_are_offered() {
    let app = spawn_app().await;
    let id = app.report_of("green-spaces", "new").await;
    let (lat, lng): (f64, f64) = match &app.db {
        server::db::Db::Sqlite(p) => {
            sqlx::query_as(&format!("SELECT lat, lng FROM reports WHERE id = {id}"))
                .fetch_one(p)
                .await
        }
        server::db::Db::Postgres(p) => {
            sqlx::query_as(&format!("SELECT lat, lng FROM reports WHERE id = {id}"))
                .fetch_one(p)
                .await
        }
    }
    .expect("position");
    // 20 m north.
    let near = app
        .get(&format!("/api/reports/nearby?lat={}&lng={lng}&category=green-spaces", lat + 0.00018))
        .await;
    assert_eq!(near.status, StatusCode::OK, "{}", near.body);
    assert!(near.json().as_array().expect("list").iter().any(|r| r["id"] == id));
    // Another category, or 300 m away: not offered.
    let other = app.get(&format!("/api/reports/nearby?lat={lat}&lng={lng}&category=roads")).await;
    assert!(!other.json().as_array().expect("list").iter().any(|r| r["id"] == id));
    let far = app
        .get(&format!("/api/reports/nearby?lat={}&lng={lng}&category=green-spaces", lat + 0.0027))
        .await;
    assert!(!far.json().as_array().expect("list").iter().any(|r| r["id"] == id));
}

#[tokio::test]
async fn support_is_one_per_person_and_needs_an_account() {
    let app = spawn_app().await;
    let id = app.report_of("street-lighting", "accepted").await.to_string();
    let form = [("report_id", id.as_str()), ("lang", "ro")];
    assert_eq!(
        app.send(Req::form("/api/reports/support", &form)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let citizen = app.demo("cetatean@balti.demo").await;
    for _ in 0..3 {
        let res = app.send(Req::form("/api/reports/support", &form).session(&citizen)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.body.trim(), "1");
    }
    let other = app.account_with_role("vecin@example.md", None, None).await;
    let res = app.send(Req::form("/api/reports/support", &form).session(&other)).await;
    assert_eq!(res.body.trim(), "2");
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) FROM report_supports WHERE report_id = {id}")).await,
        2
    );
    let shown =
        app.send(Req::get(&format!("/api/reports/get?id={id}")).session(&citizen)).await.json();
    assert_eq!(shown["report"]["supporters"], 2);
    assert_eq!(shown["report"]["supported_by_viewer"], true);
}

#[tokio::test]
async fn comments_need_an_account_and_sane_length() {
    let app = spawn_app().await;
    let id = app.report_of("roads", "accepted").await.to_string();
    let body =
        [("report_id", id.as_str()), ("body", "Și la mine în curte e la fel."), ("lang", "ro")];
    assert_eq!(
        app.send(Req::form("/api/reports/comment", &body)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let citizen = app.demo("cetatean@balti.demo").await;
    let res = app.send(Req::form("/api/reports/comment", &body).session(&citizen)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let long = "x".repeat(2001);
    let res = app
        .send(
            Req::form(
                "/api/reports/comment",
                &[("report_id", id.as_str()), ("body", long.as_str()), ("lang", "ro")],
            )
            .session(&citizen),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.problems("body"), vec!["too_long"]);
    let res = app
        .send(
            Req::form(
                "/api/reports/comment",
                &[("report_id", "99999"), ("body", "Salut!"), ("lang", "ro")],
            )
            .session(&citizen),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn following_a_report_by_account_or_by_confirmed_email() {
    let app = spawn_app().await;
    let id = app.report_of("waste", "new").await.to_string();
    let citizen = app.demo("cetatean@balti.demo").await;
    let res = app
        .send(
            Req::form("/api/reports/subscribe", &[("report_id", id.as_str()), ("lang", "ro")])
                .session(&citizen),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = app
        .send(Req::form(
            "/api/reports/subscribe",
            &[("report_id", id.as_str()), ("email", "nope"), ("lang", "ro")],
        ))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = app
        .send(Req::form(
            "/api/reports/subscribe",
            &[("report_id", id.as_str()), ("email", "ana@example.md"), ("lang", "en")],
        ))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let mail = app.last_mail("ana@example.md").await.expect("confirmation mail");
    let token = mail
        .split("token=")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .expect("token")
        .to_owned();
    assert_eq!(app.scalar("SELECT COUNT(*) FROM report_subscriptions WHERE email = 'ana@example.md' AND confirmed_at IS NULL").await, 1);
    let res = app
        .send(Req::form(
            "/api/reports/subscription/confirm",
            &[("token", token.as_str()), ("lang", "en")],
        ))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM report_subscriptions WHERE email = 'ana@example.md' AND confirmed_at IS NOT NULL").await, 1);
}

async fn change(
    app: &crate::helpers::TestApp,
    who: &str,
    fields: &[(&str, &str)],
) -> crate::helpers::TestResponse {
    let mut all = vec![
        ("status", ""),
        ("department_id", ""),
        ("duplicate_of", ""),
        ("body", ""),
        ("lang", "ro"),
    ];

    for (k, v) in fields {
        all.retain(|(key, _)| key != k);
        all.push((k, v));
    }
    app.send(Req::form("/api/reports/status", &all).session(who)).await
}

#[tokio::test]
async fn the_workflow_records_who_when_and_why() {
    let app = spawn_app().await;
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let id = app.report_of("green-spaces", "new").await.to_string();
    let dept = app
        .scalar("SELECT id FROM departments WHERE name = 'Î.M. „Spații Verzi”'")
        .await
        .to_string();

    // Invalid transitions and missing requirements are refused, and change nothing.
    let res = change(&app, &staff, &[("report_id", &id), ("status", "resolved")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.problems("status"), vec!["invalid_transition"]);
    let res = change(&app, &staff, &[("report_id", &id), ("status", "accepted")]).await;
    assert_eq!(res.problems("department_id"), vec!["required"]);
    let res = change(&app, &staff, &[("report_id", &id), ("status", "rejected")]).await;
    assert_eq!(res.problems("body"), vec!["required"]);
    let res = change(&app, &staff, &[("report_id", &id), ("status", "duplicate")]).await;
    assert_eq!(res.problems("duplicate_of"), vec!["required"]);
    let res =
        change(&app, &staff, &[("report_id", &id), ("status", "duplicate"), ("duplicate_of", &id)])
            .await;
    assert_eq!(res.problems("duplicate_of"), vec!["invalid"]);
    let res = change(&app, &staff, &[("report_id", &id), ("status", "sideways")]).await;
    assert_eq!(res.problems("status"), vec!["invalid"]);
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) FROM report_events WHERE report_id = {id}")).await,
        0
    );

    // Accept, answer, resolve.
    let res = change(
        &app,
        &staff,
        &[
            ("report_id", &id),
            ("status", "accepted"),
            ("department_id", &dept),
            ("body", "Echipa vine mâine."),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = change(&app, &staff, &[("report_id", &id), ("body", "Lucrările au început.")]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = change(
        &app,
        &staff,
        &[("report_id", &id), ("status", "resolved"), ("body", "Copacul a fost tăiat.")],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    let view = app.get(&format!("/api/reports/get?id={id}")).await.json();
    let r = &view["report"];
    assert_eq!(r["status"], "resolved");
    assert_eq!(r["department"], "Î.M. „Spații Verzi”");
    assert!(r["first_response_at"].is_string() && r["resolved_at"].is_string());
    let timeline = r["timeline"].as_array().expect("timeline");
    assert_eq!(timeline.len(), 3);
    assert!(timeline.iter().all(|e| e["official"] == true));
    assert_eq!(timeline[0]["from"], "new");
    assert_eq!(timeline[0]["to"], "accepted");
    assert!(timeline[1]["to"].is_null(), "a response keeps the status");
    assert_eq!(timeline[2]["to"], "resolved");
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'change_status' AND target_id = {id}"
        ))
        .await,
        3
    );

    // Reopening clears the resolution time; a duplicate links to its original.
    let res = change(
        &app,
        &staff,
        &[("report_id", &id), ("status", "accepted"), ("department_id", &dept)],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM reports WHERE id = {id} AND resolved_at IS NULL"
        ))
        .await,
        1
    );
    let other = app.report_of("green-spaces", "resolved").await.to_string();

    let res = change(
        &app,
        &staff,
        &[
            ("report_id", &id),
            ("status", "duplicate"),
            ("duplicate_of", &format!("#{other}")),
            ("body", "Același copac."),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        app.get(&format!("/api/reports/get?id={id}")).await.json()["report"]["duplicate_of"]
            .as_i64(),
        other.parse().ok()
    );
}

#[tokio::test]
async fn staff_handle_only_their_departments_categories() {
    let app = spawn_app().await;
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let roads = app.report_of("roads", "accepted").await.to_string();
    let dept = app
        .scalar("SELECT id FROM departments WHERE name = 'Î.M. „Spații Verzi”'")
        .await
        .to_string();
    let res = change(
        &app,
        &staff,
        &[("report_id", &roads), ("status", "accepted"), ("department_id", &dept)],
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // The administrator handles any category.
    let admin = app.demo("admin@balti.demo").await;
    let res = change(
        &app,
        &admin,
        &[("report_id", &roads), ("status", "resolved"), ("body", "Reparat.")],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

#[tokio::test]
async fn bulk_changes_apply_per_report_with_their_own_checks() {
    let app = spawn_app().await;
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let greens: Vec<i64> = match &app.db {
        server::db::Db::Sqlite(p) => sqlx::query_scalar("SELECT r.id FROM reports r JOIN categories c ON c.id = r.category_id WHERE c.slug = 'green-spaces' AND r.status = 'accepted' ORDER BY r.id LIMIT 2").fetch_all(p).await,
        server::db::Db::Postgres(p) => sqlx::query_scalar("SELECT r.id FROM reports r JOIN categories c ON c.id = r.category_id WHERE c.slug = 'green-spaces' AND r.status = 'accepted' ORDER BY r.id LIMIT 2").fetch_all(p).await,
    }
    .expect("ids");
    let road = app.report_of("roads", "accepted").await;
    let (a, b, c) = (greens[0].to_string(), greens[1].to_string(), road.to_string());
    let res = app
        .send(
            Req::form(
                "/api/reports/bulk-status",
                &[
                    ("ids[0]", a.as_str()),
                    ("ids[2]", b.as_str()),
                    ("ids[5]", c.as_str()),
                    ("status", "resolved"),
                    ("department_id", ""),
                    ("body", "Rezolvat."),
                    ("lang", "ro"),
                ],
            )
            .session(&staff),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let outcome = res.json();
    assert_eq!(outcome["changed"].as_array().map(Vec::len), Some(2));
    assert_eq!(outcome["refused"][0][0].as_i64(), Some(road));
    assert_eq!(outcome["refused"][0][1]["error"], "forbidden");
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM reports WHERE id IN ({a}, {b}) AND status = 'resolved'"
        ))
        .await,
        2
    );
}

#[tokio::test]
async fn moderators_hide_comments_and_photos_with_a_logged_reason() {
    let app = spawn_app().await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let form = report_form().file("photos", "p.jpg", "image/jpeg", &jpeg_with_exif(300, 200));
    let id = app.send(Req::multipart(CREATE, form).session(&citizen)).await.body.trim().to_owned();
    let comment = app
        .send(
            Req::form(
                "/api/reports/comment",
                &[
                    ("report_id", id.as_str()),
                    ("body", "Un comentariu nepoliticos."),
                    ("lang", "ro"),
                ],
            )
            .session(&citizen),
        )
        .await
        .body
        .trim()
        .to_owned();
    let photo = app
        .scalar(&format!("SELECT id FROM report_photos WHERE report_id = {id}"))
        .await
        .to_string();
    let hide = |kind: &'static str, target: String| {
        [
            ("kind", kind.to_owned()),
            ("id", target),
            ("hide", "true".to_owned()),
            ("reason", "Limbaj jignitor".to_owned()),
            ("lang", "ro".to_owned()),
        ]
    };
    let as_pairs = |v: &[(&'static str, String); 5]| {
        v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>()
    };

    // Citizens cannot hide.
    let pairs = as_pairs(&hide("comment", comment.clone()));
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.send(Req::form("/api/reports/moderate", &refs).session(&citizen)).await.status,
        StatusCode::FORBIDDEN
    );
    let moderator = app.demo("moderator@balti.demo").await;
    assert_eq!(
        app.send(Req::form("/api/reports/moderate", &refs).session(&moderator)).await.status,
        StatusCode::OK
    );
    let pairs = as_pairs(&hide("photo", photo.clone()));
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.send(Req::form("/api/reports/moderate", &refs).session(&moderator)).await.status,
        StatusCode::OK
    );

    // The public sees the reason, not the content; the photo is no longer served to them.
    let public = app.get(&format!("/api/reports/get?id={id}")).await.json();
    assert_eq!(public["report"]["comments"][0]["body"], "");
    assert_eq!(public["report"]["comments"][0]["hidden_reason"], "Limbaj jignitor");
    assert_eq!(app.get(&format!("/media/photos/{photo}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.send(Req::get(&format!("/media/photos/{photo}")).session(&moderator)).await.status,
        StatusCode::OK
    );
    let seen =
        app.send(Req::get(&format!("/api/reports/get?id={id}")).session(&moderator)).await.json();
    assert_eq!(seen["report"]["comments"][0]["body"], "Un comentariu nepoliticos.");
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'hide' AND reason = 'Limbaj jignitor'"
        )
        .await,
        2
    );
    // A reason is required.
    let res = app
        .send(
            Req::form(
                "/api/reports/moderate",
                &[
                    ("kind", "comment"),
                    ("id", comment.as_str()),
                    ("hide", "true"),
                    ("reason", ""),
                    ("lang", "ro"),
                ],
            )
            .session(&moderator),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_map_clusters_when_zoomed_out_over_many_reports() {
    let app = spawn_app().await;
    // 800 more reports spread over the city centre.
    let category = app.scalar("SELECT id FROM categories WHERE slug = 'roads'").await;
    let locality = app.scalar("SELECT id FROM localities WHERE slug = 'balti'").await;
    let mut values = Vec::new();
    for i in 0..800 {
        let lat = 47.745 + f64::from(i % 40) * 0.0008;
        let lng = 27.905 + f64::from(i / 40) * 0.0025;
        values.push(format!(
            "({locality}, {category}, 'Groapă {i}', 'Descriere', {lat}, {lng}, 'new', '2026-05-01T10:00:00+00:00', '2026-05-01T10:00:00+00:00')"
        ));
    }
    let sql = format!(
        "INSERT INTO reports (locality_id, category_id, title, description, lat, lng, status, created_at, updated_at) VALUES {}",
        values.join(", ")
    );
    match &app.db {
        server::db::Db::Postgres(_) => {
            app.execute(
                &sql.replace("'2026-05-01T10:00:00+00:00'", "TIMESTAMPTZ '2026-05-01 10:00:00+00'"),
            )
            .await
        }
        server::db::Db::Sqlite(_) => app.execute(&sql).await,
    }
    app.db.rebuild_cells().await.expect("cells");

    let city = app.get(&format!("/api/v1/reports.geojson?bbox={BALTI_BBOX}&zoom=12")).await.json();
    let features = city["features"].as_array().expect("features").clone();
    assert!(
        features.iter().all(|f| f["properties"]["cluster"] == true),
        "zoomed out: clusters only"
    );
    let counted: i64 =
        features.iter().map(|f| f["properties"]["count"].as_i64().unwrap_or(0)).sum();
    assert_eq!(counted, 800 + 172);
    // Filters apply to clusters too.
    let greens = app
        .get(&format!("/api/v1/reports.geojson?bbox={BALTI_BBOX}&zoom=12&category=green-spaces"))
        .await
        .json();
    let pins = greens["features"].as_array().expect("features");
    assert_eq!(pins.len(), 17 + 31, "few enough for pins");
    // Zoomed in on a small area: pins again.
    let street =
        app.get("/api/v1/reports.geojson?bbox=27.904,47.744,27.908,47.747&zoom=18").await.json();
    let street = street["features"].as_array().expect("features");
    assert!(!street.is_empty() && street.iter().all(|f| f["properties"]["cluster"].is_null()));
    // Text filters fall back to live clustering and still answer.
    let text =
        app.get(&format!("/api/v1/reports.geojson?bbox={BALTI_BBOX}&zoom=12&status=new")).await;
    assert_eq!(text.status, StatusCode::OK);
}

#[tokio::test]
async fn staff_queue_is_for_staff_only_and_filters_by_waiting_time() {
    let app = spawn_app().await;
    assert_eq!(app.get("/api/staff/queue").await.status, StatusCode::UNAUTHORIZED);
    let citizen = app.demo("cetatean@balti.demo").await;
    assert_eq!(
        app.send(Req::get("/api/staff/queue").session(&citizen)).await.status,
        StatusCode::FORBIDDEN
    );
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let queue = app.send(Req::get("/api/staff/queue?department=all").session(&staff)).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    assert_eq!(queue.json()["page"]["total"], 7, "the new reports");
    let waiting = app
        .send(Req::get("/api/staff/queue?status=all&waiting=3650&department=all").session(&staff))
        .await
        .json();
    assert_eq!(waiting["page"]["total"], 0);
    let waiting = app
        .send(Req::get("/api/staff/queue?status=all&waiting=1&department=all").session(&staff))
        .await
        .json();
    assert_eq!(waiting["page"]["total"], 21 + 29, "every open report is older than a day");
    let dept = app.scalar("SELECT id FROM departments WHERE name = 'Î.M. „Spații Verzi”'").await;
    let mine = app
        .send(Req::get(&format!("/api/staff/queue?status=all&department={dept}")).session(&staff))
        .await
        .json();
    assert_eq!(mine["page"]["total"], 17 + 31);
    assert_eq!(
        app.send(Req::get("/api/staff/queue?department=x").session(&staff)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn a_clerks_queue_is_their_departments_and_the_rest_is_read_only() {
    let app = spawn_app().await;
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let dept = app.scalar("SELECT id FROM departments WHERE name = 'Î.M. „Spații Verzi”'").await;
    let ids = |page: &serde_json::Value| -> Vec<i64> {
        page["page"]["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["id"].as_i64())
            .collect()
    };

    // By default: the department's own reports, every one of them the clerk's to change.
    let own = app.send(Req::get("/api/staff/queue?status=all").session(&staff)).await.json();
    assert_eq!(own["department"], dept);
    assert_eq!(own["own_department"], dept);
    assert_eq!(own["page"]["total"], 17 + 31);
    assert_eq!(own["read_only"], serde_json::json!([]));

    // Everything, with the other departments' reports marked read-only.
    let all = app
        .send(Req::get("/api/staff/queue?status=all&department=all").session(&staff))
        .await
        .json();
    assert_eq!(all["department"], serde_json::Value::Null);
    let read_only: Vec<i64> =
        all["read_only"].as_array().into_iter().flatten().filter_map(|v| v.as_i64()).collect();
    assert!(!read_only.is_empty());
    for item in all["page"]["items"].as_array().into_iter().flatten() {
        let id = item["id"].as_i64().unwrap_or_default();
        assert_eq!(
            read_only.contains(&id),
            item["category"] != "green-spaces",
            "report {id} of {}",
            item["category"]
        );
    }
    assert!(ids(&own).iter().all(|id| !read_only.contains(id)));

    // Its page says whose it is instead of offering a form.
    let other = read_only[0];
    let view =
        app.send(Req::get(&format!("/api/reports/get?id={other}")).session(&staff)).await.json();
    assert_eq!(view["can_handle"], false);
    assert!(view["handled_by"].as_array().is_some_and(|names| !names.is_empty()), "{view}");
    let mine = ids(&own)[0];
    let view =
        app.send(Req::get(&format!("/api/reports/get?id={mine}")).session(&staff)).await.json();
    assert_eq!(view["can_handle"], true);
    assert_eq!(view["handled_by"], serde_json::Value::Null);
    assert_eq!(view["viewer_department"], dept);

    // An administrator (no department) sees everything by default.
    let admin = app.demo("admin@balti.demo").await;
    let queue = app.send(Req::get("/api/staff/queue?status=all").session(&admin)).await.json();
    assert_eq!(queue["department"], serde_json::Value::Null);
    assert_eq!(queue["read_only"], serde_json::json!([]));
}
