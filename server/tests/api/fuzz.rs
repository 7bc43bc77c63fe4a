//! Hostile input everywhere: every server function (as Leptos registers them, so new ones are
//! covered without being listed) and every other endpoint receives malformed and random bodies,
//! queries and ids, as a stranger, a citizen and an administrator. Nothing may answer 5xx.

use crate::helpers::{spawn_app, Req, TestApp};
use axum::http::Method;
use rand::{Rng, SeedableRng};

/// Bodies that no form sends: broken encodings, wrong types, absurd sizes and shapes.
fn malformed_bodies() -> Vec<Vec<u8>> {
    let mut bodies: Vec<Vec<u8>> = [
        "",
        "&&&",
        "=",
        "a",
        "%",
        "%zz",
        "lang=ro&lang=ru",
        "id=abc&report_id=abc&poll_id=abc&grant_id=abc&lang=ro",
        "id=-1&report_id=-1&poll_id=-1&grant_id=-1&lang=ro",
        "id=99999999999999999999999&report_id=1e400&lang=ro",
        "report_id=1&choices=abc&choices=&lang=xx",
        "a[b][c][d][e][f][g]=1&x[]=2&y[0][1]=3",
        "{\"json\": true}",
        "email=%00&password=%00&lang=%00&title=%00&body=%00",
        "lang=ro&next=%0d%0aLocation:%20https://evil.example",
        "lat=NaN&lng=inf&bbox=1,2,3&zoom=255&lang=ro",
        "locality=..%2f..%2fetc&category=%27%20OR%201=1--&lang=ro",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    bodies.push(format!("title={}&lang=ro", "é".repeat(100_000)).into_bytes());
    bodies.push(format!("{}=1", "k".repeat(50_000)).into_bytes());
    bodies.push(vec![0xff, 0xfe, 0x00, 0x3d, 0x26]);
    // Random bytes and random well-formed-looking fields, from a fixed seed (repeatable).
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x5eed_a607a);
    let names = ["id", "report_id", "poll_id", "lang", "title", "body", "email", "status", "lat"];
    for _ in 0..6 {
        let len = rng.random_range(1..400);
        bodies.push((0..len).map(|_| rng.random::<u8>()).collect());
        let fields: Vec<String> = (0..rng.random_range(1..8))
            .map(|_| {
                let name = names[rng.random_range(0..names.len())];
                let value: String = (0..rng.random_range(0..30))
                    .map(|_| char::from(rng.random_range(0x20u8..0x7f)))
                    .collect();
                format!("{name}={}", urlencode(&value))
            })
            .collect();
        bodies.push(fields.join("&").into_bytes());
    }
    bodies
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("v", s)]).unwrap_or_default().trim_start_matches("v=").to_owned()
}

/// Sends `req` and fails the test on any server error.
async fn expect_no_server_error(app: &TestApp, what: &str, req: Req) {
    let res = app.send(req).await;
    assert!(
        res.status.as_u16() < 500,
        "{what}: answered {} with {}",
        res.status,
        res.body.chars().take(300).collect::<String>()
    );
}

#[tokio::test]
async fn no_server_function_fails_on_hostile_bodies() {
    let app = spawn_app().await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let admin = app.demo("admin@balti.demo").await;
    let bodies = malformed_bodies();
    let mut functions: Vec<(&str, Method)> = leptos::server_fn::axum::server_fn_paths().collect();
    functions.sort_by_key(|(path, _)| *path);
    assert!(functions.len() >= 50, "every server function is registered: {}", functions.len());
    for (path, method) in functions {
        // Signing out would end the sessions this test goes on with.
        let who: &[Option<&str>] = if path.contains("logout") || path.contains("delete") {
            &[None]
        } else {
            &[None, Some(&citizen), Some(&admin)]
        };
        for session in who {
            for (i, body) in bodies.iter().enumerate() {
                let what = format!("{method} {path} body #{i} as {session:?}");
                let req = if method == Method::GET {
                    // Only what can travel in an address at all.
                    let uri = format!("{path}?{}", String::from_utf8_lossy(body));
                    if axum::http::Uri::try_from(uri.as_str()).is_err() {
                        continue;
                    }
                    Req::get(&uri)
                } else {
                    let mut req = Req::form(path, &[]).body(body.clone());
                    if i % 3 == 0 {
                        req = req.header(
                            "content-type",
                            "multipart/form-data; boundary=agora-test-boundary-7f3a",
                        );
                    }
                    req
                };
                let req = match session {
                    Some(s) => req.session(s),
                    None => req,
                };
                expect_no_server_error(&app, &what, req).await;
            }
        }
    }
}

#[tokio::test]
async fn no_endpoint_fails_on_hostile_addresses() {
    let app = spawn_app().await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let odd = [
        "abc",
        "-1",
        "0",
        "99999999999999999999",
        "1.5",
        "%00",
        "..%2F..%2Fetc%2Fpasswd",
        "1;DROP",
    ];
    let mut uris: Vec<String> = Vec::new();
    for id in odd {
        for pattern in [
            "/api/v1/polls/{}",
            "/api/v1/polls/{}/results.csv",
            "/media/photos/{}",
            "/media/photos/{}/thumb",
            "/media/initiatives/{}",
            "/media/proposals/{}",
            "/media/proposals/{}/thumb",
            "/ro/reports/{}",
            "/ro/polls/{}",
            "/ro/initiatives/{}",
            "/{}/reports",
            "/ro/{}",
        ] {
            uris.push(pattern.replace("{}", id));
        }
    }
    for query in [
        "bbox=",
        "bbox=a,b,c,d",
        "bbox=1,2,3,4&zoom=99",
        "bbox=-200,-100,200,100&zoom=1",
        "bbox=27.9,47.7,27.8,47.6",
        "bbox=NaN,NaN,NaN,NaN",
        "category=%FF&status=%00&bbox=1,1,2,2",
    ] {
        uris.push(format!("/api/v1/reports.geojson?{query}"));
        uris.push(format!("/ro/reports?{query}&page=-5&q=%25%25"));
        uris.push(format!("/ro?{query}"));
    }
    for uri in [
        "/api/v1/polls?locality=%FF",
        "/api/v1/initiatives?page=-1",
        "/account/export.json",
        "/ro/staff?department=abc&status=xx",
        "/ro/admin?locality=%0d%0a",
        "/ro/admin/audit?action=%FF",
        "/ro/login?next=%0d%0a",
        "/ro/login/link?token=%00",
        "/ro/confirm?token=",
        "/categories.css",
        "/healthz",
        "/pkg/..%2F..%2FCargo.toml",
        "/favicon.svg/..",
        "/ro/subscriptions/confirm?token=x",
    ] {
        uris.push(uri.to_owned());
    }
    for uri in &uris {
        for session in [None, Some(citizen.as_str())] {
            let req = match session {
                Some(s) => Req::get(uri).session(s),
                None => Req::get(uri),
            };
            expect_no_server_error(&app, &format!("GET {uri} as {session:?}"), req).await;
        }
    }
}
