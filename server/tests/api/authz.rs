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
    // The mailed token is the key ("is it fixed?"; tests in fixed.rs).
    "/api/reports/fixed",
    "/api/reports/fixed/answer",
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
    "/api/open-data/facts",
    "/api/budget/editions",
    "/api/budget/edition",
    "/api/budget/results",
    "/api/budget/indicators",
    // Anonymous visitors get "nothing to say" (tests in inclusion.rs).
    "/api/budget/about-me",
    // "Not signed in" for anonymous visitors (tests in follows.rs).
    "/api/follows/state",
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
    "/api/budget/propose",
    "/api/budget/ballot/add",
    "/api/budget/ballot/remove",
    "/api/budget/ballot/confirm",
    "/api/budget/about-me/save",
    "/api/follows/follow",
    "/api/follows/unfollow",
];

/// Managing subscriptions: the owner, signed in or holding the token of a message sent to them.
const OWNER_OR_TOKEN: &[&str] = &["/api/subscriptions/list", "/api/subscriptions/remove"];

/// A staff function: how to call it, and the account that holds the right role for it.
struct Guarded {
    path: &'static str,
    allowed: &'static str,
    request: fn(&Ids) -> Req,
}

/// What the calls of one locality act on.
struct Ids {
    /// The locality's slug, as forms and queries name it.
    locality: &'static str,
    /// A report its staff member may handle.
    green_report: String,
    comment: String,
    /// A grant its administrator may revoke.
    grant: String,
    initiative: String,
    /// A point inside its boundary.
    pin: (&'static str, &'static str),
    /// An API key its administrator may revoke.
    api_key: String,
    /// The demo's 2027 civic-budget edition (voting), its first budget and a project on it.
    budget_edition: String,
    budget: String,
    budget_project: String,
    /// A funded project being implemented.
    work_project: String,
}

fn form(path: &str, fields: &[(&str, &str)]) -> Req {
    Req::form(path, fields)
}

const GUARDED: &[Guarded] = &[
    Guarded {
        path: "/api/budget/review",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/budget/review",
                &[
                    ("proposal_id", &ids.budget_project),
                    ("feasible", "yes"),
                    ("reason", "Verificat de direcție."),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/budget/phase",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/budget/phase",
                &[("edition_id", &ids.budget_edition), ("phase", "voting"), ("lang", "ro")],
            )
        },
    },
    Guarded {
        path: "/api/budget/work",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/budget/work",
                &[
                    ("proposal_id", &ids.work_project),
                    ("status", "in_progress"),
                    ("progress", "30"),
                    ("department_id", ""),
                    ("actual_cost", ""),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/budget/milestone",
        allowed: "admin@balti.demo",
        request: |ids| {
            Req::multipart(
                "/api/budget/milestone",
                Multipart::new()
                    .text("proposal_id", &ids.work_project)
                    .text("on", "2026-05-01")
                    .text("body", "Contractul a fost semnat.")
                    .text("lang", "ro"),
            )
        },
    },
    Guarded {
        path: "/api/budget/paper",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/budget/paper",
                &[
                    ("budget_id", &ids.budget),
                    ("sheet", "P-1"),
                    ("document", "2000111122223"),
                    ("choices[0]", &ids.budget_project),
                    ("lang", "ro"),
                ],
            )
        },
    },
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
                    ("locality", ids.locality),
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
                    ("lat", ids.pin.0),
                    ("lng", ids.pin.1),
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
        request: |ids| Req::get(&format!("/api/staff/queue?locality={}", ids.locality)),
    },
    Guarded {
        path: "/api/initiatives/awaiting",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| Req::get(&format!("/api/initiatives/awaiting?locality={}", ids.locality)),
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
        request: |ids| {
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
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/polls/create",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| {
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
                    ("locality", ids.locality),
                ],
            )
        },
    },
    Guarded {
        path: "/api/admin/overview",

        allowed: "admin@balti.demo",
        request: |ids| Req::get(&format!("/api/admin/overview?locality={}", ids.locality)),
    },
    Guarded {
        path: "/api/admin/grant",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/admin/grant",
                &[
                    ("email", "cetatean@balti.demo"),
                    ("role", "moderator"),
                    ("department_id", ""),
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/open-data/keys",
        allowed: "admin@balti.demo",
        request: |ids| Req::get(&format!("/api/open-data/keys?locality={}", ids.locality)),
    },
    Guarded {
        path: "/api/open-data/keys/issue",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/open-data/keys/issue",
                &[("name", "Client"), ("locality", ids.locality), ("lang", "ro")],
            )
        },
    },
    Guarded {
        path: "/api/open-data/keys/revoke",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/open-data/keys/revoke",
                &[("key_id", &ids.api_key), ("locality", ids.locality), ("lang", "ro")],
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
        request: |ids| {
            form(
                "/api/admin/department",
                &[
                    ("id", ""),
                    ("name", "Direcția drumuri noi"),
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/admin/category",
        allowed: "admin@balti.demo",
        request: |ids| {
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
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/admin/audit",
        allowed: "admin@balti.demo",
        request: |ids| Req::get(&format!("/api/admin/audit?locality={}", ids.locality)),
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

/// The account of `locality` that holds the role `balti_account` holds in Bălți.
fn in_locality(balti_account: &'static str, locality: &str) -> &'static str {
    match (locality, balti_account) {
        ("singerei", "admin@balti.demo") => "admin@singerei.demo",
        ("singerei", "moderator@balti.demo") => "moderator@singerei.demo",
        ("singerei", "spatii.verzi@balti.demo") => "staff@singerei.demo",
        _ => balti_account,
    }
}

/// The roles of each locality of the demo: administrator, moderator, staff member.
const ROLES: [(&str, [&str; 3]); 2] = [
    ("balti", ["admin@balti.demo", "moderator@balti.demo", "spatii.verzi@balti.demo"]),
    ("singerei", ["admin@singerei.demo", "moderator@singerei.demo", "staff@singerei.demo"]),
];

/// Copies Bălți's demo civic-budget edition `slug` (its budgets and projects) to `locality`, so
/// that the budget's staff functions are tried in both localities.
async fn copy_budget_edition(app: &TestApp, slug: &str, locality: &str) {
    let balti = app.scalar("SELECT id FROM localities WHERE slug = 'balti'").await;
    let target = app.scalar(&format!("SELECT id FROM localities WHERE slug = '{locality}'")).await;
    let source =
        format!("SELECT id FROM budget_editions WHERE locality_id = {balti} AND slug = '{slug}'");
    let source = app.scalar(&source).await;
    app.execute(&format!(
        "INSERT INTO budget_editions (locality_id, slug, title_ro, phase, information_from, \
         proposals_from, review_from, voting_from, results_from, implementation_from, document_key, \
         created_at) SELECT {target}, slug, title_ro, phase, information_from, proposals_from, \
         review_from, voting_from, results_from, implementation_from, document_key, created_at \
         FROM budget_editions WHERE id = {source}"
    ))
    .await;
    let edition = app
        .scalar(&format!(
            "SELECT id FROM budget_editions WHERE locality_id = {target} AND slug = '{slug}'"
        ))
        .await;
    let budgets =
        format!("SELECT id FROM budget_budgets WHERE edition_id = {source} ORDER BY position");
    let first = app.scalar(&format!("{budgets} LIMIT 1")).await;
    app.execute(&format!(
        "INSERT INTO budget_budgets (edition_id, position, name_ro, amount, ballot_rule, outcome_rule) \
         SELECT {edition}, position, name_ro, amount, ballot_rule, outcome_rule FROM budget_budgets \
         WHERE id = {first}"
    ))
    .await;
    let copy =
        app.scalar(&format!("SELECT id FROM budget_budgets WHERE edition_id = {edition}")).await;
    app.execute(&format!(
        "INSERT INTO budget_proposals (budget_id, lang, title, description, cost, direction, status, \
         created_at, updated_at) SELECT {copy}, lang, title, description, cost, direction, status, \
         created_at, updated_at FROM budget_proposals WHERE budget_id = {first}"
    ))
    .await;
}

/// What the calls act on in Bălți and in Sîngerei (whose demo reports have no department, so
/// its staff member handles them all).
async fn prepare(app: &TestApp) -> [Ids; 2] {
    let citizen = app.demo("cetatean@balti.demo").await;
    let mut out = Vec::new();
    for (locality, report, pin) in [
        ("balti", app.report_of("green-spaces", "accepted").await, ("47.7600", "27.9300")),
        (
            "singerei",
            app.scalar(
                "SELECT MIN(r.id) FROM reports r JOIN localities l ON l.id = r.locality_id \
                 WHERE l.slug = 'singerei' AND r.status = 'accepted'",
            )
            .await,
            ("47.6440", "28.1477"),
        ),
    ] {
        let green_report = report.to_string();
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
        // A grant the administrator may revoke without taking a demo account's powers away.
        let revocable = format!("revocable@{locality}.example");
        app.account_with_role(&revocable, Some("moderator"), Some(locality)).await;
        let grant = app
            .scalar(&format!(
                "SELECT r.id FROM roles r JOIN users u ON u.id = r.user_id WHERE u.email = '{revocable}'"
            ))
            .await
            .to_string();
        let initiative = if locality == "balti" {
            app.scalar("SELECT id FROM initiatives WHERE title = 'Кинотеатр'").await.to_string()
        } else {
            let res = app
                .send(
                    Req::multipart(
                        "/api/initiatives/create",
                        Multipart::new()
                            .text("title", "Un teren de sport lângă școală")
                            .text(
                                "body",
                                "Propunem amenajarea unui teren de sport lângă școala nr. 1.",
                            )
                            .text("category", "")
                            .text("written_in", "ro")
                            .text("lat", "")
                            .text("lng", "")
                            .text("locality", "singerei")
                            .text("lang", "ro"),
                    )
                    .session(&citizen),
                )
                .await;
            assert_eq!(res.status, StatusCode::OK, "{}", res.body);
            res.body.trim().to_owned()
        };
        app.execute(&format!(
            "INSERT INTO api_keys (locality_id, name, key_digest, prefix, created_at) \
             SELECT id, 'Client', 'digest-{locality}', 'prefix', created_at FROM localities \
             WHERE slug = '{locality}'"
        ))
        .await;
        let api_key = app.scalar("SELECT MAX(id) FROM api_keys").await.to_string();
        if locality != "balti" {
            copy_budget_edition(app, "2027", locality).await;
        }
        let budget_edition = app
            .scalar(&format!(
                "SELECT e.id FROM budget_editions e JOIN localities l ON l.id = e.locality_id \
                 WHERE l.slug = '{locality}' AND e.slug = '2027'"
            ))
            .await
            .to_string();
        let budget = app
            .scalar(&format!(
                "SELECT id FROM budget_budgets WHERE edition_id = {budget_edition} AND position = 0"
            ))
            .await
            .to_string();
        let budget_project = app
            .scalar(&format!("SELECT MIN(id) FROM budget_proposals WHERE budget_id = {budget}"))
            .await
            .to_string();
        if locality != "balti" {
            app.execute(&format!(
                "INSERT INTO budget_works (proposal_id, updated_at) SELECT id, updated_at \
                 FROM budget_proposals WHERE id = {budget_project}"
            ))
            .await;
        }
        let work_project = app
            .scalar(&format!(
                "SELECT MIN(w.proposal_id) FROM budget_works w \
                 JOIN budget_proposals p ON p.id = w.proposal_id \
                 JOIN budget_budgets g ON g.id = p.budget_id \
                 JOIN budget_editions e ON e.id = g.edition_id \
                 JOIN localities l ON l.id = e.locality_id WHERE l.slug = '{locality}'"
            ))
            .await
            .to_string();
        out.push(Ids {
            work_project,
            locality,
            green_report,
            comment,
            grant,
            initiative,
            pin,
            api_key,
            budget_edition,
            budget,
            budget_project,
        });
    }
    let [balti, singerei]: [Ids; 2] = out.try_into().unwrap_or_else(|_| unreachable!());
    [balti, singerei]
}

#[tokio::test]
async fn only_the_right_role_of_the_right_locality_passes_each_staff_function() {
    let app = spawn_app().await;
    let localities = prepare(&app).await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let mut sessions = std::collections::HashMap::new();
    for (_, accounts) in ROLES {
        for account in accounts.into_iter().chain(["operator@agora.demo"]) {
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
            let res = app.send((g.request)(ids).session(&sessions[allowed])).await;
            assert_eq!(res.status, StatusCode::OK, "{}: {}", call(allowed), res.body);
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
        form(
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
