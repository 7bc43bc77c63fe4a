//! What a kiosk shows around every page instead of the site's header and footer: a way back to
//! the start, the four languages by their own names, "continue on your phone" with a QR code,
//! and the warning before the screen starts over (`/scripts/kiosk.js` runs the clock).

use crate::api::kiosk::{ResetKiosk, WARNING_SECONDS};
use crate::components::form::SiteField;
use crate::i18n::*;
use crate::locale;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_location;

/// The kiosk's bar at the top of every page; `idle` is the device's setting in seconds.
#[component]
pub fn KioskBar(idle: u32) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let location = use_location();
    let path = location.pathname.get_untracked();
    let search = location.search.get_untracked();
    let here = if search.is_empty() { path.clone() } else { format!("{path}?{search}") };
    let languages = locale::ALL
        .into_iter()
        .map(|l| {
            // Straight to the page in that language: the kiosk remembers no choice.
            let href = crate::paths::switch_language(&path, &search, l);
            let current = (l == locale).then_some("true");
            view! {
                <li><a href=href lang=l.to_string() hreflang=l.to_string() aria-current=current>{own_name(l)}</a></li>
            }
        })
        .collect_view();
    view! {
        <header class="kiosk-bar" id="kiosk-bar" data-idle=idle data-warning=WARNING_SECONDS>
            <form id="kiosk-reset" method="post" action=ResetKiosk::PATH>
                <input type="hidden" name="then" value="start" />
                <SiteField />
                <button type="submit" class="kiosk-bar__home">{td_string!(locale, kiosk.start_over)}</button>
            </form>
            <nav class="kiosk-bar__langs" aria-label=td_string!(locale, nav.language)>
                <ul>{languages}</ul>
            </nav>
            <details class="kiosk-bar__phone">
                <summary>{td_string!(locale, kiosk.on_phone)}</summary>
                <PhoneCode path=here caption=td_string!(locale, kiosk.on_phone_hint).to_owned() />
            </details>
        </header>
        <div class="kiosk-warning" id="kiosk-warning" role="alertdialog" aria-modal="true"
            aria-labelledby="kiosk-warning-title" aria-describedby="kiosk-warning-text" hidden>
            <div class="kiosk-warning__box">
                <h2 id="kiosk-warning-title">{td_string!(locale, kiosk.still_there)}</h2>
                <p id="kiosk-warning-text">
                    {td_string!(locale, kiosk.starting_over_in)} " "
                    <strong class="kiosk-warning__count" data-countdown="">{WARNING_SECONDS}</strong>
                    " " {td_string!(locale, kiosk.seconds)}
                </p>
                <button type="button" class="button button--large" data-kiosk-stay="">
                    {td_string!(locale, kiosk.stay)}
                </button>
            </div>
        </div>
        <CameraParts />
        <script src="/scripts/kiosk.js" defer></script>
    }
}

/// The kiosk's own camera, for a report's photo: a button `/scripts/kiosk.js` puts beside the
/// photo field, and the view it opens. Kept in a `<template>` (inert, unseen) until then, since
/// without the script there is no camera to show.
#[component]
fn CameraParts() -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    // The page may use the screen's camera (every other page keeps `camera=()`).
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.insert_header(
            axum::http::HeaderName::from_static("permissions-policy"),
            axum::http::HeaderValue::from_static(
                "geolocation=(self), camera=(self), microphone=()",
            ),
        );
    }
    view! {
        <template id="kiosk-camera">
            <div class="kiosk-camera">
                <button type="button" class="button button--secondary" data-camera-open="">
                    {td_string!(locale, kiosk.camera_open)}
                </button>
                <p class="kiosk-camera__taken" role="status" data-camera-status=""
                    data-taken=td_string!(locale, kiosk.camera_taken)
                    data-unavailable=td_string!(locale, kiosk.camera_unavailable)></p>
                <div class="kiosk-camera__view" role="dialog" aria-modal="true"
                    aria-label=td_string!(locale, kiosk.camera_open) hidden>
                    <video autoplay="" muted="" playsinline=""></video>
                    <div class="kiosk-camera__actions">
                        <button type="button" class="button button--large" data-camera-take="">
                            {td_string!(locale, kiosk.camera_take)}
                        </button>
                        <button type="button" class="button button--secondary" data-camera-cancel="">
                            {td_string!(locale, kiosk.camera_cancel)}
                        </button>
                    </div>
                </div>
            </div>
        </template>
    }
}

/// On a kiosk, under a report: a QR code that opens it on the visitor's phone, to follow it.
#[component]
pub fn FollowOnPhone() -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let path = use_location().pathname.get_untracked();
    view! {
        <section class="kiosk-follow" aria-labelledby="kiosk-follow-title">
            <PhoneCode path caption=td_string!(locale, kiosk.follow_report_hint).to_owned() />
            <h2 id="kiosk-follow-title">{td_string!(locale, kiosk.follow_report)}</h2>
        </section>
    }
}

/// A language's name in that language ("Română", "Українська"…).
pub fn own_name(l: Locale) -> &'static str {
    match l {
        Locale::ro => td_string!(l, lang.ro),
        Locale::ru => td_string!(l, lang.ru),
        Locale::uk => td_string!(l, lang.uk),
        Locale::en => td_string!(l, lang.en),
    }
}

/// A QR code, drawn on the server, that opens `path` (a local address) on a phone; under it
/// the address in letters, for those who would rather type it.
#[component]
pub fn PhoneCode(path: String, caption: String) -> impl IntoView {
    let base = crate::store::services().map(|s| s.site.public_url.clone()).unwrap_or_default();
    let address = format!("{}{path}", base.trim_end_matches('/'));
    let svg = qr_svg(&address);
    let shown = address.split_once("://").map_or(address.as_str(), |(_, rest)| rest).to_owned();
    view! {
        <figure class="phone-code" data-address=address.clone()>
            // The picture says nothing to a screen reader; the caption and the address do.
            <div class="phone-code__picture" aria-hidden="true" inner_html=svg></div>
            <figcaption>
                <span>{caption}</span>
                <span class="phone-code__address">{shown}</span>
            </figcaption>
        </figure>
    }
}

/// The SVG of a QR code for `text` (medium error correction: it still reads when the screen
/// has a glare), without the XML declaration that inline SVG must not have.
fn qr_svg(text: &str) -> String {
    use qrcode::{render::svg, EcLevel, QrCode};
    match QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M) {
        Ok(code) => {
            let drawn = code
                .render::<svg::Color>()
                .min_dimensions(220, 220)
                .dark_color(svg::Color("#000000"))
                .light_color(svg::Color("#ffffff"))
                .build();
            match drawn.find("<svg") {
                Some(start) => drawn[start..].to_owned(),
                None => drawn,
            }
        }
        // Longer than a QR code holds (thousands of characters): the address below stands.
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::qr_svg;

    #[test]
    fn a_code_is_inline_svg_with_dark_modules() {
        let svg = qr_svg("https://agora.balti.md/ro/reports/12");
        assert!(svg.starts_with("<svg"), "{}", &svg[..40.min(svg.len())]);
        assert!(svg.contains("#000000"));
        assert!(!svg.contains("<?xml"));
    }

    #[test]
    fn too_long_a_text_draws_nothing() {
        assert_eq!(qr_svg(&"x".repeat(5000)), "");
    }
}
