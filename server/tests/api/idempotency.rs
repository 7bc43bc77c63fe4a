//! `Idempotency-Key`: a create or vote request sent again is done once and answered as the
//! first time; without the key, a repeat is a new request.

use crate::helpers::{report_form, spawn_app, Req};
use axum::http::StatusCode;

#[tokio::test]
async fn a_request_sent_twice_with_its_key_is_done_once() {
    let app = spawn_app().await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let reports = || app.scalar("SELECT COUNT(*) FROM reports");
    let before = reports().await;
    let send = |key: Option<&str>| {
        let req = Req::multipart("/api/reports/create", report_form()).session(&citizen);
        match key {
            Some(k) => req.header("idempotency-key", k),
            None => req,
        }
    };
    let first = app.send(send(Some("3f1c9a52-offline-report-1"))).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.header("idempotent-replayed"), "");
    let again = app.send(send(Some("3f1c9a52-offline-report-1"))).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.header("idempotent-replayed"), "true");
    assert_eq!(again.body, first.body, "the same report's id");
    assert_eq!(reports().await, before + 1);
    // Another key, or none, is another request.
    app.send(send(Some("3f1c9a52-offline-report-2"))).await;
    app.send(send(None)).await;
    assert_eq!(reports().await, before + 3);

    // An anonymous sheet sent twice (a flaky network at the kiosk) is counted once.
    let survey = app.scalar("SELECT id FROM surveys WHERE title_ro LIKE 'Satisfacția%'").await;
    let scale = app
        .scalar(&format!(
            "SELECT id FROM survey_questions WHERE survey_id = {survey} AND position = 0"
        ))
        .await;
    let trust = app
        .scalar(&format!(
            "SELECT id FROM survey_questions WHERE survey_id = {survey} AND position = 1"
        ))
        .await;
    let sheets_sql = format!("SELECT COUNT(*) FROM survey_responses WHERE survey_id = {survey}");
    let sheets = || app.scalar(&sheets_sql);
    let before = sheets().await;
    let sheet = || {
        Req::multipart_fields(
            "/api/surveys/answer",
            &[
                ("survey", &survey.to_string()),
                ("step", "submit"),
                (&format!("q{scale}"), "5"),
                (&format!("q{trust}"), "0"),
                ("lang", "uk"),
            ],
        )
        .header("idempotency-key", "kiosk-7b2e")
    };
    let first = app.send(sheet()).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let again = app.send(sheet()).await;
    assert_eq!((again.status, again.body.as_str()), (StatusCode::OK, first.body.as_str()));
    assert_eq!(sheets().await, before + 1);

    // The same key from another person is theirs: both supports count.
    let initiative =
        app.scalar("SELECT id FROM initiatives WHERE title = 'Кинотеатр'").await.to_string();
    let votes_sql = format!(
        "SELECT COUNT(*) FROM ballots WHERE subject_kind = 'initiative' AND subject_id = {initiative}"
    );
    let votes = || app.scalar(&votes_sql);
    let before = votes().await;
    for who in ["first@keys.example", "second@keys.example"] {
        let session = app.account_with_role(who, None, None).await;
        let res = app
            .send(
                Req::form("/api/initiatives/support", &[("id", &initiative), ("lang", "ro")])
                    .session(&session)
                    .header("idempotency-key", "support-1"),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{who}: {}", res.body);
        assert_eq!(res.header("idempotent-replayed"), "");
    }
    assert_eq!(votes().await, before + 2);

    // A key that is not one is refused before anything is done.
    let before = reports().await;
    let res = app.send(send(Some("two words"))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.problems("idempotency_key"), vec!["invalid"]);
    let res = app.send(send(Some(&"k".repeat(256)))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reports().await, before);
}
