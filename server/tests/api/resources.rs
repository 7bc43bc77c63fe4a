//! The network's educational resources: members propose, staff publish, everyone searches.

use crate::helpers::{spawn_app, Multipart, Req, TestApp};
use axum::http::StatusCode;
use serde_json::Value;

fn proposal(organisation: &str, changes: &[(&str, &str)]) -> Req {
    let mut fields: Vec<(&str, &str)> = vec![
        ("organisation", organisation),
        ("title_ro", "Școala online de voluntariat"),
        ("title_ru", ""),
        ("title_uk", "Онлайн-школа волонтерства"),
        ("title_en", ""),
        ("description_ro", "Zece lecții video despre organizarea voluntarilor, cu exerciții."),
        ("description_ru", ""),
        ("description_uk", ""),
        ("description_en", ""),
        ("url", "https://voluntariat.example.org/curs"),
        ("language", "multi"),
        ("topic", "education_skills"),
        ("audience", "ngos"),
        ("lang", "ro"),
    ];
    for (name, value) in changes {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value,
            None => fields.push((name, value)),
        }
    }
    Req::multipart_fields("/api/resources/propose", &fields)
}

/// The same proposal with a file instead of a link (`url` left empty).
fn with_file(organisation: &str, name: &str, bytes: &[u8]) -> Req {
    let mut form = Multipart::new();
    for (k, v) in [
        ("organisation", organisation),
        ("title_ro", "Ghidul voluntarului, ediția 2026"),
        ("description_ro", "Un ghid în format PDF despre drepturile și obligațiile voluntarilor."),
        ("url", ""),
        ("language", "ro"),
        ("topic", "civic_participation"),
        ("audience", "ngos"),
        ("lang", "ro"),
    ] {
        form = form.text(k, v);
    }
    Req::multipart("/api/resources/propose", form.file("file", name, "application/pdf", bytes))
}

async fn organisation(app: &TestApp, slug: &str) -> String {
    app.scalar(&format!("SELECT id FROM organisations WHERE slug = '{slug}'")).await.to_string()
}

async fn listed(app: &TestApp, query: &str) -> Vec<Value> {
    let res = app.get(&format!("/api/resources/list{query}")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json().as_array().expect("resources").clone()
}

fn has(list: &[Value], id: i64) -> bool {
    list.iter().any(|r| r["id"] == id)
}

#[tokio::test]
async fn a_member_proposes_a_resource_and_everyone_finds_it_once_staff_publish_it() {
    let app = spawn_app().await;
    let member = app.demo("ong@balti.demo").await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let staff = app.demo("relatii.publice@balti.demo").await;
    let own = organisation(&app, "ao-casa-deschisa").await;
    let other = organisation(&app, "centrul-juridic-lex-nord").await;
    let before = app.scalar("SELECT COUNT(*) FROM resources").await;
    assert!(before >= 10, "the demo's resources");

    assert_eq!(app.send(proposal(&own, &[])).await.status, StatusCode::UNAUTHORIZED);
    let res = app.send(proposal(&own, &[]).session(&citizen)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app.send(proposal(&other, &[]).session(&member)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    for (changes, field, problem) in [
        (&[("url", "")][..], "url", "required"),
        (&[("url", "javascript:alert(1)")][..], "url", "invalid"),
        (&[("title_ro", "")][..], "title_ro", "required"),
        (&[("topic", "astrology")][..], "topic", "invalid"),
        (&[("audience", "cats")][..], "audience", "invalid"),
    ] {
        let res = app.send(proposal(&own, changes).session(&member)).await;
        assert_eq!(res.problems(field), [problem], "{changes:?}: {}", res.body);
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM resources").await, before, "nothing stored");

    let res = app.send(proposal(&own, &[]).session(&member)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id: i64 = res.body.trim().parse().expect("id");
    assert!(!has(&listed(&app, "").await, id), "not public before review");
    let desk = app.send(Req::get("/api/resources/desk").session(&member)).await.json();
    assert!(desk["unpublished"].as_array().expect("list").iter().any(|r| r["id"] == id));
    assert_eq!(desk["reviewer"], false);
    let citizen_desk = app.send(Req::get("/api/resources/desk").session(&citizen)).await.json();
    assert!(citizen_desk["unpublished"].as_array().expect("list").is_empty());

    let review = |decision: &str, note: &str| {
        Req::form(
            "/api/resources/review",
            &[("id", &id.to_string()), ("decision", decision), ("note", note), ("lang", "ro")],
        )
    };
    assert_eq!(
        app.send(review("publish", "").session(&member)).await.status,
        StatusCode::FORBIDDEN
    );
    let foreign = app.demo("staff@singerei.demo").await;
    assert_eq!(
        app.send(review("publish", "").session(&foreign)).await.status,
        StatusCode::FORBIDDEN
    );
    let res = app.send(review("reject", "no").session(&staff)).await;
    assert_eq!(res.problems("note"), ["too_short"]);
    assert_eq!(app.send(review("publish", "").session(&staff)).await.status, StatusCode::OK);
    assert_eq!(app.send(review("publish", "").session(&staff)).await.status, StatusCode::CONFLICT);

    // Found by words in any language, without case or Romanian diacritics, and by filters.
    for query in [
        "?words=scoala%20VOLUNTARIAT",
        "?words=%D0%BE%D0%BD%D0%BB%D0%B0%D0%B9%D0%BD-%D1%88%D0%BA%D0%BE%D0%BB%D0%B0",
        "?topic=education_skills&audience=ngos",
        "?language=uk",
    ] {
        assert!(has(&listed(&app, query).await, id), "{query}");
    }
    for query in ["?words=scoala%20primara", "?topic=employment", "?audience=elderly"] {
        assert!(!has(&listed(&app, query).await, id), "{query}");
    }
    let elderly = listed(&app, "?audience=elderly").await;
    assert!(elderly.iter().all(|r| r["audience"] == "elderly" || r["audience"] == "everyone"));
    for bad in ["?topic=astrology", "?language=fr", "?audience=cats"] {
        let res = app.get(&format!("/api/resources/list{bad}")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }

    // Staff's own resources are public at once; Sîngerei's list does not show Bălți's.
    let res = app
        .send(proposal(&other, &[("url", "https://drepturi.example.org")]).session(&staff))
        .await;
    let staff_id: i64 = res.body.trim().parse().expect("id");
    assert!(has(&listed(&app, "").await, staff_id));
    app.import_singerei().await;
    assert!(listed(&app, "?locality=singerei").await.is_empty());
}

#[tokio::test]
async fn a_resource_may_be_a_pdf_file_served_as_a_download_once_published() {
    let app = spawn_app().await;
    let member = app.demo("ong@balti.demo").await;
    let staff = app.demo("relatii.publice@balti.demo").await;
    let own = organisation(&app, "ao-casa-deschisa").await;
    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let before = app.scalar("SELECT COUNT(*) FROM resources").await;

    // Not a PDF, a link and a file at once, neither: refused, nothing stored.
    let res = app
        .send(with_file(&own, "ghid.pdf", b"<html><script>alert(1)</script>").session(&member))
        .await;
    assert_eq!(res.problems("file"), ["unreadable_file"], "{}", res.body);
    let mut form = Multipart::new();
    for (k, v) in [
        ("organisation", own.as_str()),
        ("title_ro", "Ghid"),
        ("description_ro", "Un ghid în format PDF pentru toți."),
        ("url", "https://ghid.example.org"),
        ("language", "ro"),
        ("topic", "civic_participation"),
        ("audience", "ngos"),
        ("lang", "ro"),
    ] {
        form = form.text(k, v);
    }
    let res = app
        .send(
            Req::multipart(
                "/api/resources/propose",
                form.file("file", "g.pdf", "application/pdf", pdf),
            )
            .session(&member),
        )
        .await;
    assert_eq!(res.problems("file"), ["invalid"], "{}", res.body);
    let res = app.send(proposal(&own, &[("url", "")]).session(&member)).await;
    assert_eq!(res.problems("url"), ["required"], "{}", res.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM resources").await, before, "nothing stored");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM resource_files").await, 0);

    // A PDF: kept with its row under a safe name; before review only the organisation and the
    // secretariat download it.
    let res =
        app.send(with_file(&own, "Ghidul voluntarului <2026>.pdf", pdf).session(&member)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id: i64 = res.body.trim().parse().expect("id");
    let file = format!("/media/resources/{id}");
    assert_eq!(app.get(&file).await.status, StatusCode::NOT_FOUND);
    let parks = app.demo("spatii.verzi@balti.demo").await;
    assert_eq!(app.send(Req::get(&file).session(&parks)).await.status, StatusCode::NOT_FOUND);
    let seen = app.send(Req::get(&file).session(&member)).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert_eq!(seen.header("cache-control"), "private, no-store");
    assert_eq!(app.send(Req::get(&file).session(&staff)).await.status, StatusCode::OK);
    let review = Req::form(
        "/api/resources/review",
        &[("id", &id.to_string()), ("decision", "publish"), ("note", ""), ("lang", "ro")],
    );
    assert_eq!(app.send(review.session(&staff)).await.status, StatusCode::OK);

    // Published: everyone downloads it, never shown inline on the site's origin.
    let res = app.get(&file).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), "application/pdf");
    assert_eq!(res.header("content-security-policy"), "sandbox");
    let disposition = res.header("content-disposition");
    assert!(
        disposition.starts_with("attachment; filename=\"Ghidul_voluntarului__2026_.pdf\""),
        "{disposition}"
    );
    assert_eq!(res.body.as_bytes(), pdf);
    let listed_file = listed(&app, "?words=ghidul").await;
    let entry = listed_file.iter().find(|r| r["id"] == id).expect("listed");
    assert_eq!(entry["file"]["name"], "Ghidul voluntarului _2026_.pdf");
    assert_eq!(entry["file"]["size_bytes"], pdf.len());
    assert_eq!(app.get("/media/resources/999999").await.status, StatusCode::NOT_FOUND);
    // A link resource has no file.
    let link = app.scalar("SELECT MIN(id) FROM resources").await;
    assert_eq!(app.get(&format!("/media/resources/{link}")).await.status, StatusCode::NOT_FOUND);
}
