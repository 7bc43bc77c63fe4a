//! Surveys over HTTP, as a browser without JavaScript and an API client use them: answering
//! section by section with the answers kept for the browser's cookie, resuming, the results
//! and the CSV for the public and for staff, and the staff's editor.

use crate::helpers::{spawn_app, Req, TestApp, TestResponse};
use axum::http::StatusCode;

/// The demo's questionnaire on refugees' needs (anyone, anonymous, results for staff), and
/// its question ids in order.
pub(crate) async fn needs_survey(app: &TestApp) -> (i64, Vec<i64>) {
    let id = app.scalar("SELECT id FROM surveys WHERE title_ro LIKE 'Nevoile%'").await;
    (id, question_ids(app, id).await)
}

async fn question_ids(app: &TestApp, survey: i64) -> Vec<i64> {
    let count = app
        .scalar(&format!("SELECT COUNT(*) FROM survey_questions WHERE survey_id = {survey}"))
        .await;
    let mut ids = Vec::new();
    for position in 0..count {
        ids.push(
            app.scalar(&format!(
                "SELECT id FROM survey_questions WHERE survey_id = {survey} AND position = {position}"
            ))
            .await,
        );
    }
    ids
}

/// A step through the survey as a browser's form post, with the browser's survey cookie.
fn step(
    survey: i64,
    section: usize,
    step: &str,
    answers: &[(String, &str)],
    cookie: Option<&str>,
) -> Req {
    let section = section.to_string();
    let survey = survey.to_string();
    let mut fields: Vec<(&str, &str)> = vec![
        ("survey", &survey),
        ("section", &section),
        ("step", step),
        ("lang", "uk"),
        ("locality", ""),
    ];
    fields.extend(answers.iter().map(|(k, v)| (k.as_str(), *v)));
    let req = Req::multipart_fields("/api/surveys/answer", &fields).header("accept", "text/html");
    match cookie {
        Some(c) => req.header("cookie", &format!("agora_survey={c}")),
        None => req,
    }
}

fn survey_cookie(res: &TestResponse) -> Option<String> {
    res.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
        let value = c.strip_prefix("agora_survey=")?.split(';').next()?;
        (!value.is_empty()).then(|| value.to_owned())
    })
}

#[tokio::test]
async fn a_survey_is_answered_part_by_part_left_and_resumed() {
    let app = spawn_app().await;
    let (id, q) = needs_survey(&app).await;
    let field = |n: usize| format!("q{}", q[n]);
    let before =
        app.scalar(&format!("SELECT COUNT(*) FROM survey_responses WHERE survey_id = {id}")).await;

    // Part 1: a refugee, since when, how many in the family. The next part follows, and the
    // browser gets a token for what it answered.
    let res = app
        .send(step(
            id,
            0,
            "next",
            &[(field(0), "1"), (field(1), "2022-03-10"), (field(2), "3")],
            None,
        ))
        .await;
    assert_eq!(res.status, StatusCode::FOUND, "{}", res.body);
    assert_eq!(res.header("location"), format!("/uk/surveys/{id}?section=1"));
    let cookie = survey_cookie(&res).expect("a survey cookie");
    assert!(res.header("set-cookie").contains("HttpOnly"));

    // Left here: the survey's page, asked again with the cookie, has the answers so far.
    let page = app
        .send(
            Req::get(&format!("/api/surveys/get?id={id}"))
                .header("cookie", &format!("agora_survey={cookie}")),
        )
        .await
        .json();
    assert_eq!(page["draft"][field(0)], serde_json::json!(["1"]));
    assert_eq!(page["draft"][field(1)], serde_json::json!(["2022-03-10"]));
    // Another browser has none.
    assert_eq!(
        app.get(&format!("/api/surveys/get?id={id}")).await.json()["draft"],
        serde_json::json!({})
    );

    // Part 2 without its required answer comes back to part 2 with the problem.
    let res = app.send(step(id, 1, "next", &[(field(4), "4")], Some(&cookie))).await;
    assert_eq!(res.status, StatusCode::FOUND);
    let back = res.header("location").to_owned();
    assert!(back.starts_with(&format!("/uk/surveys/{id}?section=1")), "{back}");
    assert!(back.contains("__err="), "{back}");
    // …and what was answered there is kept all the same.
    let kept = app.text(&format!("SELECT answers FROM survey_drafts WHERE survey_id = {id}")).await;
    assert!(kept.expect("a draft").contains("\"4\""));

    // "Save and continue later", then back and forth.
    let res = app
        .send(step(
            id,
            1,
            "save",
            &[
                (field(3), "0"),
                (field(3), "other"),
                (format!("{}_other", field(3)), "transport"),
                (field(4), "4"),
            ],
            Some(&cookie),
        ))
        .await;
    assert_eq!(res.header("location"), format!("/uk/surveys/{id}?section=1&saved=1"));
    let res = app
        .send(step(
            id,
            1,
            "back",
            &[
                (field(3), "0"),
                (field(3), "other"),
                (format!("{}_other", field(3)), "transport"),
                (field(4), "4"),
            ],
            Some(&cookie),
        ))
        .await;
    assert_eq!(res.header("location"), format!("/uk/surveys/{id}?section=0"));
    let res = app
        .send(step(
            id,
            1,
            "next",
            &[
                (field(3), "0"),
                (field(3), "other"),
                (format!("{}_other", field(3)), "transport"),
                (field(4), "4"),
            ],
            Some(&cookie),
        ))
        .await;
    assert_eq!(res.header("location"), format!("/uk/surveys/{id}?section=2"));

    // The last part sends the whole sheet; the draft goes with it.
    let res = app
        .send(step(
            id,
            2,
            "submit",
            &[(field(5), "Курси мови ввечері"), (field(6), "")],
            Some(&cookie),
        ))
        .await;
    assert_eq!(res.status, StatusCode::FOUND, "{}", res.body);
    assert_eq!(res.header("location"), format!("/uk/surveys/{id}?answered=1"));
    let after =
        app.scalar(&format!("SELECT COUNT(*) FROM survey_responses WHERE survey_id = {id}")).await;
    assert_eq!(after, before + 1);
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) FROM survey_drafts WHERE survey_id = {id}")).await,
        0
    );
    let response =
        app.scalar(&format!("SELECT MAX(id) FROM survey_responses WHERE survey_id = {id}")).await;
    assert_eq!(
        app.text(&format!("SELECT lang FROM survey_responses WHERE id = {response}"))
            .await
            .as_deref(),
        Some("uk")
    );
    // Anonymous: no account on the sheet; every part's answers are on it.
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM survey_responses WHERE id = {response} AND user_id IS NULL"
        ))
        .await,
        1
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(DISTINCT question_id) FROM survey_answers WHERE response_id = {response}"
        ))
        .await,
        6,
        "status, date, family, needs, scale, ideas"
    );

    // A resident is not asked the date: sent anyway, it is not kept.
    let res =
        app.send(step(id, 0, "next", &[(field(0), "0"), (field(1), "2022-03-10")], None)).await;
    let cookie = survey_cookie(&res).expect("a new browser's cookie");
    app.send(step(id, 1, "next", &[(field(3), "1")], Some(&cookie))).await;
    let res = app.send(step(id, 2, "submit", &[], Some(&cookie))).await;
    assert_eq!(res.header("location"), format!("/uk/surveys/{id}?answered=1"));
    let response =
        app.scalar(&format!("SELECT MAX(id) FROM survey_responses WHERE survey_id = {id}")).await;
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) FROM survey_answers WHERE response_id = {response} AND question_id = {}", q[1])).await,
        0
    );

    // A form that is not multipart is refused as such; an unknown survey is a 404.
    let res = app.send(Req::form("/api/surveys/answer", &[("survey", &id.to_string())])).await;
    assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let res = app
        .send(Req::multipart_fields(
            "/api/surveys/answer",
            &[("survey", "999999"), ("step", "submit")],
        ))
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);
}

#[tokio::test]
async fn results_hide_small_figures_and_follow_who_may_see_them() {
    let app = spawn_app().await;
    let (needs, _) = needs_survey(&app).await;
    let satisfaction =
        app.scalar("SELECT id FROM surveys WHERE title_ro LIKE 'Satisfacția%'").await;
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let other_staff = app.demo("staff@singerei.demo").await;

    // Public results: counts, with any figure from fewer than five people left out, and no words.
    let res = app.get(&format!("/api/surveys/results?id={satisfaction}")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let results = res.json();
    assert_eq!(results["responses"], 26);
    let trust = &results["results"][1];
    assert_eq!(trust["answered"], 26);
    let counts: Vec<serde_json::Value> = trust["counts"].as_array().expect("counts").clone();
    let yes = counts[0].as_i64().expect("a shown count");
    assert!(yes >= 5);
    for c in &counts {
        assert!(c.is_null() || c.as_i64().is_some_and(|n| n == 0 || n >= 5), "{c}");
    }
    assert!(results["results"][3]["texts"].as_array().expect("texts").is_empty());
    // Staff see what was written.
    let res = app
        .send(Req::get(&format!("/api/surveys/results?id={satisfaction}")).session(&staff))
        .await;
    assert!(!res.json()["results"][3]["texts"].as_array().expect("texts").is_empty());

    // Narrowed to the Ukrainian speakers (fewer than five of some answers): still hidden.
    let language = app
        .scalar(&format!(
            "SELECT id FROM survey_questions WHERE survey_id = {satisfaction} AND position = 2"
        ))
        .await;
    let res =
        app.get(&format!("/api/surveys/results?id={satisfaction}&by={language}&option=2")).await;
    let narrowed = res.json();
    assert_eq!(narrowed["responses"], 6);
    assert_eq!(narrowed["results"][2]["counts"], serde_json::json!([0, 0, 6]));
    let res =
        app.get(&format!("/api/surveys/results?id={satisfaction}&by={language}&option=9")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Private results: not there for the public nor for another locality's staff.
    assert_eq!(
        app.get(&format!("/api/surveys/results?id={needs}")).await.status,
        StatusCode::NOT_FOUND
    );
    let res = app
        .send(
            Req::get(&format!("/api/surveys/results?id={needs}&locality=singerei"))
                .session(&other_staff),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = app.send(Req::get(&format!("/api/surveys/results?id={needs}")).session(&staff)).await;
    assert_eq!(res.status, StatusCode::OK);

    // The CSV: the public gets the published counts, "<5" where small; staff every sheet.
    let csv = app.get(&format!("/api/v1/surveys/{satisfaction}/results.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(
        csv.body.starts_with("\"question\",\"answer\",\"people\",\"answered\""),
        "{}",
        csv.body
    );
    assert!(!csv.body.contains("Viber"), "no words in the public file");
    let csv = app
        .send(Req::get(&format!("/api/v1/surveys/{satisfaction}/results.csv")).session(&staff))
        .await;
    assert_eq!(csv.body.lines().count(), 27, "a header and a row per sheet");
    assert!(csv.body.lines().nth(1).expect("a row").starts_with("1,"));
    assert_eq!(
        app.get(&format!("/api/v1/surveys/{needs}/results.csv")).await.status,
        StatusCode::NOT_FOUND
    );
    let csv = app
        .send(Req::get(&format!("/api/v1/surveys/{needs}/results.csv")).session(&other_staff))
        .await;
    assert_eq!(csv.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn staff_write_a_survey_with_problems_shown_per_question_then_publish_it() {
    let app = spawn_app().await;
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let save = |fields: &[(&str, &str)]| {
        let mut all = vec![
            ("survey_id", ""),
            ("title_ro", "Transportul public"),
            ("opens", "2026-01-01T08:00"),
            ("closes", "2999-01-01T08:00"),
            ("respondents", "signed_in"),
            ("lang", "ro"),
            ("locality", ""),
        ];
        all.extend_from_slice(fields);
        Req::multipart_fields("/api/surveys/save", &all).session(&staff)
    };
    // One option only, and a condition on a question that is not there: both refused, on
    // their slots, and nothing stored.
    let before = app.scalar("SELECT COUNT(*) FROM surveys").await;
    let res = app
        .send(save(&[
            ("s0_kind", "single"),
            ("s0_prompt_ro", "Cât de des folosiți autobuzul?"),
            ("s0_options_ro", "Zilnic"),
            ("s1_kind", "short_text"),
            ("s1_prompt_ro", "Ce linie?"),
            ("s1_show_if", "7.1"),
            ("s2_kind", "single"),
            ("s2_prompt_ro", ""),
        ]))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.problems("s0_options"), vec!["invalid"]);
    assert_eq!(res.problems("s1_show_if"), vec!["invalid"]);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM surveys").await, before);

    let res = app
        .send(save(&[
            ("s0_kind", "single"),
            ("s0_prompt_ro", "Cât de des folosiți autobuzul?"),
            ("s0_options_ro", "Zilnic\nSăptămânal\nNiciodată"),
            ("s0_options_uk", "Щодня\nЩотижня\nНіколи"),
            ("s0_required", "on"),
            // A blank slot between two questions is left out; the condition counts slots.
            ("s1_kind", "single"),
            ("s1_prompt_ro", ""),
            ("s2_kind", "short_text"),
            ("s2_prompt_ro", "Ce linie folosiți?"),
            ("s2_show_if", "1.1"),
        ]))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id: i64 = res.body.trim().parse().expect("an id");
    let questions = question_ids(&app, id).await;
    assert_eq!(questions.len(), 2);
    assert_eq!(
        app.scalar(&format!(
            "SELECT show_if_question FROM survey_questions WHERE id = {}",
            questions[1]
        ))
        .await,
        questions[0]
    );
    // A draft: staff see it, the public does not.
    assert_eq!(app.get(&format!("/api/surveys/get?id={id}")).await.status, StatusCode::NOT_FOUND);
    let listed = app.get("/api/surveys/list").await.json();
    assert!(!listed["surveys"].as_array().expect("list").iter().any(|s| s["id"] == id));
    let listed = app.send(Req::get("/api/surveys/list").session(&staff)).await.json();
    assert!(listed["surveys"].as_array().expect("list").iter().any(|s| s["id"] == id));

    let res = app
        .send(
            Req::form("/api/surveys/publish", &[("id", &id.to_string()), ("lang", "ro")])
                .session(&staff),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.get(&format!("/api/surveys/get?id={id}")).await.status, StatusCode::OK);

    // Signed-in people only: a visitor is turned away, a citizen answers.
    let answer = |cookie: Option<&str>| {
        let req = Req::multipart_fields(
            "/api/surveys/answer",
            &[
                ("survey", &id.to_string()),
                ("section", "0"),
                ("step", "submit"),
                (&format!("q{}", questions[0]), "0"),
                ("lang", "ro"),
            ],
        );
        match cookie {
            Some(c) => req.session(c),
            None => req,
        }
    };
    assert_eq!(app.send(answer(None)).await.status, StatusCode::UNAUTHORIZED);
    let citizen = app.demo("cetatean@balti.demo").await;
    let res = app.send(answer(Some(&citizen))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // Answered: the questions stay as they are.
    let res = app
        .send(save(&[
            ("s0_kind", "multiple"),
            ("s0_prompt_ro", "Cât de des folosiți autobuzul?"),
            ("s0_options_ro", "Zilnic\nSăptămânal"),
        ]))
        .await;
    let res_edit = app
        .send({
            let id = id.to_string();
            Req::multipart_fields(
                "/api/surveys/save",
                &[
                    ("survey_id", &id),
                    ("title_ro", "Transportul public"),
                    ("opens", "2026-01-01T08:00"),
                    ("closes", "2999-01-01T08:00"),
                    ("respondents", "signed_in"),
                    ("s0_kind", "multiple"),
                    ("s0_prompt_ro", "Cât de des folosiți autobuzul?"),
                    ("s0_options_ro", "Zilnic\nSăptămânal"),
                    ("lang", "ro"),
                ],
            )
            .session(&staff)
        })
        .await;
    assert_eq!(res.status, StatusCode::OK, "a new survey is another matter");
    assert_eq!(res_edit.status, StatusCode::CONFLICT, "{}", res_edit.body);
}
