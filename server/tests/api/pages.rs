//! Pages as a crowd and a browser meet them: many renders at once, what each page loads, and
//! how the built site is served and cached.

use crate::helpers::{send_to, spawn_app, spawn_serving, Req};
use axum::http::StatusCode;
use std::sync::Arc;

/// The main pages, as `(address, who looks)`: `None` is an anonymous visitor.
fn main_pages(staff: &str, admin: &str, citizen: &str) -> Vec<(String, Option<String>)> {
    let anonymous = [
        "/ro",
        "/ru",
        "/ro/reports",
        "/uk/reports?status=new",
        "/ro/reports/1",
        "/en/reports/new",
        "/ro/initiatives",
        "/ro/initiatives/1",
        "/ro/polls",
        "/ro/polls/1",
        "/ro/login",
        "/ro/events",
        "/uk/events?past=1",
        "/ro/events/1",
        "/uk/services",
        "/uk/services?need=legal_aid",
        "/uk/services?need=legal_aid&speaks=uk&found=1",
        "/ro/services/1",
        "/ro/services/1/sheet",
        "/ru/resources?words=curs&topic=language_learning",
        "/ro/newsletters",
        "/uk/newsletters/1",
        "/ru/offline",
        "/uk/surveys",
        "/uk/surveys/1",
        "/en/surveys/2/results",
        "/ro/kiosk",
        "/en/kiosk/glance",
    ];
    let mut pages: Vec<(String, Option<String>)> =
        anonymous.iter().map(|p| ((*p).to_owned(), None)).collect();
    pages.push(("/ro/account".into(), Some(citizen.to_owned())));
    pages.push(("/ro/polls/2".into(), Some(citizen.to_owned())));
    pages.push(("/ro/staff".into(), Some(staff.to_owned())));
    pages.push(("/ro/reports/2".into(), Some(staff.to_owned())));
    pages.push(("/ro/admin".into(), Some(admin.to_owned())));
    pages
}

/// Hundreds of renders over many tasks on several threads: none may fail. (Before the fix,
/// `<Title>` read a signal after rendering, outside the request's reactive arena, and about
/// one render in fifty panicked once several ran at once.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_render_concurrently_without_server_errors() {
    let app = spawn_app().await;
    let staff = app.demo("spatii.verzi@balti.demo").await;
    let admin = app.demo("admin@balti.demo").await;
    let citizen = app.demo("cetatean@balti.demo").await;
    let pages = Arc::new(main_pages(&staff, &admin, &citizen));
    let router = app.router.clone();

    const TASKS: usize = 48;
    const RENDERS_PER_TASK: usize = 12;
    const RENDER_LIMIT: std::time::Duration = std::time::Duration::from_secs(20);
    let mut tasks = Vec::new();
    for task in 0..TASKS {
        let (pages, router) = (pages.clone(), router.clone());
        tasks.push(tokio::spawn(async move {
            let mut failures = Vec::new();
            for n in 0..RENDERS_PER_TASK {
                let (path, session) = &pages[(task + n) % pages.len()];
                let mut req = Req::get(path).header("accept", "text/html");
                if let Some(s) = session {
                    req = req.session(s);
                }
                // A render that never finishes is a failure too, not a hung test.
                let Ok(res) = tokio::time::timeout(RENDER_LIMIT, send_to(&router, req)).await
                else {
                    failures.push(format!("{path}: no answer within {RENDER_LIMIT:?}"));
                    continue;
                };
                if res.status.is_server_error() || !res.body.contains("</html>") {
                    failures.push(format!("{path}: {}", res.status));
                }
            }
            failures
        }));
    }
    let mut failures = Vec::new();
    for t in tasks {
        failures.extend(t.await.expect("render task"));
    }
    assert!(
        failures.is_empty(),
        "{} of {} renders failed: {:?}",
        failures.len(),
        TASKS * RENDERS_PER_TASK,
        &failures[..failures.len().min(10)]
    );
}

/// Every page names itself in `<title>` once, and the language in `<html lang>`.
#[tokio::test]
async fn pages_have_a_title_and_a_language() {
    let app = spawn_app().await;
    for lang in ["ro", "ru", "uk", "en"] {
        let res = app.get(&format!("/{lang}/reports")).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.body.matches("<title>").count(), 1, "{lang}");
        assert!(res.body.contains(&format!("<html lang=\"{lang}\"")), "{lang}");
    }
}

/// A page links the bundle of its kind of page, and Leaflet comes only with a map island;
/// every page works without either.
#[tokio::test]
async fn a_page_loads_only_the_scripts_it_uses() {
    let app = spawn_app().await;
    // The bundle a page links (hashed or not, its name starts `/pkg/{bundle}.`).
    let bundle = |body: &str| {
        ["city", "picker", "place", "poll"]
            .into_iter()
            .filter(|name| body.contains(&format!("\"/pkg/{name}.")))
            .collect::<Vec<_>>()
    };
    let maps = |body: &str| {
        ["CityMap", "PlaceMap", "LocationPicker"]
            .iter()
            .any(|island| body.contains(&format!("<leptos-island data-component=\"{island}_")))
    };
    // The loader fetches Leaflet only when a map island is on the page (the demo's initiatives
    // have no place, so their list shows no map).
    for (path, wasm, islands, map) in [
        ("/ro", Some("city"), true, true),
        ("/ro/reports/new", Some("picker"), true, true),
        ("/ro/reports/1", Some("place"), true, true),
        ("/ro/initiatives", Some("place"), false, false),
        // The funded projects of an edition being implemented, on a map.
        ("/ro/budget/2026", Some("place"), true, true),
        // Voting: the confirmed ballots counted live (no map, so no Leaflet).
        ("/ro/budget/2027", Some("place"), true, false),
        ("/ro/polls/1", Some("poll"), true, false),
        ("/ro/reports", None, false, false),
        ("/ro/login", None, false, false),
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert_eq!(bundle(&res.body), wasm.into_iter().collect::<Vec<_>>(), "{path}");
        assert_eq!(res.body.contains("<leptos-island"), islands, "{path}");
        assert_eq!(maps(&res.body), map, "{path}");
        // Leaflet is never linked from the head, only named to the loader.
        assert!(!res.body.contains("<script src=\"/leaflet/"), "{path}");
        // One loader at most, however many islands the page has.
        assert!(res.body.matches("type=\"module\"").count() <= 1, "{path}");
    }
}

/// The initiative form, shown to a signed-in citizen, picks its place on a map.
#[tokio::test]
async fn the_initiative_form_loads_the_picker() {
    let app = spawn_app().await;
    let session = app.demo("cetatean@balti.demo").await;
    let res = app.send(Req::get("/ro/initiatives/new").session(&session)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("\"/pkg/picker."), "the picker bundle");
    assert!(res.body.contains("<leptos-island data-component=\"LocationPicker"));
}

/// The map's first view is on the page as a picture: the boundary and a mark for every pin or
/// cluster Leaflet will show, before any script runs.
#[tokio::test]
async fn the_home_page_draws_the_city_before_any_script() {
    let app = spawn_app().await;
    let res = app.get("/ro").await;
    assert_eq!(res.status, StatusCode::OK);
    let picture = map_picture(&res.body).expect("a map picture");
    assert!(picture.contains("static-map__boundary"));
    let marks = picture.matches("static-map__pin ").count()
        + picture.matches("static-map__cluster").count();
    assert!(marks >= 10, "{marks} marks");
    // A filter applies to the picture as to the map.
    let resolved = app.get("/ro?status=resolved").await.body;
    let picture = map_picture(&resolved).unwrap_or_default();
    assert!(picture.contains("static-map__pin--resolved"));
    assert!(!picture.contains("static-map__pin--new"));
}

/// The `src` of a page's first map picture (an SVG document in a `data:` address).
fn map_picture(body: &str) -> Option<&str> {
    let start = body.find("src=\"data:image/svg+xml,")? + "src=\"".len();
    let picture = body[start..].split('"').next()?;
    let tag_end = body[start..].find('>')?;
    body[start..start + tag_end].contains("class=\"static-map\"").then_some(picture)
}

/// The list beside the map, as the map island fetches it: server-rendered HTML in the
/// visitor's language, for the box and filters asked.
#[tokio::test]
async fn the_list_in_view_comes_as_html_in_the_visitors_language() {
    let app = spawn_app().await;
    let all = app.get("/api/map/in-view?lang=en&bbox=27.85,47.70,28.02,47.82").await;
    assert_eq!(all.status, StatusCode::OK);
    let html: String = serde_json::from_str(&all.body).expect("a JSON string");
    assert!(html.contains("reports in the visible area"), "{html}");
    assert!(html.contains("<ol class=\"report-list\">"));
    let none = app.get("/api/map/in-view?lang=ro&bbox=27.85,47.70,27.86,47.71&status=new").await;
    let html: String = serde_json::from_str(&none.body).expect("a JSON string");
    assert!(html.contains("0 rapoarte"), "{html}");
    let bad = app.get("/api/map/in-view?lang=ro&bbox=nonsense").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Pages carrying a session are never stored by shared caches; anonymous ones are revalidated.
#[tokio::test]
async fn pages_with_a_session_are_private() {
    let app = spawn_app().await;
    let anonymous = app.get("/ro/reports").await;
    assert_eq!(anonymous.header("cache-control"), "no-cache");
    let session = app.demo("cetatean@balti.demo").await;
    let mine = app.send(Req::get("/ro/account").session(&session)).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(mine.header("cache-control"), "private, no-store");
    assert!(mine.header("vary").contains("Cookie"));
}

/// Built assets come in the encoding the browser accepts, from the copies made at build time,
/// and content-hashed ones are cached for a year without asking again.
#[tokio::test]
async fn built_assets_are_served_precompressed_and_cached_for_a_year() {
    let site = tempfile::tempdir().expect("site dir");
    let write = |name: &str, bytes: &[u8]| {
        let path = site.path().join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("dirs");
        std::fs::write(path, bytes).expect("write");
    };
    write("pkg/city.0123456789.js", b"export default 1;");
    write("pkg/city.0123456789.js.br", b"brotli bytes");
    write("pkg/city.0123456789.js.gz", b"gzip bytes");
    write("icons/dots.svg", b"<svg/>");
    write("assets.json", br#"{"pkg/city.js":"pkg/city.0123456789.js"}"#);
    app::assets::load(site.path());
    let app = spawn_serving(site.path()).await;

    let get = |encoding: &'static str| {
        Req::get("/pkg/city.0123456789.js").header("accept-encoding", encoding)
    };
    let br = app.send(get("gzip, deflate, br")).await;
    assert_eq!(br.status, StatusCode::OK);
    assert_eq!(br.header("content-encoding"), "br");
    assert_eq!(br.body, "brotli bytes");
    assert_eq!(br.header("cache-control"), "public, max-age=31536000, immutable");
    let gz = app.send(get("gzip")).await;
    assert_eq!((gz.header("content-encoding"), gz.body.as_str()), ("gzip", "gzip bytes"));
    let plain = app.send(get("identity")).await;
    assert_eq!((plain.header("content-encoding"), plain.body.as_str()), ("", "export default 1;"));

    // Names that stay the same are kept a day; nothing is compressed on the fly.
    let icon = app.send(Req::get("/icons/dots.svg").header("accept-encoding", "gzip, br")).await;
    assert_eq!(icon.header("cache-control"), "public, max-age=86400");
    assert_eq!(icon.header("content-encoding"), "");
    // Pages link the hashed name.
    app.db.load_demo().await.expect("demo data");
    assert!(app.get("/ro").await.body.contains("\"/pkg/city.0123456789.js\""));
}

/// The web app manifest and the service worker: the worker is revalidated on every visit and
/// carries a policy that lets it fetch this site (the default one allows nothing); every page
/// links the manifest, and the offline page stands alone.
#[tokio::test]
async fn the_manifest_and_the_service_worker_are_served_for_an_installable_site() {
    let site = tempfile::tempdir().expect("site dir");
    let public = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public");
    for name in ["manifest.webmanifest", "sw.js"] {
        std::fs::copy(public.join(name), site.path().join(name)).expect("copy");
    }
    let app = spawn_serving(site.path()).await;

    let manifest = app.get("/manifest.webmanifest").await;
    assert_eq!(manifest.status, StatusCode::OK);
    assert_eq!(manifest.header("content-type"), "application/manifest+json");
    let json = manifest.json();
    assert_eq!(json["start_url"], "/");
    assert_eq!(json["display"], "standalone");
    for icon in json["icons"].as_array().expect("icons") {
        let src = icon["src"].as_str().expect("src").trim_start_matches('/');
        assert!(public.join(src).is_file(), "{src} is in public/");
    }

    let worker = app.get("/sw.js").await;
    assert_eq!(worker.status, StatusCode::OK);
    assert!(worker.header("content-type").contains("javascript"));
    assert_eq!(worker.header("cache-control"), "no-cache");
    assert!(worker.header("content-security-policy").starts_with("default-src 'self'"));

    app.db.load_demo().await.expect("demo data");
    let page = app.get("/ro/polls").await;
    assert!(page.body.contains(r#"<link rel="manifest" href="/manifest.webmanifest""#));
    assert!(page.body.contains("/scripts/offline.js"));
    let offline = app.get("/uk/offline").await;
    assert_eq!(offline.status, StatusCode::OK);
    assert!(offline.body.contains("data-offline-page"));
    assert_eq!(offline.header("cache-control"), "no-cache", "fetched without a session");
}
