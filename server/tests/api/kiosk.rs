//! Kiosk mode: switched on for a screen by the locality's staff (who are then signed out),
//! drawn for touch with a "continue on your phone" code, started over without a trace; and
//! reports filed at the desk on a visitor's behalf.

use crate::helpers::{report_form, spawn_app, Req};
use axum::http::StatusCode;

fn set_cookies(res: &crate::helpers::TestResponse) -> Vec<String> {
    res.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn staff_switch_a_screen_to_kiosk_mode_and_are_signed_out() {
    let app = spawn_app().await;
    let start = |idle: &str| Req::form("/api/kiosk/start", &[("idle", idle), ("lang", "uk")]);

    let anonymous = app.send(start("90")).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let citizen = app.demo("cetatean@balti.demo").await;
    assert_eq!(app.send(start("90").session(&citizen)).await.status, StatusCode::FORBIDDEN);
    // Sîngerei's staff have no say over Bălți's screens.
    app.import_singerei().await;
    let foreign = app.demo("staff@singerei.demo").await;
    assert_eq!(app.send(start("90").session(&foreign)).await.status, StatusCode::FORBIDDEN);

    let staff = app.demo("spatii.verzi@balti.demo").await;
    // A time outside the offered range is refused before anything changes.
    let refused = app.send(start("5").session(&staff)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert_eq!(refused.problems("idle"), ["invalid"]);
    assert!(set_cookies(&refused).is_empty(), "{:?}", set_cookies(&refused));
    let still = app.send(Req::get("/api/auth/viewer").session(&staff)).await;
    assert!(still.body.contains("spatii.verzi@balti.demo"), "still signed in: {}", still.body);

    let done = app.send(start("120").session(&staff)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let cookies = set_cookies(&done);
    assert!(
        cookies.iter().any(|c| c.starts_with("agora_kiosk=120;") && c.contains("HttpOnly")),
        "{cookies:?}"
    );
    assert!(cookies.iter().any(|c| c.starts_with("agora_session=;")), "{cookies:?}");
    // The session itself is over, not only its cookie.
    let after = app.send(Req::get("/api/auth/viewer").session(&staff)).await;
    assert!(!after.body.contains("spatii.verzi"), "signed out: {}", after.body);

    // A browser page post lands on the start screen in the chosen language.
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let page = app.send(start("").session(&staff).header("accept", "text/html")).await;
    assert_eq!(page.status, StatusCode::FOUND);
    assert_eq!(page.header("location"), "/uk/kiosk");
    assert!(set_cookies(&page).iter().any(|c| c.starts_with("agora_kiosk=90;")));

    // Switching off is staff's too.
    let stop = || Req::form("/api/kiosk/stop", &[("lang", "ro")]);
    assert_eq!(app.send(stop()).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.send(stop().session(&citizen)).await.status, StatusCode::FORBIDDEN);
    let admin = app.demo("admin@balti.demo").await;
    let stopped = app.send(stop().session(&admin)).await;
    assert_eq!(stopped.status, StatusCode::OK, "{}", stopped.body);
    assert!(set_cookies(&stopped).iter().any(|c| c.starts_with("agora_kiosk=;")));
}

#[tokio::test]
async fn a_kiosk_draws_its_own_bar_and_a_code_that_opens_the_page_on_a_phone() {
    let app = spawn_app().await;
    let kiosk = |uri: &str| Req::get(uri).header("cookie", "agora_kiosk=90");
    let ordinary = app.get("/ro/kiosk").await;
    assert_eq!(ordinary.status, StatusCode::OK);
    assert!(ordinary.body.contains("site-header") && !ordinary.body.contains("kiosk-bar"));

    let start = app.send(kiosk("/ro/kiosk")).await;
    assert_eq!(start.status, StatusCode::OK);
    assert!(start.body.contains(r#"id="kiosk-bar""#) && start.body.contains(r#"data-idle="90""#));
    assert!(!start.body.contains("site-header"), "no site navigation on a kiosk");
    // Nothing a kiosk shows is kept in its browser for the next visitor.
    assert_eq!(start.header("cache-control"), "private, no-store");
    assert_eq!(ordinary.header("cache-control"), "no-cache");
    assert!(start.body.contains("/scripts/kiosk.js"));
    // The four languages by their own names, and what a visitor can do.
    for name in ["Română", "Русский", "Українська", "English"] {
        assert!(start.body.contains(name), "{name}");
    }
    assert!(start.body.contains(r#"href="/ro/reports/new""#));
    // A setting outside the range is no kiosk (a hand-made cookie).
    assert!(!app
        .send(Req::get("/ro/kiosk").header("cookie", "agora_kiosk=1"))
        .await
        .body
        .contains("kiosk-bar"));

    let report = app.report_of("roads", "accepted").await;
    let page = app.send(kiosk(&format!("/uk/reports/{report}"))).await;
    assert_eq!(page.status, StatusCode::OK);
    // The site's public address and this page's path.
    let address =
        page.body.split(r#"data-address=""#).nth(2).and_then(|rest| rest.split('"').next());
    assert!(
        address.is_some_and(|a| a.starts_with("http") && a.ends_with(&format!("/uk/reports/{report}"))),
        "the code under the report opens it: {address:?}"
    );
    assert!(page.body.contains("<svg"), "the code is drawn on the server");
    assert!(page.body.contains("kiosk-follow"));

    let glance = app.send(kiosk("/en/kiosk/glance")).await;
    assert_eq!(glance.status, StatusCode::OK);
    assert!(glance.body.contains(r#"data-kiosk-page="glance""#));
    assert!(glance.body.contains("New reports"), "{}", glance.body.len());
}

#[tokio::test]
async fn starting_over_ends_the_visit_and_clears_what_it_left() {
    let app = spawn_app().await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let reset = |then: &str| {
        Req::form("/api/kiosk/reset", &[("then", then)])
            .header("accept", "text/html")
            .session(&citizen)
    };
    let refused = app.send(Req::form("/api/kiosk/reset", &[("then", "elsewhere")])).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    let res = app.send(reset("start")).await;
    assert_eq!(res.status, StatusCode::FOUND, "{}", res.body);
    assert_eq!(res.header("location"), "/ro/kiosk");
    assert_eq!(res.header("clear-site-data"), r#""cache", "storage""#);
    let cookies = set_cookies(&res);
    for name in ["agora_session", "agora_survey", "agora_lang", "agora_issued_key"] {
        assert!(cookies.iter().any(|c| c.starts_with(&format!("{name}=;"))), "{name}: {cookies:?}");
    }
    assert!(!cookies.iter().any(|c| c.starts_with("agora_kiosk")), "the device keeps its setting");
    let after = app.send(Req::get("/api/auth/viewer").session(&citizen)).await;
    assert!(!after.body.contains("cetatean"), "the session is over: {}", after.body);

    let idle = app
        .send(Req::form("/api/kiosk/reset", &[("then", "glance")]).header("accept", "text/html"))
        .await;
    assert_eq!(idle.header("location"), "/ro/kiosk/glance");
}

#[tokio::test]
async fn staff_file_a_report_at_the_desk_for_a_visitor() {
    let app = spawn_app().await;
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let desk = |contact: &str| {
        report_form().text("for_visitor", "on").text("name", "Maria Ceban").text("contact", contact)
    };
    let phone = "+373 69 123 456";
    let reports = || app.scalar("SELECT COUNT(*) FROM reports");
    let before = reports().await;

    // Only the locality's staff file for others.
    let refused =
        app.send(Req::multipart("/api/reports/create", desk(phone)).session(&citizen)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let anonymous = app.send(Req::multipart("/api/reports/create", desk(phone))).await;
    assert_eq!(anonymous.status, StatusCode::FORBIDDEN);
    assert_eq!(reports().await, before, "nothing saved");

    let too_long = desk(&"9".repeat(121));
    let bad = app.send(Req::multipart("/api/reports/create", too_long).session(&staff)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reports().await, before, "nothing saved");

    let filed = app.send(Req::multipart("/api/reports/create", desk(phone)).session(&staff)).await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    let id: i64 = filed.body.parse().expect("the new report's id");
    let staff_id = app.scalar("SELECT id FROM users WHERE email = 'spatii.verzi@balti.demo'").await;
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM reports WHERE id = {id} AND reporter_id IS NULL \
             AND assisted_by = {staff_id} AND reporter_name = 'Maria Ceban' \
             AND visitor_contact = '+373 69 123 456'"
        ))
        .await,
        1,
        "recorded as filed for the visitor, not as the clerk's own"
    );

    let as_staff = app.send(Req::get(&format!("/api/reports/get?id={id}")).session(&staff)).await;
    let view = as_staff.json();
    assert!(view["report"]["assisted_by"].as_str().is_some_and(|n| !n.is_empty()), "{view}");
    assert!(view["report"]["reporter_contact"]
        .as_str()
        .unwrap_or_default()
        .contains("+373 69 123 456"));
    let public = app.get(&format!("/api/reports/get?id={id}")).await.json();
    assert!(
        public["report"]["assisted_by"].is_null() && public["report"]["reporter_contact"].is_null()
    );

    // An e-mail address left at the desk gets the report's news, as a reporter's would.
    let with_mail = desk("maria.ceban@example.md");
    let filed = app.send(Req::multipart("/api/reports/create", with_mail).session(&staff)).await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    assert!(app.last_mail("maria.ceban@example.md").await.is_some(), "a confirmation mail");
}
