//! "Is this the same problem?": on the report form, open reports of the chosen category near
//! the pin, which the citizen can support instead of reporting again (part of the location
//! picker's island).

use crate::model::{LatLng, ReportStatus};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// "Is this the same problem?" on the report form: where to look and what to say.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NearbyWords {
    /// The visitor's language, for links and for the server's answers.
    pub lang: String,
    pub locality: String,
    pub signed_in: bool,
    pub heading: String,
    pub hint: String,
    pub support: String,
    pub supported: String,
    pub statuses: Vec<(ReportStatus, String)>,
}

/// Open reports of the chosen category near the pin, which the citizen can support instead of
/// reporting again. It follows the pin and the category radios of the surrounding form, so it
/// exists only once the page is hydrated; server and browser both start with an empty list.
#[component]
// The click handler captures a `String` only in the browser build, so it is `Copy` on the server.
#[allow(clippy::clone_on_copy)]
pub(super) fn NearbyReports(
    position: RwSignal<Option<LatLng>>,
    words: NearbyWords,
) -> impl IntoView {
    let nearby = RwSignal::new(Vec::<crate::model::NearbyReport>::new());
    let anchor = NodeRef::<leptos::html::Section>::new();
    #[cfg(feature = "hydrate")]
    browser::follow_nearby(anchor, position, words.locality.clone(), nearby);
    #[cfg(not(feature = "hydrate"))]
    let _ = position;
    let (heading, hint) = (words.heading.clone(), words.hint.clone());
    // The section itself is rendered once: its `node_ref` must not change, or the effect that
    // finds the form through it would run again, refetch, re-render and loop.
    let items = move || {
        nearby
            .get()
            .into_iter()
            .map(|r| {
                let id = r.id;
                let supported = RwSignal::new(false);
                let status = words
                    .statuses
                    .iter()
                    .find(|(s, _)| *s == r.status)
                    .map(|(_, name)| name.clone())
                    .unwrap_or_default();
                let lang = words.lang.clone();
                let href = format!("/{lang}/reports/{id}");
                let support = move |_| {
                    #[cfg(feature = "hydrate")]
                    let lang = lang.clone();
                    #[cfg(feature = "hydrate")]
                    leptos::task::spawn_local(async move {
                        if crate::api::reports::support_report(id, lang).await.is_ok() {
                            supported.set(true);
                        }
                    });
                };
                let (support_text, supported_text) = (words.support.clone(), words.supported.clone());
                view! {
                    <li class="report-card">
                        <a class="report-card__title" href=href target="_blank">
                            {r.title.clone()}
                        </a>
                        <div class="report-card__meta">
                            <span class=format!("badge badge--{}", r.status.as_str())>{status}</span>
                        </div>
                        {words.signed_in.then(|| view! {
                            <Show when=move || supported.get() fallback=move || view! {
                                <button type="button" class="button button--small" on:click=support.clone()>
                                    {support_text.clone()}
                                </button>
                            }>
                                <p class="notice notice--ok">{supported_text.clone()}</p>
                            </Show>
                        })}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="nearby" aria-live="polite" node_ref=anchor hidden=move || nearby.with(Vec::is_empty)>
            <h2>{heading}</h2>
            <p>{hint}</p>
            <ul class="report-list">{items}</ul>
        </section>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use crate::model::geo::fixed;
    use crate::model::LatLng as Point;
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    /// Looks for open reports near the pin whenever it or the form's category changes.
    pub fn follow_nearby(
        anchor: NodeRef<leptos::html::Section>,
        position: RwSignal<Option<Point>>,
        locality: String,
        nearby: RwSignal<Vec<crate::model::NearbyReport>>,
    ) {
        let category = RwSignal::new(String::new());
        Effect::new(move |_| {
            let Some(section) = anchor.get() else { return };
            let element: &web_sys::Element = section.as_ref();
            let Some(form) = element.closest("form").ok().flatten() else { return };
            let read = {
                let form = form.clone();
                move || {
                    form.query_selector("input[name=category]:checked")
                        .ok()
                        .flatten()
                        .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
                        .map(|i| i.value())
                        .unwrap_or_default()
                }
            };
            let update = move || {
                let chosen = read();
                if category.with_untracked(|c| *c != chosen) {
                    category.set(chosen);
                }
            };
            update();
            let on_change = Closure::<dyn Fn(web_sys::Event)>::new(move |_| update());
            let _ =
                form.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
            on_change.forget();
        });
        Effect::new(move |_| {
            let (p, c, locality) = (position.get(), category.get(), locality.clone());
            leptos::task::spawn_local(async move {
                let found = match p {
                    Some(p) if !c.is_empty() => {
                        let (lat, lng) = (fixed(p.lat, 6), fixed(p.lng, 6));
                        crate::api::reports::nearby_reports(lat, lng, c, Some(locality))
                            .await
                            .unwrap_or_default()
                    }
                    _ => Vec::new(),
                };
                if nearby.with_untracked(|n| *n != found) {
                    nearby.set(found);
                }
            });
        });
    }
}
