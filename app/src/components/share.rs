//! Sharing a page: the Open Graph and Twitter-card tags that make a shared link show a preview,
//! and share links that need no third-party script. Facebook, Telegram, Viber and WhatsApp are
//! plain links; "copy link" and the phone's own share sheet are buttons that
//! `/scripts/share.js` reveals where the browser can do them. Without script the page's
//! address stays in a read-only field to copy by hand.

use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::{Link, Meta};

/// The size of every server-drawn preview (`/media/previews/…`).
const PREVIEW_SIZE: (u32, u32) = (1200, 630);

/// What a shared link shows: the page's title, a line of its text and a picture.
#[derive(Clone, Debug)]
pub struct Preview {
    pub title: String,
    pub description: String,
    pub image: PreviewImage,
}

#[derive(Clone, Debug)]
pub enum PreviewImage {
    /// A photo of the page's own (a site path such as `/media/photos/7`).
    Photo(String),
    /// The server-drawn card: `kind` and `id` of `/media/previews/{kind}/{id}`.
    Drawn { kind: &'static str, id: i64 },
}

/// The preview's tags in `<head>` and the share links where this is placed.
#[component]
pub fn Share(preview: Preview) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let base = crate::store::services().map(|s| s.site.public_url.clone()).unwrap_or_default();
    let base = base.trim_end_matches('/').to_owned();
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    let url = format!("{base}{path}");
    let description = summary(&preview.description, 200);
    let (image, size) = match &preview.image {
        PreviewImage::Photo(src) => (format!("{base}{src}"), None),
        PreviewImage::Drawn { kind, id } => {
            (format!("{base}/media/previews/{kind}/{id}?lang={locale}"), Some(PREVIEW_SIZE))
        }
    };
    let alt = td_string!(locale, share.image_alt, title = preview.title.clone()).to_string();
    let alternates = crate::locale::ALL
        .into_iter()
        .filter(|l| *l != locale)
        .map(|l| view! { <Meta property="og:locale:alternate" content=og_locale(l) /> })
        .collect_view();
    view! {
        <Link rel="canonical" href=url.clone() />
        <Meta property="og:type" content="website" />
        <Meta property="og:site_name" content=td_string!(locale, site.name) />
        <Meta property="og:title" content=preview.title.clone() />
        <Meta property="og:description" content=description.clone() />
        <Meta property="og:url" content=url.clone() />
        <Meta property="og:image" content=image.clone() />
        {size.map(|(w, h)| view! {
            <Meta property="og:image:type" content="image/png" />
            <Meta property="og:image:width" content=w.to_string() />
            <Meta property="og:image:height" content=h.to_string() />
        })}
        <Meta property="og:image:alt" content=alt.clone() />
        <Meta property="og:locale" content=og_locale(locale) />
        {alternates}
        <Meta name="twitter:card" content="summary_large_image" />
        <Meta name="twitter:title" content=preview.title.clone() />
        <Meta name="twitter:description" content=description />
        <Meta name="twitter:image" content=image />
        <Meta name="twitter:image:alt" content=alt />
        <ShareLinks url title=preview.title />
    }
}

#[component]
fn ShareLinks(url: String, title: String) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let enc = crate::paths::encode_component;
    let with_title = enc(&format!("{title} {url}"));
    let targets = [
        (
            "facebook",
            td_string!(locale, share.on_facebook),
            format!("https://www.facebook.com/sharer/sharer.php?u={}", enc(&url)),
        ),
        (
            "telegram",
            td_string!(locale, share.on_telegram),
            format!("https://t.me/share/url?url={}&text={}", enc(&url), enc(&title)),
        ),
        ("viber", td_string!(locale, share.on_viber), format!("viber://forward?text={with_title}")),
        (
            "whatsapp",
            td_string!(locale, share.on_whatsapp),
            format!("https://wa.me/?text={with_title}"),
        ),
    ];
    let new_window = td_string!(locale, share.new_window);
    let field_id = "share-link";
    view! {
        <section
            class="share"
            aria-labelledby="share-title"
            data-copied=td_string!(locale, share.copied)
            data-copy-failed=td_string!(locale, share.copy_failed)
            data-title=title.clone()
        >
            <h2 id="share-title" class="share__title">{t!(i18n, share.title)}</h2>
            <ul class="share__links">
                {targets.into_iter().map(|(name, label, href)| {
                    // Viber's address opens the app, not a window.
                    let external = name != "viber";
                    view! {
                        <li>
                            <a
                                class=format!("share__link share__link--{name}")
                                href=href
                                target=external.then_some("_blank")
                                rel="noopener noreferrer"
                            >
                                {label}
                                {external.then(|| view! { <span class="visually-hidden">" " {new_window}</span> })}
                            </a>
                        </li>
                    }
                }).collect_view()}
                <li hidden data-share-native>
                    <button type="button" class="share__link">{t!(i18n, share.device)}</button>
                </li>
            </ul>
            <p class="share__copy">
                <label for=field_id>{t!(i18n, share.link_label)}</label>
                <span class="share__copy-row">
                    <input id=field_id type="url" readonly value=url />
                    <button type="button" class="button button--secondary" hidden data-share-copy>
                        {t!(i18n, share.copy)}
                    </button>
                </span>
                <span class="share__status" role="status"></span>
            </p>
            <script src="/scripts/share.js" defer></script>
        </section>
    }
}

/// Open Graph writes locales as language_TERRITORY.
fn og_locale(locale: Locale) -> &'static str {
    match locale {
        Locale::ro => "ro_MD",
        Locale::ru => "ru_RU",
        Locale::uk => "uk_UA",
        Locale::en => "en_GB",
    }
}

/// The text on one line, cut at a word to at most `max` characters with "…".
pub fn summary(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > max / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::summary;

    #[test]
    fn a_summary_is_one_line_cut_at_a_word() {
        assert_eq!(summary("Două\n\nrânduri  scurte", 50), "Două rânduri scurte");
        let long = "Трубу прорвало возле дома номер пять, вода течёт по улице уже третий день";
        let cut = summary(long, 40);
        assert!(cut.chars().count() <= 40 && cut.ends_with('…'), "{cut}");
        assert!(long.starts_with(cut.trim_end_matches('…')));
        assert_eq!(summary(&"x".repeat(300), 10).chars().count(), 10);
    }
}
