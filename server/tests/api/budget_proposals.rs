//! Proposals as their authors keep them: drafts only they see, changed and submitted until the
//! proposals phase ends or staff review them, with their photos; nobody else may change them.

use crate::helpers::{jpeg_with_exif, spawn_app, Multipart, Req, TestApp};
use axum::http::StatusCode;

/// An edition taking proposals until the year 2999, with one budget; its budget id.
async fn open_edition(app: &TestApp, admin: &str) -> String {
    let mut fields = vec![
        ("slug", "drafts"),
        ("title_ro", "Ciorne"),
        ("title_ru", ""),
        ("title_uk", ""),
        ("title_en", ""),
        ("information_from", "2026-01-01T00:00"),
        ("proposals_from", "2026-01-02T00:00"),
        ("review_from", "2999-01-01T00:00"),
        ("voting_from", "2999-02-01T00:00"),
        ("results_from", "2999-03-01T00:00"),
        ("implementation_from", "2999-04-01T00:00"),
        ("lang", "ro"),
    ];
    let res = app.send(Req::form("/api/budget/edition/save", &fields).session(admin)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let edition = res.json().as_i64().unwrap_or(0).to_string();
    fields.clear();
    let budget = [
        ("edition_id", edition.as_str()),
        ("name_ro", "Tot orașul"),
        ("name_ru", ""),
        ("name_uk", ""),
        ("name_en", ""),
        ("amount", "100000"),
        ("ballot_rule", "knapsack"),
        ("outcome_rule", "greedy"),
        ("lang", "ro"),
    ];
    let res = app.send(Req::form("/api/budget/budget/add", &budget).session(admin)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let phase = [("edition_id", edition.as_str()), ("phase", "proposals"), ("lang", "ro")];
    assert_eq!(
        app.send(Req::form("/api/budget/phase", &phase).session(admin)).await.status,
        StatusCode::OK
    );
    res.json().as_i64().unwrap_or(0).to_string()
}

const PROPOSE: &str = "/api/budget/propose";

/// The proposal form as its author sends it (to change proposal `id` when given).
fn proposal_form(
    budget: &str,
    id: Option<&str>,
    title: &str,
    cost: &str,
    draft: bool,
) -> Multipart {
    let mut fields = vec![
        ("edition", "drafts"),
        ("budget_id", budget),
        ("title", title),
        ("description", "Zece bănci noi în parcul central, lângă fântână."),
        ("written_in", "ro"),
        ("cost", cost),
        ("direction", "green"),
        ("lat", "47.7610"),
        ("lng", "27.9290"),
        ("lang", "ro"),
    ];
    if let Some(id) = id {
        fields.push(("proposal_id", id));
    }
    if draft {
        fields.push(("draft", "on"));
    }
    fields.into_iter().fold(Multipart::new(), |form, (k, v)| form.text(k, v))
}

fn proposal(budget: &str, id: Option<&str>, title: &str, cost: &str, draft: bool) -> Req {
    Req::multipart(PROPOSE, proposal_form(budget, id, title, cost, draft))
}

#[tokio::test]
async fn an_author_changes_a_draft_submits_it_and_may_change_it_until_review() {
    let app = spawn_app().await;
    let admin = app.demo("admin@balti.demo").await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let other = app.account_with_role("vecin@test.example", None, None).await;
    let budget = open_edition(&app, &admin).await;
    let state = |id: &str| {
        format!(
            "SELECT status || ' ' || title || ' ' || cost FROM budget_proposals WHERE id = {id}"
        )
    };

    let res =
        app.send(proposal(&budget, None, "Bănci în parc", "5000", true).session(&citizen)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id = res.json().as_i64().unwrap_or(0).to_string();
    // Only its author sees the draft.
    assert!(app
        .send(Req::get("/ro/budget/drafts").session(&citizen))
        .await
        .body
        .contains("Bănci în parc"));
    assert!(!app.get("/ro/budget/drafts").await.body.contains("Bănci în parc"));
    let page =
        app.send(Req::get(&format!("/ro/budget/drafts/propose?edit={id}")).session(&citizen)).await;
    assert!(page.body.contains(r#"value="Bănci în parc""#), "the form comes filled in");
    assert!(page.body.contains(r#"value="47.761""#), "with the pin");

    // Changed, still a draft; then submitted.
    let res = app
        .send(proposal(&budget, Some(&id), "Bănci noi în parc", "6000", true).session(&citizen))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.text(&state(&id)).await.as_deref(), Some("draft Bănci noi în parc 6000"));
    let res = app
        .send(proposal(&budget, Some(&id), "Bănci noi în parc", "6500", false).session(&citizen))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.text(&state(&id)).await.as_deref(), Some("submitted Bănci noi în parc 6500"));
    // A submitted proposal does not go back to being a draft.
    let res = app
        .send(proposal(&budget, Some(&id), "Bănci noi în parc", "6500", true).session(&citizen))
        .await;
    assert_eq!(
        app.text(&state(&id)).await.as_deref(),
        Some("submitted Bănci noi în parc 6500"),
        "{}",
        res.body
    );

    // Nobody else changes it; bad input changes nothing.
    for (req, status) in [
        (
            proposal(&budget, Some(&id), "Altceva decât bănci", "1", false).session(&other),
            StatusCode::FORBIDDEN,
        ),
        (
            proposal(&budget, Some(&id), "Altceva decât bănci", "1", false).session(&admin),
            StatusCode::FORBIDDEN,
        ),
        (proposal(&budget, Some(&id), "Altceva decât bănci", "1", false), StatusCode::UNAUTHORIZED),
        (
            proposal(&budget, Some("999999"), "Altceva decât bănci", "1", false).session(&citizen),
            StatusCode::NOT_FOUND,
        ),
        (
            proposal(&budget, Some(&id), "x", "1", false).session(&citizen),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            proposal(&budget, Some(&id), "Prea scump pentru buget", "200000", false)
                .session(&citizen),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let res = app.send(req).await;
        assert_eq!(res.status, status, "{}", res.body);
    }
    assert_eq!(app.text(&state(&id)).await.as_deref(), Some("submitted Bănci noi în parc 6500"));

    // Once staff reviewed it, it stays as reviewed.
    let review = [
        ("proposal_id", id.as_str()),
        ("feasible", "yes"),
        ("reason", "Verificat."),
        ("revised_cost", ""),
        ("lang", "ro"),
    ];
    assert_eq!(
        app.send(Req::form("/api/budget/review", &review).session(&admin)).await.status,
        StatusCode::OK
    );
    let res = app
        .send(proposal(&budget, Some(&id), "Bănci noi în parc", "9000", false).session(&citizen))
        .await;
    assert_eq!(res.problems("proposal_id"), vec!["invalid_transition"], "{}", res.body);
    assert_eq!(app.text(&state(&id)).await.as_deref(), Some("feasible Bănci noi în parc 6500"));
    // And once the proposals phase ended, a draft cannot be changed or submitted any more.
    let res =
        app.send(proposal(&budget, None, "O altă ciornă", "5000", true).session(&citizen)).await;
    let draft = res.json().as_i64().unwrap_or(0).to_string();
    app.execute("UPDATE budget_editions SET phase = 'review' WHERE slug = 'drafts'").await;
    let res = app
        .send(proposal(&budget, Some(&draft), "O altă ciornă", "5000", false).session(&citizen))
        .await;
    assert_eq!(res.problems("proposal_id"), vec!["closed"], "{}", res.body);
    assert_eq!(app.text(&state(&draft)).await.as_deref(), Some("draft O altă ciornă 5000"));
}

/// `form` with `n` photos attached.
fn with_photos(form: Multipart, n: usize) -> Multipart {
    let photo = jpeg_with_exif(640, 480);
    (0..n).fold(form, |form, i| form.file("photos", &format!("p{i}.jpg"), "image/jpeg", &photo))
}

#[tokio::test]
async fn a_proposal_carries_photos_that_its_author_changes_and_a_draft_shows_them_to_no_one_else() {
    let app = spawn_app().await;
    let admin = app.demo("admin@balti.demo").await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let other = app.account_with_role("vecin@test.example", None, None).await;
    let budget = open_edition(&app, &admin).await;
    let draft = |id: Option<&str>| proposal_form(&budget, id, "Bănci în parc", "5000", true);
    let proposals = "SELECT COUNT(*) FROM budget_proposals";
    let (proposals_before, files_before) = (app.scalar(proposals).await, app.photo_files());

    // Six photos are too many, and a file that is no image is refused: nothing is kept.
    let res =
        app.send(Req::multipart(PROPOSE, with_photos(draft(None), 6)).session(&citizen)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.problems("photos"), vec!["too_many_images"]);
    let broken = with_photos(draft(None), 1).file("photos", "x.jpg", "image/jpeg", b"not a photo");
    let res = app.send(Req::multipart(PROPOSE, broken).session(&citizen)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(app.scalar(proposals).await, proposals_before);
    assert_eq!(app.photo_files(), files_before, "refused photos left files behind");

    // A draft with two photos: only its author sees them.
    let res =
        app.send(Req::multipart(PROPOSE, with_photos(draft(None), 2)).session(&citizen)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id = res.json().as_i64().unwrap_or(0).to_string();
    let photo = |n: i64| {
        format!(
            "SELECT id FROM budget_proposal_photos WHERE proposal_id = {id} ORDER BY position \
             LIMIT 1 OFFSET {n}"
        )
    };
    let (first, second) = (app.scalar(&photo(0)).await, app.scalar(&photo(1)).await);
    let thumb = |photo: i64| Req::get(&format!("/media/proposals/{photo}/thumb"));
    let res = app.send(thumb(first).session(&citizen)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), "image/jpeg");
    assert!(!res.body.contains("TestCam"), "the photo's metadata is removed");
    assert_eq!(app.send(thumb(first).session(&other)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.send(thumb(first)).await.status, StatusCode::NOT_FOUND);
    let page =
        app.send(Req::get(&format!("/ro/budget/drafts/projects/{id}")).session(&citizen)).await;
    assert!(page.body.contains(&format!("/media/proposals/{second}/thumb")), "{}", page.body);

    // Removing one and adding five would make six: refused, and nothing changes.
    let remove_second = format!("remove_photo_{second}");
    let change = |n: usize| {
        let form = draft(Some(&id)).text(&remove_second, "on");
        Req::multipart(PROPOSE, with_photos(form, n)).session(&citizen)
    };
    let res = app.send(change(5)).await;
    assert_eq!(res.problems("photos"), vec!["too_many_images"], "{}", res.body);
    let count = format!("SELECT COUNT(*) FROM budget_proposal_photos WHERE proposal_id = {id}");
    assert_eq!(app.scalar(&count).await, 2);
    // Removing one and adding four makes five; the removed one's files are gone.
    let stem = app
        .text(&format!("SELECT file_stem FROM budget_proposal_photos WHERE id = {second}"))
        .await
        .unwrap_or_default();
    assert!(app.photo_path(&stem).exists());
    let res = app.send(change(4)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.scalar(&count).await, 5);
    assert_eq!(app.send(thumb(second).session(&citizen)).await.status, StatusCode::NOT_FOUND);
    assert!(!app.photo_path(&stem).exists(), "a removed photo's file stays");

    // Another's proposal's photo cannot be removed through one's own.
    let theirs = Req::multipart(PROPOSE, with_photos(draft(None), 1)).session(&other);
    let theirs = app.send(theirs).await.json().as_i64().unwrap_or(0);
    let their_photo = app
        .scalar(&format!("SELECT id FROM budget_proposal_photos WHERE proposal_id = {theirs}"))
        .await;
    let form = draft(Some(&id)).text(&format!("remove_photo_{their_photo}"), "on");
    let res = app.send(Req::multipart(PROPOSE, form).session(&citizen)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.send(thumb(their_photo).session(&other)).await.status, StatusCode::OK);

    // Submitted, the proposal's photos are public.
    let res = app
        .send(proposal(&budget, Some(&id), "Bănci în parc", "5000", false).session(&citizen))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = app.send(Req::get(&format!("/media/proposals/{first}"))).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("cache-control"), "public, max-age=3600");
    // Open data lists their addresses.
    let edition =
        app.scalar(&format!("SELECT edition_id FROM budget_budgets WHERE id = {budget}")).await;
    let data = app.get(&format!("/api/v1/budget/editions/{edition}")).await.json();
    let project = &data["budgets"][0]["projects"][0];
    assert_eq!(project["id"].as_i64(), id.parse().ok());
    let photos = project["photos"].as_array().cloned().unwrap_or_default();
    assert_eq!(photos.len(), 5, "{project}");
    assert!(photos[0].as_str().unwrap_or_default().ends_with(&format!("/media/proposals/{first}")));
}
