//! Sharing: the Open Graph and Twitter-card tags of public pages, the drawn preview images,
//! the share links, and the language a shared link opens in.

use crate::helpers::{jpeg_with_exif, report_form, spawn_app, Req};
use axum::http::StatusCode;

/// The `content` of `<meta property|name="{key}">` in a page.
fn meta<'a>(html: &'a str, key: &str) -> Option<&'a str> {
    ["property", "name"].into_iter().find_map(|attr| {
        let start = html.find(&format!(r#"<meta {attr}="{key}" content=""#))?;
        let rest = &html[start..];
        let value = &rest[rest.find("content=\"")? + 9..];
        Some(&value[..value.find('"')?])
    })
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    let image =
        image::load_from_memory_with_format(bytes, image::ImageFormat::Png).expect("a valid PNG");
    (image.width(), image.height())
}

#[tokio::test]
async fn an_initiative_without_a_photo_is_shared_with_a_drawn_preview() {
    let app = spawn_app().await;
    let id =
        app.scalar("SELECT MIN(id) FROM initiatives WHERE image_stem IS NULL AND NOT hidden").await;
    let title =
        app.text(&format!("SELECT title FROM initiatives WHERE id = {id}")).await.expect("title");
    let page = app.get(&format!("/ro/initiatives/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.body;
    let escaped = title.replace('&', "&amp;").replace('"', "&quot;");
    assert_eq!(meta(html, "og:title"), Some(escaped.as_str()));
    assert_eq!(meta(html, "twitter:title"), Some(escaped.as_str()));
    assert_eq!(meta(html, "twitter:card"), Some("summary_large_image"));
    assert_eq!(meta(html, "og:locale"), Some("ro_MD"));
    assert_eq!(meta(html, "og:image:width"), Some("1200"));
    assert_eq!(meta(html, "og:image:height"), Some("630"));
    let description = meta(html, "og:description").expect("a description");
    assert!(!description.is_empty() && description.chars().count() <= 200, "{description}");
    let url = meta(html, "og:url").expect("the page's address");
    assert!(url.starts_with("http") && url.ends_with(&format!("/ro/initiatives/{id}")), "{url}");
    let canonical =
        html.find(r#"rel="canonical""#).and_then(|i| html.get(i.saturating_sub(100)..i + 100));
    assert!(canonical.is_some_and(|c| c.contains(&format!(r#"href="{url}""#))), "{canonical:?}");

    let image = meta(html, "og:image").expect("an image");
    let path = &image[image.find("/media/").expect("a media path")..];
    assert_eq!(path, format!("/media/previews/initiatives/{id}?lang=ro"));
    let png = app.get(path).await;
    assert_eq!(png.status, StatusCode::OK);
    assert_eq!(png.header("content-type"), "image/png");
    assert!(png.header("cache-control").starts_with("public"));
    assert_eq!(png_size(&png.bytes), (1200, 630));

    // The share links: the page's address, encoded, in each network's own form.
    let encoded = app::paths::encode_component(url);
    for link in [
        format!("https://www.facebook.com/sharer/sharer.php?u={encoded}"),
        format!("https://t.me/share/url?url={encoded}&amp;text="),
        "viber://forward?text=".to_owned(),
        "https://wa.me/?text=".to_owned(),
    ] {
        assert!(html.contains(&link), "{link}");
    }
    assert!(html.contains(&format!(r#"value="{url}""#)), "the address to copy by hand");
    assert!(html.contains("/scripts/share.js"));
}

#[tokio::test]
async fn each_kind_of_page_has_a_preview_in_each_language() {
    let app = spawn_app().await;
    let report = app.scalar("SELECT MIN(id) FROM reports").await;
    let poll = app.scalar("SELECT MIN(id) FROM polls").await;
    let event = app.scalar("SELECT MIN(id) FROM events WHERE status = 'published'").await;
    let project = app.scalar("SELECT MIN(id) FROM budget_proposals WHERE status <> 'draft'").await;
    let initiative = app.scalar("SELECT MIN(id) FROM initiatives WHERE NOT hidden").await;
    for (kind, id) in [
        ("reports", report),
        ("polls", poll),
        ("events", event),
        ("projects", project),
        ("initiatives", initiative),
    ] {
        let mut drawn = Vec::new();
        for lang in ["ro", "ru", "uk", "en"] {
            let png = app.get(&format!("/media/previews/{kind}/{id}?lang={lang}")).await;
            assert_eq!(png.status, StatusCode::OK, "{kind} {id} {lang}: {}", png.body);
            assert_eq!(png_size(&png.bytes), (1200, 630), "{kind}");
            drawn.push(png.bytes);
        }
        // The words are the language's: the Romanian and Russian cards differ.
        assert_ne!(drawn[0], drawn[1], "{kind}");
    }
}

#[tokio::test]
async fn a_preview_shows_nothing_the_page_would_not() {
    let app = spawn_app().await;
    let hidden = app.scalar("SELECT MIN(id) FROM initiatives").await;
    app.execute(&format!(
        "UPDATE initiatives SET hidden = TRUE, hidden_reason = 'spam' WHERE id = {hidden}"
    ))
    .await;
    let event = app.scalar("SELECT MIN(id) FROM events").await;
    app.execute(&format!("UPDATE events SET status = 'proposed' WHERE id = {event}")).await;
    let draft = app.scalar("SELECT MIN(id) FROM budget_proposals").await;
    app.execute(&format!("UPDATE budget_proposals SET status = 'draft' WHERE id = {draft}")).await;
    for path in [
        format!("/media/previews/initiatives/{hidden}"),
        format!("/media/previews/events/{event}"),
        format!("/media/previews/projects/{draft}"),
        "/media/previews/reports/999999".to_owned(),
        "/media/previews/users/1".to_owned(),
        "/media/previews/reports/abc".to_owned(),
    ] {
        let answer = app.get(&path).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(answer.json()["error"], "not_found", "{path}");
    }
    // A proposed event's page is not shared either.
    let page = app.get(&format!("/ro/events/{event}")).await;
    assert!(meta(&page.body, "og:image").is_none());
}

#[tokio::test]
async fn a_page_with_a_photo_is_shared_with_the_photo() {
    let app = spawn_app().await;
    let photo = jpeg_with_exif(800, 600);
    let form =
        report_form().text("email", "ion@example.md").file("photos", "a.jpg", "image/jpeg", &photo);
    let created = app.send(Req::multipart("/api/reports/create", form)).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let report: i64 = created.body.trim().parse().expect("the new id");
    let first =
        app.scalar(&format!("SELECT id FROM report_photos WHERE report_id = {report}")).await;
    let page = app.get(&format!("/en/reports/{report}")).await;
    let image = meta(&page.body, "og:image").expect("an image");
    assert!(image.ends_with(&format!("/media/photos/{first}")), "{image}");
    assert_eq!(meta(&page.body, "og:locale"), Some("en_GB"));
    assert!(meta(&page.body, "og:image:width").is_none(), "a photo's size is its own");
}

#[tokio::test]
async fn a_shared_link_opens_in_the_language_the_visitor_chose() {
    let app = spawn_app().await;
    let id = app.scalar("SELECT MIN(id) FROM initiatives").await;
    let page = format!("/ro/initiatives/{id}");

    // Choosing a language remembers it and goes on to the page.
    let chosen = app.get(&format!("/language?to=uk&next=%2Fuk%2Finitiatives%2F{id}")).await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER);
    assert_eq!(chosen.header("location"), format!("/uk/initiatives/{id}"));
    let cookie = chosen.header("set-cookie");
    assert!(cookie.starts_with("agora_lang=uk;") && cookie.contains("SameSite=Lax"), "{cookie}");

    // A Romanian link from a chat opens in Ukrainian for this visitor…
    let from_chat = app.get_with(&page, &[("cookie", "agora_lang=uk")]).await;
    assert_eq!(from_chat.status, StatusCode::FOUND);
    assert_eq!(from_chat.header("location"), format!("/uk/initiatives/{id}"));
    assert_eq!(from_chat.header("cache-control"), "no-store");
    // …in Romanian for anyone who chose nothing.
    let anyone = app.get(&page).await;
    assert_eq!(anyone.status, StatusCode::OK);
    assert!(anyone.body.contains(r#"<html lang="ro""#));
    // The root address follows the choice before the browser's languages.
    let root = app.get_with("/", &[("cookie", "agora_lang=en"), ("accept-language", "ru")]).await;
    assert_eq!(root.header("location"), "/en");

    // Another site or an unknown language is refused.
    let away = app.get("/language?to=ru&next=%2F%2Fevil.example").await;
    assert_eq!(away.header("location"), "/ru");
    assert_eq!(app.get("/language?to=xx&next=%2Fro").await.status, StatusCode::NOT_FOUND);
}
