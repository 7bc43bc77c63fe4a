//! What every request handler can reach.

use crate::config::Config;
use crate::db::Db;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub config: Arc<Config>,
    pub services: app::store::Services,
    pub photos: Arc<crate::media::PhotoStore>,
    pub live: Arc<crate::live::LiveHub>,
    pub sessions: Arc<crate::auth::session::SessionLookups>,
}

impl AppState {
    pub fn new(config: Config, db: Db) -> Self {
        let leptos_options = LeptosOptions::builder()
            .output_name("agora")
            .site_root(config.site_root.to_string_lossy().as_ref())
            .site_pkg_dir("pkg")
            .site_addr(config.site_addr)
            .build();
        let photos =
            Arc::new(crate::media::PhotoStore::new(&config.data_dir, config.max_photo_bytes));
        let live = crate::live::LiveHub::start(db.clone());
        let services = app::store::Services {
            live: live.clone(),
            store: Arc::new(db.clone()),
            ballots: Arc::new(crate::db::Ballots::start(db.clone())),
            media: photos.clone(),
            limiter: crate::security::limiter_for(&db, config.rate_limit_scale),
            site: Arc::new(config.site_settings()),
        };
        let sessions = Arc::new(crate::auth::session::SessionLookups::start(db.clone()));
        Self { leptos_options, db, config: Arc::new(config), services, photos, live, sessions }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
