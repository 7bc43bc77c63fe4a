//! The network's educational resources: members propose, staff publish, everyone searches.

use crate::helpers::{spawn_app, Req, TestApp};
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
    Req::form("/api/resources/propose", &fields)
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
