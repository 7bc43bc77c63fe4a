//! Configuration from environment variables, each with a default that works for `make run`.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Every setting an operator can change; see the table in README.md.
#[derive(Clone, Debug)]
pub struct Config {
    /// `LEPTOS_SITE_ADDR`: where the server listens.
    pub site_addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`: the built site (WASM, JS, CSS, Leaflet, icons).
    pub site_root: PathBuf,
    /// `AGORA_DATA_DIR`: uploads and the default SQLite database.
    pub data_dir: PathBuf,
    /// `DATABASE_URL`: `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// `AGORA_PUBLIC_URL`: the address citizens use, for links in e-mails and feeds.
    pub public_url: String,
    /// `AGORA_TILE_URL`: Leaflet tile URL template; empty for no background tiles.
    pub tile_url: String,
    /// `AGORA_TILE_ATTRIBUTION`: the tile provider's required attribution.
    pub tile_attribution: String,
    /// `AGORA_LOG` (or `RUST_LOG`): a `tracing` filter such as `info` or `agora=debug`.
    pub log_filter: String,
    /// `AGORA_TRUST_PROXY=1`: take the client's address from `X-Forwarded-For` (only behind a
    /// reverse proxy that sets it).
    pub trust_proxy: bool,
    /// `AGORA_RATE_LIMIT_SCALE`: multiplies every rate limit (default 1).
    pub rate_limit_scale: u32,
    /// `AGORA_SMTP_URL`: e.g. `smtps://user:pass@mail.example:465`; without it mail stays in the
    /// outbox, which operators read at /{lang}/admin/outbox.
    pub smtp_url: Option<String>,
    /// `AGORA_MAIL_FROM`: the sender address of Agora's mail.
    pub mail_from: String,
    /// `AGORA_MAX_PHOTO_MB`: the largest photo accepted, in megabytes (default 10).
    pub max_photo_bytes: usize,
    /// `AGORA_LOCALITY_HOSTS`: host names that serve one locality's site, e.g.
    /// `singerei.agora.example=singerei,drochia.agora.example=drochia`: (host, slug) pairs.
    pub locality_hosts: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

/// `host=slug,host=slug` → pairs, host names in lower case.
fn parse_locality_hosts(value: &str) -> Result<Vec<(String, String)>, ConfigError> {
    value
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((host, slug)) if !host.trim().is_empty() && !slug.trim().is_empty() => {
                Ok((host.trim().to_ascii_lowercase(), slug.trim().to_owned()))
            }
            _ => Err(ConfigError::Invalid {
                name: "AGORA_LOCALITY_HOSTS",
                reason: format!("{pair:?} is not host=slug"),
            }),
        })
        .collect()
}

pub const DEFAULT_TILE_URL: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
pub const DEFAULT_TILE_ATTRIBUTION: &str = "© OpenStreetMap contributors";

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests can supply their own environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str, default: &str| lookup(name).unwrap_or_else(|| default.to_owned());
        let site_addr: SocketAddr = get("LEPTOS_SITE_ADDR", "127.0.0.1:3000").parse().map_err(
            |e: std::net::AddrParseError| ConfigError::Invalid {
                name: "LEPTOS_SITE_ADDR",
                reason: e.to_string(),
            },
        )?;
        let data_dir = PathBuf::from(get("AGORA_DATA_DIR", "data"));
        let default_db = format!("sqlite://{}", data_dir.join("agora.db").display());
        let database_url = get("DATABASE_URL", &default_db);
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres:")
            || database_url.starts_with("postgresql:"))
        {
            return Err(ConfigError::Invalid {
                name: "DATABASE_URL",
                reason: "must start with sqlite: or postgres:".into(),
            });
        }
        let public_url = get("AGORA_PUBLIC_URL", &format!("http://{site_addr}"))
            .trim_end_matches('/')
            .to_owned();
        Ok(Self {
            site_addr,
            site_root: PathBuf::from(get("LEPTOS_SITE_ROOT", "target/site")),
            data_dir,
            database_url,
            public_url,
            tile_url: get("AGORA_TILE_URL", DEFAULT_TILE_URL),
            tile_attribution: get("AGORA_TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION),
            log_filter: lookup("AGORA_LOG")
                .or_else(|| lookup("RUST_LOG"))
                .unwrap_or_else(|| "info".into()),
            trust_proxy: matches!(
                lookup("AGORA_TRUST_PROXY").as_deref(),
                Some("1" | "true" | "yes")
            ),
            rate_limit_scale: match lookup("AGORA_RATE_LIMIT_SCALE") {
                None => 1,
                Some(v) => v.parse().map_err(|_| ConfigError::Invalid {
                    name: "AGORA_RATE_LIMIT_SCALE",
                    reason: "must be a positive integer".into(),
                })?,
            },
            smtp_url: lookup("AGORA_SMTP_URL").filter(|v| !v.is_empty()),
            mail_from: get("AGORA_MAIL_FROM", "Agora Bălți <agora@localhost>"),
            max_photo_bytes: match lookup("AGORA_MAX_PHOTO_MB") {
                None => 10 * 1024 * 1024,
                Some(v) => v
                    .parse::<usize>()
                    .ok()
                    .filter(|mb| (1..=50).contains(mb))
                    .map(|mb| mb * 1024 * 1024)
                    .ok_or(ConfigError::Invalid {
                        name: "AGORA_MAX_PHOTO_MB",
                        reason: "must be a whole number from 1 to 50".into(),
                    })?,
            },
            locality_hosts: parse_locality_hosts(&get("AGORA_LOCALITY_HOSTS", ""))?,
        })
    }

    /// The settings the browser also sees.
    pub fn site_settings(&self) -> app::model::SiteSettings {
        app::model::SiteSettings {
            tile_url: self.tile_url.clone(),
            tile_attribution: self.tile_attribution.clone(),
            public_url: self.public_url.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_put_the_database_in_the_data_dir() {
        let config = Config::from_lookup(|_| None).expect("defaults are valid");
        assert_eq!(config.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.database_url, "sqlite://data/agora.db");
        assert_eq!(config.public_url, "http://127.0.0.1:3000");
    }

    #[test]
    fn reads_the_host_names_of_localities() {
        let hosts = |v: &str| super::parse_locality_hosts(v).map_err(|e| e.to_string());
        assert_eq!(
            hosts(" Singerei.Agora.Example=singerei, drochia.example=drochia "),
            Ok(vec![
                ("singerei.agora.example".to_owned(), "singerei".to_owned()),
                ("drochia.example".to_owned(), "drochia".to_owned())
            ])
        );
        assert_eq!(hosts(""), Ok(vec![]));
        assert!(hosts("singerei.example").is_err());
    }

    #[test]
    fn refuses_unknown_database_schemes() {
        let err = Config::from_lookup(|n| (n == "DATABASE_URL").then(|| "mysql://x".to_owned()));
        assert!(err.is_err());
    }
}
