//! Generates the `i18n` module from `../locales/*.json` (leptos_i18n 0.6 build-time codegen).

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=../locales");
    // Only the server renders translated text; the browser build (islands) gets its words as
    // props and compiles no translations.
    if std::env::var_os("CARGO_FEATURE_SSR").is_none() {
        return Ok(());
    }

    let out_dir = std::env::var_os("OUT_DIR").ok_or("cargo did not set OUT_DIR")?;
    let i18n_mod_directory = PathBuf::from(out_dir).join("i18n");

    let cfg = Config::new("ro")?
        .add_locales(["ru", "uk", "en"])?
        .locales_path("../locales")
        .parse_options(
            // Every locale lists every plural form; the ones a language never uses are expected.
            ParseOptions::new().interpolate_display(true).suppress_key_warnings(true),
        );
    let translations = TranslationsInfos::parse(cfg)?;
    // Warnings are left out: each locale lists every plural form, and the ones a language
    // never uses are expected (`all_locales_have_the_same_keys` checks parity instead).
    translations.emit_errors();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(i18n_mod_directory)?;
    Ok(())
}
