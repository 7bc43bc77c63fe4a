//! Open311 GeoReport v2: every endpoint in JSON and XML, with good and bad input and keys; API
//! keys issued, shown once, audited and revoked.

use crate::helpers::*;
use app::model::Viewer;
use app::store::OpenDataStore;
use axum::http::StatusCode;

/// A key of `locality` (slug), issued directly in the store.
async fn key_of(app: &TestApp, locality: &str) -> String {
    let id = app.scalar(&format!("SELECT id FROM localities WHERE slug = '{locality}'")).await;
    app.db.create_api_key(&Viewer::default(), id, "Test client").await.expect("issue a key").key
}

fn post(uri: &str, fields: &[(&str, &str)]) -> Req {
    Req::form(uri, fields)
}

/// A form's fields, owned.
type FormFields = Vec<(String, String)>;

const DESCRIPTION: &str = "Becul din fața blocului 12 nu mai arde de o săptămână.";

fn good_request(key: &str) -> Vec<(&str, &str)> {
    vec![
        ("api_key", key),
        ("service_code", "street-lighting"),
        ("lat", CENTRE.0),
        ("long", CENTRE.1),
        ("description", DESCRIPTION),
        ("email", "ion@example.md"),
        ("first_name", "Ion"),
        ("last_name", "Popescu"),
        ("phone", "+373 231 2-64-50"),
        ("media_url", "https://example.org/bec.jpg"),
    ]
}

/// The `code` and `description` of the one error of an Open311 error list (JSON).
fn error_of(res: &TestResponse) -> (u64, String) {
    let list = res.json();
    let e = &list[0];
    (e["code"].as_u64().unwrap_or(0), e["description"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn discovery_and_services_in_both_formats() {
    let app = spawn_app().await;
    let res = app.get("/open311/discovery.json").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.header("content-type"), "application/json");
    let doc = res.json();
    assert_eq!(doc["endpoints"][0]["url"], "https://agora.example/open311/v2");
    assert_eq!(doc["endpoints"][0]["specification"], "http://wiki.open311.org/GeoReport_v2");
    assert!(doc["endpoints"][0]["formats"].as_array().is_some_and(|f| f.len() == 2));
    let res = app.get("/open311/discovery.xml").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.header("content-type").starts_with("text/xml"));
    assert!(res.body.starts_with("<?xml"), "{}", res.body);
    for part in [
        "<discovery>",
        "<endpoint>",
        "<format>text/xml</format>",
        "<url>https://agora.example/open311/v2</url>",
    ] {
        assert!(res.body.contains(part), "{part} in {}", res.body);
    }

    let categories = app
        .scalar("SELECT COUNT(*) FROM categories c JOIN localities l ON l.id = c.locality_id WHERE l.slug = 'balti' AND c.active = TRUE")
        .await;
    let res = app.get("/open311/v2/services.json").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let services = res.json();
    let services = services.as_array().expect("a list");
    assert_eq!(services.len() as i64, categories);
    let lighting =
        services.iter().find(|s| s["service_code"] == "street-lighting").expect("lighting");
    assert_eq!(lighting["service_name"], "Iluminat public stradal");
    assert_eq!(lighting["metadata"], false);
    assert_eq!(lighting["type"], "realtime");
    // The client's language names the services.
    let en = app
        .get_with("/open311/v2/services.json?jurisdiction_id=balti", &[("accept-language", "en")])
        .await;
    assert_ne!(en.json()[0]["service_name"], services[0]["service_name"]);
    let xml = app.get("/open311/v2/services.xml").await;
    assert_eq!(xml.status, StatusCode::OK);
    assert_eq!(xml.body.matches("<service>").count() as i64, categories);
    assert!(xml.body.contains("<service_code>street-lighting</service_code>"), "{}", xml.body);

    let def = app.get("/open311/v2/services/street-lighting.json").await;
    assert_eq!(def.status, StatusCode::OK, "{}", def.body);
    assert_eq!(def.json()["service_code"], "street-lighting");
    assert_eq!(def.json()["attributes"], serde_json::json!([]));
    let def = app.get("/open311/v2/services/street-lighting.xml").await;
    assert!(
        def.body.contains("<service_definition><service_code>street-lighting</service_code>"),
        "{}",
        def.body
    );

    // Unknown things are the spec's 404s, in the format asked for.
    let res = app.get("/open311/v2/services/volcanoes.json").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(error_of(&res).0, 404);
    let res = app.get("/open311/v2/services.json?jurisdiction_id=atlantis").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(error_of(&res).1.contains("jurisdiction_id"));
    let res = app.get("/open311/v2/services.xml?jurisdiction_id=atlantis").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.body.contains("<errors><error><code>404</code><description>"), "{}", res.body);
    assert_eq!(app.get("/open311/v2/services.txt").await.status, StatusCode::NOT_FOUND);
    // Another locality's services by its slug.
    app.import_singerei().await;
    let singerei = app.get("/open311/v2/services.json?jurisdiction_id=singerei").await;
    assert_eq!(singerei.status, StatusCode::OK);
    let theirs = app
        .scalar("SELECT COUNT(*) FROM categories c JOIN localities l ON l.id = c.locality_id WHERE l.slug = 'singerei' AND c.active = TRUE")
        .await;
    assert_eq!(singerei.json().as_array().map(Vec::len), Some(theirs as usize));
}

#[tokio::test]
async fn a_report_posted_with_a_key_lands_in_the_queue_and_can_be_read_back() {
    let app = spawn_app().await;
    let key = key_of(&app, "balti").await;
    let before = app.scalar("SELECT COUNT(*) FROM reports").await;

    let res = app.send(post("/open311/v2/requests.json", &good_request(&key))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let created = &res.json()[0];
    let id = created["service_request_id"].as_i64().expect("an id");
    let token = created["token"].as_str().expect("a token").to_owned();
    assert_eq!(app.scalar("SELECT COUNT(*) FROM reports").await, before + 1);
    // Through the form's path: a new report of the category, the reporter's contact kept
    // privately, the title from the description.
    let row = |col: &str| format!("SELECT {col} FROM reports WHERE id = {id}");
    assert_eq!(app.text(&row("status")).await.as_deref(), Some("new"));
    assert_eq!(app.text(&row("reporter_email")).await.as_deref(), Some("ion@example.md"));
    assert_eq!(app.text(&row("reporter_name")).await.as_deref(), Some("Ion Popescu"));
    assert_eq!(app.text(&row("title")).await.as_deref(), Some(DESCRIPTION));
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) FROM reports WHERE id = {id} AND show_name = FALSE"))
            .await,
        1
    );
    assert_eq!(
        app.text(&format!("SELECT phone FROM open311_requests WHERE report_id = {id}"))
            .await
            .as_deref(),
        Some("+373 231 2-64-50")
    );
    // Attributable: the audit log names the key.
    let audited = app
        .text(&format!("SELECT actor_label FROM audit_log WHERE action = 'open311.create_request' AND target_id = {id}"))
        .await
        .unwrap_or_default();
    assert!(audited.starts_with("api_key:") && audited.ends_with("Test client"), "{audited}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM api_keys WHERE last_used_at IS NOT NULL").await, 1);
    // The staff see it in their queue like any other report.
    let staff = app.demo("admin@balti.demo").await;
    let queue = app.send(Req::get("/api/staff/queue?q=blocului").session(&staff)).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    assert!(
        queue.body.contains(DESCRIPTION),
        "the new report is in the staff queue: {}",
        queue.body
    );

    // The token, the request itself, and the list by id, in both formats.
    let res = app.get(&format!("/open311/v2/tokens/{token}.json")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()[0]["service_request_id"], id);
    let res = app.get(&format!("/open311/v2/tokens/{token}.xml")).await;
    assert!(
        res.body.contains(&format!("<service_request_id>{id}</service_request_id>")),
        "{}",
        res.body
    );
    assert_eq!(app.get("/open311/v2/tokens/nope.json").await.status, StatusCode::NOT_FOUND);

    let res = app.get(&format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let request = &res.json()[0];
    assert_eq!(request["status"], "open");
    assert_eq!(request["service_code"], "street-lighting");
    assert_eq!(request["description"], DESCRIPTION);
    assert_eq!(request["media_url"], "https://example.org/bec.jpg");
    assert!((request["lat"].as_f64().unwrap_or(0.0) - 47.7617).abs() < 1e-6);
    let res = app.get(&format!("/open311/v2/requests/{id}.xml")).await;
    assert!(res.body.contains("<service_requests><request>"), "{}", res.body);
    assert!(res.body.contains("<status>open</status>"));
    assert_eq!(app.get("/open311/v2/requests/999999.json").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/open311/v2/requests/abc.xml").await.status, StatusCode::NOT_FOUND);
    let res = app.get(&format!("/open311/v2/requests.json?service_request_id={id}")).await;
    assert_eq!(res.json().as_array().map(Vec::len), Some(1));

    // XML answers to an XML post; an address alone leaves the pin to staff.
    let mut fields = good_request(&key);
    fields.retain(|(k, _)| *k != "lat" && *k != "long");
    fields.push(("address_string", "str. Independenței 1"));
    let res = app.send(post("/open311/v2/requests.xml", &fields)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("<service_requests><request><service_request_id>"), "{}", res.body);
    let id = app.scalar("SELECT MAX(id) FROM reports").await;
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM reports WHERE id = {id} AND location_confirmed = FALSE"
        ))
        .await,
        1
    );
    let res = app.get(&format!("/open311/v2/requests/{id}.json")).await;
    assert!(res.json()[0]["lat"].is_null());
    assert_eq!(res.json()[0]["address"], "str. Independenței 1");
}

#[tokio::test]
async fn bad_requests_and_bad_keys_are_refused_and_nothing_is_saved() {
    let app = spawn_app().await;
    app.import_singerei().await;
    let key = key_of(&app, "balti").await;
    let foreign = key_of(&app, "singerei").await;
    let before = app.scalar("SELECT COUNT(*) FROM reports").await;
    let with = |changes: &[(&'static str, &'static str)], drop: &[&str]| {
        let mut fields: Vec<(String, String)> = good_request(&key)
            .into_iter()
            .filter(|(k, _)| !drop.contains(k) && !changes.iter().any(|(c, _)| c == k))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        fields.extend(changes.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        fields
    };
    let send = |fields: Vec<(String, String)>, ext: &'static str| {
        let pairs: Vec<(&str, &str)> =
            fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let req = post(&format!("/open311/v2/requests.{ext}"), &pairs);
        async { app.send(req).await }
    };

    // (the form, the status, what the error says)
    let cases: Vec<(FormFields, u16, &str)> = vec![
        (with(&[], &["api_key"]), 400, "api_key"),
        (with(&[("api_key", "not-a-key")], &[]), 403, "api_key"),
        (with(&[("api_key", "")], &[]), 400, "api_key"),
        (with(&[("service_code", "volcanoes")], &[]), 404, "service_code: unknown_category"),
        (with(&[], &["service_code"]), 400, "service_code: required"),
        (with(&[("lat", "46.0"), ("long", "28.8")], &[]), 400, "lat/long: outside_boundary"),
        (with(&[("lat", "north")], &[]), 400, "lat/long: invalid"),
        (with(&[], &["lat", "long"]), 400, "lat/long: required"),
        (with(&[("description", "Bec.")], &[]), 400, "description: too_short"),
        (with(&[("email", "not an address")], &[]), 400, "email"),
        (with(&[("phone", "call me maybe")], &[]), 400, "phone: invalid"),
        (with(&[("media_url", "javascript:alert(1)")], &[]), 400, "media_url: invalid"),
    ];
    for (fields, code, says) in cases {
        let res = send(fields.clone(), "json").await;
        assert_eq!(res.status.as_u16(), code, "{fields:?}: {}", res.body);
        let (listed, description) = error_of(&res);
        assert_eq!(listed, u64::from(code));
        assert!(description.contains(says), "{says} in {description}");
        let res = send(fields, "xml").await;
        assert_eq!(res.status.as_u16(), code);
        assert!(res.body.contains(&format!("<error><code>{code}</code>")), "{}", res.body);
    }
    // A key of another locality, and a revoked key, are refused.
    let foreign_fields = with(&[], &["api_key"])
        .into_iter()
        .chain([("api_key".to_owned(), foreign.clone())])
        .collect();
    assert_eq!(send(foreign_fields, "json").await.status, StatusCode::FORBIDDEN);
    let key_id = app.scalar("SELECT MIN(id) FROM api_keys").await;
    let balti = app.scalar("SELECT id FROM localities WHERE slug = 'balti'").await;
    app.db.revoke_api_key(&Viewer::default(), balti, key_id).await.expect("revoke");
    assert_eq!(send(with(&[], &[]), "json").await.status, StatusCode::FORBIDDEN);
    // Reading with a bad key is refused too; reading without one is open.
    assert_eq!(
        app.get(&format!("/open311/v2/services.json?api_key={key}")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.get("/open311/v2/services.json").await.status, StatusCode::OK);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM reports").await, before, "nothing half-saved");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM open311_requests").await, 0);
}

#[tokio::test]
async fn requests_are_filtered_as_the_spec_says() {
    let app = spawn_app().await;
    let since_2000 = "start_date=2000-01-01T00:00:00Z";
    let public = app
        .scalar("SELECT COUNT(*) FROM reports r JOIN localities l ON l.id = r.locality_id WHERE l.slug = 'balti' AND r.hidden = FALSE")
        .await;
    let res = app.get(&format!("/open311/v2/requests.json?{since_2000}")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let all = res.json();
    let all = all.as_array().expect("a list");
    assert_eq!(all.len() as i64, public.min(1000));
    let times: Vec<&str> = all.iter().filter_map(|r| r["requested_datetime"].as_str()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");

    let closed = app
        .scalar("SELECT COUNT(*) FROM reports WHERE locality_id = (SELECT id FROM localities WHERE slug = 'balti') AND hidden = FALSE AND status IN ('resolved', 'rejected', 'duplicate')")
        .await;
    let res = app.get(&format!("/open311/v2/requests.json?{since_2000}&status=closed")).await;
    assert_eq!(res.json().as_array().map(Vec::len), Some(closed as usize));
    assert!(res.json().as_array().is_some_and(|l| l.iter().all(|r| r["status"] == "closed")));
    let green = app
        .scalar("SELECT COUNT(*) FROM reports r JOIN categories c ON c.id = r.category_id WHERE r.hidden = FALSE AND r.locality_id = (SELECT id FROM localities WHERE slug = 'balti') AND c.slug = 'green-spaces'")
        .await;
    let res =
        app.get(&format!("/open311/v2/requests.xml?{since_2000}&service_code=green-spaces")).await;
    assert_eq!(res.body.matches("<request>").count() as i64, green);

    // The default window is the last 90 days.
    let old = app.scalar("SELECT MIN(id) FROM reports WHERE locality_id = (SELECT id FROM localities WHERE slug = 'balti') AND hidden = FALSE").await;
    app.execute(&format!(
        "UPDATE reports SET created_at = '2001-05-05T10:00:00Z' WHERE id = {old}"
    ))
    .await;
    let ids = |res: &TestResponse| -> Vec<i64> {
        res.json()
            .as_array()
            .map(|l| l.iter().filter_map(|r| r["service_request_id"].as_i64()).collect())
            .unwrap_or_default()
    };
    assert!(!ids(&app.get("/open311/v2/requests.json").await).contains(&old));
    let window = app
        .get("/open311/v2/requests.json?start_date=2001-05-01T00:00:00Z&end_date=2001-05-31T00:00:00%2B03:00")
        .await;
    assert_eq!(ids(&window), vec![old]);
    // An id list overrides the rest.
    let res = app
        .get(&format!(
            "/open311/v2/requests.json?service_request_id={old}&status=open&service_code=none"
        ))
        .await;
    assert_eq!(ids(&res), vec![old]);

    for bad in
        ["status=pending", "start_date=yesterday", "end_date=2024-13-01", "service_request_id=1,x"]
    {
        let res = app.get(&format!("/open311/v2/requests.json?{bad}")).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{bad}: {}", res.body);
        assert_eq!(error_of(&res).0, 400);
        let res = app.get(&format!("/open311/v2/requests.xml?{bad}")).await;
        assert!(res.body.contains("<code>400</code>"), "{bad}");
    }
}

#[tokio::test]
async fn service_request_updates_follow_status_changes_and_answers() {
    let app = spawn_app().await;
    let report = app.report_of("street-lighting", "accepted").await;
    let staff = app.demo("admin@balti.demo").await;
    let res = app
        .send(
            Req::form(
                "/api/reports/status",
                &[
                    ("report_id", &report.to_string()),
                    ("status", "resolved"),
                    ("department_id", ""),
                    ("duplicate_of", ""),
                    ("body", "Becul a fost înlocuit ieri."),
                    ("lang", "ro"),
                ],
            )
            .session(&staff),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = app.get("/open311/v2/servicerequestupdates.json").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let updates = res.json();
    let update = updates
        .as_array()
        .and_then(|l| l.iter().rev().find(|u| u["service_request_id"] == report))
        .expect("the change is an update")
        .clone();
    assert_eq!(update["status"], "fixed");
    assert_eq!(update["description"], "Becul a fost înlocuit ieri.");
    assert!(update["update_id"].as_str().is_some_and(|s| !s.is_empty()));
    let xml = app.get("/open311/v2/servicerequestupdates.xml").await;
    assert!(xml.body.contains("<service_request_updates><request_update>"), "{}", xml.body);
    assert!(xml.body.contains("<status>fixed</status>"));
    // Before the window: nothing; a bad date: 400.
    let none = app.get("/open311/v2/servicerequestupdates.json?start_date=2001-01-01T00:00:00Z&end_date=2001-02-01T00:00:00Z").await;
    assert_eq!(none.json(), serde_json::json!([]));
    assert_eq!(
        app.get("/open311/v2/servicerequestupdates.json?end_date=soon").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn administrators_issue_keys_shown_once_and_revoke_them() {
    let app = spawn_app().await;
    let admin = app.demo("admin@balti.demo").await;
    let res = app
        .send(
            Req::form(
                "/api/open-data/keys/issue",
                &[("name", "Aplicația Orașul Meu"), ("locality", "balti"), ("lang", "ro")],
            )
            .session(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let cookie = res
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("agora_issued_key="))
        .and_then(|c| c.split(';').next())
        .expect("the key travels to the page in a cookie")
        .to_owned();
    let (id, key) = cookie.split_once('.').expect("id.key");
    // Only a digest is stored.
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) FROM api_keys WHERE key_digest = '{key}'")).await,
        0
    );
    assert_eq!(
        app.text(&format!("SELECT name FROM api_keys WHERE id = {id}")).await.as_deref(),
        Some("Aplicația Orașul Meu")
    );
    // The page shows it once, and clears the cookie.
    let page = app
        .send(
            Req::get(&format!("/ro/admin/api-keys?locality=balti&issued={id}"))
                .session(&admin)
                .header("cookie", &format!("agora_issued_key={cookie}")),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(key), "the key is shown");
    assert!(page.body.contains("Aplicația Orașul Meu"));
    assert!(page.headers.get_all("set-cookie").iter().any(|c| c
        .to_str()
        .is_ok_and(|c| c.starts_with("agora_issued_key=;") && c.contains("Max-Age=0"))));
    let again = app.send(Req::get("/ro/admin/api-keys?locality=balti").session(&admin)).await;
    assert!(!again.body.contains(key), "never shown again");
    // It works, then is revoked and refused; both are in the audit log.
    let fields = good_request(key);
    assert_eq!(app.send(post("/open311/v2/requests.json", &fields)).await.status, StatusCode::OK);
    let res = app
        .send(
            Req::form(
                "/api/open-data/keys/revoke",
                &[("key_id", id), ("locality", "balti"), ("lang", "ro")],
            )
            .session(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        app.send(post("/open311/v2/requests.json", &fields)).await.status,
        StatusCode::FORBIDDEN
    );
    for action in ["api_key.issue", "api_key.revoke"] {
        assert_eq!(
            app.scalar(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND target_id = {id}"
            ))
            .await,
            1,
            "{action}"
        );
    }
    // A second revocation, or another locality's key, is a 404.
    let res = app
        .send(
            Req::form(
                "/api/open-data/keys/revoke",
                &[("key_id", id), ("locality", "balti"), ("lang", "ro")],
            )
            .session(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    // A blank name is a field error.
    let res = app
        .send(
            Req::form(
                "/api/open-data/keys/issue",
                &[("name", " "), ("locality", "balti"), ("lang", "ro")],
            )
            .session(&admin),
        )
        .await;
    assert_eq!(res.problems("name"), vec!["required"]);
}

/// Each key has its own allowance: past it, 429 in the spec's error shape; other keys go on.
#[tokio::test]
async fn each_key_is_rate_limited() {
    let app = spawn_demo_with(1).await;
    let key = key_of(&app, "balti").await;
    let other = key_of(&app, "balti").await;
    let (burst, _) = server::security::allowance(app::store::Limit::ApiKey);
    let uri = format!("/open311/v2/services.json?api_key={key}");
    // The shared (PostgreSQL) buckets refill while the loop runs: a few more may pass.
    let mut served = 0;
    let res = loop {
        let res = app.get(&uri).await;
        if res.status != StatusCode::OK {
            break res;
        }
        served += 1;
        assert!(served <= burst + 20, "the key is never refused");
    };
    assert!(served >= burst, "{served} of {burst} served");
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
    assert_eq!(error_of(&res).0, 429);
    assert_eq!(
        app.get(&format!("/open311/v2/services.json?api_key={other}")).await.status,
        StatusCode::OK
    );
    // Every request made with the key is in the audit log.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'open311.read'").await,
        i64::from(served) + 1
    );
}
