//! Every server function is classified, and every staff function refuses anonymous visitors,
//! citizens, and staff of another locality: only the right role passes.

mod setup;
mod table;

use crate::helpers::{report_form, spawn_app, Multipart, Req};
use axum::http::StatusCode;
use setup::{in_locality, prepare, ROLES};
use table::{form, GUARDED, OWNER_OR_TOKEN, PUBLIC, SECRETARIAT, SIGNED_IN, SIGNS_OUT};

#[test]
fn every_server_function_is_classified() {
    let guarded: Vec<&str> = GUARDED.iter().map(|g| g.path).collect();
    let mut unclassified = Vec::new();
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        if !(PUBLIC.contains(&path)
            || SIGNED_IN.contains(&path)
            || OWNER_OR_TOKEN.contains(&path)
            || guarded.contains(&path))
        {
            unclassified.push(path);
        }
    }
    assert!(
        unclassified.is_empty(),
        "classify these server functions in authz/table.rs: {unclassified:?}"
    );
}

#[tokio::test]
async fn only_the_right_role_of_the_right_locality_passes_each_staff_function() {
    let app = spawn_app().await;
    let localities = prepare(&app).await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let mut sessions = std::collections::HashMap::new();
    for (_, accounts) in ROLES {
        for account in accounts.into_iter().chain(["operator@agora.demo", SECRETARIAT]) {
            sessions.insert(account, app.demo(account).await);
        }
    }
    for ids in &localities {
        let (_, own) = ROLES.iter().find(|(l, _)| *l == ids.locality).expect("a locality");
        let (_, foreign) = ROLES.iter().find(|(l, _)| *l != ids.locality).expect("another");
        for g in GUARDED {
            let allowed = in_locality(g.allowed, ids.locality);
            let call = |who: &str| format!("{} in {} as {who}", g.path, ids.locality);
            let anonymous = app.send((g.request)(ids)).await;
            assert_eq!(
                anonymous.status,
                StatusCode::UNAUTHORIZED,
                "{}: {}",
                call("anonymous"),
                anonymous.body
            );
            let as_citizen = app.send((g.request)(ids).session(&citizen)).await;
            assert_eq!(
                as_citizen.status,
                StatusCode::FORBIDDEN,
                "{}: {}",
                call("a citizen"),
                as_citizen.body
            );
            // Every role of the other locality is refused here…
            for account in foreign {
                let res = app.send((g.request)(ids).session(&sessions[account])).await;
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{}: {}", call(account), res.body);
            }
            // …and so is this locality's moderator, unless the function is moderation.
            let moderator = own[1];
            if allowed != moderator {
                let res = app.send((g.request)(ids).session(&sessions[moderator])).await;
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{}: {}", call(moderator), res.body);
            }
            // …and, for the network's functions, Bălți's staff outside its secretariat.
            if g.allowed == SECRETARIAT && ids.locality == "balti" {
                let other = "spatii.verzi@balti.demo";
                let res = app.send((g.request)(ids).session(&sessions[other])).await;
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{}: {}", call(other), res.body);
            }
            let res = app.send((g.request)(ids).session(&sessions[allowed])).await;
            assert_eq!(res.status, StatusCode::OK, "{}: {}", call(allowed), res.body);
            if SIGNS_OUT.contains(&g.path) {
                sessions.insert(allowed, app.demo(allowed).await);
            }
        }
    }
    // Nothing the refused callers attempted took effect: one change each, by the right role.
    assert_eq!(app.scalar("SELECT COUNT(*) FROM api_keys").await, 4, "one key issued in each");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM roles r JOIN users u ON u.id = r.user_id WHERE u.email = 'cetatean@balti.demo'").await, 2);
    for table in
        ["departments WHERE name = 'Direcția drumuri noi'", "categories WHERE slug = 'snow'"]
    {
        let per_locality = app
            .scalar(&format!("SELECT COUNT(DISTINCT locality_id) * 100 + COUNT(*) FROM {table}"))
            .await;
        assert_eq!(per_locality, 202, "{table}: one in each locality");
    }
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM polls WHERE question_ro = 'Unde să plantăm copaci în primăvară?'"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn signed_in_functions_refuse_anonymous_visitors() {
    let app = spawn_app().await;
    let report = app.report_of("roads", "accepted").await.to_string();
    let calls = [
        form("/api/reports/support", &[("report_id", &report), ("lang", "ro")]),
        form(
            "/api/reports/comment",
            &[("report_id", &report), ("body", "Salut, vecini!"), ("lang", "ro")],
        ),
        form("/api/auth/logout-everywhere", &[("lang", "ro")]),
        Req::get("/api/account/profile"),
        form(
            "/api/account/update",
            &[("display_name", "X"), ("locale", "ro"), ("civic_group", "resident"), ("lang", "ro")],
        ),
        form("/api/account/delete", &[("password", "whatever it is"), ("lang", "ro")]),
        form(
            "/api/account/password",
            &[
                ("current_password", "whatever it is"),
                ("new_password", "a new long password"),
                ("lang", "ro"),
            ],
        ),
        Req::get("/api/account/votes"),
        Req::multipart(
            "/api/initiatives/create",
            Multipart::new().text("title", "x").text("lang", "ro"),
        ),
        form("/api/initiatives/support", &[("id", "1"), ("lang", "ro")]),
        form("/api/initiatives/withdraw", &[("id", "1"), ("lang", "ro")]),
        form("/api/polls/vote", &[("poll_id", "1"), ("lang", "ro")]),
        Req::multipart_fields(
            "/api/budget/propose",
            &[
                ("edition", "2027"),
                ("budget_id", "1"),
                ("title", "x"),
                ("description", "x"),
                ("written_in", "ro"),
                ("cost", "1"),
                ("direction", "green"),
                ("lang", "ro"),
            ],
        ),
        form("/api/budget/ballot/add", &[("budget_id", "1"), ("proposal_id", "1"), ("lang", "ro")]),
        form(
            "/api/budget/ballot/remove",
            &[("budget_id", "1"), ("proposal_id", "1"), ("lang", "ro")],
        ),
        form(
            "/api/budget/ballot/confirm",
            &[("budget_id", "1"), ("document", "x"), ("lang", "ro")],
        ),
        form("/api/budget/about-me/save", &[("edition", "2027"), ("lang", "ro")]),
        form("/api/follows/follow", &[("kind", "poll"), ("id", "1"), ("lang", "ro")]),
        form("/api/follows/unfollow", &[("kind", "poll"), ("id", "1"), ("lang", "ro")]),
        form("/api/newsletters/unsubscribe", &[("lang", "ro")]),
    ];
    assert_eq!(calls.len(), SIGNED_IN.len());
    for call in calls {
        let res = app.send(call).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.body);
    }
    // Reporting needs no account.
    assert_eq!(
        app.send(Req::multipart("/api/reports/create", report_form())).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn administrators_cannot_make_operators_and_operators_can() {
    let app = spawn_app().await;
    let admin = app.demo("admin@balti.demo").await;
    let res = app
        .send(
            form(
                "/api/admin/grant",
                &[
                    ("email", "cetatean@balti.demo"),
                    ("role", "operator"),
                    ("department_id", ""),
                    ("lang", "ro"),
                ],
            )
            .session(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let operator = app.demo("operator@agora.demo").await;
    let res = app
        .send(
            form(
                "/api/admin/grant",
                &[
                    ("email", "cetatean@balti.demo"),
                    ("role", "operator"),
                    ("department_id", ""),
                    ("lang", "ro"),
                ],
            )
            .session(&operator),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // Unknown accounts and department mismatches are field errors, not crashes.
    let res = app
        .send(
            form(
                "/api/admin/grant",
                &[
                    ("email", "ghost@example.md"),
                    ("role", "staff"),
                    ("department_id", ""),
                    ("lang", "ro"),
                ],
            )
            .session(&admin),
        )
        .await;
    assert_eq!(res.problems("email"), vec!["invalid"]);
    let res = app
        .send(
            form(
                "/api/admin/grant",
                &[
                    ("email", "cetatean@balti.demo"),
                    ("role", "moderator"),
                    ("department_id", "1"),
                    ("lang", "ro"),
                ],
            )
            .session(&admin),
        )
        .await;
    assert_eq!(res.problems("department_id"), vec!["invalid"]);
    // Every grant is in the audit log, with who and what.
    let res = app
        .send(
            form(
                "/api/admin/grant",
                &[
                    ("email", "cetatean@balti.demo"),
                    ("role", "moderator"),
                    ("department_id", ""),
                    ("lang", "ro"),
                ],
            )
            .session(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let log = app.send(Req::get("/api/admin/audit?action=grant_role").session(&admin)).await.json();
    let entry = &log[0];
    assert_eq!(entry["actor"], "admin@balti.demo");
    assert!(entry["after"].as_str().unwrap_or_default().contains("\"role\":\"moderator\""));
}

#[tokio::test]
async fn a_department_role_lets_a_staff_member_resolve_its_reports() {
    let app = spawn_app().await;
    let newcomer = app.account_with_role("lumteh@balti.example", None, None).await;
    let report = app.report_of("street-lighting", "accepted").await.to_string();
    let status = |s: &'static str| {
        form(
            "/api/reports/status",
            &[
                ("report_id", &report),
                ("status", s),
                ("department_id", ""),
                ("duplicate_of", ""),
                ("body", "Becul a fost înlocuit."),
                ("lang", "ro"),
            ],
        )
    };
    assert_eq!(app.send(status("resolved").session(&newcomer)).await.status, StatusCode::FORBIDDEN);
    let admin = app.demo("admin@balti.demo").await;
    let lumteh =
        app.scalar("SELECT id FROM departments WHERE name = 'Î.M. „Lumteh”'").await.to_string();
    let res = app
        .send(
            form(
                "/api/admin/grant",
                &[
                    ("email", "lumteh@balti.example"),
                    ("role", "staff"),
                    ("department_id", &lumteh),
                    ("lang", "ro"),
                ],
            )
            .session(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = app.send(status("resolved").session(&newcomer)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // Their role covers their department's categories only.
    let green = app.report_of("green-spaces", "accepted").await.to_string();
    let res = app
        .send(
            form(
                "/api/reports/status",
                &[
                    ("report_id", &green),
                    ("status", "resolved"),
                    ("department_id", ""),
                    ("duplicate_of", ""),
                    ("body", "x"),
                    ("lang", "ro"),
                ],
            )
            .session(&newcomer),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn each_locality_is_administered_by_its_own_administrators() {
    let app = spawn_app().await;
    app.import_singerei().await;
    let singerei_admin =
        app.account_with_role("admin@singerei.example", Some("admin"), Some("singerei")).await;
    app.account_with_role("clerk@singerei.example", None, None).await;
    let grant = |locality: &'static str| {
        form(
            "/api/admin/grant",
            &[
                ("email", "clerk@singerei.example"),
                ("role", "staff"),
                ("department_id", ""),
                ("locality", locality),
                ("lang", "ro"),
            ],
        )
    };

    // Sîngerei's administrator sees and manages Sîngerei without naming it…
    let overview = app.send(Req::get("/api/admin/overview").session(&singerei_admin)).await;
    assert_eq!(overview.status, StatusCode::OK, "{}", overview.body);
    assert_eq!(overview.json()["locality_slug"], "singerei");
    let res = app.send(grant("").session(&singerei_admin)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let granted_in = app
        .scalar(
            "SELECT r.locality_id FROM roles r JOIN users u ON u.id = r.user_id \
             WHERE u.email = 'clerk@singerei.example'",
        )
        .await;
    assert_eq!(granted_in, app.scalar("SELECT id FROM localities WHERE slug = 'singerei'").await);

    // …but cannot reach Bălți's, by name or by a locality that does not exist.
    for locality in ["balti", "atlantis"] {
        let res = app
            .send(
                Req::get(&format!("/api/admin/overview?locality={locality}"))
                    .session(&singerei_admin),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{locality}");
        let res = app.send(grant(locality).session(&singerei_admin)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{locality}");
    }
    let balti_roles = app
        .scalar(
            "SELECT COUNT(*) FROM roles r JOIN localities l ON l.id = r.locality_id \
             WHERE l.slug = 'balti' AND r.user_id = (SELECT id FROM users WHERE email = 'clerk@singerei.example')",
        )
        .await;
    assert_eq!(balti_roles, 0);

    // The operator works on any locality and is offered both.
    let operator = app.demo("operator@agora.demo").await;
    let res = app.send(Req::get("/api/admin/overview?locality=singerei").session(&operator)).await;
    assert_eq!(res.json()["locality_slug"], "singerei");
    assert_eq!(res.json()["administered"].as_array().map(Vec::len), Some(2));
}

/// Open311's endpoints: reading is open to all; filing a report takes an API key of the
/// locality, whatever session the caller has.
#[tokio::test]
async fn open311_writes_need_a_key_of_their_locality() {
    use app::store::OpenDataStore;
    let app = spawn_app().await;
    app.import_singerei().await;
    let issue = |slug: &'static str| {
        let app = &app;
        async move {
            let id = app.scalar(&format!("SELECT id FROM localities WHERE slug = '{slug}'")).await;
            app.db
                .create_api_key(&app::model::Viewer::default(), id, "Client")
                .await
                .expect("key")
                .key
        }
    };
    let (own, foreign) = (issue("balti").await, issue("singerei").await);
    let admin = app.demo("admin@balti.demo").await;
    let request = |key: &str| {
        form(
            "/open311/v2/requests.json",
            &[
                ("api_key", key),
                ("service_code", "roads"),
                ("lat", crate::helpers::CENTRE.0),
                ("long", crate::helpers::CENTRE.1),
                ("description", "O groapă adâncă în mijlocul drumului."),
            ],
        )
    };
    for uri in [
        "/open311/discovery.json",
        "/open311/v2/services.xml",
        "/open311/v2/services/roads.json",
        "/open311/v2/requests.json",
        "/open311/v2/servicerequestupdates.xml",
    ] {
        assert_eq!(app.get(uri).await.status, StatusCode::OK, "{uri} is open");
    }
    assert_eq!(app.send(request("")).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.send(request("").session(&admin)).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.send(request(&foreign)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.send(request(&own)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn subscriptions_are_only_their_owners_to_see_and_end() {
    let app = spawn_app().await;
    let report = app.report_of("green-spaces", "new").await.to_string();
    let citizen = app.demo("cetatean@balti.demo").await;
    app.send(
        Req::form("/api/reports/subscribe", &[("report_id", &report), ("lang", "ro")])
            .session(&citizen),
    )
    .await;
    let id = app
        .scalar(&format!("SELECT MAX(id) FROM report_subscriptions WHERE report_id = {report}"))
        .await
        .to_string();
    // Without a session or token: unauthorized; a bad token: refused; someone else: not found.
    assert_eq!(app.get("/api/subscriptions/list").await.status, StatusCode::UNAUTHORIZED);
    let res = app.get("/api/subscriptions/list?token=nonsense").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let other = app.account_with_role("alt@example.md", None, None).await;
    let res = app
        .send(
            Req::form(
                "/api/subscriptions/remove",
                &[("kind", "report"), ("id", &id), ("lang", "ro")],
            )
            .session(&other),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = app
        .send(Req::form(
            "/api/subscriptions/remove",
            &[("kind", "report"), ("id", &id), ("lang", "ro")],
        ))
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) FROM report_subscriptions WHERE id = {id}")).await,
        1
    );
}
