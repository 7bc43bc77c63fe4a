//! Accounts and security: sign-up with confirmation, sign-in (sessions and password reset:
//! `sessions.rs`),
//! deletion and export, cross-site refusal, rate limits and security headers.

use crate::helpers::{report_form, spawn_app, spawn_demo_with, token_in, Req};
use axum::http::StatusCode;

async fn sign_up(
    app: &crate::helpers::TestApp,
    email: &str,
    password: &str,
) -> crate::helpers::TestResponse {
    app.send(Req::form(
        "/api/auth/signup",
        &[("email", email), ("password", password), ("display_name", "Maria"), ("lang", "ru")],
    ))
    .await
}

#[tokio::test]
async fn sign_up_confirm_by_mail_then_sign_in() {
    let app = spawn_app().await;
    let res = sign_up(&app, "Maria@Example.md", "corect horse battery").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // Not confirmed yet: signing in refuses and sends the link again.
    let res = app
        .send(Req::form(
            "/api/auth/login",
            &[("email", "maria@example.md"), ("password", "corect horse battery"), ("lang", "ru")],
        ))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.problems("email"), vec!["unconfirmed"]);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox WHERE to_address = 'maria@example.md'").await,
        2
    );

    let mail = app.last_mail("maria@example.md").await.expect("confirmation mail");
    assert!(
        mail.contains("https://agora.example/ru/confirm?token="),
        "the link uses the visitor's language: {mail}"
    );
    let res = app
        .send(Req::form("/api/auth/confirm", &[("token", &token_in(&mail)), ("lang", "ru")]))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    let res = app
        .send(Req::form(
            "/api/auth/login",
            &[("email", "maria@example.md"), ("password", "corect horse battery"), ("lang", "ru")],
        ))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let cookie =
        res.headers.get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Secure"),
        "{cookie}"
    );
    let session = res.session_cookie().expect("session");
    let me = app.send(Req::get("/api/auth/viewer").session(&session)).await.json();
    assert_eq!(me["user"]["email"], "maria@example.md");
    assert_eq!(me["user"]["locale"], "ru");
    // Only a hash of the token is stored.
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) FROM sessions WHERE token_hash = '{session}'")).await,
        0
    );
}

#[tokio::test]
async fn answers_never_reveal_whether_an_address_has_an_account() {
    let app = spawn_app().await;
    let known = sign_up(&app, "cetatean@balti.demo", "another long password").await;
    let unknown = sign_up(&app, "nobody-yet@example.md", "another long password").await;
    assert_eq!(
        (known.status, known.header("location")),
        (unknown.status, unknown.header("location"))
    );
    assert_eq!(known.body, unknown.body);
    assert!(app
        .last_mail("cetatean@balti.demo")
        .await
        .expect("a warning mail")
        .contains("/ru/forgot"));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM users WHERE email = 'cetatean@balti.demo'").await,
        1
    );

    let wrong_password = app
        .send(Req::form(
            "/api/auth/login",
            &[("email", "cetatean@balti.demo"), ("password", "wrong password!"), ("lang", "ro")],
        ))
        .await;
    let no_account = app
        .send(Req::form(
            "/api/auth/login",
            &[("email", "ghost@example.md"), ("password", "wrong password!"), ("lang", "ro")],
        ))
        .await;
    assert_eq!(wrong_password.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        (wrong_password.status, wrong_password.body.clone()),
        (no_account.status, no_account.body)
    );

    let reset_known = app
        .send(Req::form("/api/auth/forgot", &[("email", "cetatean@balti.demo"), ("lang", "ro")]))
        .await;
    let reset_unknown = app
        .send(Req::form("/api/auth/forgot", &[("email", "ghost@example.md"), ("lang", "ro")]))
        .await;
    assert_eq!((reset_known.status, reset_known.body), (reset_unknown.status, reset_unknown.body));
    assert!(app.last_mail("ghost@example.md").await.is_none());
}

#[tokio::test]
async fn sign_up_refuses_bad_input_with_field_errors() {
    let app = spawn_app().await;
    let res = app
        .send(Req::form(
            "/api/auth/signup",
            &[
                ("email", "not-an-email"),
                ("password", "short"),
                ("display_name", ""),
                ("lang", "en"),
            ],
        ))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.problems("email"), vec!["invalid"]);
    assert_eq!(res.problems("password"), vec!["too_short"]);
    assert_eq!(res.problems("display_name"), vec!["required"]);
    let missing = app.send(Req::form("/api/auth/signup", &[("email", "a@b.md")])).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn cross_site_requests_are_refused() {
    let app = spawn_app().await;
    let session = app.demo("cetatean@balti.demo").await;
    let form = [("lang", "ro")];
    let cross = app
        .send(
            Req::form("/api/auth/logout-everywhere", &form)
                .session(&session)
                .header("sec-fetch-site", "cross-site"),
        )
        .await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    let foreign_origin = app
        .send(
            Req::form("/api/auth/logout-everywhere", &form)
                .session(&session)
                .header("host", "agora.example")
                .header("origin", "https://evil.example"),
        )
        .await;
    assert_eq!(foreign_origin.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.send(Req::get("/api/auth/viewer").session(&session)).await.json()["user"]["email"],
        "cetatean@balti.demo"
    );
    let same = app
        .send(
            Req::form("/api/auth/logout-everywhere", &form)
                .session(&session)
                .header("sec-fetch-site", "same-origin")
                .header("origin", "https://agora.example"),
        )
        .await;
    assert_eq!(same.status, StatusCode::OK);
    // Multipart report creation is guarded the same way.
    let res = app
        .send(
            Req::multipart("/api/reports/create", report_form())
                .header("sec-fetch-site", "cross-site"),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn too_many_attempts_are_refused_per_address_and_per_account() {
    let app = spawn_demo_with(1).await;
    let attempt = |email: &'static str, addr: &'static str| {
        Req::form(
            "/api/auth/login",
            &[("email", email), ("password", "wrong password!"), ("lang", "ro")],
        )
        .client_addr(addr)
    };
    for _ in 0..5 {
        assert_eq!(
            app.send(attempt("cetatean@balti.demo", "10.0.0.1")).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // Past five failures the account's address waits, from anywhere (hardening.rs shows that
    // its owner is not locked out).
    let res = app.send(attempt("cetatean@balti.demo", "10.0.0.1")).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.error(), "rate_limited");
    assert_eq!(
        app.send(attempt("cetatean@balti.demo", "10.0.0.2")).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // One address trying other accounts: ten attempts a minute, then refused.
    for _ in 0..4 {
        assert_eq!(
            app.send(attempt("admin@balti.demo", "10.0.0.1")).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        app.send(attempt("operator@agora.demo", "10.0.0.1")).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // A fresh address and account are fine.
    assert_eq!(
        app.send(attempt("operator@agora.demo", "10.0.0.3")).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Reports: ten an hour per address.
    for _ in 0..10 {
        let res = app
            .send(Req::multipart("/api/reports/create", report_form()).client_addr("10.0.0.9"))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
    let res = app
        .send(Req::multipart("/api/reports/create", report_form()).client_addr("10.0.0.9"))
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    // An address the client writes in front of the proxy's own entry changes nothing.
    let res = app
        .send(
            Req::multipart("/api/reports/create", report_form())
                .client_addr("203.0.113.7, 10.0.0.9"),
        )
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    // A plain HTML form post gets the translated message back on the form instead.
    let res = app
        .send(
            Req::form(
                "/api/auth/login",
                &[("email", "cetatean@balti.demo"), ("password", "x"), ("lang", "ro")],
            )
            .client_addr("10.0.0.1")
            .header("accept", "text/html")
            .header("referer", "https://agora.example/ro/login"),
        )
        .await;
    assert_eq!(res.status, StatusCode::FOUND);
    let back = res.header("location").to_owned();
    assert!(
        back.starts_with("https://agora.example/ro/login?__path=") && back.contains("__err="),
        "{back}"
    );
    let page = app.get(back.trim_start_matches("https://agora.example")).await;
    assert!(page.body.contains("Prea multe"), "the login page shows the error");
}

#[tokio::test]
async fn every_html_page_carries_the_security_headers() {
    let app = spawn_app().await;
    for uri in ["/ro", "/en/reports", "/ru/login", "/uk/nope"] {
        let res = app.get(uri).await;
        let csp = res.header("content-security-policy");
        assert!(csp.contains("script-src 'self' 'nonce-"), "{uri}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{uri}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}");
        assert!(csp.contains("https://tile.openstreetmap.org"), "tiles allowed: {csp}");
        let nonce = csp.split("'nonce-").nth(1).and_then(|n| n.split('\'').next()).expect("nonce");
        assert!(
            res.body.contains(&format!("nonce=\"{nonce}\"")),
            "{uri}: the hydration script carries the nonce"
        );
        assert_eq!(res.header("x-content-type-options"), "nosniff");
        assert_eq!(res.header("x-frame-options"), "DENY");
        assert_eq!(res.header("referrer-policy"), "strict-origin-when-cross-origin");
    }
    assert!(app
        .get("/healthz")
        .await
        .header("content-security-policy")
        .contains("default-src 'none'"));
}

#[tokio::test]
async fn deleting_an_account_leaves_no_personal_data() {
    let app = spawn_app().await;
    let session = app.account_with_role("vasile.popescu@example.md", None, None).await;
    app.execute("UPDATE users SET display_name = 'Vasile Popescu', civic_group = 'refugee' WHERE email = 'vasile.popescu@example.md'").await;
    // Contributions of every kind.
    let report = app
        .send(
            Req::multipart("/api/reports/create", report_form().text("show_name", "on"))
                .session(&session),
        )
        .await;
    let report = report.body.trim().to_owned();
    app.send(
        Req::form(
            "/api/reports/comment",
            &[
                ("report_id", report.as_str()),
                ("body", "Confirm, e la fel și în curtea mea."),
                ("lang", "ro"),
            ],
        )
        .session(&session),
    )
    .await;
    let other = app.report_of("roads", "accepted").await.to_string();
    app.send(
        Req::form("/api/reports/support", &[("report_id", other.as_str()), ("lang", "ro")])
            .session(&session),
    )
    .await;
    app.send(Req::form(
        "/api/auth/forgot",
        &[("email", "vasile.popescu@example.md"), ("lang", "ro")],
    ))
    .await;
    let admin = app.demo("admin@balti.demo").await;
    app.send(
        Req::form(
            "/api/admin/grant",
            &[
                ("email", "vasile.popescu@example.md"),
                ("role", "moderator"),
                ("department_id", ""),
                ("lang", "ro"),
            ],
        )
        .session(&admin),
    )
    .await;

    // A subscription to the NGO network's newsletter, which must not outlive the account.
    let res = app
        .send(Req::form("/api/newsletters/subscribe", &[("lang", "ro")]).session(&session))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    // Export first: it holds the contributions.
    let export = app.send(Req::get("/account/export.json").session(&session)).await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.header("content-disposition").contains("attachment"));
    let data = export.json();
    assert_eq!(data["profile"]["civic_group"], "refugee");
    assert_eq!(data["data"]["reports"].as_array().map(Vec::len), Some(1));
    assert_eq!(data["data"]["comments"].as_array().map(Vec::len), Some(1));
    assert_eq!(data["data"]["newsletter_subscriptions"].as_array().map(Vec::len), Some(1));
    assert_eq!(app.get("/account/export.json").await.status, StatusCode::UNAUTHORIZED);

    // Deleting needs the password again.
    let res = app
        .send(
            Req::form("/api/account/delete", &[("password", "not it at all"), ("lang", "ro")])
                .session(&session),
        )
        .await;
    assert_eq!(res.problems("password"), vec!["invalid"]);
    let res = app
        .send(
            Req::form(
                "/api/account/delete",
                &[("password", "a long enough password"), ("lang", "ro")],
            )
            .session(&session),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    // Nothing personal is left anywhere in the database.
    let tables: Vec<(String, String)> = match &app.db {
        server::db::Db::Sqlite(pool) => sqlx::query_as(
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations' AND p.type = 'TEXT'",
        )
        .fetch_all(pool)
        .await,
        server::db::Db::Postgres(pool) => sqlx::query_as(
            "SELECT table_name::TEXT, column_name::TEXT FROM information_schema.columns \
             WHERE table_schema = 'public' AND data_type = 'text' AND table_name <> '_sqlx_migrations'",
        )
        .fetch_all(pool)
        .await,
    }
    .expect("columns");
    assert!(tables.len() > 20, "the column list looks wrong: {tables:?}");
    for (table, column) in &tables {
        for needle in ["vasile.popescu", "Vasile Popescu"] {
            let n = app
                .scalar(&format!("SELECT COUNT(*) FROM {table} WHERE {column} LIKE '%{needle}%'"))
                .await;
            assert_eq!(n, 0, "{table}.{column} still holds {needle}");
        }
    }
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM newsletter_subscriptions WHERE user_id IS NOT NULL \
                    AND user_id NOT IN (SELECT id FROM users WHERE deleted_at IS NULL)"
        )
        .await,
        0,
        "the deleted account's subscriptions are gone"
    );
    // The contributions themselves stay.
    assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM reports WHERE id = {report}")).await, 1);
    assert_eq!(app.scalar(&format!("SELECT supporters FROM reports WHERE id = {other}")).await, 1);
    assert!(app.send(Req::get("/api/auth/viewer").session(&session)).await.json()["user"].is_null());
    let res = app
        .send(Req::form(
            "/api/auth/login",
            &[
                ("email", "vasile.popescu@example.md"),
                ("password", "a long enough password"),
                ("lang", "ro"),
            ],
        ))
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_profile_is_editable_and_validated() {
    let app = spawn_app().await;
    let session = app.demo("cetatean@balti.demo").await;
    let res = app
        .send(
            Req::form(
                "/api/account/update",
                &[
                    ("display_name", "Ion C."),
                    ("locale", "uk"),
                    ("civic_group", "migrant"),
                    ("lang", "uk"),
                ],
            )
            .session(&session),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let profile = app.send(Req::get("/api/account/profile").session(&session)).await.json();
    assert_eq!(
        (
            profile["display_name"].as_str(),
            profile["locale"].as_str(),
            profile["civic_group"].as_str()
        ),
        (Some("Ion C."), Some("uk"), Some("migrant"))
    );
    let res = app
        .send(
            Req::form(
                "/api/account/update",
                &[("display_name", ""), ("locale", "fr"), ("civic_group", "alien"), ("lang", "uk")],
            )
            .session(&session),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.problems("locale"), vec!["invalid"]);
    assert_eq!(res.problems("civic_group"), vec!["invalid"]);
    assert_eq!(app.get("/api/account/profile").await.status, StatusCode::UNAUTHORIZED);
}
