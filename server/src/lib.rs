//! Agora's server: configuration, the database, HTTP routes and the Leptos app, assembled by
//! [`router`] so that tests drive exactly what production serves.

#![recursion_limit = "512"]

pub mod auth;
pub mod backup;
pub mod budget;
pub mod config;
pub mod db;
pub mod idempotency;
pub mod jobs;
pub mod live;
pub mod mailer;
pub mod media;
pub mod notify;
pub mod previews;
pub mod routes;
pub mod security;
pub mod state;
pub mod telemetry;

use app::app::{shell, App};
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::get;
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use state::AppState;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// Room for the text fields of a form around its photos.
const FORM_OVERHEAD_BYTES: usize = 2 * 1024 * 1024;

/// The largest request body: the most photos a form takes at the configured size (or a
/// Pabulib file, if larger), and the form.
pub fn max_body_bytes(config: &config::Config) -> usize {
    let most_photos =
        app::api::reports::MAX_PHOTOS.max(app::model::civic_budget::MAX_PROPOSAL_PHOTOS);
    let files = most_photos * config.max_photo_bytes;
    files
        .max(app::model::budget_setup::MAX_PABULIB_BYTES)
        .max(app::model::resources::MAX_RESOURCE_FILE_BYTES)
        + FORM_OVERHEAD_BYTES
}

/// The pages' routes, generated once per process. Generating them renders the app with
/// resource loading switched off through a flag that is global to the process, so doing it
/// again while pages are being rendered (a second router, as the integration tests build one
/// per test) would leave those renders' resources never loading and their responses open.
fn page_routes() -> &'static [leptos_axum::AxumRouteListing] {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App))
}

/// The whole application as one axum router.
pub fn router(state: AppState) -> Router {
    let leptos_routes = page_routes().to_vec();
    let site_root = state.config.site_root.clone();
    let services = state.services.clone();
    let fallback_services = state.services.clone();
    let options = state.leptos_options.clone();
    let body_limit = max_body_bytes(&state.config);

    // The pages and server functions, reached through `routes::site::locality_sites`.
    let pages = Router::new()
        .leptos_routes_with_context(
            &state,
            leptos_routes,
            move || provide_context(services.clone()),
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            move || provide_context(fallback_services.clone()),
            shell,
        ))
        .with_state(state.clone());

    // Everything made per request, compressed per request; the built site has its own router
    // (precompressed files, long-lived caching) merged in front of it.
    let dynamic = Router::new()
        .route("/", get(routes::root_redirect))
        .route("/healthz", get(routes::healthz))
        .route("/language", get(routes::language::choose))
        .route("/categories.css", get(routes::category_styles))
        .route("/api/v1/reports.geojson", get(routes::geojson::reports))
        .route("/account/export.json", get(routes::account::export))
        .route("/api/v1/polls", get(routes::open_data::polls))
        .route("/api/v1/polls/{id}", get(routes::open_data::poll))
        .route("/api/v1/polls/{id}/events", get(routes::open_data::poll_events))
        .route("/api/v1/polls/{id}/results.csv", get(routes::open_data::poll_csv))
        .route("/api/v1/surveys/{id}/results.csv", get(routes::surveys::results_csv))
        .route("/api/v1/initiatives", get(routes::open_data::initiatives))
        .route("/api/v1/services", get(routes::services::list))
        .route("/api/v1/events", get(routes::events::list))
        .route("/api/v1/events.ics", get(routes::events::feed))
        .route("/api/v1/events/{file}", get(routes::events::one))
        .route("/api/v1/export/reports.csv", get(routes::exports::reports_csv))
        .route("/api/v1/export/reports.geojson", get(routes::exports::reports_geojson))
        .route("/api/v1/export/initiatives.csv", get(routes::exports::initiatives_csv))
        .route("/api/v1/export/polls.csv", get(routes::exports::polls_csv))
        .route("/open311/{file}", get(routes::open311::discovery))
        .route("/open311/v2/{file}", get(routes::open311::v2_get).post(routes::open311::v2_post))
        .route("/open311/v2/{kind}/{file}", get(routes::open311::v2_item))
        .route("/api/v1/budget/editions", get(routes::budget::editions))
        .route("/api/v1/budget/editions/{id}", get(routes::budget::edition))
        .route("/api/v1/budget/editions/{id}/events", get(routes::budget::edition_events))
        .route("/api/v1/budget/budgets/{id}/results.csv", get(routes::budget::results_csv))
        .route("/api/v1/budget/budgets/{id}/results.pb", get(routes::budget::results_pb))
        .route("/api/v1/statistics.csv", get(routes::statistics::statistics_csv))
        .route("/api/v1/statistics/year/{file}", get(routes::statistics::year_report))
        .route("/feeds/reports.atom", get(routes::feeds::reports))
        .route("/feeds/reports/{file}", get(routes::feeds::report))
        .route("/feeds/announcements.atom", get(routes::feeds::announcements))
        .route("/feeds/newsletters.atom", get(routes::feeds::newsletters))
        .route(
            "/unsubscribe/{token}",
            get(routes::unsubscribe::open).post(routes::unsubscribe::one_click),
        )
        .route("/media/photos/{id}", get(routes::media::photo))
        .route("/media/photos/{id}/thumb", get(routes::media::thumb))
        .route("/media/initiatives/{id}", get(routes::media::initiative))
        .route("/media/milestones/{id}", get(routes::media::milestone))
        .route("/media/proposals/{id}", get(routes::media::proposal))
        .route("/media/resources/{id}", get(routes::resource_files::resource_file))
        .route("/media/previews/{kind}/{id}", get(routes::previews::preview))
        .route("/media/proposals/{id}/thumb", get(routes::media::proposal_thumb))
        .route("/api/v1/localities", get(routes::site::localities))
        // Every page and server function, through the step that serves each locality's site.
        .fallback_service(axum::handler::Handler::with_state(
            routes::site::locality_sites,
            (state.clone(), pages),
        ))
        .layer(from_fn(routes::language::follow_choice))
        .layer(from_fn(security::cache_policy))
        .layer(CompressionLayer::new());

    // The static routes are matched before `/{lang}`, so that `/{lang}` never swallows them.
    routes::assets::router(&site_root)
        .merge(dynamic)
        // Layers run outside-in from the bottom: headers on everything (refusals included),
        // the body cap (server functions read the body themselves, so axum's extractor limit
        // alone would not bound them), panics as JSON 500s, forms that are not UTF-8, the
        // multipart check, cross-site
        // refusal, the client's address, the write flood guard, the session, and the replay of a
        // request sent again with its `Idempotency-Key`.
        .layer(from_fn_with_state(state.clone(), idempotency::replay))
        .layer(from_fn_with_state(state.clone(), auth::session::attach_viewer))
        .layer(from_fn_with_state(state.clone(), security::limit_writes))
        .layer(from_fn_with_state(state.clone(), security::client_addr))
        .layer(from_fn_with_state(state.clone(), security::refuse_cross_site))
        .layer(from_fn(security::require_multipart))
        .layer(from_fn(security::refuse_malformed_forms))
        .layer(CatchPanicLayer::custom(security::panic_response))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(from_fn_with_state(state.clone(), security::cap_body))
        .layer(from_fn_with_state(state.clone(), security::security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Opens and migrates the database named in `config`.
pub async fn open_database(config: &config::Config) -> Result<db::Db, db::DbError> {
    let db = db::Db::connect(&config.database_url).await?;
    db.migrate().await?;
    db.ensure_statistics().await?;
    Ok(db)
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight and closes the pool.
pub async fn serve(config: config::Config) -> anyhow::Result<()> {
    let db = open_database(&config).await?;
    let addr = config.site_addr;
    if let Some(url) = &config.smtp_url {
        let mailer = mailer::Mailer::new(url, &config.mail_from)?;
        tokio::spawn(mailer.run(db.clone()));
        tracing::info!("mail goes out over SMTP");
    } else {
        tracing::info!("no AGORA_SMTP_URL: mail waits in the outbox (/{{lang}}/admin/outbox)");
    }

    let jobs = jobs::Jobs::new(db.clone());
    notify::schedule(&jobs, config.public_url.clone());
    if let db::Db::Postgres(_) = db {
        jobs.every(
            "forget_idle_rate_limits",
            std::time::Duration::from_secs(600),
            |db| async move {
                let at = db::rate_limits::micros_now();
                if let Err(err) = db.forget_idle_rate_limits(at).await {
                    tracing::warn!(error = %err, "could not clear idle rate limits");
                }
            },
        );
    }

    app::assets::load(&config.site_root);
    let state = AppState::new(config, db.clone());
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(database = db.backend_name(), "Agora is listening");
    println!("Agora is serving on http://{addr}");
    let service = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown_signal()).await?;
    db.close().await;
    tracing::info!("Agora stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
