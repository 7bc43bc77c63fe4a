//! Agora, the civic participation platform of Bălți: the Leptos application.
//!
//! Compiled twice. With `ssr` it is the whole site, rendered on the server: `app` (the shell and
//! routes), `pages` (one per route), `components` (server-rendered UI), `api` (server functions)
//! and `store` (the data ports the server implements). With `hydrate` it is only the browser's
//! share: the `islands` (map, location picker, live results…) and what they use from `model`,
//! `format` and the client side of `api`. Everything else stays on the server (Leptos islands),
//! so a page downloads no code for what it merely displays.

#![recursion_limit = "512"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod app;
#[cfg(feature = "ssr")]
pub mod assets;
#[cfg(feature = "ssr")]
pub mod components;
pub mod error;
pub mod format;
pub mod islands;
pub mod locale;
pub mod model;
#[cfg(feature = "ssr")]
pub mod notices;
#[cfg(feature = "ssr")]
pub mod pages;
pub mod paths;
#[cfg(feature = "ssr")]
pub mod store;

/// The `i18n` module generated from `locales/*.json` by `build.rs` (server only: islands get
/// their words from the server as props); keys such as `status.new` become methods named like
/// constructors, hence the allowance.
#[cfg(feature = "ssr")]
#[allow(clippy::new_ret_no_self, clippy::wrong_self_convention)]
mod generated_i18n {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}
#[cfg(feature = "ssr")]
pub use generated_i18n::i18n;

/// Entry point of the WASM bundle. Islands mode: the page is server-rendered HTML, and only the
/// islands on it are hydrated; the loader script in `<head>` finds them and calls their
/// exported functions once this has run.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Readable panics in the console are worth their size only while developing.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
