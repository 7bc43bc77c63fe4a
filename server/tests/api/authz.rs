//! Every server function is classified, and every staff function refuses anonymous visitors,
//! citizens, and staff of another locality: only the right role passes.

use crate::helpers::{report_form, spawn_app, Multipart, Req, TestApp};
use axum::http::StatusCode;

/// Anyone may call these (reads, and the citizen-facing writes that check their own input).
const PUBLIC: &[&str] = &[
    "/api/site/context",
    "/api/map/features",
    "/api/map/reports",
    "/api/map/in-view",
    "/api/reports/get",
    "/api/reports/list",
    "/api/reports/nearby",
    "/api/reports/create",
    "/api/reports/subscribe",
    "/api/reports/subscription/confirm",
    "/api/alerts/create",
    "/api/announcements/list",
    "/api/alerts/confirm",
    "/api/auth/viewer",
    "/api/auth/signup",
    "/api/auth/confirm",
    "/api/auth/login",
    "/api/auth/logout",
    "/api/auth/forgot",
    "/api/auth/reset",
    "/api/auth/link",
    "/api/auth/link-signin",
    "/api/initiatives/list",
    "/api/initiatives/get",
    "/api/polls/list",
    "/api/polls/get",
    "/api/statistics/get",
    "/api/statistics/year",
];

/// A signed-in person acting on their own behalf.
const SIGNED_IN: &[&str] = &[
    "/api/reports/support",
    "/api/reports/comment",
    "/api/auth/logout-everywhere",
    "/api/account/profile",
    "/api/account/update",
    "/api/account/delete",
    "/api/account/password",
    "/api/account/votes",
    "/api/initiatives/create",
    "/api/initiatives/support",
    "/api/initiatives/withdraw",
    "/api/polls/vote",
];

/// Managing subscriptions: the owner, signed in or holding the token of a message sent to them.
const OWNER_OR_TOKEN: &[&str] = &["/api/subscriptions/list", "/api/subscriptions/remove"];

/// A staff function: how to call it, and the account that holds the right role for it.
struct Guarded {
    path: &'static str,
    allowed: &'static str,
    request: fn(&Ids) -> Req,
}

struct Ids {
    green_report: String,
    comment: String,
    grant: String,
    initiative: String,
}

fn form(path: &str, fields: &[(&str, &str)]) -> Req {
    Req::form(path, fields)
}

const GUARDED: &[Guarded] = &[
    Guarded {
        path: "/api/reports/status",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| {
            form(
                "/api/reports/status",
                &[
                    ("report_id", &ids.green_report),
                    ("status", ""),
                    ("department_id", ""),
                    ("duplicate_of", ""),
                    ("body", "Am preluat."),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/reports/bulk-status",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| {
            form(
                "/api/reports/bulk-status",
                &[
                    ("ids[0]", &ids.green_report),
                    ("status", ""),
                    ("department_id", ""),
                    ("body", "Am preluat."),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/reports/location",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/reports/location",
                &[
                    ("report_id", &ids.green_report),
                    ("lat", "47.7600"),
                    ("lng", "27.9300"),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/reports/moderate",
        allowed: "moderator@balti.demo",
        request: |ids| {
            form(
                "/api/reports/moderate",
                &[
                    ("kind", "comment"),
                    ("id", &ids.comment),
                    ("hide", "true"),
                    ("reason", "Spam evident"),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/staff/queue",
        allowed: "spatii.verzi@balti.demo",
        request: |_| Req::get("/api/staff/queue"),
    },
    Guarded {
        path: "/api/initiatives/awaiting",
        allowed: "spatii.verzi@balti.demo",
        request: |_| Req::get("/api/initiatives/awaiting"),
    },
    Guarded {
        path: "/api/initiatives/answer",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| {
            form(
                "/api/initiatives/answer",
                &[
                    ("id", &ids.initiative),
                    ("answer", "Primăria analizează propunerea împreună cu proprietarul clădirii."),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/initiatives/moderate",
        allowed: "moderator@balti.demo",
        request: |ids| {
            form(
                "/api/initiatives/moderate",
                &[
                    ("id", &ids.initiative),
                    ("hide", "true"),
                    ("reason", "Conținut duplicat"),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/announcements/create",
        allowed: "spatii.verzi@balti.demo",
        request: |_| {
            form(
                "/api/announcements/create",
                &[
                    ("title_ro", "Apa se oprește pe strada Independenței"),
                    ("title_ru", ""),
                    ("title_uk", ""),
                    ("title_en", ""),
                    ("body_ro", "Lucrări la rețeaua de apă între orele 9 și 17."),
                    ("body_ru", ""),
                    ("body_uk", ""),
                    ("body_en", ""),
                    ("scope", "locality"),
                    ("valid_from", "2030-01-01T09:00"),
                    ("valid_until", "2030-01-01T17:00"),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/polls/create",
        allowed: "spatii.verzi@balti.demo",
        request: |_| {
            form(
                "/api/polls/create",
                &[
                    ("question_ro", "Unde să plantăm copaci în primăvară?"),
                    ("question_ru", ""),
                    ("question_uk", ""),
                    ("question_en", ""),
                    ("description_ro", ""),
                    ("description_ru", ""),
                    ("description_uk", ""),
                    ("description_en", ""),
                    ("options_ro", "Strada Independenței\nParcul Central"),
                    ("options_ru", ""),
                    ("options_uk", ""),
                    ("options_en", ""),
                    ("links", ""),
                    ("max_choices", "1"),
                    ("opens_at", "2026-03-01T09:00"),
                    ("closes_at", "2026-04-01T18:00"),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/admin/overview",

        allowed: "admin@balti.demo",
        request: |_| Req::get("/api/admin/overview?locality=balti"),
    },
    Guarded {
        path: "/api/admin/grant",
        allowed: "admin@balti.demo",
        request: |_| {
            form(
                "/api/admin/grant",
                &[
                    ("email", "cetatean@balti.demo"),
                    ("role", "moderator"),
                    ("department_id", ""),
                    ("locality", "balti"),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/admin/revoke",
        allowed: "admin@balti.demo",
        request: |ids| form("/api/admin/revoke", &[("grant_id", &ids.grant), ("lang", "ro")]),
    },
    Guarded {
        path: "/api/admin/department",
        allowed: "admin@balti.demo",
        request: |_| {
            form(
                "/api/admin/department",
                &[
                    ("id", ""),
                    ("name", "Direcția drumuri noi"),
                    ("locality", "balti"),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/admin/category",
        allowed: "admin@balti.demo",
        request: |_| {
            form(
                "/api/admin/category",
                &[
                    ("id", ""),
                    ("slug", "snow"),
                    ("name_ro", "Deszăpezire"),
                    ("name_ru", ""),
                    ("name_uk", ""),
                    ("name_en", "Snow"),
                    ("icon", "road"),
                    ("color", "#336699"),
                    ("active", "on"),
                    ("locality", "balti"),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/admin/audit",
        allowed: "admin@balti.demo",
        request: |_| Req::get("/api/admin/audit?locality=balti"),
    },
    Guarded {
        path: "/api/admin/outbox",
        allowed: "operator@agora.demo",
        request: |_| Req::get("/api/admin/outbox"),
    },
    Guarded {
        path: "/api/admin/localities",
        allowed: "operator@agora.demo",
        request: |_| Req::get("/api/admin/localities"),
    },
    Guarded {
        path: "/api/admin/locality",
        allowed: "operator@agora.demo",
        request: |_| form("/api/admin/locality", &[("json", SINGEREI_UPDATE), ("lang", "ro")]),
    },
];

const SINGEREI_UPDATE: &str = r#"{"slug":"singerei","name":{"ro":"Sîngerei","ru":"Сынжерей","uk":"Синжерей","en":"Sîngerei"},"centre":[47.6395,28.1426],"zoom":14,"boundary":[[47.653,28.125],[47.652,28.16],[47.627,28.158]],"categories":[]}"#;

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
        "classify these server functions in authz.rs: {unclassified:?}"
    );
}

async fn prepare(app: &TestApp) -> (Ids, String, String) {
    // Sîngerei, with its own administrator and staff member.
    app.import_singerei().await;
    let foreign_admin =
        app.account_with_role("admin@singerei.example", Some("admin"), Some("singerei")).await;
    let foreign_staff =
        app.account_with_role("staff@singerei.example", Some("staff"), Some("singerei")).await;
    let green_report = app.report_of("green-spaces", "accepted").await.to_string();
    let citizen = app.demo("cetatean@balti.demo").await;
    let comment = app
        .send(
            Req::form(
                "/api/reports/comment",
                &[
                    ("report_id", green_report.as_str()),
                    ("body", "Cumpărați pastile!"),
                    ("lang", "ro"),
                ],
            )
            .session(&citizen),
        )
        .await
        .body
        .trim()
        .to_owned();
    let grant = app.scalar("SELECT r.id FROM roles r JOIN users u ON u.id = r.user_id WHERE u.email = 'moderator@balti.demo'").await.to_string();
    let initiative =
        app.scalar("SELECT id FROM initiatives WHERE title = 'Кинотеатр'").await.to_string();
    (Ids { green_report, comment, grant, initiative }, foreign_admin, foreign_staff)
}

#[tokio::test]
async fn only_the_right_role_passes_each_staff_function() {
    let app = spawn_app().await;
    let (ids, foreign_admin, foreign_staff) = prepare(&app).await;
    let citizen = app.demo("cetatean@balti.demo").await;
    for g in GUARDED {
        let anonymous = app.send((g.request)(&ids)).await;
        assert_eq!(
            anonymous.status,
            StatusCode::UNAUTHORIZED,
            "{} as anonymous: {}",
            g.path,
            anonymous.body
        );
        let as_citizen = app.send((g.request)(&ids).session(&citizen)).await;
        assert_eq!(
            as_citizen.status,
            StatusCode::FORBIDDEN,
            "{} as a citizen: {}",
            g.path,
            as_citizen.body
        );
        for (who, session) in
            [("Sîngerei's administrator", &foreign_admin), ("Sîngerei's staff", &foreign_staff)]
        {
            let res = app.send((g.request)(&ids).session(session)).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{} as {who}: {}", g.path, res.body);
        }
        let allowed = app.demo(g.allowed).await;
        let res = app.send((g.request)(&ids).session(&allowed)).await;
        assert_eq!(res.status, StatusCode::OK, "{} as {}: {}", g.path, g.allowed, res.body);
    }
    // Nothing the refused callers attempted took effect: one change each, by the right role.
    assert_eq!(app.scalar("SELECT COUNT(*) FROM roles r JOIN users u ON u.id = r.user_id WHERE u.email = 'cetatean@balti.demo'").await, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM departments WHERE name = 'Direcția drumuri noi'").await,
        1
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM categories WHERE slug = 'snow'").await, 1);
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
