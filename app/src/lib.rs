//! Agora, the civic participation platform of Bălți: the Leptos application.
//!
//! Compiled twice: with `ssr` into the server binary and with `hydrate` into the browser's WASM.
//! Layout: `model` (wire types and input newtypes), `api` (server functions), `store` (the data
//! ports the server implements, `ssr` only), `components` (reusable UI), `pages` (one per route).

#![recursion_limit = "512"]

pub mod api;
pub mod app;
pub mod components;
pub mod error;
pub mod format;
pub mod locale;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

/// The `i18n` module generated from `locales/*.json` by `build.rs`; keys such as `status.new`
/// become methods named like constructors, hence the allowance.
#[allow(clippy::new_ret_no_self, clippy::wrong_self_convention)]
mod generated_i18n {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}
pub use generated_i18n::i18n;

/// Entry point of the WASM bundle: attaches interactivity to the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
