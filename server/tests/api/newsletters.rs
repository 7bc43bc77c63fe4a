//! The NGO network's quarterly newsletter: the secretariat writes and publishes issues, the
//! subscribers receive each one once, in their language, through a real SMTP server.

use crate::alerts::{atom, deliver, link_after, local, send_outbox};
use crate::helpers::{spawn_app, Req, TestApp};
use axum::http::StatusCode;

fn issue(changes: &[(&str, &str)]) -> Req {
    let mut fields: Vec<(&str, &str)> = vec![
        ("id", ""),
        ("year", "2026"),
        ("quarter", "4"),
        ("title_ro", "Rețeaua ONG în trimestrul IV"),
        ("title_ru", "Сеть НКО в IV квартале"),
        ("title_uk", ""),
        ("title_en", "The NGO network in Q4"),
        (
            "body_ro",
            "Trei întâlniri, două ateliere și un târg de iarnă.\n\nVă așteptăm în ianuarie la \
             întâlnirea tematică despre voluntariat.",
        ),
        ("body_ru", "Три встречи, два семинара и зимняя ярмарка. Ждём вас в январе на встрече."),
        ("body_uk", ""),
        ("body_en", ""),
        ("lang", "ro"),
    ];
    for (name, value) in changes {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value,
            None => fields.push((name, value)),
        }
    }
    Req::form("/api/newsletters/save", &fields)
}

async fn issue_count(app: &TestApp) -> i64 {
    app.scalar("SELECT COUNT(*) FROM newsletters").await
}

async fn listed_ids(app: &TestApp, session: Option<&str>, query: &str) -> Vec<i64> {
    let mut req = Req::get(&format!("/api/newsletters/list{query}"));
    if let Some(s) = session {
        req = req.session(s);
    }
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| i["id"].as_i64().expect("id"))
        .collect()
}

#[tokio::test]
async fn the_secretariat_publishes_an_issue_and_each_subscriber_receives_it_once() {
    let app = spawn_app().await;
    let staff = app.demo("relatii.publice@balti.demo").await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let other_staff = app.demo("staff@singerei.demo").await;
    let demo_issues = listed_ids(&app, None, "").await;
    assert_eq!(demo_issues.len(), 3, "the demo's three quarters of 2026");

    // Subscribing: an account at once (in Russian), an address once it confirms (in
    // Ukrainian), another address that never confirms, and a wrong address refused.
    let res = app
        .send(Req::form("/api/newsletters/subscribe", &[("lang", "ru")]).session(&citizen))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let state = app.send(Req::get("/api/newsletters/list").session(&citizen)).await.json();
    assert_eq!(state["subscribed"], true);
    for (email, lang) in [("olena@example.md", "uk"), ("ion@example.md", "ro")] {
        let res = app
            .send(Req::form("/api/newsletters/subscribe", &[("email", email), ("lang", lang)]))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
    let res = app
        .send(Req::form(
            "/api/newsletters/subscribe",
            &[("email", "not an address"), ("lang", "ro")],
        ))
        .await;
    assert_eq!(res.problems("email"), ["invalid"], "{}", res.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM newsletter_subscriptions").await, 3);
    let confirmations = send_outbox(&app).await;
    assert_eq!(confirmations.len(), 2, "one confirmation per address, none for the account");
    let olena = confirmations.iter().find(|m| m.to == "olena@example.md").expect("olena's");
    let link = link_after(&olena.body, "https://agora.example/uk/newsletters/confirm");
    let token = link.split("token=").nth(1).expect("a token").to_owned();
    let res =
        app.send(Req::form("/api/newsletters/confirm", &[("token", &token), ("lang", "uk")])).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = app
        .send(Req::form("/api/newsletters/confirm", &[("token", "forged-token"), ("lang", "uk")]))
        .await;
    assert_eq!(res.problems("token"), ["invalid"]);
    // Whoever types a confirmed address again does not change its subscription's language.
    let again =
        Req::form("/api/newsletters/subscribe", &[("email", "olena@example.md"), ("lang", "ro")]);
    assert_eq!(app.send(again).await.status, StatusCode::OK);
    let kept =
        app.text("SELECT lang FROM newsletter_subscriptions WHERE email = 'olena@example.md'");
    assert_eq!(kept.await.as_deref(), Some("uk"));

    // Only the locality's staff write; bad input is refused with nothing stored.
    let before = issue_count(&app).await;
    assert_eq!(app.send(issue(&[])).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.send(issue(&[]).session(&citizen)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.send(issue(&[]).session(&other_staff)).await.status, StatusCode::FORBIDDEN);
    // Staff of a department that is not the network's secretariat do not write it.
    let parks = app.demo("spatii.verzi@balti.demo").await;
    assert_eq!(app.send(issue(&[]).session(&parks)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.send(Req::get("/api/newsletters/list").session(&parks)).await.json()["writer"],
        false
    );
    for (changes, field, problem) in [
        (&[("quarter", "5")][..], "quarter", "invalid"),
        (&[("year", "20x6")][..], "year", "invalid"),
        (&[("title_ro", "")][..], "title_ro", "required"),
        (&[("body_ro", "Prea scurt.")][..], "body_ro", "too_short"),
        // The demo has an issue for the third quarter already.
        (&[("quarter", "3")][..], "quarter", "taken"),
    ] {
        let res = app.send(issue(changes).session(&staff)).await;
        assert_eq!(res.problems(field), [problem], "{changes:?}: {}", res.body);
    }
    assert_eq!(issue_count(&app).await, before, "nothing stored");

    // A draft: seen by staff only, mailed to nobody.
    let res = app.send(issue(&[]).session(&staff)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id: i64 = res.body.trim().parse().expect("id");
    assert!(!listed_ids(&app, None, "").await.contains(&id));
    assert!(listed_ids(&app, Some(&staff), "").await.contains(&id));
    let page = format!("/api/newsletters/get?id={id}");
    assert_eq!(app.get(&page).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.send(Req::get(&page).session(&staff)).await.status, StatusCode::OK);
    assert!(deliver(&app).await.is_empty(), "a draft is not mailed");

    // Published: public, and mailed once to the confirmed subscribers in their languages.
    let publish =
        |id: i64| Req::form("/api/newsletters/publish", &[("id", &id.to_string()), ("lang", "ro")]);
    assert_eq!(app.send(publish(id).session(&citizen)).await.status, StatusCode::FORBIDDEN);
    let res = app.send(publish(id).session(&staff)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(listed_ids(&app, None, "").await.contains(&id));
    let feed = atom(&app.get("/feeds/newsletters.atom?lang=ru").await);
    assert_eq!(feed.entries().len(), 4, "the published issues, not drafts");
    assert_eq!(feed.entries()[0].title().as_str(), "Сеть НКО в IV квартале");
    let href = &feed.entries()[0].links()[0].href;
    assert_eq!(href, &format!("https://agora.example/ru/newsletters/{id}"));
    let shown = app.get(&page).await.json();
    assert_eq!(shown["issue"]["quarter"]["quarter"], 4);
    let mail = deliver(&app).await;
    let to: Vec<&str> = mail.iter().map(|m| m.to.as_str()).collect();
    assert_eq!(to, ["cetatean@balti.demo", "olena@example.md"], "not the unconfirmed address");
    let russian = &mail[0];
    assert_eq!(russian.language, "ru");
    assert!(russian.subject.contains("Сеть НКО в IV квартале"), "{}", russian.subject);
    assert!(russian.body.contains("зимняя ярмарка"), "{}", russian.body);
    let ukrainian = &mail[1];
    assert_eq!(ukrainian.language, "uk");
    // No Ukrainian text: the Romanian one, with the page in Ukrainian.
    assert!(ukrainian.subject.contains("Rețeaua ONG în trimestrul IV"), "{}", ukrainian.subject);
    assert!(ukrainian.body.contains(&format!("https://agora.example/uk/newsletters/{id}")));
    assert!(mail.iter().all(|m| m.unsubscribe.is_some()), "every issue carries the way out");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'publish_newsletter'").await,
        1
    );
    assert!(deliver(&app).await.is_empty(), "mailed once");
    // Publishing again changes nothing and mails nobody.
    assert_eq!(app.send(publish(id).session(&staff)).await.status, StatusCode::OK);
    assert!(deliver(&app).await.is_empty());

    // The one-click link ends Olena's subscription; the citizen leaves from the page.
    let one_click = Req::form(local(ukrainian.unsubscribe.as_deref().unwrap_or_default()), &[])
        .body(b"List-Unsubscribe=One-Click".to_vec());
    assert_eq!(app.send(one_click).await.status, StatusCode::OK);
    let listed = app.send(Req::get("/api/subscriptions/list").session(&citizen)).await.json();
    assert!(listed.as_array().expect("list").iter().any(|s| s["kind"] == "newsletter"));
    let res = app
        .send(Req::form("/api/newsletters/unsubscribe", &[("lang", "ru")]).session(&citizen))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM newsletter_subscriptions WHERE confirmed_at IS NOT NULL")
            .await,
        0
    );

    // Saving and publishing at once, then editing the published issue: corrected, not mailed
    // again. Another locality's site shows none of Bălți's issues.
    let res = app
        .send(issue(&[("year", "2025"), ("quarter", "4"), ("publish", "1")]).session(&staff))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let second: i64 = res.body.trim().parse().expect("id");
    assert!(listed_ids(&app, None, "").await.contains(&second));
    let second_id = second.to_string();
    let res = app
        .send(
            issue(&[("id", &second_id), ("year", "2025"), ("title_ro", "Rețeaua ONG în 2025")])
                .session(&staff),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let title = app.text(&format!("SELECT title_ro FROM newsletters WHERE id = {second}")).await;
    assert_eq!(title.as_deref(), Some("Rețeaua ONG în 2025"));
    assert!(listed_ids(&app, None, "?locality=singerei").await.is_empty());
    let foreign = format!("/api/newsletters/get?id={second}&locality=singerei");
    assert_eq!(app.get(&foreign).await.status, StatusCode::NOT_FOUND);
    let foreign_edit = issue(&[("id", &second_id), ("locality", "singerei")]).session(&other_staff);
    assert_eq!(app.send(foreign_edit).await.status, StatusCode::NOT_FOUND);
}
