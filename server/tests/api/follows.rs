//! Following an initiative, a poll or a civic-budget project: mail through a real SMTP server
//! process in the follower's language, each happening once, a working one-click unsubscribe,
//! and the follows listed with the other subscriptions.

use crate::alerts::{deliver, local, BASE};
use crate::helpers::{spawn_app, Req, TestApp};
use axum::http::StatusCode;
use chrono::{DateTime, TimeDelta, Utc};

pub(crate) async fn set_follow(
    app: &TestApp,
    session: &str,
    what: &str,
    kind: &str,
    id: &str,
    lang: &str,
) {
    let res = app
        .send(
            Req::form(
                &format!("/api/follows/{what}"),
                &[("kind", kind), ("id", id), ("lang", lang)],
            )
            .session(session),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{what} {kind} {id}: {}", res.body);
}

async fn state(app: &TestApp, session: Option<&str>, kind: &str, id: &str) -> serde_json::Value {
    let mut req = Req::get(&format!("/api/follows/state?kind={kind}&id={id}"));
    if let Some(session) = session {
        req = req.session(session);
    }
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

/// Sets a time column of one row, with each backend's own timestamp type.
pub(crate) async fn set_time(app: &TestApp, table: &str, column: &str, id: i64, at: DateTime<Utc>) {
    let sql = format!("UPDATE {table} SET {column} = $1 WHERE id = $2");
    match &app.db {
        server::db::Db::Sqlite(pool) => {
            sqlx::query(&sql).bind(at).bind(id).execute(pool).await.map(|_| ())
        }
        server::db::Db::Postgres(pool) => {
            sqlx::query(&sql).bind(at).bind(id).execute(pool).await.map(|_| ())
        }
    }
    .expect("set the time");
}

#[tokio::test]
async fn an_initiative_s_follower_hears_of_the_answer_once_in_their_language() {
    let app = spawn_app().await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let admin = app.demo("admin@balti.demo").await;
    let initiative = app
        .scalar(
            "SELECT MIN(i.id) FROM initiatives i JOIN localities l ON l.id = i.locality_id \
             WHERE l.is_default AND i.hidden = FALSE AND i.answered_at IS NULL",
        )
        .await
        .to_string();
    let title = app
        .text(&format!("SELECT title FROM initiatives WHERE id = {initiative}"))
        .await
        .unwrap_or_default();

    assert_eq!(state(&app, None, "initiative", &initiative).await, serde_json::Value::Null);
    assert_eq!(state(&app, Some(&citizen), "initiative", &initiative).await, false);
    set_follow(&app, &citizen, "follow", "initiative", &initiative, "ru").await;
    assert_eq!(state(&app, Some(&citizen), "initiative", &initiative).await, true);
    // Following twice keeps one follow.
    set_follow(&app, &citizen, "follow", "initiative", &initiative, "ru").await;
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM follows WHERE kind = 'initiative' AND target_id = {initiative}"
        ))
        .await,
        1
    );

    let answer = app
        .send(
            Req::form(
                "/api/initiatives/answer",
                &[
                    ("id", &initiative),
                    ("answer", "Primăria va studia propunerea."),
                    ("lang", "ro"),
                ],
            )
            .session(&admin),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let mail = deliver(&app).await;
    assert_eq!(mail.len(), 1, "{:?}", mail.iter().map(|m| &m.subject).collect::<Vec<_>>());
    let m = &mail[0];
    assert_eq!((m.to.as_str(), m.language.as_str()), ("cetatean@balti.demo", "ru"));
    assert!(m.subject.contains("Мэрия ответила") && m.subject.contains(&title), "{}", m.subject);
    assert!(m.body.contains("Primăria va studia propunerea."), "{}", m.body);
    assert!(m.body.contains(&format!("{BASE}/ru/initiatives/{initiative}")), "{}", m.body);
    // Announced once, however often the job runs.
    assert!(deliver(&app).await.is_empty());

    // The follow is listed with the other subscriptions, titled and linked.
    let list = app.send(Req::get("/api/subscriptions/list?lang=ru").session(&citizen)).await;
    let items = list.json();
    let item = items
        .as_array()
        .and_then(|a| a.iter().find(|s| s["kind"] == "initiative"))
        .cloned()
        .expect("the follow is listed");
    assert_eq!(item["title"], title.as_str());
    assert_eq!(item["page"], format!("/initiatives/{initiative}").as_str());
    let page = app.get("/ru/subscriptions").await;
    assert_eq!(page.status, StatusCode::OK);

    // The message's one-click unsubscribe ends the follow without a session.
    let unsubscribe = m.unsubscribe.as_deref().expect("List-Unsubscribe");
    let one_click = Req::form(local(unsubscribe), &[]).body(b"List-Unsubscribe=One-Click".to_vec());
    assert_eq!(app.send(one_click).await.status, StatusCode::OK);
    assert_eq!(state(&app, Some(&citizen), "initiative", &initiative).await, false);
}

#[tokio::test]
async fn a_poll_s_followers_get_its_results_when_it_closes() {
    let app = spawn_app().await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let now = Utc::now();
    let poll = app
        .scalar(
            "SELECT MIN(p.id) FROM polls p JOIN localities l ON l.id = p.locality_id WHERE l.is_default",
        )
        .await;
    let id = poll.to_string();
    set_time(&app, "polls", "opens_at", poll, now - TimeDelta::days(1)).await;
    set_time(&app, "polls", "closes_at", poll, now + TimeDelta::days(1)).await;
    set_follow(&app, &citizen, "follow", "poll", &id, "en").await;
    // Open: nothing to tell yet.
    assert!(deliver(&app).await.is_empty());

    let votes = app.get(&format!("/api/v1/polls/{poll}")).await.json()["participants"].clone();
    set_time(&app, "polls", "closes_at", poll, Utc::now()).await;
    let mail = deliver(&app).await;
    assert_eq!(mail.len(), 1);
    let m = &mail[0];
    assert_eq!(m.language, "en");
    assert!(m.subject.starts_with("Poll results: "), "{}", m.subject);
    assert!(m.body.contains(&format!("Participants: {votes}")), "{votes} {}", m.body);
    assert!(m.body.contains(&format!("{BASE}/en/polls/{poll}")), "{}", m.body);
    let options =
        app.scalar(&format!("SELECT COUNT(*) FROM poll_options WHERE poll_id = {poll}")).await;
    assert_eq!(
        m.body.lines().filter(|l| l.starts_with("- ")).count() as i64,
        options,
        "{}",
        m.body
    );
    assert!(deliver(&app).await.is_empty());

    // Someone who follows after it closed is not told of it.
    let other = app.demo("admin@balti.demo").await;
    set_follow(&app, &other, "follow", "poll", &id, "ro").await;
    assert!(deliver(&app).await.is_empty());
}

#[tokio::test]
async fn a_project_s_followers_hear_of_its_review_and_of_the_results() {
    let app = spawn_app().await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let admin = app.demo("admin@balti.demo").await;
    let edition = app
        .scalar(
            "SELECT MIN(e.id) FROM budget_editions e JOIN localities l ON l.id = e.locality_id \
             WHERE l.is_default AND e.phase = 'voting'",
        )
        .await;
    let project = app
        .scalar(&format!(
            "SELECT MIN(p.id) FROM budget_proposals p JOIN budget_budgets b ON b.id = p.budget_id \
             WHERE b.edition_id = {edition} AND p.status = 'feasible'"
        ))
        .await
        .to_string();
    // A draft cannot be followed.
    let draft = app
        .send(
            Req::form(
                "/api/follows/follow",
                &[("kind", "project"), ("id", "999999"), ("lang", "ro")],
            )
            .session(&citizen),
        )
        .await;
    assert_eq!(draft.status, StatusCode::NOT_FOUND);
    set_follow(&app, &citizen, "follow", "project", &project, "uk").await;

    let review = app
        .send(
            Req::form(
                "/api/budget/review",
                &[
                    ("proposal_id", &project),
                    ("feasible", "yes"),
                    ("reason", "Verificat de direcție."),
                    ("lang", "ro"),
                ],
            )
            .session(&admin),
        )
        .await;
    assert_eq!(review.status, StatusCode::OK, "{}", review.body);
    let mail = deliver(&app).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].language, "uk");
    assert!(mail[0].subject.contains("визнано здійсненним"), "{}", mail[0].subject);

    let phase = app
        .send(
            Req::form(
                "/api/budget/phase",
                &[("edition_id", &edition.to_string()), ("phase", "results"), ("lang", "ro")],
            )
            .session(&admin),
        )
        .await;
    assert_eq!(phase.status, StatusCode::OK, "{}", phase.body);
    let mail = deliver(&app).await;
    assert_eq!(mail.len(), 1);
    let m = &mail[0];
    assert!(m.body.contains("Оголошено результати"), "{}", m.body);
    // Funded or not, as the count says.
    let slug = app.text(&format!("SELECT slug FROM budget_editions WHERE id = {edition}")).await;
    let results = app.get(&format!("/api/budget/results?slug={}", slug.unwrap_or_default())).await;
    assert_eq!(results.status, StatusCode::OK, "{}", results.body);
    let funded = results.json().as_array().into_iter().flatten().any(|budget| {
        budget["outcome"]["funded"]
            .as_array()
            .is_some_and(|ids| ids.iter().any(|id| id.as_str() == Some(project.as_str())))
    });
    assert_eq!(m.body.contains("буде профінансовано"), funded, "{}\n{}", m.body, results.body);
    assert!(deliver(&app).await.is_empty());
}
