//! Sessions: rotated at sign-in, ended everywhere and by a password reset, and looked up
//! together under a crowd.

use crate::helpers::{spawn_app, token_in, Req};
use axum::http::StatusCode;

#[tokio::test]
async fn sessions_rotate_at_sign_in_and_end_everywhere() {
    let app = spawn_app().await;
    let first = app.demo("cetatean@balti.demo").await;
    // Signing in again from the same browser replaces its session.
    let res = app
        .send(
            Req::form(
                "/api/auth/login",
                &[
                    ("email", "cetatean@balti.demo"),
                    ("password", server::db::seed::DEMO_PASSWORD),
                    ("lang", "ro"),
                ],
            )
            .session(&first),
        )
        .await;
    let second = res.session_cookie().expect("new session");
    assert_ne!(first, second);
    assert!(
        app.send(Req::get("/api/auth/viewer").session(&first)).await.json()["user"].is_null(),
        "old session still works"
    );
    assert_eq!(
        app.send(Req::get("/api/auth/viewer").session(&second)).await.json()["user"]["email"],
        "cetatean@balti.demo"
    );

    // Another device, then "sign out everywhere".
    let other_device = app.demo("cetatean@balti.demo").await;
    let res = app
        .send(Req::form("/api/auth/logout-everywhere", &[("lang", "ro")]).session(&second))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    for s in [&second, &other_device] {
        assert!(app.send(Req::get("/api/auth/viewer").session(s)).await.json()["user"].is_null());
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'cetatean@balti.demo'").await, 0);

    // Plain sign-out ends one session and clears the cookie.
    let third = app.demo("cetatean@balti.demo").await;
    let res = app.send(Req::form("/api/auth/logout", &[("lang", "ro")]).session(&third)).await;
    assert!(res.header("set-cookie").contains("Max-Age=0"));
    assert!(app.send(Req::get("/api/auth/viewer").session(&third)).await.json()["user"].is_null());
}

#[tokio::test]
async fn reset_links_work_once_and_expire() {
    let app = spawn_app().await;
    let old_session = app.demo("cetatean@balti.demo").await;
    app.send(Req::form("/api/auth/forgot", &[("email", "cetatean@balti.demo"), ("lang", "en")]))
        .await;
    let token = token_in(&app.last_mail("cetatean@balti.demo").await.expect("reset mail"));

    let res = app
        .send(Req::form(
            "/api/auth/reset",
            &[("token", token.as_str()), ("password", "short"), ("lang", "en")],
        ))
        .await;
    assert_eq!(res.problems("password"), vec!["too_short"]);
    let res = app
        .send(Req::form(
            "/api/auth/reset",
            &[("token", token.as_str()), ("password", "a brand new password"), ("lang", "en")],
        ))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // Every session ended; the new password works, the old does not.
    assert!(
        app.send(Req::get("/api/auth/viewer").session(&old_session)).await.json()["user"].is_null()
    );
    app.sign_in("cetatean@balti.demo", "a brand new password").await;
    let old = app
        .send(Req::form(
            "/api/auth/login",
            &[
                ("email", "cetatean@balti.demo"),
                ("password", server::db::seed::DEMO_PASSWORD),
                ("lang", "en"),
            ],
        ))
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);

    // Used once: never again.
    let res = app
        .send(Req::form(
            "/api/auth/reset",
            &[("token", token.as_str()), ("password", "yet another password"), ("lang", "en")],
        ))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.problems("token"), vec!["invalid"]);

    // Expired.
    app.send(Req::form("/api/auth/forgot", &[("email", "cetatean@balti.demo"), ("lang", "en")]))
        .await;
    let token = token_in(&app.last_mail("cetatean@balti.demo").await.expect("reset mail"));
    app.execute("UPDATE email_tokens SET expires_at = created_at WHERE used_at IS NULL").await;
    let res = app
        .send(Req::form(
            "/api/auth/reset",
            &[("token", token.as_str()), ("password", "yet another password"), ("lang", "en")],
        ))
        .await;
    assert_eq!(res.problems("token"), vec!["expired"]);
    let res = app
        .send(Req::form(
            "/api/auth/reset",
            &[("token", "made-up"), ("password", "yet another password"), ("lang", "en")],
        ))
        .await;
    assert_eq!(res.problems("token"), vec!["invalid"]);
}

#[tokio::test]
async fn session_lookups_answered_together_give_each_request_its_own_person() {
    let app = spawn_app().await;
    let people = [
        ("admin@balti.demo", app.demo("admin@balti.demo").await),
        ("cetatean@balti.demo", app.demo("cetatean@balti.demo").await),
        ("staff@singerei.demo", app.demo("staff@singerei.demo").await),
    ];
    let tokens: Vec<String> = people
        .iter()
        .map(|(_, t)| t.clone())
        .chain(["no-such-session".to_owned(), people[0].1.clone()])
        .collect();
    let viewers = app.db.session_viewers(&tokens).await.expect("lookups");
    let emails: Vec<Option<String>> = viewers
        .iter()
        .map(|v| v.as_ref().and_then(|v| v.user.as_ref()).map(|u| u.email.clone()))
        .collect();
    let expected = ["admin@balti.demo", "cetatean@balti.demo", "staff@singerei.demo"];
    assert_eq!(emails[..3], expected.map(|e| Some(e.to_owned())), "in the order asked");
    assert_eq!(emails[3], None, "an unknown token names nobody");
    assert_eq!(emails[4].as_deref(), Some("admin@balti.demo"), "a repeated token");
    let grants = |i: usize| viewers[i].as_ref().map(|v| v.grants.len()).unwrap_or_default();
    assert!(grants(0) >= 1 && grants(2) >= 1, "each keeps their own roles");
    assert_eq!(grants(1), 0, "a citizen holds none");
    assert_eq!(viewers[4], viewers[0]);

    // Through the server, all at once: every request gets its own person, never a neighbour's.
    let app = &app;
    let asks = (0..60).map(|i| {
        let (email, token) = &people[i % people.len()];
        let req = Req::get("/api/auth/viewer").session(token);
        async move { (*email, app.send(req).await.json()) }
    });
    for (email, me) in futures_util::future::join_all(asks).await {
        assert_eq!(me["user"]["email"], email);
    }
}
