//! People hear about what they follow: followers' mail through a real SMTP server process
//! (aiosmtpd), in their language, with working one-click unsubscribe links and the page that
//! manages every subscription.

use crate::helpers::{spawn_app, Req, TestApp};
use crate::mail::SmtpServer;
use axum::http::StatusCode;
use server::mailer::Mailer;

pub const BASE: &str = "https://agora.example";

/// A message as the SMTP server received it, parsed back with a mail library.
pub struct Received {
    pub to: String,
    pub subject: String,
    pub language: String,
    pub unsubscribe: Option<String>,
    pub unsubscribe_post: Option<String>,
    pub body: String,
}

fn header(message: &mail_parser::Message<'_>, name: &str) -> Option<String> {
    message.header_raw(name).map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn parse(raw: &str) -> Received {
    let message = mail_parser::MessageParser::default().parse(raw.as_bytes()).expect("a message");
    Received {
        to: message
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap_or_default()
            .to_owned(),
        subject: message.subject().unwrap_or_default().to_owned(),
        language: header(&message, "Content-Language").unwrap_or_default(),
        unsubscribe: header(&message, "List-Unsubscribe")
            .map(|v| v.replace(' ', "").trim_matches(['<', '>']).to_owned()),
        unsubscribe_post: header(&message, "List-Unsubscribe-Post"),
        body: message.body_text(0).map(|b| b.into_owned()).unwrap_or_default(),
    }
}

/// Runs the notification job once, sends the outbox to a real SMTP server and returns what it
/// stored, sorted by recipient.
pub async fn deliver(app: &TestApp) -> Vec<Received> {
    server::notify::run_once(&app.db, BASE).await;
    send_outbox(app).await
}

/// Sends the outbox to a real SMTP server process (aiosmtpd) and returns what it stored, sorted
/// by recipient.
pub async fn send_outbox(app: &TestApp) -> Vec<Received> {
    let smtp = SmtpServer::start().await;
    let mailer = Mailer::new(&format!("smtp://127.0.0.1:{}", smtp.port), "agora@balti.example")
        .expect("mailer");
    mailer.send_pending(&app.db).await;
    let mut messages: Vec<Received> = smtp.received().iter().map(|m| parse(m)).collect();
    messages.sort_by(|a, b| a.to.cmp(&b.to));
    messages
}

/// The address after `prefix` in `text`, up to the next whitespace.
pub fn link_after(text: &str, prefix: &str) -> String {
    let start = text.find(prefix).unwrap_or_else(|| panic!("no {prefix} in {text}"));
    text[start..].split_whitespace().next().unwrap_or_default().to_owned()
}

/// The local part (path and query) of an absolute address of the test site.
pub fn local(url: &str) -> &str {
    url.strip_prefix(BASE).unwrap_or(url)
}

fn query_value(url: &str, name: &str) -> String {
    url.split(['?', '&'])
        .find_map(|p| p.strip_prefix(&format!("{name}=")))
        .unwrap_or_default()
        .to_owned()
}

async fn follow_by_email(app: &TestApp, report: &str, email: &str, lang: &str) {
    let res = app
        .send(Req::form(
            "/api/reports/subscribe",
            &[("report_id", report), ("email", email), ("lang", lang)],
        ))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

async fn change_status(app: &TestApp, staff: &str, report: &str, fields: &[(&str, &str)]) {
    let mut all = vec![
        ("report_id", report),
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
    let res = app.send(Req::form("/api/reports/status", &all).session(staff)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

#[tokio::test]
async fn followers_are_mailed_each_change_in_their_language_and_can_leave_in_one_click() {
    let app = spawn_app().await;
    let report = app.report_of("green-spaces", "new").await.to_string();
    let title = app.text(&format!("SELECT title FROM reports WHERE id = {report}")).await;
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let dept = app
        .scalar("SELECT id FROM departments WHERE name = 'Î.M. „Spații Verzi”'")
        .await
        .to_string();

    // An account follows in Russian; one address confirms (in Ukrainian), another never does.
    let res = app
        .send(
            Req::form("/api/reports/subscribe", &[("report_id", &report), ("lang", "ru")])
                .session(&citizen),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    follow_by_email(&app, &report, "ana@example.md", "uk").await;
    follow_by_email(&app, &report, "bob@example.md", "en").await;
    // Double opt-in: the confirmation goes out at once, nothing else before it is confirmed.
    let confirmations = deliver(&app).await;
    assert_eq!(
        confirmations.iter().map(|m| m.to.as_str()).collect::<Vec<_>>(),
        ["ana@example.md", "bob@example.md"]
    );
    assert!(confirmations.iter().all(|m| m.unsubscribe.is_none()));
    let confirm =
        link_after(&confirmations[0].body, "https://agora.example/uk/subscriptions/confirm");
    let page = app.get(local(&confirm)).await;
    assert_eq!(page.status, StatusCode::OK);
    let res = app
        .send(Req::form(
            "/api/reports/subscription/confirm",
            &[("token", &query_value(&confirm, "token")), ("lang", "uk")],
        ))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    change_status(
        &app,
        &staff,
        &report,
        &[("status", "accepted"), ("department_id", &dept), ("body", "Echipa vine marți.")],
    )
    .await;
    let mail = deliver(&app).await;
    assert_eq!(
        mail.iter().map(|m| (m.to.as_str(), m.language.as_str())).collect::<Vec<_>>(),
        [("ana@example.md", "uk"), ("cetatean@balti.demo", "ru")]
    );
    let (ana, ion) = (&mail[0], &mail[1]);
    assert!(ana.subject.contains("Звернення") && ana.subject.contains(&report), "{}", ana.subject);
    assert!(ion.subject.contains("Обращение"), "{}", ion.subject);
    for m in &mail {
        assert!(m.body.contains("Echipa vine marți."), "{}", m.body);
        assert!(m.body.contains(title.as_deref().unwrap_or_default()), "{}", m.body);
        assert_eq!(m.unsubscribe_post.as_deref(), Some("List-Unsubscribe=One-Click"));
        let unsubscribe = m.unsubscribe.as_deref().expect("List-Unsubscribe");
        assert!(unsubscribe.starts_with("https://agora.example/unsubscribe/"), "{unsubscribe}");
        assert!(m.body.contains(unsubscribe), "the body carries the same link: {}", m.body);
    }
    // Each event is announced once.
    assert!(deliver(&app).await.is_empty());

    // The page in the message lists every subscription of the address, without signing in.
    let manage = link_after(&ana.body, "https://agora.example/uk/subscriptions?token=");
    let page = app.get(local(&manage)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(title.as_deref().unwrap_or_default()), "{}", page.body);
    // Opening the unsubscribe link in a browser leads there and changes nothing.
    let opened = app.get(local(ana.unsubscribe.as_deref().unwrap_or_default())).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    assert_eq!(opened.header("location"), local(&manage));
    // The mail client's one-click POST (RFC 8058) ends it, with no session.
    let one_click = Req::form(local(ana.unsubscribe.as_deref().unwrap_or_default()), &[])
        .body(b"List-Unsubscribe=One-Click".to_vec());
    assert_eq!(app.send(one_click).await.status, StatusCode::OK);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM report_subscriptions WHERE email = 'ana@example.md'")
            .await,
        0
    );
    // A forged token is refused.
    let forged = Req::form("/unsubscribe/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &[]);
    assert_eq!(app.send(forged).await.status, StatusCode::UNPROCESSABLE_ENTITY);

    // An answer that keeps the status reaches the one follower left.
    change_status(&app, &staff, &report, &[("body", "Am comandat puieții.")]).await;
    let mail = deliver(&app).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].to, "cetatean@balti.demo");
    assert!(mail[0].body.contains("Am comandat puieții."));

    // Signed in, the account lists and ends its own subscriptions.
    let list = app.send(Req::get("/api/subscriptions/list").session(&citizen)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let items = list.json();
    let id = items
        .as_array()
        .and_then(|a| {
            a.iter().find(|s| {
                s["target_id"].as_i64().map(|i| i.to_string()).as_deref() == Some(report.as_str())
            })
        })
        .map(|s| s["id"].to_string())
        .expect("the followed report is listed");
    let removed = app
        .send(
            Req::form(
                "/api/subscriptions/remove",
                &[("kind", "report"), ("id", &id), ("lang", "ro")],
            )
            .session(&citizen),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    change_status(&app, &staff, &report, &[("status", "resolved"), ("body", "Gata.")]).await;
    assert!(deliver(&app).await.is_empty());
}

async fn alert(
    app: &TestApp,
    session: Option<&str>,
    fields: &[(&str, &str)],
) -> crate::helpers::TestResponse {
    let mut all = vec![
        ("lat", crate::helpers::CENTRE.0),
        ("lng", crate::helpers::CENTRE.1),
        ("radius", "500"),
        ("frequency", "instant"),
        ("lang", "ro"),
    ];
    for (k, v) in fields {
        all.retain(|(key, _)| key != k);
        all.push((k, v));
    }
    let req = Req::form("/api/alerts/create", &all);
    app.send(match session {
        Some(s) => req.session(s),
        None => req,
    })
    .await
}

async fn file_report(app: &TestApp, category: &str, title: &str, at: (&str, &str)) -> String {
    let form = crate::helpers::Multipart::new()
        .text("lang", "ro")
        .text("category", category)
        .text("title", title)
        .text("description", "O descriere suficient de lungă a problemei.")
        .text("lat", at.0)
        .text("lng", at.1);
    let res = app.send(Req::multipart("/api/reports/create", form)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.body.trim().to_owned()
}

#[tokio::test]
async fn area_alerts_mail_new_reports_at_once_or_in_a_daily_digest() {
    let app = spawn_app().await;
    let citizen = app.demo("cetatean@balti.demo").await;

    // Bad input is refused and stores nothing.
    let res = alert(&app, Some(&citizen), &[("radius", "300")]).await;
    assert_eq!(res.problems("radius"), vec!["invalid"]);
    let res = alert(&app, Some(&citizen), &[("lat", "47.0"), ("lng", "28.8")]).await;
    assert_eq!(res.problems("location"), vec!["outside_boundary"]);
    let res =
        alert(&app, Some(&citizen), &[("frequency", "hourly"), ("categories[0]", "nope")]).await;
    assert_eq!(res.problems("frequency"), vec!["invalid"]);
    assert_eq!(res.problems("categories"), vec!["invalid"]);
    let res = alert(&app, None, &[]).await;
    assert_eq!(res.problems("email"), vec!["required"]);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM area_alerts").await, 0);

    // An account's alert starts at once; an address confirms first (double opt-in).
    let res = alert(&app, Some(&citizen), &[("lang", "en")]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = alert(
        &app,
        None,
        &[
            ("email", "vera@example.md"),
            ("radius", "1000"),
            ("frequency", "daily"),
            ("categories[2]", "roads"),
            ("lang", "ru"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = alert(&app, None, &[("email", "nobody@example.md")]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let confirmations = deliver(&app).await;
    assert_eq!(
        confirmations.iter().map(|m| m.to.as_str()).collect::<Vec<_>>(),
        ["nobody@example.md", "vera@example.md"]
    );
    let confirm = link_after(&confirmations[1].body, "https://agora.example/ru/alerts/confirm");
    assert_eq!(app.get(local(&confirm)).await.status, StatusCode::OK);
    let res = app
        .send(Req::form(
            "/api/alerts/confirm",
            &[("token", &query_value(&confirm, "token")), ("lang", "ru")],
        ))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res =
        app.send(Req::form("/api/alerts/confirm", &[("token", "forged"), ("lang", "ru")])).await;
    assert_eq!(res.problems("token"), vec!["invalid"]);

    // A road report at the centre, a green one beside it, and a road report 2.5 km away.
    let near_road =
        file_report(&app, "roads", "Groapă mare în intersecție", crate::helpers::CENTRE).await;
    let near_green =
        file_report(&app, "green-spaces", "Copac uscat lângă piață", crate::helpers::CENTRE).await;
    let far_road =
        file_report(&app, "roads", "Groapă departe de centru", ("47.7800", "27.9050")).await;

    // Instant: the account hears of both reports beside it, in English; the unconfirmed
    // address hears nothing.
    let mail = deliver(&app).await;
    assert_eq!(
        mail.iter().map(|m| (m.to.as_str(), m.language.as_str())).collect::<Vec<_>>(),
        [("cetatean@balti.demo", "en"), ("cetatean@balti.demo", "en")]
    );
    assert!(mail.iter().all(|m| m.subject.starts_with("A new report in your area")));
    let bodies = mail.iter().map(|m| m.body.as_str()).collect::<String>();
    assert!(bodies.contains(&format!("https://agora.example/en/reports/{near_road}")));
    assert!(bodies.contains(&format!("https://agora.example/en/reports/{near_green}")));
    assert!(!bodies.contains(&format!("/reports/{far_road}")));
    assert!(mail
        .iter()
        .all(|m| m.unsubscribe_post.as_deref() == Some("List-Unsubscribe=One-Click")));

    // The digest lists the day's road reports within 1 km, in Russian, once.
    assert_eq!(server::notify::run_digests(&app.db, BASE, server::db::now()).await, 1);
    let digest = deliver(&app).await;
    assert_eq!(digest.len(), 1);
    let vera = &digest[0];
    assert_eq!((vera.to.as_str(), vera.language.as_str()), ("vera@example.md", "ru"));
    assert!(
        vera.subject.contains("Новые обращения") && vera.subject.contains('1'),
        "{}",
        vera.subject
    );
    assert!(
        vera.body.contains(&format!("https://agora.example/ru/reports/{near_road}")),
        "{}",
        vera.body
    );
    assert!(!vera.body.contains(&format!("/reports/{near_green}")), "{}", vera.body);
    assert!(!vera.body.contains(&format!("/reports/{far_road}")), "{}", vera.body);
    assert_eq!(server::notify::run_digests(&app.db, BASE, server::db::now()).await, 0);

    // One click on the account's message ends its alert; the digest stays.
    let one_click = Req::form(local(mail[0].unsubscribe.as_deref().unwrap_or_default()), &[])
        .body(b"List-Unsubscribe=One-Click".to_vec());
    assert_eq!(app.send(one_click).await.status, StatusCode::OK);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM area_alerts WHERE user_id IS NOT NULL").await, 0);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM area_alerts WHERE email = 'vera@example.md'").await,
        1
    );
    // Vera's page lists her alert, from the link in her digest.
    let manage = link_after(&vera.body, "https://agora.example/ru/subscriptions?token=");
    let page = app.get(local(&manage)).await;
    assert!(page.body.contains("1000"), "{}", page.body);
}

const NOTICE: [(&str, &str); 8] = [
    ("title_ro", "Apa se oprește marți"),
    ("title_ru", "Во вторник отключат воду"),
    ("title_uk", "У вівторок вимкнуть воду"),
    ("title_en", "Water off on Tuesday"),
    ("body_ro", "Lucrări la rețeaua de apă între orele 9 și 17."),
    ("body_ru", "Работы на водопроводе с 9 до 17 часов."),
    ("body_uk", "Роботи на водогоні з 9 до 17 години."),
    ("body_en", "Works on the water network from 9 to 17."),
];

async fn publish(
    app: &TestApp,
    staff: &str,
    extra: &[(&str, &str)],
) -> crate::helpers::TestResponse {
    let city = |t: chrono::DateTime<chrono::Utc>| app::format::utc_to_city_input(t);
    let (from, until) = (
        city(chrono::Utc::now() - chrono::TimeDelta::hours(1)),
        city(chrono::Utc::now() + chrono::TimeDelta::days(1)),
    );
    let mut all: Vec<(&str, &str)> = NOTICE.to_vec();
    all.extend([
        ("scope", "locality"),
        ("valid_from", &from),
        ("valid_until", &until),
        ("lang", "ro"),
    ]);
    for (k, v) in extra {
        all.retain(|(key, _)| key != k);
        all.push((k, v));
    }
    app.send(Req::form("/api/announcements/create", &all).session(staff)).await
}

#[tokio::test]
async fn announcements_show_in_every_language_and_reach_the_areas_they_concern() {
    let app = spawn_app().await;
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let citizen = app.demo("cetatean@balti.demo").await;
    // Two area alerts: one at the centre (Ukrainian), one 2.7 km away.
    assert_eq!(alert(&app, Some(&citizen), &[("lang", "uk")]).await.status, StatusCode::OK);
    let far = app.account_with_role("far@example.md", None, None).await;
    let res =
        alert(&app, Some(&far), &[("lat", "47.7800"), ("lng", "27.9050"), ("lang", "en")]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    deliver(&app).await;

    // Refused input stores nothing.
    let res = publish(&app, &staff, &[("title_ro", ""), ("valid_until", "2020-01-01T10:00")]).await;
    assert_eq!(res.problems("title_ro"), vec!["required"]);
    assert_eq!(res.problems("valid_until"), vec!["invalid"]);
    let res = publish(&app, &staff, &[("scope", "area"), ("radius", "3")]).await;
    assert_eq!(res.problems("radius"), vec!["invalid"]);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM announcements").await, 0);

    // An area notice reaches the alert it overlaps only, in its language.
    let res = publish(
        &app,
        &staff,
        &[
            ("scope", "area"),
            ("lat", crate::helpers::CENTRE.0),
            ("lng", crate::helpers::CENTRE.1),
            ("radius", "250"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let mail = deliver(&app).await;
    assert_eq!(mail.len(), 1);
    assert_eq!((mail[0].to.as_str(), mail[0].language.as_str()), ("cetatean@balti.demo", "uk"));
    assert!(mail[0].subject.contains("У вівторок вимкнуть воду"), "{}", mail[0].subject);
    assert!(mail[0].body.contains("Роботи на водогоні"), "{}", mail[0].body);
    assert!(mail[0].unsubscribe.is_some());
    // A notice for the whole locality reaches both.
    assert_eq!(publish(&app, &staff, &[]).await.status, StatusCode::OK);
    let mail = deliver(&app).await;
    assert_eq!(
        mail.iter().map(|m| (m.to.as_str(), m.subject.as_str())).collect::<Vec<_>>(),
        [
            ("cetatean@balti.demo", "Важливе повідомлення: У вівторок вимкнуть воду"),
            ("far@example.md", "Important notice: Water off on Tuesday"),
        ]
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'publish_announcement'").await,
        2
    );

    // The home page shows it in each language, and the list has it.
    for (lang, title) in [
        ("ro", "Apa se oprește marți"),
        ("ru", "Во вторник отключат воду"),
        ("uk", "У вівторок вимкнуть воду"),
        ("en", "Water off on Tuesday"),
    ] {
        let home = app.get(&format!("/{lang}")).await;
        assert!(home.body.contains(title), "{lang}: the banner is missing");
        let list = app.get(&format!("/{lang}/announcements")).await;
        assert!(list.body.contains(title), "{lang}: the list is missing it");
    }
    // Once it expires the banner goes; the list keeps it.
    app.execute("UPDATE announcements SET valid_until = valid_from").await;
    assert!(!app.get("/en").await.body.contains("Water off on Tuesday"));
    assert!(app.get("/en/announcements").await.body.contains("Water off on Tuesday"));
}

pub fn atom(res: &crate::helpers::TestResponse) -> atom_syndication::Feed {
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.header("content-type"), "application/atom+xml; charset=utf-8");
    res.body.parse::<atom_syndication::Feed>().expect("valid Atom")
}

#[tokio::test]
async fn atom_feeds_parse_and_follow_their_filters() {
    let app = spawn_app().await;
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let near =
        file_report(&app, "roads", "Groapă mare în intersecție", crate::helpers::CENTRE).await;
    let far = file_report(&app, "roads", "Groapă departe de centru", ("47.7800", "27.9050")).await;

    // The locality's newest reports, the newest first, linked to the pages in `lang`.
    let all = atom(&app.get("/feeds/reports.atom?lang=en").await);
    assert!(all.title().as_str().contains("Bălți"), "{}", all.title().as_str());
    assert!(!all.authors().is_empty());
    let first = &all.entries()[0];
    assert_eq!(first.links()[0].href(), format!("https://agora.example/en/reports/{far}"));
    assert!(all.entries().len() <= 50);
    // By category and area.
    let roads = atom(&app.get("/feeds/reports.atom?category=roads").await);
    assert!(roads.entries().iter().all(|e| !e.title().as_str().is_empty()));
    let area = atom(
        &app.get(&format!(
            "/feeds/reports.atom?category=roads&lat={}&lng={}&radius=500",
            crate::helpers::CENTRE.0,
            crate::helpers::CENTRE.1
        ))
        .await,
    );
    let ids: Vec<&str> = area.entries().iter().map(|e| e.id()).collect();
    assert!(ids.contains(&format!("https://agora.example/reports/{near}").as_str()), "{ids:?}");
    assert!(!ids.contains(&format!("https://agora.example/reports/{far}").as_str()), "{ids:?}");
    assert!(area.entries().len() < roads.entries().len());
    // Bad filters are refused with the usual validation body.
    for (query, field, problem) in [
        ("category=nope", "category", "invalid"),
        ("lat=47.76&lng=27.93", "location", "required"),
        ("lat=47.76&lng=27.93&radius=0", "radius", "invalid"),
        ("lat=x&lng=27.93&radius=100", "location", "invalid"),
    ] {
        let res = app.get(&format!("/feeds/reports.atom?{query}")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(res.problems(field), vec![problem], "{query}");
    }
    assert_eq!(
        app.get("/feeds/reports.atom?locality=atlantis").await.status,
        StatusCode::NOT_FOUND
    );

    // One report's updates.
    let dept = app
        .scalar("SELECT id FROM departments WHERE name = 'Î.M. „Spații Verzi”'")
        .await
        .to_string();
    let green = app.report_of("green-spaces", "new").await.to_string();
    change_status(
        &app,
        &staff,
        &green,
        &[("status", "accepted"), ("department_id", &dept), ("body", "Echipa vine marți.")],
    )
    .await;
    let updates = atom(&app.get(&format!("/feeds/reports/{green}.atom?lang=ro")).await);
    let last = updates.entries().last().expect("an update");
    assert_eq!(last.summary().map(|s| s.as_str()), Some("Echipa vine marți."));
    assert_eq!(app.get("/feeds/reports/999999.atom").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/feeds/reports/x.atom").await.status, StatusCode::NOT_FOUND);

    // Announcements, in the reader's language.
    assert_eq!(publish(&app, &staff, &[]).await.status, StatusCode::OK);
    let notices = atom(&app.get("/feeds/announcements.atom?lang=ru").await);
    assert_eq!(notices.entries()[0].title().as_str(), "Во вторник отключат воду");

    // The pages link their feeds.
    let home = app.get("/en").await;
    assert!(home.body.contains(r#"type="application/atom+xml""#), "home page");
    assert!(home.body.contains("/feeds/reports.atom?lang=en"));
    let page = app.get(&format!("/ro/reports/{green}")).await;
    assert!(page.body.contains(&format!("/feeds/reports/{green}.atom?lang=ro")));
}
