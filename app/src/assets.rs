//! The built assets' addresses. `.ci/build` names each file after a hash of its content
//! (`pkg/agora.3f9a0c2e71.js`) and writes `assets.json`, mapping the plain name to the hashed
//! one, into the site root; pages link the hashed names, which the server may then let browsers
//! keep forever (`server/src/routes/assets.rs`). Without a manifest (a server started without a
//! built site, as in the integration tests) the plain names are used.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

/// The file the build writes into the site root.
pub const MANIFEST: &str = "assets.json";

/// Plain names of the assets pages link to.
pub const STYLESHEET: &str = "pkg/agora.css";
pub const LEAFLET_SCRIPT: &str = "leaflet/leaflet.js";
pub const LEAFLET_STYLESHEET: &str = "leaflet/leaflet.css";

/// Plain name → hashed name, and the set of hashed names.
struct Manifest {
    names: HashMap<String, String>,
    hashed: HashSet<String>,
}

/// The browser bundles. Each holds the islands of one kind of page and nothing else, so a
/// page downloads only the code it runs (`.ci/build` compiles one per entry, with the
/// `island-*` feature of the same name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bundle {
    /// The home page's map, filters and list.
    City,
    /// The location picker of the report and initiative forms.
    Picker,
    /// Maps of fixed places: a report's or an initiative's page, the initiatives list.
    Place,
    /// A poll's live results.
    Poll,
}

impl Bundle {
    pub const ALL: [Bundle; 4] = [Bundle::City, Bundle::Picker, Bundle::Place, Bundle::Poll];

    pub fn name(self) -> &'static str {
        match self {
            Bundle::City => "city",
            Bundle::Picker => "picker",
            Bundle::Place => "place",
            Bundle::Poll => "poll",
        }
    }

    /// The plain names of its JS glue and its WASM.
    pub fn files(self) -> (String, String) {
        (format!("pkg/{}.js", self.name()), format!("pkg/{}_bg.wasm", self.name()))
    }
}

static MANIFEST_READ: OnceLock<Manifest> = OnceLock::new();

/// Reads the manifest once at start-up; a later call changes nothing.
pub fn load(site_root: &Path) {
    let path = site_root.join(MANIFEST);
    let names: HashMap<String, String> = match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).unwrap_or_else(|err| {
            tracing::error!(path = %path.display(), %err, "the asset manifest cannot be read");
            HashMap::new()
        }),
        Err(_) => {
            tracing::warn!(path = %path.display(), "no asset manifest: assets keep their plain names");
            HashMap::new()
        }
    };
    let hashed = names.values().cloned().collect();
    let _ = MANIFEST_READ.set(Manifest { names, hashed });
}

/// The address of an asset, by its plain name (`pkg/agora.css` → `/pkg/agora.1c2d….css`).
pub fn url(name: &str) -> String {
    let hashed = MANIFEST_READ.get().and_then(|m| m.names.get(name)).map_or(name, String::as_str);
    format!("/{hashed}")
}

/// Whether `path` (without its leading slash) is a content-hashed asset of this build, which
/// can be cached without ever asking again.
pub fn is_hashed(path: &str) -> bool {
    MANIFEST_READ.get().is_some_and(|m| m.hashed.contains(path))
}
