//! `agora backup` while the site keeps taking votes, then `agora restore` on a fresh machine (a
//! new data directory and an empty database), and a server on what was restored.

use super::{agora, run_agora, Server};
use crate::helpers::{fresh_database_url, jpeg_with_exif, report_form, send_to, spawn_app, Req};
use crate::votes::open_poll;
use axum::http::StatusCode;
use server::db::Db;

async fn scalar(db: &Db, sql: &str) -> i64 {
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn texts(db: &Db, sql: &str) -> Vec<String> {
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn tables(db: &Db) -> Vec<String> {
    let sql = match db {
        Db::Sqlite(_) => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE '_sqlx%' ORDER BY name"
        }
        Db::Postgres(_) => {
            "SELECT table_name::TEXT FROM information_schema.tables WHERE table_schema = 'public' \
             AND table_name NOT LIKE '_sqlx%' ORDER BY table_name"
        }
    };
    texts(db, sql).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_serving_restores_on_a_fresh_machine() {
    let app = spawn_app().await;
    let photo = jpeg_with_exif(800, 600);
    let form = report_form().file("photos", "pothole.jpg", "image/jpeg", &photo);
    let res = app.send(Req::multipart("/api/reports/create", form)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let (poll, options) = open_poll(&app).await;
    let voters = app.db.bench_insert_voters(300).await.expect("voters");
    let ballots = "SELECT COUNT(*) FROM ballots";
    let before: Vec<(String, i64)> = {
        let mut counts = Vec::new();
        for table in tables(&app.db).await {
            let count = scalar(&app.db, &format!("SELECT COUNT(*) FROM {table}")).await;
            counts.push((table, count));
        }
        counts
    };
    let ballots_before = scalar(&app.db, ballots).await;

    // Votes keep arriving while the backup runs.
    let router = app.router.clone();
    let voting = tokio::spawn(async move {
        for (i, session) in voters.iter().enumerate() {
            let choice = options[i % options.len()].to_string();
            let fields =
                [("poll_id", poll.to_string()), ("choices[0]", choice), ("lang", "ro".into())];
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let req = Req::form("/api/polls/vote", &fields).session(session).client_addr(&format!(
                "10.3.{}.{}",
                i / 256,
                i % 256
            ));
            assert_eq!(send_to(&router, req).await.status, StatusCode::OK);
        }
    });
    let backup = app.dir.path().join("backup");
    let said = agora(&["backup", &backup.to_string_lossy()], &app.url, app.dir.path()).await;
    let photo_files = std::fs::read_dir(app.dir.path().join("photos")).expect("photos").count();
    assert!(photo_files >= 2);
    assert!(said.contains(&format!(" {photo_files} photo files")), "{said}");
    voting.await.expect("voting");
    let ballots_after = scalar(&app.db, ballots).await;

    // A fresh machine: an empty data directory and an empty database.
    let fresh = tempfile::tempdir().expect("temp dir");
    let url = fresh_database_url(fresh.path()).await;
    agora(&["restore", &backup.to_string_lossy()], &url, fresh.path()).await;
    let restored = Db::connect(&url).await.expect("connect to the restored database");
    assert_eq!(tables(&restored).await, before.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>());
    for (table, count) in &before {
        if table == "ballots" || table == "ballot_choices" || table == "rate_limits" {
            continue;
        }
        let now = scalar(&restored, &format!("SELECT COUNT(*) FROM {table}")).await;
        assert_eq!(now, *count, "rows of {table}");
    }
    // One moment's copy: the votes before it, some of those during it, each with its choice.
    let copied = scalar(&restored, ballots).await;
    assert!((ballots_before..=ballots_after).contains(&copied), "{copied} ballots copied");
    let bare = scalar(
        &restored,
        "SELECT COUNT(*) FROM ballots b WHERE b.subject_kind = 'poll' \
         AND NOT EXISTS (SELECT 1 FROM ballot_choices c WHERE c.ballot_id = b.id)",
    )
    .await;
    assert_eq!(bare, 0);
    for stem in texts(&restored, "SELECT file_stem FROM report_photos").await {
        for name in [format!("{stem}.jpg"), format!("{stem}_thumb.jpg")] {
            let original = std::fs::read(app.dir.path().join("photos").join(&name));
            let copy = std::fs::read(fresh.path().join("photos").join(&name));
            assert!(copy.is_ok() && copy.ok() == original.ok(), "photo {name}");
        }
    }
    restored.close().await;

    // Restoring over data that is there needs --force.
    let again = run_agora(&["restore", &backup.to_string_lossy()], &url, fresh.path()).await;
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));

    // The restored site serves the report's photo.
    let photo_id = scalar(&app.db, "SELECT MAX(id) FROM report_photos").await;
    let server = Server::start(&url, fresh.path(), &[]).await;
    let served = server.get(&format!("/media/photos/{photo_id}")).await.expect("photo");
    assert_eq!(served.status, 200);
    server.kill().await;
}
