//! Initiatives and polls on the one voting mechanism: every vote counts once, however it
//! arrives; closing times, maximums and moderation are enforced; results go out live.

use crate::helpers::{spawn_app, Req, TestApp, TestResponse};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

/// `n` signed-in voters created straight in the database (hashing 200 passwords would only
/// slow the test); returns their session cookies.
async fn voters(app: &TestApp, n: usize) -> Vec<String> {
    let mut sessions = Vec::with_capacity(n);
    for i in 0..n {
        let token = format!("voter-session-token-{i:04}-{}", std::process::id());
        let email = format!("voter{i}@example.md");
        app.execute(&format!(
            "INSERT INTO users (email, display_name, locale, created_at, email_confirmed_at) \
             VALUES ('{email}', 'Voter {i}', 'ro', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')"
        ))
        .await;
        let digest = server::auth::token::digest(&token);
        app.execute(&format!(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) \
             SELECT '{digest}', id, '2026-01-01T00:00:00+00:00', '2099-01-01T00:00:00+00:00', '2099-01-01T00:00:00+00:00' \
             FROM users WHERE email = '{email}'"
        ))
        .await;
        sessions.push(token);
    }
    sessions
}

pub async fn open_poll(app: &TestApp) -> (i64, Vec<i64>) {
    let poll = app.scalar("SELECT id FROM polls WHERE max_choices = 2").await;
    let options: Vec<i64> = match &app.db {
        server::db::Db::Sqlite(p) => {
            sqlx::query_scalar("SELECT id FROM poll_options WHERE poll_id = $1 ORDER BY position")
                .bind(poll)
                .fetch_all(p)
                .await
        }
        server::db::Db::Postgres(p) => {
            sqlx::query_scalar("SELECT id FROM poll_options WHERE poll_id = $1 ORDER BY position")
                .bind(poll)
                .fetch_all(p)
                .await
        }
    }
    .expect("options");
    (poll, options)
}

fn vote(poll: i64, choices: &[i64], session: &str) -> Req {
    let poll = poll.to_string();
    let mut fields: Vec<(String, String)> =
        vec![("poll_id".into(), poll), ("lang".into(), "ro".into())];
    for (i, c) in choices.iter().enumerate() {
        fields.push((format!("choices[{i}]"), c.to_string()));
    }
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Req::form("/api/polls/vote", &refs).session(session)
}

#[tokio::test]
async fn two_hundred_concurrent_voters_each_count_exactly_once() {
    let app = spawn_app().await;
    let sessions = voters(&app, 200).await;
    let (poll, options) = open_poll(&app).await;
    let initiative = app.scalar("SELECT id FROM initiatives WHERE title = 'Кинотеатр'").await;
    let before = app.scalar(&format!("SELECT COUNT(*) FROM ballots WHERE subject_kind = 'initiative' AND subject_id = {initiative}")).await;

    // Every voter votes in the poll and supports the initiative twice at once (a double click).
    let mut tasks = Vec::new();
    for (i, s) in sessions.iter().enumerate() {
        let choice = options[i % options.len()];
        for _ in 0..2 {
            let router = app.router.clone();
            let poll_req = build(vote(poll, &[choice], s));
            let support_req = build(
                Req::form(
                    "/api/initiatives/support",
                    &[("id", &initiative.to_string()), ("lang", "ro")],
                )
                .session(s),
            );
            tasks.push(tokio::spawn(async move {
                let a = router.clone().oneshot(poll_req).await.expect("answer").status();
                let b = router.oneshot(support_req).await.expect("answer").status();
                (a, b)
            }));
        }
    }
    for t in tasks {
        let (a, b) = t.await.expect("task");
        assert_eq!((a, b), (StatusCode::OK, StatusCode::OK), "no vote may fail or error");
    }
    let results = app.get(&format!("/api/v1/polls/{poll}")).await.json();
    assert_eq!(results["participants"], 200);
    let sum: i64 = results["options"]
        .as_array()
        .expect("options")
        .iter()
        .map(|o| o["votes"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(sum, 200);
    assert_eq!(results["options"][0]["votes"], 50);
    let after = app.scalar(&format!("SELECT COUNT(*) FROM ballots WHERE subject_kind = 'initiative' AND subject_id = {initiative}")).await;
    assert_eq!(after - before, 200);
    // 90 + 200 = 290 supporters: POPULAR, reached and recorded.
    let ini = app.get(&format!("/api/initiatives/get?id={initiative}")).await.json();
    assert_eq!(ini["initiative"]["summary"]["votes"], 290);
    assert_eq!(ini["initiative"]["summary"]["level"], "popular");
    let levels: Vec<String> = ini["initiative"]["levels_reached"]
        .as_array()
        .expect("levels")
        .iter()
        .filter_map(|l| l[0].as_str().map(str::to_owned))
        .collect();
    assert_eq!(levels, vec!["start", "go", "popular"]);
}

fn build(req: Req) -> Request<Body> {
    req.into_request()
}

#[tokio::test]
async fn a_second_vote_changes_nothing_and_says_so() {
    let app = spawn_app().await;
    let (poll, options) = open_poll(&app).await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let first = app.send(vote(poll, &[options[0]], &citizen)).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.json()["outcome"], "recorded");
    let again = app.send(vote(poll, &[options[1], options[2]], &citizen)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["outcome"], "already_voted");
    assert_eq!(again.json()["results"]["participants"], 1);
    let mine =
        app.send(Req::get(&format!("/api/polls/get?id={poll}")).session(&citizen)).await.json();
    assert_eq!(mine["poll"]["viewer_choices"], serde_json::json!([options[0]]));
}

#[tokio::test]
async fn the_rules_of_a_poll_are_enforced() {
    let app = spawn_app().await;
    let (poll, options) = open_poll(&app).await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let too_many = app.send(vote(poll, &options[..3], &citizen)).await;
    assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(too_many.problems("choices"), vec!["too_many_choices"]);
    let none = app.send(vote(poll, &[], &citizen)).await;
    assert_eq!(none.problems("choices"), vec!["required"]);
    let pfon = app.scalar("SELECT id FROM polls WHERE max_choices = 1").await;
    let foreign =
        app.scalar(&format!("SELECT MIN(id) FROM poll_options WHERE poll_id = {pfon}")).await;
    let wrong = app.send(vote(poll, &[foreign], &citizen)).await;
    assert_eq!(wrong.problems("choices"), vec!["invalid"]);
    // PFON-23 closed in 2023.
    let closed = app.send(vote(pfon, &[foreign], &citizen)).await;
    assert_eq!(closed.problems("choices"), vec!["closed"]);
    // Not open yet.
    app.execute(&format!("UPDATE polls SET opens_at = '2099-01-01T00:00:00+00:00', closes_at = '2099-02-01T00:00:00+00:00' WHERE id = {poll}")).await;
    if let server::db::Db::Postgres(_) = app.db {}
    let early = app.send(vote(poll, &[options[0]], &citizen)).await;
    assert_eq!(early.problems("choices"), vec!["closed"]);
    // Anonymous visitors cannot vote.
    let res = app
        .send(Req::form(
            "/api/polls/vote",
            &[
                ("poll_id", &poll.to_string()),
                ("choices[0]", &options[0].to_string()),
                ("lang", "ro"),
            ],
        ))
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM ballots WHERE subject_kind = 'poll' AND subject_id = {poll}"
        ))
        .await,
        0
    );
}

#[tokio::test]
async fn support_can_be_withdrawn_and_given_again() {
    let app = spawn_app().await;
    let id = app
        .scalar("SELECT id FROM initiatives WHERE title = 'Parcarea din cont propriu'")
        .await
        .to_string();
    let citizen = app.demo("cetatean@balti.demo").await;
    let form = [("id", id.as_str()), ("lang", "ro")];
    let t = app.send(Req::form("/api/initiatives/support", &form).session(&citizen)).await.json();
    assert_eq!((t["votes"].as_i64(), t["supported"].as_bool()), (Some(81), Some(true)));
    for _ in 0..2 {
        let t =
            app.send(Req::form("/api/initiatives/withdraw", &form).session(&citizen)).await.json();
        assert_eq!((t["votes"].as_i64(), t["supported"].as_bool()), (Some(80), Some(false)));
    }
    let t = app.send(Req::form("/api/initiatives/support", &form).session(&citizen)).await.json();
    assert_eq!(t["votes"], 81);
    assert_eq!(
        app.send(Req::form("/api/initiatives/support", &form)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn hidden_or_closed_initiatives_refuse_votes() {
    let app = spawn_app().await;
    let id = app.scalar("SELECT id FROM initiatives WHERE title = 'Кинотеатр'").await.to_string();
    let moderator = app.demo("moderator@balti.demo").await;
    let res = app
        .send(
            Req::form(
                "/api/initiatives/moderate",
                &[("id", &id), ("hide", "true"), ("reason", "Conținut duplicat"), ("lang", "ro")],
            )
            .session(&moderator),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let citizen = app.demo("cetatean@balti.demo").await;
    let res = app
        .send(
            Req::form("/api/initiatives/support", &[("id", &id), ("lang", "ro")]).session(&citizen),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.problems("initiative"), vec!["closed"]);
    let public = app.get(&format!("/api/initiatives/get?id={id}")).await.json();
    assert_eq!(public["initiative"]["hidden_reason"], "Conținut duplicat");
    assert_eq!(public["initiative"]["body"], "", "the text is not shown while hidden");
    // A deadline that passed closes an initiative, too.
    let other = app
        .scalar("SELECT id FROM initiatives WHERE title = 'Parcarea din cont propriu'")
        .await
        .to_string();
    app.execute(&format!(
        "UPDATE initiatives SET closes_at = '2024-01-01T00:00:00+00:00' WHERE id = {other}"
    ))
    .await;
    let res = app
        .send(
            Req::form("/api/initiatives/support", &[("id", &other), ("lang", "ro")])
                .session(&citizen),
        )
        .await;
    assert_eq!(res.problems("initiative"), vec!["closed"]);
}

#[tokio::test]
async fn a_citizen_launches_an_initiative_and_the_city_hall_answers_it() {
    let app = spawn_app().await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let form = crate::helpers::Multipart::new()
        .text("lang", "en")
        .text("title", "A cycle lane on Ștefan cel Mare")
        .text(
            "body",
            "A protected cycle lane along the main avenue, from the station to the university.",
        )
        .text("written_in", "en")
        .text("category", "roads")
        .text("lat", "47.7640")
        .text("lng", "27.9275")
        .file("image", "lane.jpg", "image/jpeg", &crate::helpers::jpeg_with_exif(800, 600));
    let res = app.send(Req::multipart("/api/initiatives/create", form).session(&citizen)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id: i64 = res.body.trim().parse().expect("id");
    let detail = app.get(&format!("/api/initiatives/get?id={id}")).await.json();
    assert_eq!(detail["initiative"]["summary"]["votes"], 1, "the author's own vote counts");
    assert_eq!(detail["initiative"]["summary"]["lang"], "en");
    assert_eq!(detail["initiative"]["has_image"], true);
    let image = app.get(&format!("/media/initiatives/{id}")).await;
    assert_eq!((image.status, image.header("content-type")), (StatusCode::OK, "image/jpeg"));
    // Launching needs an account, and a valid form.
    let anonymous = app
        .send(Req::multipart(
            "/api/initiatives/create",
            crate::helpers::Multipart::new().text("title", "x"),
        ))
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let bad = crate::helpers::Multipart::new()
        .text("lang", "ro")
        .text("title", "Nu")
        .text("body", "scurt")
        .text("written_in", "fr");
    let res = app.send(Req::multipart("/api/initiatives/create", bad).session(&citizen)).await;
    assert_eq!(res.problems("title"), vec!["too_short"]);
    assert_eq!(res.problems("written_in"), vec!["invalid"]);

    // Reaching GO puts it in the staff's queue; the answer appears on its page.
    app.execute("UPDATE localities SET initiative_answer_level = 'start'").await;
    let more = voters(&app, 9).await;
    for s in &more {
        app.send(
            Req::form("/api/initiatives/support", &[("id", &id.to_string()), ("lang", "ro")])
                .session(s),
        )
        .await;
    }
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let queue = app.send(Req::get("/api/initiatives/awaiting").session(&staff)).await.json();
    assert!(queue.as_array().expect("list").iter().any(|i| i["id"] == id));
    let res = app
        .send(
            Req::form(
                "/api/initiatives/answer",
                &[
                    ("id", &id.to_string()),
                    ("answer", "Direcția construcții capitale va studia traseul în 2027."),
                    ("lang", "en"),
                ],
            )
            .session(&staff),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let detail = app.get(&format!("/api/initiatives/get?id={id}")).await.json();
    assert!(detail["initiative"]["official_answer"].as_str().unwrap_or_default().contains("2027"));
    let queue = app.send(Req::get("/api/initiatives/awaiting").session(&staff)).await.json();
    assert!(!queue.as_array().expect("list").iter().any(|i| i["id"] == id));
}

#[tokio::test]
async fn lists_sort_and_filter_initiatives() {
    let app = spawn_app().await;
    let top = app.get("/api/initiatives/list").await.json();
    assert_eq!(top["items"][0]["title"], "Кинотеатр", "most supported first");
    let newest = app.get("/api/initiatives/list?sort=newest").await.json();
    assert_eq!(newest["items"][0]["title"], "Кинотеатр");
    let parking = app.get("/api/initiatives/list?category=parking").await.json();
    assert_eq!(parking["total"], 1);
    let go = app.get("/api/initiatives/list?level=go").await.json();
    assert_eq!(go["total"], 0);
    let start = app.get("/api/initiatives/list?level=start").await.json();
    assert_eq!(start["total"], 2);
}

#[tokio::test]
async fn open_data_gives_the_real_2023_figures_and_csv() {
    let app = spawn_app().await;
    let list = app.get("/api/v1/polls").await.json();
    let pfon = list["polls"]
        .as_array()
        .expect("polls")
        .iter()
        .find(|p| p["question"]["ro"].as_str().unwrap_or_default().contains("PFON"))
        .cloned()
        .expect("PFON-23");
    assert_eq!(pfon["status"], "closed");
    assert_eq!(pfon["participants"], 142);
    let votes: Vec<i64> = pfon["options"]
        .as_array()
        .expect("options")
        .iter()
        .map(|o| o["votes"].as_i64().unwrap_or(-1))
        .collect();
    assert_eq!(votes, vec![33, 8, 101]);
    let id = pfon["id"].as_i64().expect("id");
    let one = app.get(&format!("/api/v1/polls/{id}")).await.json();
    assert_eq!(one["options"][2]["label"]["ro"], "Renata Grădinaru");
    let csv = app.get(&format!("/api/v1/polls/{id}/results.csv")).await;
    assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
    assert!(csv.body.contains("\"Corina Popa\",33,23.24"), "{}", csv.body);
    assert!(csv.body.contains("\"Renata Grădinaru\",101,71.13"));
    assert!(csv.body.contains("\"participants\",142,"));
    assert_eq!(app.get("/api/v1/polls/99999").await.status, StatusCode::NOT_FOUND);

    let initiatives = app.get("/api/v1/initiatives").await.json();
    let by_title = |t: &str| {
        initiatives["initiatives"]
            .as_array()
            .expect("list")
            .iter()
            .find(|i| i["title"] == t)
            .cloned()
            .expect(t)
    };
    assert_eq!(by_title("Parcarea din cont propriu")["votes"], 80);
    assert_eq!(by_title("Кинотеатр")["votes"], 90);
    assert_eq!(by_title("Кинотеатр")["level"], "start");
    assert_eq!(by_title("Кинотеатр")["lang"], "ru");
}

#[tokio::test]
async fn results_hidden_before_voting_stay_hidden_until_one_votes() {
    let app = spawn_app().await;
    let staff = app.demo("admin@balti.demo").await;
    let fields = [
        ("question_ro", "Unde să punem noile bănci?"),
        ("question_ru", ""),
        ("question_uk", ""),
        ("question_en", "Where should the new benches go?"),
        ("description_ro", ""),
        ("description_ru", ""),
        ("description_uk", ""),
        ("description_en", ""),
        ("options_ro", "Parcul Central\nLacul orășenesc\nBălții Noi"),
        ("options_ru", ""),
        ("options_uk", ""),
        ("options_en", "Central Park\nCity lake\n"),
        ("links", ""),
        ("max_choices", "1"),
        ("opens_at", "2026-01-01T08:00"),
        ("closes_at", "2099-01-01T08:00"),
        ("lang", "ro"),
    ];
    let res = app.send(Req::form("/api/polls/create", &fields).session(&staff)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id: i64 = res.body.trim().parse().expect("id");
    let poll = app.get(&format!("/api/polls/get?id={id}")).await.json();
    assert_eq!(poll["poll"]["options"].as_array().map(Vec::len), Some(3));
    assert_eq!(poll["poll"]["options"][1]["label"]["en"], "City lake");
    // City time: 08:00 in January is 06:00 UTC.
    assert!(poll["poll"]["summary"]["opens_at"]
        .as_str()
        .unwrap_or_default()
        .starts_with("2026-01-01T06:00:00"));
    let citizen = app.demo("cetatean@balti.demo").await;
    let before =
        app.send(Req::get(&format!("/api/polls/get?id={id}")).session(&citizen)).await.json();
    assert!(before["poll"]["results"].is_null(), "no results before voting");
    assert!(app.get(&format!("/api/v1/polls/{id}")).await.json()["options"][0]["votes"].is_null());
    assert_eq!(
        app.get(&format!("/api/v1/polls/{id}/results.csv")).await.status,
        StatusCode::FORBIDDEN
    );
    let option = poll["poll"]["options"][0]["id"].as_i64().expect("option");
    app.send(vote(id, &[option], &citizen)).await;
    let after =
        app.send(Req::get(&format!("/api/polls/get?id={id}")).session(&citizen)).await.json();
    assert_eq!(after["poll"]["results"]["participants"], 1);

    // Bad polls are refused field by field.
    let mut bad: Vec<(&str, &str)> = fields.to_vec();
    for (k, v) in bad.iter_mut() {
        match *k {
            "options_ro" => *v = "Doar una",
            "closes_at" => *v = "2025-01-01T08:00",
            "max_choices" => *v = "0",
            "links" => *v = "javascript:alert(1)",
            _ => {}
        }
    }
    let res = app.send(Req::form("/api/polls/create", &bad).session(&staff)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["options_ro", "closes_at", "max_choices", "links"] {
        assert!(!res.problems(field).is_empty(), "{field}: {}", res.body);
    }
}

#[tokio::test]
async fn open_browsers_receive_each_vote_as_a_server_sent_event() {
    let app = spawn_app().await;
    let (poll, options) = open_poll(&app).await;
    let mut events = app.events(&format!("/api/v1/polls/{poll}/events")).await;
    let first = events.next().await;
    assert!(first.contains("event: results") && first.contains("\"participants\":0"), "{first}");
    let citizen = app.demo("cetatean@balti.demo").await;
    app.send(vote(poll, &[options[1]], &citizen)).await;
    let update = events.next().await;
    assert!(update.contains("\"participants\":1"), "{update}");
    assert!(update.contains(&format!("[{},1]", options[1])), "{update}");
}

#[tokio::test]
async fn hidden_results_and_images_stay_hidden_from_staff_of_other_localities() {
    let app = spawn_app().await;
    let (poll, _) = open_poll(&app).await;
    app.execute(&format!("UPDATE polls SET results_before_vote = FALSE WHERE id = {poll}")).await;
    app.import_singerei().await;
    let foreign_staff =
        app.account_with_role("staff@singerei.example", Some("staff"), Some("singerei")).await;
    let own_staff = app.demo("spatii.verzi@balti.demo").await;
    let counts_seen = |res: &TestResponse| res.json()["options"][0]["votes"].is_number();
    let uri = format!("/api/v1/polls/{poll}");

    assert!(!counts_seen(&app.get(&uri).await), "anonymous visitors see counts before voting");
    let foreign = app.send(Req::get(&uri).session(&foreign_staff)).await;
    assert!(!counts_seen(&foreign), "another locality's staff see counts: {}", foreign.body);
    let own = app.send(Req::get(&uri).session(&own_staff)).await;
    assert!(counts_seen(&own), "the poll's own staff do not see counts: {}", own.body);

    // A hidden initiative's image: its own moderators see it, another locality's staff do not.
    let initiative = app.scalar("SELECT id FROM initiatives WHERE title = 'Кинотеатр'").await;
    let stem = "test-hidden-initiative";
    std::fs::create_dir_all(app.photo_path(stem).parent().expect("photo dir")).expect("dir");
    std::fs::write(app.photo_path(stem), b"\xff\xd8\xff\xd9").expect("image file");
    app.execute(&format!(
        "UPDATE initiatives SET image_stem = '{stem}', hidden = TRUE, hidden_reason = 'test' WHERE id = {initiative}"
    ))
    .await;
    let image = format!("/media/initiatives/{initiative}");
    let moderator = app.demo("moderator@balti.demo").await;
    assert_eq!(app.get(&image).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.send(Req::get(&image).session(&foreign_staff)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.send(Req::get(&image).session(&moderator)).await.status, StatusCode::OK);
}
