//! The orientation and referral directory: who keeps entries and how changes are approved,
//! the finder's matching and order, open-now on the city's clock across a daylight-saving
//! change, and the six-month staleness flag.

use crate::helpers::{spawn_app, Req, TestApp};
use axum::http::StatusCode;
use serde_json::Value;

/// A valid service form (a new entry), with `changes` replacing fields.
fn service_form(changes: &[(&str, &str)]) -> Req {
    let mut fields: Vec<(&str, &str)> = vec![
        ("id", ""),
        ("organisation", ""),
        ("provider", "Asociația de test"),
        ("category", "legal_aid"),
        ("name_ro", "Consultanță juridică de test"),
        ("name_ru", ""),
        ("name_uk", "Тестова юридична консультація"),
        ("name_en", ""),
        ("description_ro", "Consultații gratuite despre acte și drepturi, cu programare."),
        ("description_ru", ""),
        ("description_uk", ""),
        ("description_en", ""),
        ("eligibility_ro", "Toți locuitorii."),
        ("eligibility_ru", ""),
        ("eligibility_uk", ""),
        ("eligibility_en", ""),
        ("address", "str. Independenței 1, Bălți"),
        ("lat", "47.7617"),
        ("lng", "27.9289"),
        ("hours", "mo-fr 08:00-17:00"),
        ("speaks_ro", "on"),
        ("speaks_uk", "on"),
        ("free", "on"),
        ("audience", "everyone"),
        ("phone", "+373 231 2 00 00"),
        ("email", "test@example.org"),
        ("website", ""),
        ("lang", "ro"),
    ];
    for (name, value) in changes {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value,
            None => fields.push((name, value)),
        }
    }
    fields.retain(|(_, v)| *v != "<absent>");
    Req::form("/api/services/save", &fields)
}

async fn organisation(app: &TestApp, slug: &str) -> String {
    app.scalar(&format!("SELECT id FROM organisations WHERE slug = '{slug}'")).await.to_string()
}

async fn count(app: &TestApp, table: &str) -> i64 {
    app.scalar(&format!("SELECT COUNT(*) FROM {table}")).await
}

/// The open-data list with `query`.
async fn services(app: &TestApp, query: &str) -> Vec<Value> {
    let res = app.get(&format!("/api/v1/services{query}")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()["services"].as_array().expect("services").clone()
}

fn ids(list: &[Value]) -> Vec<i64> {
    list.iter().filter_map(|s| s["id"].as_i64()).collect()
}

fn review(id: &str, decision: &str, note: &str) -> Req {
    Req::form(
        "/api/services/review",
        &[("id", id), ("decision", decision), ("note", note), ("lang", "ro")],
    )
}

#[tokio::test]
async fn an_ngo_member_proposes_and_the_entry_is_public_only_once_staff_approve() {
    let app = spawn_app().await;
    let member = app.demo("ong@balti.demo").await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let own = organisation(&app, "ao-casa-deschisa").await;
    let other = organisation(&app, "centrul-juridic-lex-nord").await;
    let (services_before, changes_before) =
        (count(&app, "services").await, count(&app, "service_changes").await);

    let form = |org: &str| service_form(&[("organisation", org)]);
    assert_eq!(app.send(form(&own)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.send(form(&own).session(&citizen)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.send(form(&other).session(&member)).await.status, StatusCode::FORBIDDEN);
    let res = app.send(form("").session(&member)).await;
    assert_eq!(res.problems("organisation"), ["required"], "{}", res.body);
    let res = app.send(form(&own).header("accept", "application/json").session(&member)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let change: i64 = res.body.trim().parse().expect("the change's id");
    assert_eq!(count(&app, "services").await, services_before, "nothing public yet");
    assert_eq!(count(&app, "service_changes").await, changes_before + 1);
    let name = "Тестова юридична консультація";
    assert!(!services(&app, "?lang=uk").await.iter().any(|s| s["name"]["uk"] == name));

    // The member and staff see it waiting; staff of Sîngerei and the member cannot decide.
    let desk = |session: &str| app.send(Req::get("/api/services/desk").session(session));
    let member_desk = desk(&member).await.json();
    assert_eq!(member_desk["reviewer"], false);
    assert!(member_desk["changes"].as_array().expect("changes").iter().any(|c| c["id"] == change));
    let staff_desk = desk(&staff).await.json();
    assert_eq!(staff_desk["reviewer"], true);
    assert!(staff_desk["changes"].as_array().expect("changes").iter().any(|c| c["id"] == change));
    let citizen_desk = desk(&citizen).await.json();
    assert!(citizen_desk["changes"].as_array().expect("changes").is_empty());
    let id = change.to_string();
    let res = app.send(review(&id, "approve", "").session(&member)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let foreign = app.demo("staff@singerei.demo").await;
    let res = app.send(review(&id, "approve", "").session(&foreign)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .send(
            Req::form(
                "/api/services/review",
                &[
                    ("id", &id),
                    ("decision", "approve"),
                    ("note", ""),
                    ("locality", "singerei"),
                    ("lang", "ro"),
                ],
            )
            .session(&foreign),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "another locality's change is not there");
    let res = app.send(review(&id, "reject", "no").session(&staff)).await;
    assert_eq!(res.problems("note"), ["too_short"], "a refusal says why");

    let res = app.send(review(&id, "approve", "").session(&staff)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let listed = services(&app, "?lang=uk").await;
    let entry = listed.iter().find(|s| s["name"]["uk"] == name).expect("public after approval");
    assert_eq!(entry["organisation"], "Asociația Obștească „Casa Deschisă”");
    assert_eq!(entry["stale"], false);
    let res = app.send(review(&id, "approve", "").session(&staff)).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "decided once");

    // Later changes by the member wait for review too; staff's own are public at once.
    let service = entry["id"].as_i64().expect("id").to_string();
    let changed =
        service_form(&[("id", &service), ("organisation", &own), ("hours", "mo-fr 09:00-13:00")]);
    let res = app.send(changed.session(&member)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let hours = format!("SELECT hours FROM services WHERE id = {service}");
    assert_eq!(app.text(&hours).await.as_deref(), Some("mo-fr 08:00-17:00"));
    let res = app
        .send(
            service_form(&[("id", &service), ("organisation", &own), ("hours", "24/7")])
                .session(&staff),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.text(&hours).await.as_deref(), Some("24/7"));
    // The member cannot move the entry to another NGO, nor touch an entry staff keep.
    let res = app
        .send(service_form(&[("id", &service), ("organisation", &other)]).session(&member))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let staff_kept =
        app.scalar("SELECT MIN(id) FROM services WHERE organisation_id IS NULL").await.to_string();
    let res = app
        .send(service_form(&[("id", &staff_kept), ("organisation", &own)]).session(&member))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let audit = "SELECT COUNT(*) FROM audit_log WHERE action = 'approve_service_change'";
    assert_eq!(app.scalar(audit).await, 1);
}

#[tokio::test]
async fn a_refused_form_names_each_problem_and_stores_nothing() {
    let app = spawn_app().await;
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let before = (count(&app, "services").await, count(&app, "service_changes").await);
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: [Case; 8] = [
        (&[("name_ro", "")], "name_ro", "required"),
        (&[("description_ro", "Scurt")], "description_ro", "too_short"),
        (&[("hours", "mo 17:00-08:00")], "hours", "invalid"),
        (&[("hours", "luni 08-17")], "hours", "invalid"),
        (&[("speaks_ro", "<absent>"), ("speaks_uk", "<absent>")], "languages", "required"),
        (&[("category", "astrology")], "category", "invalid"),
        (&[("lat", "46.0"), ("lng", "28.8")], "location", "outside_boundary"),
        (&[("phone", "call me")], "phone", "invalid"),
    ];
    for (changes, field, problem) in cases {
        let res = app.send(service_form(changes).session(&staff)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{changes:?}: {}", res.body);
        assert_eq!(res.problems(field), [problem], "{changes:?}: {}", res.body);
    }
    let res = app.send(service_form(&[("email", "nobody")]).session(&staff)).await;
    assert_eq!(res.problems("email"), ["invalid"]);
    let res = app.send(service_form(&[("id", "999999")]).session(&staff)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(
        (count(&app, "services").await, count(&app, "service_changes").await),
        before,
        "nothing stored by refused forms"
    );
    // A browser without script gets the form back with what was typed.
    let res = app
        .send(
            service_form(&[("hours", "mo 17:00-08:00")])
                .header("accept", "text/html")
                .session(&staff),
        )
        .await;
    let location = res.header("location");
    assert!(location.starts_with("/ro/services/new?"), "{location}");
    assert!(location.contains("hours=mo"), "{location}");
    assert!(location.contains("name_uk="), "{location}");
}

#[tokio::test]
async fn the_finder_keeps_what_answers_every_question_nearest_first() {
    let app = spawn_app().await;
    let all = services(&app, "").await;
    assert!(all.len() >= 30, "the demo directory: {}", all.len());
    assert_eq!(
        all.len() as i64,
        count(
            &app,
            "services WHERE locality_id = (SELECT id FROM localities WHERE slug = 'balti')"
        )
        .await
    );

    let found = services(&app, "?need=legal_aid&speaks=uk&free=1").await;
    assert!(!found.is_empty());
    let expected = app
        .scalar(
            "SELECT COUNT(*) FROM services WHERE category = 'legal_aid' AND free = TRUE \
             AND languages LIKE '%uk%'",
        )
        .await;
    assert_eq!(found.len() as i64, expected);
    for s in &found {
        assert_eq!(s["category"], "legal_aid");
        assert_eq!(s["free"], true);
        assert!(s["languages"].as_array().expect("languages").iter().any(|l| l == "uk"));
    }

    // Someone who is not a refugee or migrant is not sent to services only for them; an older
    // person is not sent to services for women or the young.
    let not_refugee = services(&app, "?refugee=no").await;
    assert!(not_refugee.iter().all(|s| s["audience"] != "refugees_migrants"));
    assert!(not_refugee.len() < all.len());
    let older = services(&app, "?who=elderly").await;
    assert!(older.iter().all(|s| !["women", "youth", "children_families"]
        .contains(&s["audience"].as_str().unwrap_or_default())));
    assert!(older.iter().any(|s| s["audience"] == "elderly"));

    // Nearest first from where the visitor is, with the distance.
    let near = services(&app, "?lat=47.7617&lng=27.9289").await;
    let distances: Vec<i64> = near.iter().filter_map(|s| s["distance_m"].as_i64()).collect();
    assert_eq!(distances.len(), near.len(), "every demo service has a place");
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{distances:?}");
    let far = services(&app, "?lat=47.78&lng=27.90").await;
    assert_ne!(ids(&near)[..3], ids(&far)[..3], "another place, another order");

    // The page's own finder gives the same answer.
    let res = app.get("/api/services/find?need=legal_aid&speaks=uk&free=1").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let page: Vec<i64> = res
        .json()
        .as_array()
        .expect("matches")
        .iter()
        .filter_map(|m| m["service"]["id"].as_i64())
        .collect();
    let mut sorted = page.clone();
    sorted.sort_unstable();
    let mut api = ids(&found);
    api.sort_unstable();
    assert_eq!(sorted, api);

    // Answers that are not answers are refused, not ignored.
    for bad in ["?need=astrology", "?speaks=fr", "?who=cat", "?refugee=maybe", "?lat=46&lng=28"] {
        let res = app.get(&format!("/api/v1/services{bad}")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", res.body);
    }
    assert_eq!(
        app.get("/api/v1/services?open_at=yesterday").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Sîngerei's site has its own directory (empty in the demo).
    app.import_singerei().await;
    assert!(services(&app, "?locality=singerei").await.is_empty());
}

#[tokio::test]
async fn open_now_follows_the_city_clock_across_both_daylight_saving_changes() {
    let app = spawn_app().await;
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let res = app
        .send(
            service_form(&[("category", "other"), ("name_ro", "Punct de test DST")])
                .session(&staff),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id: i64 = res.body.trim().parse().expect("id");
    let open_at = |t: &str| {
        let app = &app;
        let query = format!("?need=other&open_at={t}");
        async move {
            let list = services(app, &query).await;
            list.iter().find(|s| s["id"] == id).expect("listed")["open_now"].as_bool()
        }
    };
    // Mon–Fri 08:00–17:00 in Bălți: UTC+2 in winter, UTC+3 from 29 March to 25 October 2026.
    for (t, open) in [
        ("2026-03-27T05:59:00Z", false),
        ("2026-03-27T06:00:00Z", true),
        ("2026-03-27T14:59:00Z", true),
        ("2026-03-27T15:00:00Z", false),
        ("2026-03-28T10:00:00Z", false),
        ("2026-03-30T04:59:00Z", false),
        ("2026-03-30T05:00:00Z", true),
        ("2026-03-30T13:59:00Z", true),
        ("2026-03-30T14:00:00Z", false),
        ("2026-10-23T05:00:00Z", true),
        ("2026-10-26T05:59:00Z", false),
        ("2026-10-26T06:00:00Z", true),
        ("2026-10-26T15:00:00Z", false),
    ] {
        assert_eq!(open_at(t).await, Some(open), "{t}");
    }
}

#[tokio::test]
async fn an_entry_unchecked_for_six_months_is_flagged_until_its_keepers_confirm_it() {
    let app = spawn_app().await;
    let member = app.demo("ong@balti.demo").await;
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let stale = services(&app, "").await.into_iter().filter(|s| s["stale"] == true).count();
    assert!(stale >= 1, "the demo has entries not checked for months");

    let own = organisation(&app, "ao-casa-deschisa").await;
    let service =
        app.scalar(&format!("SELECT MIN(id) FROM services WHERE organisation_id = {own}")).await;
    app.execute(&format!(
        "UPDATE services SET checked_at = '2025-01-01 00:00:00+00:00' WHERE id = {service}"
    ))
    .await;
    let entry = || {
        let req = Req::get(&format!("/api/services/get?id={service}")).session(&member);
        app.send(req)
    };
    assert_eq!(entry().await.json()["stale"], true);
    let desk = app.send(Req::get("/api/services/desk").session(&member)).await.json();
    assert!(desk["stale"].as_array().expect("stale").iter().any(|s| s["id"] == service));

    let confirm = |session: &str| {
        Req::form("/api/services/confirm", &[("id", &service.to_string()), ("lang", "ro")])
            .session(session)
    };
    assert_eq!(app.send(confirm(&citizen)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.send(confirm(&member)).await.status, StatusCode::OK);
    assert_eq!(entry().await.json()["stale"], false);

    // Only staff remove an entry.
    let remove = |session: &str| {
        Req::form("/api/services/remove", &[("id", &service.to_string()), ("lang", "ro")])
            .session(session)
    };
    assert_eq!(app.send(remove(&member)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.send(remove(&staff)).await.status, StatusCode::OK);
    let res = app.get(&format!("/api/services/get?id={service}")).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}
