//! What the authorization tests act on in each locality, and the roles that act.

use super::table::Ids;
use crate::helpers::{Multipart, Req, TestApp};
use axum::http::StatusCode;

/// The account of `locality` that holds the role `balti_account` holds in Bălți.
pub(super) fn in_locality(balti_account: &'static str, locality: &str) -> &'static str {
    match (locality, balti_account) {
        ("singerei", "admin@balti.demo") => "admin@singerei.demo",
        ("singerei", "moderator@balti.demo") => "moderator@singerei.demo",
        ("singerei", "spatii.verzi@balti.demo" | "relatii.publice@balti.demo") => {
            "staff@singerei.demo"
        }
        _ => balti_account,
    }
}

/// The roles of each locality of the demo: administrator, moderator, staff member.
pub(super) const ROLES: [(&str, [&str; 3]); 2] = [
    ("balti", ["admin@balti.demo", "moderator@balti.demo", "spatii.verzi@balti.demo"]),
    ("singerei", ["admin@singerei.demo", "moderator@singerei.demo", "staff@singerei.demo"]),
];

/// Copies Bălți's demo civic-budget edition `slug` (its budgets and projects) to `locality`, so
/// that the budget's staff functions are tried in both localities.
pub(super) async fn copy_budget_edition(app: &TestApp, slug: &str, locality: &str) {
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
pub(super) async fn prepare(app: &TestApp) -> [Ids; 2] {
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
        let open_edition = app
            .scalar(&format!(
                "INSERT INTO budget_editions (locality_id, slug, title_ro, phase, information_from, \
                 proposals_from, review_from, voting_from, results_from, implementation_from, \
                 document_key, created_at) SELECT id, 'open', 'Deschisă', 'information', \
                 '2026-01-01 00:00:00+00:00', '2026-02-01 00:00:00+00:00', '2026-03-01 00:00:00+00:00', \
                 '2026-04-01 00:00:00+00:00', '2999-01-01 00:00:00+00:00', '2999-02-01 00:00:00+00:00', \
                 'k', '2026-01-01 00:00:00+00:00' FROM localities WHERE slug = '{locality}' RETURNING id"
            ))
            .await
            .to_string();
        // The network: an organisation with a member to remove and a proposal to review.
        let organisation = app
            .scalar(&format!(
                "INSERT INTO organisations (locality_id, slug, name, created_at) SELECT id, 'authz', \
                 'Asociația de test', created_at FROM localities WHERE slug = '{locality}' RETURNING id"
            ))
            .await
            .to_string();
        let member_email = format!("member@{locality}.example");
        app.account_with_role(&member_email, None, None).await;
        let organisation_member =
            app.scalar(&format!("SELECT id FROM users WHERE email = '{member_email}'")).await;
        app.execute(&format!(
            "INSERT INTO organisation_members (organisation_id, user_id, added_at) \
             VALUES ({organisation}, {organisation_member}, '2026-01-01 00:00:00+00:00')"
        ))
        .await;
        let proposed_event = app
            .scalar(&format!(
                "INSERT INTO events (locality_id, organisation_id, title_ro, description_ro, starts_at, \
                 ends_at, place, language, audience, category, status, created_at) SELECT locality_id, id, \
                 'Atelier', 'Un atelier pentru toți.', '2999-01-01 10:00:00+00:00', \
                 '2999-01-01 12:00:00+00:00', 'Biblioteca', 'ro', 'everyone', 'workshop', 'proposed', \
                 created_at FROM organisations WHERE id = {organisation} RETURNING id"
            ))
            .await
            .to_string();
        // The directory: an entry kept by staff, and a new entry the NGO proposed.
        let service = app
            .scalar(&format!(
                "INSERT INTO services (locality_id, provider, category, name_ro, description_ro, \
                 address, languages, free, audience, checked_at, created_at, updated_at) SELECT id, \
                 'Primăria', 'health', 'Cabinet', 'Consultații pentru toți.', 'str. Test 1', 'ro', \
                 TRUE, 'everyone', created_at, created_at, created_at FROM localities \
                 WHERE slug = '{locality}' RETURNING id"
            ))
            .await
            .to_string();
        let draft = format!(
            r#"{{"organisation_id":{organisation},"provider":"Asociația de test","category":"housing","name":{{"ro":"Cazare temporară"}},"description":{{"ro":"Ajutor pentru găsirea unei locuințe."}},"eligibility":{{}},"address":"str. Test 2","at":null,"hours":"","languages":["ro"],"free":true,"audience":"everyone","phone":null,"email":null,"website":null}}"#
        );
        let service_change = app
            .scalar(&format!(
                "INSERT INTO service_changes (locality_id, organisation_id, payload, status, \
                 created_at) SELECT locality_id, id, '{draft}', 'proposed', created_at \
                 FROM organisations WHERE id = {organisation} RETURNING id"
            ))
            .await
            .to_string();
        let draft_newsletter = app
            .scalar(&format!(
                "INSERT INTO newsletters (locality_id, year, quarter, title_ro, body_ro, created_at, \
                 updated_at) SELECT locality_id, 2027, 2, 'Ciornă', 'Text', created_at, created_at \
                 FROM organisations WHERE id = {organisation} RETURNING id"
            ))
            .await
            .to_string();
        let proposed_resource = app
            .scalar(&format!(
                "INSERT INTO resources (locality_id, organisation_id, title_ro, description_ro, url, \
                 language, topic, audience, status, created_at) SELECT locality_id, id, 'Ghid', \
                 'Un ghid pentru toți.', 'https://ghid.example.org', 'ro', 'rights_legal', \
                 'everyone', 'proposed', created_at FROM organisations WHERE id = {organisation} \
                 RETURNING id"
            ))
            .await
            .to_string();
        let survey = app
            .scalar(&format!(
                "INSERT INTO surveys (locality_id, title_ro, opens_at, closes_at, respondents, \
                 created_at, updated_at) SELECT id, 'Nevoile familiilor', '2026-01-01 00:00:00+00:00', \
                 '2999-01-01 00:00:00+00:00', 'anyone', created_at, created_at FROM localities \
                 WHERE slug = '{locality}' RETURNING id"
            ))
            .await
            .to_string();
        out.push(Ids {
            survey,
            draft_newsletter,
            proposed_resource,
            service,
            service_change,
            organisation,
            organisation_member: organisation_member.to_string(),
            proposed_event,
            open_edition,
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
