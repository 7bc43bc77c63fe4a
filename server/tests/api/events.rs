//! The NGO network's calendar: organisations and their members, proposals and their review,
//! the month and past windows, and the open-data and iCalendar feeds.

use crate::helpers::{spawn_app, Req, TestApp};
use axum::http::StatusCode;
use icalendar::{Calendar, Component, EventLike};

/// A valid proposal for `organisation`, with `changes` replacing fields.
fn proposal(organisation: i64, changes: &[(&str, &str)]) -> Req {
    let organisation = organisation.to_string();
    let mut fields: Vec<(&str, &str)> = vec![
        ("organisation", &organisation),
        ("title_ro", "Curs de limba română pentru adulți"),
        ("title_ru", ""),
        ("title_uk", "Курс румунської мови для дорослих"),
        ("title_en", ""),
        ("description_ro", "Lecții gratuite pentru începători, de două ori pe săptămână."),
        ("description_ru", ""),
        ("description_uk", ""),
        ("description_en", ""),
        ("starts", "2999-03-10T18:00"),
        ("ends", "2999-03-10T19:30"),
        ("place", "Hubul intercultural, str. Ștefan cel Mare 56"),
        ("lat", "47.7588"),
        ("lng", "27.9255"),
        ("online_url", ""),
        ("language", "multi"),
        ("audience", "refugees_migrants"),
        ("category", "workshop"),
        ("lang", "ro"),
    ];
    for (name, value) in changes {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value,
            None => fields.push((name, value)),
        }
    }
    Req::form("/api/events/propose", &fields)
}

async fn organisation(app: &TestApp, slug: &str) -> i64 {
    app.scalar(&format!("SELECT id FROM organisations WHERE slug = '{slug}'")).await
}

async fn events_count(app: &TestApp) -> i64 {
    app.scalar("SELECT COUNT(*) FROM events").await
}

/// The calendar feed, parsed as a phone's calendar would read it.
async fn feed(app: &TestApp, query: &str) -> Calendar {
    let res = app.get(&format!("/api/v1/events.ics{query}")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.header("content-type").starts_with("text/calendar"), "{:?}", res.headers);
    res.body.parse::<Calendar>().unwrap_or_else(|e| panic!("not iCalendar ({e}): {}", res.body))
}

fn vevent(calendar: &Calendar, id: i64) -> Option<&icalendar::Event> {
    calendar.events().find(|e| e.get_uid().is_some_and(|u| u.starts_with(&format!("event-{id}@"))))
}

#[tokio::test]
async fn a_member_proposes_staff_publish_and_only_then_everyone_sees_it() {
    let app = spawn_app().await;
    let member = app.demo("ong@balti.demo").await;
    let own = organisation(&app, "ao-casa-deschisa").await;
    let other = organisation(&app, "centrul-juridic-lex-nord").await;
    let before = events_count(&app).await;

    // Only for the organisation they act for, and only signed in.
    let anonymous = app.send(proposal(own, &[])).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{}", anonymous.body);
    let citizen = app.demo("cetatean@balti.demo").await;
    let res = app.send(proposal(own, &[]).session(&citizen)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    let res = app.send(proposal(other, &[]).session(&member)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    // Not in another locality's calendar either, even naming its own organisation.
    let res = app.send(proposal(own, &[("locality", "singerei")]).session(&member)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    assert_eq!(events_count(&app).await, before, "nothing stored by refused proposals");

    let res = app.send(proposal(own, &[]).session(&member)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id: i64 = res.body.trim().parse().expect("the new event's id");
    assert_eq!(
        app.text(&format!("SELECT status FROM events WHERE id = {id}")).await.as_deref(),
        Some("proposed")
    );

    // A proposal is seen by its organisation and staff, and by nobody else.
    let get = |session: Option<&str>| {
        let req = Req::get(&format!("/api/events/get?id={id}"));
        match session {
            Some(s) => req.session(s),
            None => req,
        }
    };
    assert_eq!(app.send(get(None)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.send(get(Some(&citizen))).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.send(get(Some(&member))).await.status, StatusCode::OK);
    let listed = app.get("/api/v1/events").await.json();
    assert!(!listed["events"].as_array().expect("events").iter().any(|e| e["id"] == id));
    assert!(vevent(&feed(&app, "").await, id).is_none(), "not in the feed before review");
    let single = app.get(&format!("/api/v1/events/{id}.ics")).await;
    assert_eq!(single.status, StatusCode::NOT_FOUND);
    let desk = app.send(Req::get("/api/events/desk").session(&member)).await.json();
    assert!(desk["unpublished"].as_array().expect("list").iter().any(|e| e["id"] == id));
    assert_eq!(desk["reviewer"], false);

    // Staff of another locality cannot review it, here or there; the member cannot either.
    let review = |decision: &str, note: &str, locality: &str| {
        Req::form(
            "/api/events/review",
            &[
                ("id", &id.to_string()),
                ("decision", decision),
                ("note", note),
                ("locality", locality),
                ("lang", "ro"),
            ],
        )
    };
    let foreign = app.demo("admin@singerei.demo").await;
    let res = app.send(review("publish", "", "balti").session(&foreign)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    let res = app.send(review("publish", "", "singerei").session(&foreign)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);
    let res = app.send(review("publish", "", "").session(&member)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    // A refusal needs its reason.
    let staff = app.demo("relatii.publice@balti.demo").await;
    let res = app.send(review("reject", "", "").session(&staff)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.problems("note"), ["required"]);

    let res = app.send(review("publish", "", "").session(&staff)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // Decided once: a second decision (a form sent twice, a colleague) is a conflict.
    let res = app.send(review("reject", "Prea târziu.", "").session(&staff)).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'publish_event'").await,
        1
    );

    assert_eq!(app.send(get(None)).await.status, StatusCode::OK);
    let listed = app.get("/api/v1/events").await.json();
    let item = listed["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["id"] == id)
        .cloned()
        .expect("published event listed");
    assert_eq!(item["lat"], 47.7588);
    assert_eq!(item["organisation"]["slug"], "ao-casa-deschisa");
    assert_eq!(item["title"]["uk"], "Курс румунської мови для дорослих");
    // 18:00 in Bălți in March (before the clock change) is 16:00 UTC.
    assert_eq!(item["starts_at"], "2999-03-10T16:00:00Z");
    let calendar = feed(&app, "?lang=uk").await;
    let vevent = vevent(&calendar, id).expect("in the feed");
    assert_eq!(vevent.get_summary(), Some("Курс румунської мови для дорослих"));
    assert_eq!(vevent.get_location(), Some("Hubul intercultural, str. Ștefan cel Mare 56"));
    assert_eq!(vevent.property_value("GEO"), Some("47.758800;27.925500"));
    // The single event's file, for "add to my calendar"; not for another locality's site.
    let single = app.get(&format!("/api/v1/events/{id}.ics?lang=ro")).await;
    assert_eq!(single.status, StatusCode::OK);
    let single = single.body.parse::<Calendar>().expect("iCalendar");
    assert_eq!(single.events().count(), 1);
    assert_eq!(
        single.events().next().and_then(|e| e.get_summary()),
        Some("Curs de limba română pentru adulți")
    );
    let elsewhere = app.get(&format!("/api/v1/events/{id}.ics?locality=singerei")).await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/events/x.ics").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn staff_publish_at_once_and_city_times_follow_the_clock_change() {
    let app = spawn_app().await;
    let staff = app.demo("admin@balti.demo").await;
    let secretariat = organisation(&app, "primaria-balti-relatii-publice").await;
    // Moldova moves its clocks on the last Sunday of March: 2037-03-29 is that Sunday (time
    // zone libraries know the rules of the years they ship tables for, up to 2037).
    let mut ids = Vec::new();
    for day in ["2037-03-28", "2037-03-29"] {
        let (starts, ends) = (format!("{day}T10:00"), format!("{day}T12:00"));
        let res = app
            .send(
                proposal(
                    secretariat,
                    &[
                        ("starts", &starts),
                        ("ends", &ends),
                        ("place", ""),
                        ("lat", ""),
                        ("lng", ""),
                        ("online_url", "https://meet.example.org/retea"),
                    ],
                )
                .session(&staff),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        ids.push(res.body.trim().parse::<i64>().expect("id"));
    }
    let month = app.get("/api/v1/events?month=2037-03").await.json();
    let times: Vec<(i64, String)> = month["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| {
            (
                e["id"].as_i64().unwrap_or_default(),
                e["starts_at"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert!(times.contains(&(ids[0], "2037-03-28T08:00:00Z".to_owned())), "{times:?}");
    assert!(times.contains(&(ids[1], "2037-03-29T07:00:00Z".to_owned())), "{times:?}");
    assert_eq!(month["events"][0]["place"], serde_json::Value::Null);
    assert_eq!(month["events"][0]["online_url"], "https://meet.example.org/retea");
    // The neighbouring months do not have them; a month that is not one is refused.
    let april = app.get("/api/v1/events?month=2037-04").await.json();
    assert!(april["events"].as_array().expect("events").is_empty());
    assert_eq!(
        app.get("/api/v1/events?month=2037-13").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // The organiser's own feed has only its events; an unknown organiser is a 404.
    let own = feed(&app, "?organisation=primaria-balti-relatii-publice").await;
    assert!(own.events().count() >= 2);
    assert!(vevent(&own, ids[1]).is_some());
    let other = feed(&app, "?organisation=ao-casa-deschisa").await;
    assert!(vevent(&other, ids[1]).is_none());
    assert!(other.events().count() > 0, "the demo's events of that organisation");
    assert_eq!(
        app.get("/api/v1/events.ics?organisation=nobody").await.status,
        StatusCode::NOT_FOUND
    );

    // The open-data page lists the dataset with its feeds.
    let page = app.get("/ro/open-data").await;
    assert!(page.body.contains("id=\"dataset-events\""), "events dataset listed");
    assert!(page.body.contains("/api/v1/events.ics?locality=balti"), "its calendar feed linked");

    // Past events stay: the demo has some, latest first.
    let past = app.get("/api/v1/events?past=true").await.json();
    let past = past["events"].as_array().expect("events");
    assert!(!past.is_empty());
    let starts: Vec<&str> = past.iter().filter_map(|e| e["starts_at"].as_str()).collect();
    assert!(starts.windows(2).all(|w| w[0] >= w[1]), "latest first: {starts:?}");
}

type Refusal<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);

#[tokio::test]
async fn a_refused_proposal_says_why_and_stores_nothing() {
    let app = spawn_app().await;
    let member = app.demo("ong@balti.demo").await;
    let own = organisation(&app, "ao-casa-deschisa").await;
    let before = events_count(&app).await;
    // The fields changed, and the field and problem the answer must name.
    let cases: &[Refusal] = &[
        (&[("ends", "2999-03-10T17:00")], "ends", "invalid"),
        (&[("starts", "2020-03-10T10:00"), ("ends", "2020-03-10T12:00")], "ends", "invalid"),
        (&[("ends", "2999-05-10T17:00")], "ends", "invalid"),
        (&[("starts", "mâine")], "starts", "invalid"),
        (&[("place", ""), ("lat", ""), ("lng", "")], "place", "required"),
        (&[("place", "")], "place", "required"),
        (&[("online_url", "javascript:alert(1)")], "online_url", "invalid"),
        (&[("lat", "46.0"), ("lng", "28.0")], "location", "outside_boundary"),
        (&[("category", "party")], "category", "invalid"),
        (&[("audience", "")], "audience", "invalid"),
        (&[("language", "fr")], "language", "invalid"),
        (&[("title_ro", "Curs\u{0}nou")], "title_ro", "invalid"),
        (&[("title_ro", "")], "title_ro", "required"),
        (&[("description_ro", "Scurt")], "description_ro", "too_short"),
    ];
    for (changes, field, problem) in cases {
        let res = app.send(proposal(own, changes).session(&member)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{changes:?}: {}", res.body);
        assert_eq!(res.problems(field), [*problem], "{changes:?}: {}", res.body);
    }
    let res = app.send(proposal(own, &[("organisation", "x")]).session(&member)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let res = app.send(proposal(own, &[("organisation", "999999")]).session(&member)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    // A browser without script gets the form back with what was typed.
    let res = app
        .send(
            proposal(own, &[("ends", "2999-03-10T17:00")])
                .header("accept", "text/html")
                .session(&member),
        )
        .await;
    let location = res.header("location");
    assert!(location.starts_with("/ro/events/new?"), "{location}");
    assert!(location.contains("ends=2999-03-10T17%3A00"), "{location}");
    assert!(location.contains("category="), "{location}");
    assert!(location.contains("description_ro="), "{location}");
    assert_eq!(events_count(&app).await, before);
}

#[tokio::test]
async fn administrators_keep_the_organisations_and_their_members() {
    let app = spawn_app().await;
    let admin = app.demo("admin@balti.demo").await;
    let create = |slug: &str, email: &str| {
        Req::form(
            "/api/organisations/create",
            &[
                ("name", "Asociația „Pași Mici”"),
                ("slug", slug),
                ("website", "https://pasimici.example.org"),
                ("email", email),
                ("lang", "ro"),
            ],
        )
    };
    let res = app.send(create("pasi-mici", "contact@pasimici.example.org").session(&admin)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id: i64 = res.body.trim().parse().expect("id");
    let res = app.send(create("pasi-mici", "").session(&admin)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.problems("slug"), ["taken"]);
    let res = app.send(create("Pași Mici", "not-an-address").session(&admin)).await;
    assert_eq!(res.problems("slug"), ["invalid"]);
    assert_eq!(res.problems("email"), ["invalid"]);
    // Sîngerei's administrator does not keep Bălți's organisations.
    let foreign = app.demo("admin@singerei.demo").await;
    let res = app.send(create("alta", "").session(&foreign)).await;
    assert_eq!(res.status, StatusCode::OK, "its own locality's: {}", res.body);
    let add = |organisation: i64, email: &str, locality: &str| {
        Req::form(
            "/api/organisations/add-member",
            &[
                ("organisation", &organisation.to_string()),
                ("email", email),
                ("locality", locality),
                ("lang", "ro"),
            ],
        )
    };
    let res = app.send(add(id, "cetatean@balti.demo", "singerei").session(&foreign)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);
    let res = app.send(add(id, "nobody@example.org", "").session(&admin)).await;
    assert_eq!(res.problems("email"), ["invalid"]);
    let res = app.send(add(id, "cetatean@balti.demo", "").session(&admin)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = app.send(add(id, "cetatean@balti.demo", "").session(&admin)).await;
    assert_eq!(res.problems("email"), ["already_used"]);

    // The new member proposes for the new organisation, and only for it.
    let citizen = app.demo("cetatean@balti.demo").await;
    let res = app.send(proposal(id, &[]).session(&citizen)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let desk = app.send(Req::get("/api/events/desk").session(&citizen)).await.json();
    assert_eq!(desk["organisations"].as_array().map(Vec::len), Some(1));

    let user = app.scalar("SELECT id FROM users WHERE email = 'cetatean@balti.demo'").await;
    let remove = Req::form(
        "/api/organisations/remove-member",
        &[("organisation", &id.to_string()), ("user", &user.to_string()), ("lang", "ro")],
    );
    assert_eq!(app.send(remove.session(&admin)).await.status, StatusCode::OK);
    let res = app.send(proposal(id, &[]).session(&citizen)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "no longer a member: {}", res.body);
    let listed = app.send(Req::get("/api/organisations/list").session(&admin)).await.json();
    let names: Vec<&str> = listed[1]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|o| o["organisation"]["name"].as_str())
        .collect();
    assert!(names.contains(&"Asociația „Pași Mici”"), "{names:?}");
    assert_eq!(
        app.send(Req::get("/api/organisations/list").session(&citizen)).await.status,
        StatusCode::FORBIDDEN
    );
}
