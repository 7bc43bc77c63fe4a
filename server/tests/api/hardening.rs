//! Issue 10's findings, each shown fixed: redirects that stay on the site, sign-in throttling
//! without lock-outs, credentials ended by a new password, one error shape, bad bytes and ids,
//! spreadsheet-safe CSV, and headers on every answer.

use crate::helpers::{
    report_form, spawn_app, spawn_demo_with, token_in, Req, TestApp, TestResponse,
};
use axum::http::StatusCode;

/// A sign-in as a browser's form sends it (errors come back as redirects, success as 302).
async fn browser_sign_in(app: &TestApp, next: &str) -> TestResponse {
    app.send(
        Req::form(
            "/api/auth/login",
            &[
                ("email", "cetatean@balti.demo"),
                ("password", server::db::seed::DEMO_PASSWORD),
                ("next", next),
                ("lang", "ro"),
            ],
        )
        .header("accept", "text/html")
        .header("referer", "https://agora.example/ro/login"),
    )
    .await
}

/// The demo citizen signing in with the right password, as a script does.
fn owner_login() -> Req {
    Req::form(
        "/api/auth/login",
        &[
            ("email", "cetatean@balti.demo"),
            ("password", server::db::seed::DEMO_PASSWORD),
            ("lang", "ro"),
        ],
    )
}

#[tokio::test]
async fn sign_in_never_sends_the_browser_to_another_site() {
    let app = spawn_app().await;
    for next in [
        "/\t/evil.example",
        "/\\evil.example",
        "\\/evil.example",
        "//evil.example",
        "/\n/evil.example",
        "https://evil.example",
        "/ro\r\nSet-Cookie: stolen=1",
        " /ro",
        "/ro/reports?x=\u{7f}",
    ] {
        let res = browser_sign_in(&app, next).await;
        assert_eq!(res.status, StatusCode::FOUND, "{next:?}: {}", res.body);
        assert_eq!(res.header("location"), "/ro", "{next:?}");
        assert!(res.session_cookie().is_some(), "{next:?}: signed in all the same");
    }
    let res = browser_sign_in(&app, "/ro/reports/3?x=1#top").await;
    assert_eq!(res.header("location"), "/ro/reports/3?x=1#top");
}

#[tokio::test]
async fn a_bad_return_address_is_refused_before_anything_is_written() {
    let app = spawn_app().await;
    let admin = app.demo("admin@balti.demo").await;
    let grant = app
        .scalar(
            "SELECT r.id FROM roles r JOIN users u ON u.id = r.user_id \
             WHERE u.email = 'spatii.verzi@balti.demo'",
        )
        .await;
    let grant_text = grant.to_string();
    let res = app
        .send(
            Req::form(
                "/api/admin/revoke",
                &[("grant_id", &grant_text), ("locality", "balti\r\nX-Evil: 1"), ("lang", "ro")],
            )
            .session(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.problems("locality"), vec!["invalid"]);
    assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM roles WHERE id = {grant}")).await, 1);
    let res = app
        .send(
            Req::form(
                "/api/admin/revoke",
                &[("grant_id", &grant_text), ("locality", "balti"), ("lang", "ro")],
            )
            .session(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM roles WHERE id = {grant}")).await, 0);
}

#[tokio::test]
async fn bytes_that_are_not_utf8_are_a_bad_request_everywhere() {
    let app = spawn_app().await;
    let citizen = app.demo("cetatean@balti.demo").await;
    for uri in [
        "/api/auth/login",
        "/api/auth/signup",
        "/api/auth/forgot",
        "/api/reports/comment",
        "/api/polls/vote",
        "/api/initiatives/support",
        "/api/admin/grant",
    ] {
        for body in [&b"email=%FF%FE&password=x&lang=ro"[..], &b"email=\xff\xfe&lang=ro"[..]] {
            let mut req = Req::form(uri, &[]).session(&citizen);
            req = req.body(body.to_vec());
            let res = app.send(req).await;
            assert_eq!(res.status, StatusCode::BAD_REQUEST, "{uri} {body:?}: {}", res.body);
            assert_eq!(res.error(), "validation", "{uri}");
        }
    }
}

#[tokio::test]
async fn strangers_guessing_a_password_never_lock_its_owner_out() {
    let app = spawn_demo_with(1).await;
    // The owner signed in once on their own phone, which keeps its device cookie.
    let first = app.send(owner_login().client_addr("10.1.0.1")).await;
    assert_eq!(first.status, StatusCode::OK);
    let device = first
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("agora_device=")?.split(';').next().map(str::to_owned))
        .expect("a device cookie");

    // Strangers from many addresses guess wrong, many times.
    let guess = |addr: String| {
        Req::form(
            "/api/auth/login",
            &[("email", "cetatean@balti.demo"), ("password", "wrong guess!!"), ("lang", "ro")],
        )
        .client_addr(&addr)
    };
    for i in 0..5 {
        let res = app.send(guess(format!("10.2.0.{i}"))).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "guess {i}");
    }
    // Now every further attempt for this address waits, and says for how long.
    let res = app.send(guess("10.2.1.1".into())).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.error(), "rate_limited");
    let wait: u64 = res.header("retry-after").parse().expect("Retry-After seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    // The owner, on their own phone, is let in at once.
    let res = app
        .send(
            owner_login()
                .client_addr("10.1.0.2")
                .header("cookie", &format!("agora_device={device}")),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.session_cookie().is_some());

    // On a new device the owner waits too, but a sign-in link by e-mail always works.
    for i in 0..6 {
        app.send(guess(format!("10.3.0.{i}"))).await;
    }
    let res = app.send(owner_login().client_addr("10.1.0.3")).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    let res = app
        .send(
            Req::form("/api/auth/link", &[("email", "cetatean@balti.demo"), ("lang", "uk")])
                .client_addr("10.1.0.3"),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let mail = app.last_mail("cetatean@balti.demo").await.expect("a sign-in mail");
    assert!(mail.contains("/uk/login/link?token="), "{mail}");
    let res = app
        .send(
            Req::form("/api/auth/link-signin", &[("token", &token_in(&mail)), ("lang", "uk")])
                .client_addr("10.1.0.3"),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let session = res.session_cookie().expect("signed in by the link");
    assert_eq!(
        app.send(Req::get("/api/auth/viewer").session(&session)).await.json()["user"]["email"],
        "cetatean@balti.demo"
    );
    // The link forgot the failures: the password works again from anywhere.
    let res = app.send(owner_login().client_addr("10.1.0.4")).await;
    assert_eq!(res.status, StatusCode::OK);

    // A link asked for an address without an account answers the same, and mails nothing.
    let before = app.scalar("SELECT COUNT(*) FROM outbox").await;
    let res = app
        .send(
            Req::form("/api/auth/link", &[("email", "nobody@example.md"), ("lang", "ro")])
                .client_addr("10.1.0.5"),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM outbox").await, before);

    // One address trying many accounts is still held back per address.
    let mut refused = false;
    for i in 0..12 {
        let res = app
            .send(
                Req::form(
                    "/api/auth/login",
                    &[
                        ("email", &format!("x{i}@example.md")),
                        ("password", "whatever!!"),
                        ("lang", "ro"),
                    ],
                )
                .client_addr("10.4.0.1"),
            )
            .await;
        refused |= res.status == StatusCode::TOO_MANY_REQUESTS;
    }
    assert!(refused, "per-address limit");
}

#[tokio::test]
async fn a_reset_ends_every_other_link_and_session_and_a_change_keeps_only_this_one() {
    let app = spawn_app().await;
    let phone = app.demo("cetatean@balti.demo").await;
    let laptop = app.demo("cetatean@balti.demo").await;
    let forgot = Req::form("/api/auth/forgot", &[("email", "cetatean@balti.demo"), ("lang", "ro")]);
    app.send(forgot).await;
    let first = token_in(&app.last_mail("cetatean@balti.demo").await.expect("mail"));
    let forgot = Req::form("/api/auth/forgot", &[("email", "cetatean@balti.demo"), ("lang", "ro")]);
    app.send(forgot).await;
    let second = token_in(&app.last_mail("cetatean@balti.demo").await.expect("mail"));
    app.send(Req::form("/api/auth/link", &[("email", "cetatean@balti.demo"), ("lang", "ro")]))
        .await;
    let link = token_in(&app.last_mail("cetatean@balti.demo").await.expect("mail"));
    assert_ne!(first, second);

    let res = app
        .send(Req::form(
            "/api/auth/reset",
            &[("token", &first), ("password", "a brand new password"), ("lang", "ro")],
        ))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    for session in [&phone, &laptop] {
        let viewer = app.send(Req::get("/api/auth/viewer").session(session)).await.json();
        assert!(viewer["user"].is_null(), "sessions end");
    }
    let res = app
        .send(Req::form(
            "/api/auth/reset",
            &[("token", &second), ("password", "an attacker's password"), ("lang", "ro")],
        ))
        .await;
    assert_eq!(res.problems("token"), vec!["invalid"], "the other reset link is dead");
    let res =
        app.send(Req::form("/api/auth/link-signin", &[("token", &link), ("lang", "ro")])).await;
    assert_eq!(res.problems("token"), vec!["invalid"], "the sign-in link is dead");

    // A change: this session stays, the others end, and the current password is checked.
    let here = app.sign_in("cetatean@balti.demo", "a brand new password").await;
    let elsewhere = app.sign_in("cetatean@balti.demo", "a brand new password").await;
    let res = app
        .send(
            Req::form(
                "/api/account/password",
                &[
                    ("current_password", "not the password"),
                    ("new_password", "the third password"),
                    ("lang", "ro"),
                ],
            )
            .session(&here),
        )
        .await;
    assert_eq!(res.problems("current_password"), vec!["invalid"]);
    let res = app
        .send(
            Req::form(
                "/api/account/password",
                &[
                    ("current_password", "a brand new password"),
                    ("new_password", "the third password"),
                    ("lang", "ro"),
                ],
            )
            .session(&here),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let viewer = |s: &str| app.send(Req::get("/api/auth/viewer").session(s));
    assert_eq!(viewer(&here).await.json()["user"]["email"], "cetatean@balti.demo");
    assert!(viewer(&elsewhere).await.json()["user"].is_null());
    app.sign_in("cetatean@balti.demo", "the third password").await;
}

#[tokio::test]
async fn every_error_has_one_json_shape_and_the_security_headers() {
    let app = spawn_app().await;
    let shape = |res: &TestResponse| {
        let body = res.json();
        let keys: Vec<&String> = body.as_object().expect("an object").keys().collect();
        assert!(
            keys.iter().all(|k| *k == "error" || *k == "fields"),
            "only error and fields: {}",
            res.body
        );
        assert!(!res.header("x-content-type-options").is_empty(), "nosniff on {}", res.body);
        assert!(!res.header("strict-transport-security").is_empty(), "HSTS on https");
        body["error"].as_str().unwrap_or_default().to_owned()
    };
    // Ids that are not numbers are simply not found.
    for uri in [
        "/api/v1/polls/abc",
        "/api/v1/polls/1e3/results.csv",
        "/media/photos/..%2f..%2fetc",
        "/media/initiatives/-",
        "/media/proposals/1e3/thumb",
        "/api/v1/polls/99999999",
    ] {
        let res = app.get(uri).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(shape(&res), "not_found", "{uri}");
    }
    let res = app.get("/api/v1/reports.geojson?bbox=nonsense").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(shape(&res), "validation");
    assert_eq!(res.problems("bbox"), vec!["invalid"]);
    let res = app.get("/account/export.json").await;
    assert_eq!((res.status, shape(&res)), (StatusCode::UNAUTHORIZED, "unauthorized".into()));
    let res = app
        .send(
            Req::form("/api/auth/logout", &[("lang", "ro")]).header("sec-fetch-site", "cross-site"),
        )
        .await;
    assert_eq!((res.status, shape(&res)), (StatusCode::FORBIDDEN, "forbidden".into()));
    // Too large: the 413 carries the headers too.
    let huge =
        Req::multipart("/api/reports/create", report_form()).header("content-length", "999999999");
    let res = app.send(huge).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(shape(&res), "validation");
    assert!(!res.header("content-security-policy").is_empty());
}

#[tokio::test]
async fn csv_cells_cannot_become_spreadsheet_formulas() {
    let app = spawn_app().await;
    let staff = app.demo("admin@balti.demo").await;
    let res = app
        .send(
            Req::form(
                "/api/polls/create",
                &[
                    ("question_ro", "Care parc renovăm?"),
                    ("question_ru", ""),
                    ("question_uk", ""),
                    ("question_en", ""),
                    ("description_ro", ""),
                    ("description_ru", ""),
                    ("description_uk", ""),
                    ("description_en", ""),
                    (
                        "options_ro",
                        "=HYPERLINK(\"https://evil.example\",\"Parcul central\")\n@SUM(1+1)\n-2+3\nParcul Andrieș",
                    ),
                    ("options_ru", ""),
                    ("options_uk", ""),
                    ("options_en", ""),
                    ("links", ""),
                    ("max_choices", "1"),
                    ("opens_at", "2020-01-01T08:00"),
                    ("closes_at", "2020-02-01T08:00"),
                    ("results_before_vote", "on"),
                    ("lang", "ro"),
                ],
            )
            .session(&staff),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id = app.scalar("SELECT MAX(id) FROM polls").await;
    let csv = app.get(&format!("/api/v1/polls/{id}/results.csv")).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    for line in csv.body.lines().skip(1) {
        let first = line.trim_start_matches('"');
        assert!(!first.starts_with(['=', '+', '-', '@']), "{line}");
    }
    assert!(csv.body.contains("\"'=HYPERLINK("), "{}", csv.body);
    assert!(csv.body.contains("\"Parcul Andrieș\""));
}

#[tokio::test]
async fn control_characters_are_refused_and_refusals_cost_no_allowance() {
    let app = spawn_demo_with(1).await;
    let citizen = app.demo("cetatean@balti.demo").await;
    for bad in ["Copac\0căzut", "Copac\u{1b}[31m căzut", "Copac\u{7}"] {
        let form = report_form().text("title", bad);
        let res = app
            .send(
                Req::multipart("/api/reports/create", form)
                    .session(&citizen)
                    .client_addr("10.9.0.1"),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}: {}", res.body);
        assert!(res.problems("title").contains(&"invalid".to_owned()), "{}", res.body);
    }
    // Twelve refused forms (more than the hourly allowance of ten) and a good one still goes.
    for _ in 0..12 {
        let form = crate::helpers::Multipart::new()
            .text("lang", "ro")
            .text("category", "green-spaces")
            .text("title", "x")
            .text("description", "");
        let res = app
            .send(
                Req::multipart("/api/reports/create", form)
                    .session(&citizen)
                    .client_addr("10.9.0.2"),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    }
    let res = app
        .send(
            Req::multipart("/api/reports/create", report_form())
                .session(&citizen)
                .client_addr("10.9.0.2"),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM reports WHERE title LIKE '%x%' AND title = 'x'").await,
        0
    );
}

#[tokio::test]
async fn a_duplicate_must_be_a_report_of_the_same_locality() {
    let app = spawn_app().await;
    app.import_singerei().await;
    let staff = app.demo("admin@balti.demo").await;
    let report = app.report_of("green-spaces", "new").await;
    // A report filed in Sîngerei, inside its boundary.
    let singerei_category = app
        .scalar(
            "SELECT c.id FROM categories c JOIN localities l ON l.id = c.locality_id \
             WHERE l.slug = 'singerei' ORDER BY c.id LIMIT 1",
        )
        .await;
    let singerei = app.scalar("SELECT id FROM localities WHERE slug = 'singerei'").await;
    app.execute(&format!(
        "INSERT INTO reports (locality_id, category_id, title, description, lat, lng, status, \
         created_at, updated_at) VALUES ({singerei}, {singerei_category}, 'Groapă', 'Groapă mare.', \
         47.64, 28.14, 'new', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')"
    ))
    .await;
    let foreign = app.scalar("SELECT MAX(id) FROM reports").await;
    let res = app
        .send(
            Req::form(
                "/api/reports/status",
                &[
                    ("report_id", &report.to_string()),
                    ("status", "duplicate"),
                    ("department_id", ""),
                    ("duplicate_of", &foreign.to_string()),
                    ("body", "Același lucru."),
                    ("lang", "ro"),
                ],
            )
            .session(&staff),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.problems("duplicate_of"), vec!["invalid"]);
    assert_eq!(
        app.text(&format!("SELECT status FROM reports WHERE id = {report}")).await.as_deref(),
        Some("new")
    );
}
