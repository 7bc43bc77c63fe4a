//! Surveys written by the NGO network's organisations, where their locality lets them: who
//! may switch it on, what their members run, and what they lose when it is switched off.

use crate::helpers::{spawn_app, Req};
use crate::survey_pages::needs_survey;
use axum::http::StatusCode;

#[tokio::test]
async fn an_organisation_writes_surveys_only_where_its_locality_lets_it() {
    let app = spawn_app().await;
    let organisation = app
        .scalar(
            "INSERT INTO organisations (locality_id, slug, name, created_at) SELECT id, 'sprijin', \
             'Asociația Sprijin', created_at FROM localities WHERE slug = 'balti' RETURNING id",
        )
        .await;
    let member = app.account_with_role("membru@sprijin.example", None, None).await;
    let user = app.scalar("SELECT id FROM users WHERE email = 'membru@sprijin.example'").await;
    app.execute(&format!(
        "INSERT INTO organisation_members (organisation_id, user_id, added_at) \
         VALUES ({organisation}, {user}, '2026-01-01 00:00:00+00:00')"
    ))
    .await;
    let admin = app.demo("admin@balti.demo").await;
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let organisation = organisation.to_string();
    let save = |for_organisation: &str| {
        Req::multipart_fields(
            "/api/surveys/save",
            &[
                ("survey_id", ""),
                ("organisation", for_organisation),
                ("title_ro", "Feedback după atelierul de limbă"),
                ("opens", "2026-01-01T08:00"),
                ("closes", "2999-01-01T08:00"),
                ("respondents", "anyone"),
                ("s0_kind", "scale"),
                ("s0_prompt_ro", "Cât de util a fost atelierul?"),
                ("lang", "ro"),
            ],
        )
        .session(&member)
    };
    let setting = |allowed: &str, who: &str| {
        Req::form("/api/surveys/ngo-setting", &[("allowed", allowed), ("lang", "ro")]).session(who)
    };

    // Not until the locality lets its organisations write surveys, and only its administrators
    // may.
    assert_eq!(app.send(save(&organisation)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.send(setting("true", &staff)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.send(setting("true", &admin)).await.status, StatusCode::OK);
    assert!(app.get("/api/surveys/list").await.json()["ngo_surveys"].as_bool().expect("flag"));

    // For its own organisation only; the survey is the organisation's.
    assert_eq!(app.send(save("999999")).await.status, StatusCode::FORBIDDEN);
    let res = app.send(save(&organisation)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id = res.body.trim().to_owned();
    assert_eq!(
        app.scalar(&format!("SELECT organisation_id FROM surveys WHERE id = {id}"))
            .await
            .to_string(),
        organisation
    );
    // Its draft is listed for its members and the city hall's staff, not for others.
    let listed = |session: Option<&str>| {
        let req = Req::get("/api/surveys/list");
        match session {
            Some(s) => req.session(s),
            None => req,
        }
    };
    let has = |list: serde_json::Value| {
        list["surveys"]
            .as_array()
            .expect("list")
            .iter()
            .any(|s| s["id"].as_i64() == id.parse().ok())
    };
    assert!(has(app.send(listed(Some(&member))).await.json()));
    assert!(has(app.send(listed(Some(&staff))).await.json()));
    assert!(!has(app.send(listed(None)).await.json()));

    // Its members publish it and read every answer; a city hall survey is not theirs to run.
    let publish = |survey: &str| {
        Req::form("/api/surveys/publish", &[("id", survey), ("lang", "ro")]).session(&member)
    };
    assert_eq!(app.send(publish(&id)).await.status, StatusCode::OK);
    let res = app.send(Req::get(&format!("/api/surveys/results?id={id}")).session(&member)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.json()["runs"].as_bool().expect("runs"));
    let csv =
        app.send(Req::get(&format!("/api/v1/surveys/{id}/results.csv")).session(&member)).await;
    assert!(csv.body.starts_with("\"sheet\""), "{}", csv.body);
    let (needs, _) = needs_survey(&app).await;
    assert_eq!(app.send(publish(&needs.to_string())).await.status, StatusCode::FORBIDDEN);
    let res =
        app.send(Req::get(&format!("/api/surveys/results?id={needs}")).session(&member)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);

    // Taken back: the members run nothing any more.
    assert_eq!(app.send(setting("false", &admin)).await.status, StatusCode::OK);
    let res = app.send(Req::get(&format!("/api/surveys/results?id={id}")).session(&member)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(app.send(save(&organisation)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('allow_ngo_surveys', 'forbid_ngo_surveys')").await,
        2
    );
}
