//! "Is it fixed?": some days after a report is resolved its reporter is asked, once, in their
//! language, through a real SMTP server; "no" reopens the report for its department, with the
//! reporter's note in its timeline, and moves its statistics.

use crate::alerts::{link_after, local, send_outbox, BASE};
use crate::helpers::{spawn_app, Multipart, Req, TestApp};
use axum::http::StatusCode;
use server::db::Db;

const CLERK: &str = "spatii.verzi@balti.demo";

/// A report filed without an account by `email`, in `lang`, then accepted and resolved by the
/// clerk of its department.
async fn resolved_report(app: &TestApp, email: &str, lang: &str) -> i64 {
    let form = Multipart::new()
        .text("lang", lang)
        .text("category", "green-spaces")
        .text("title", "Copac căzut în parcul central")
        .text("description", "Un copac a căzut peste alee și blochează trecerea.")
        .text("lat", "47.7600")
        .text("lng", "27.9300")
        .text("email", email);
    let res = app.send(Req::multipart("/api/reports/create", form)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id: i64 = res.body.trim().parse().expect("an id");
    let clerk = app.demo(CLERK).await;
    let department =
        app.scalar("SELECT id FROM departments WHERE name = 'Î.M. „Spații Verzi”'").await;
    for (status, body) in [("accepted", "Am preluat."), ("resolved", "Copacul a fost tăiat.")] {
        let res = app
            .send(
                Req::form(
                    "/api/reports/status",
                    &[
                        ("report_id", &id.to_string()),
                        ("status", status),
                        ("department_id", &department.to_string()),
                        ("duplicate_of", ""),
                        ("body", body),
                        ("lang", "ro"),
                    ],
                )
                .session(&clerk),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{status}: {}", res.body);
    }
    id
}

/// Sets report `id`'s `column` (a time) to `days` days ago: as if it had happened then.
async fn days_ago(app: &TestApp, column: &str, id: i64, days: i64) {
    let at = chrono::Utc::now() - chrono::TimeDelta::days(days);
    let sql = format!("UPDATE reports SET {column} = $1 WHERE id = $2");
    match &app.db {
        Db::Sqlite(pool) => sqlx::query(&sql).bind(at).bind(id).execute(pool).await.map(|_| ()),
        Db::Postgres(pool) => sqlx::query(&sql).bind(at).bind(id).execute(pool).await.map(|_| ()),
    }
    .expect("moved back");
}

async fn stats(app: &TestApp, status: &str) -> i64 {
    app.scalar(&format!(
        "SELECT CAST(COALESCE(SUM(reports), 0) AS BIGINT) FROM report_stats WHERE status = '{status}'"
    ))
    .await
}

#[tokio::test]
async fn a_reporter_is_asked_once_and_no_reopens_the_report() {
    let app = spawn_app().await;
    let id = resolved_report(&app, "ana@example.md", "ru").await;
    let recent = resolved_report(&app, "ion@example.md", "ro").await;
    let old = resolved_report(&app, "vasile@example.md", "ro").await;
    days_ago(&app, "resolved_at", id, 22).await;
    days_ago(&app, "resolved_at", recent, 3).await;
    // Years ago: never asked, so loading old data floods nobody.
    days_ago(&app, "resolved_at", old, 400).await;
    send_outbox(&app).await;

    assert_eq!(server::notify::run_fixed_checks(&app.db, BASE).await, 1);
    let mail = send_outbox(&app).await;
    assert_eq!(mail.len(), 1, "{:?}", mail.iter().map(|m| &m.to).collect::<Vec<_>>());
    let question = &mail[0];
    assert_eq!(question.to, "ana@example.md");
    assert_eq!(question.language, "ru");
    assert!(question.subject.contains(&format!("№{id}")), "{}", question.subject);
    assert!(question.unsubscribe.is_none(), "a question, not a subscription");
    let link = link_after(&question.body, &format!("{BASE}/ru/is-it-fixed?token="));
    // Asked once, however often the job runs.
    assert_eq!(server::notify::run_fixed_checks(&app.db, BASE).await, 0);

    // The page opens without an account, in the mail's language.
    let page = app.get(local(&link)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Проблема решена?"), "{}", page.body);
    assert!(page.body.contains("Copac căzut în parcul central"));
    // A forged token opens nothing; an answer that is neither is refused, and nothing changes.
    assert_eq!(app.get("/ru/is-it-fixed?token=forged").await.status, StatusCode::NOT_FOUND);
    let token = link.rsplit("token=").next().unwrap_or_default().to_owned();
    let answer = |value: &str, note: &str| {
        Req::form(
            "/api/reports/fixed/answer",
            &[("token", &token), ("answer", value), ("note", note), ("lang", "ru")],
        )
    };
    let res = app.send(answer("maybe", "")).await;
    assert_eq!(res.problems("answer"), vec!["required"]);
    let res = app
        .send(Req::form(
            "/api/reports/fixed/answer",
            &[("token", "forged"), ("answer", "fixed"), ("lang", "ru")],
        ))
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM fixed_checks WHERE answer IS NOT NULL").await, 0);

    // "No": back in progress with its department, the note in the timeline, statistics moved.
    let (accepted, resolved) = (stats(&app, "accepted").await, stats(&app, "resolved").await);
    let res = app.send(answer("not_fixed", "Crengile sunt încă pe alee.")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.header("location"), format!("/ru/is-it-fixed?token={token}&answered=1"));
    assert_eq!(
        app.text(&format!("SELECT status FROM reports WHERE id = {id}")).await.as_deref(),
        Some("accepted")
    );
    assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM reports WHERE id = {id} AND resolved_at IS NULL AND department_id IS NOT NULL")).await, 1);
    assert_eq!(stats(&app, "accepted").await, accepted + 1);
    assert_eq!(stats(&app, "resolved").await, resolved - 1);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM report_events WHERE report_id = {id} AND from_status = 'resolved' \
             AND to_status = 'accepted' AND official = FALSE AND body = 'Crengile sunt încă pe alee.'"
        ))
        .await,
        1
    );
    let report = app.get(&format!("/ru/reports/{id}")).await;
    assert!(report.body.contains("Снова открыто автором"), "the timeline says who reopened it");
    // Back in the clerk's queue, flagged by nothing yet (it just changed).
    let clerk = app.demo(CLERK).await;
    let queue = app.send(Req::get("/ro/staff?status=accepted").session(&clerk)).await;
    assert!(queue.body.contains(&format!("/ro/reports/{id}\"")), "in the queue");

    // The first answer stands: a second one changes nothing.
    let res = app.send(answer("fixed", "")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        app.text(&format!("SELECT answer FROM fixed_checks WHERE report_id = {id}"))
            .await
            .as_deref(),
        Some("not_fixed")
    );
    let page = app.get(local(&link)).await;
    assert!(page.body.contains("Вы уже ответили"), "{}", page.body);
    assert_eq!(stats(&app, "accepted").await, accepted + 1);
    // The statistics count the answer (and the reopened report left the resolved ones).
    let figures = app.get("/api/statistics/get?locality=balti").await.json();
    assert_eq!(
        (figures["fixed_confirmed"].as_i64(), figures["fixed_disputed"].as_i64()),
        (Some(0), Some(1))
    );
}

#[tokio::test]
async fn yes_keeps_the_report_resolved_and_reports_quiet_too_long_are_flagged() {
    let app = spawn_app().await;
    let id = resolved_report(&app, "ana@example.md", "en").await;
    days_ago(&app, "resolved_at", id, 21).await;
    send_outbox(&app).await;
    assert_eq!(server::notify::run_fixed_checks(&app.db, BASE).await, 1);
    let mail = send_outbox(&app).await;
    let link = link_after(&mail[0].body, &format!("{BASE}/en/is-it-fixed?token="));
    let token = link.rsplit("token=").next().unwrap_or_default().to_owned();
    let res = app
        .send(Req::form(
            "/api/reports/fixed/answer",
            &[("token", &token), ("answer", "fixed"), ("lang", "en")],
        ))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        app.text(&format!("SELECT status FROM reports WHERE id = {id}")).await.as_deref(),
        Some("resolved")
    );
    let page = app.get(local(&format!("{link}&answered=1"))).await;
    assert!(page.body.contains("Thank you! Your answer tells us what is really fixed."));
    let figures = app.get("/api/statistics/get?locality=balti").await.json();
    assert_eq!(
        (figures["fixed_confirmed"].as_i64(), figures["fixed_disputed"].as_i64()),
        (Some(1), Some(0))
    );
    let page = app.get("/en/statistics").await;
    assert!(
        page.body.contains("Confirmed fixed by reporters"),
        "the statistics page shows the answers"
    );
    let this_year = chrono::Datelike::year(&chrono::Utc::now());
    let earlier = app
        .get(&format!("/api/statistics/get?locality=balti&to={}-01", this_year - 1))
        .await
        .json();
    assert_eq!(earlier["fixed_confirmed"], 0, "an answer counts in the period it was given");

    // A report in progress with no news for longer than the locality allows is flagged.
    let quiet = app.report_of("green-spaces", "accepted").await;
    app.execute("UPDATE localities SET stuck_days = 5 WHERE slug = 'balti'").await;
    days_ago(&app, "updated_at", quiet, 9).await;
    let clerk = app.demo(CLERK).await;
    let queue = app.send(Req::get("/en/staff?status=accepted").session(&clerk)).await;
    assert!(queue.body.contains("No news for 9 days"), "{}", queue.body);
}
