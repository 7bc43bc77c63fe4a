//! For staff: where the open reports are, as a picture of the map with their density (counts
//! per area), drawn on the server; no script needed.

use crate::api::map::get_map_features;
use crate::components::map::static_map::covered_box;
use crate::components::map::{Mark, StaticMap};
use crate::i18n::*;
use crate::islands::MapBase;
use crate::model::SiteContext;
use leptos::prelude::*;

/// Open reports (new and accepted), counted per area of the city-wide view.
#[component]
pub fn DensityMap(site: SiteContext) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let base = MapBase::for_site(&site, l);
    // One level out: each mark then covers a wider area, which reads as density.
    let base = MapBase { zoom: base.zoom.saturating_sub(1).max(10), ..base };
    view! {
        <section class="stats-section" aria-labelledby="density">
            <h2 id="density">{td_string!(l, stats.density)}</h2>
            <p class="muted">{td_string!(l, stats.density_explain)}</p>
            <Suspense fallback=|| ()>
                {move || {
                    let base = base.clone();
                    Suspend::new(async move {
                        let marks: Vec<Mark> = match covered_box(&base) {
                            Some(bbox) => get_map_features(
                                bbox.to_param(),
                                Some(base.zoom.min(12)),
                                None,
                                Some("new,accepted".to_owned()),
                                None,
                                None,
                                None,
                                Some(base.locality.clone().unwrap_or_default()),
                            )
                            .await
                            .map(|f| f.features.iter().map(Mark::from).collect())
                            .unwrap_or_default(),
                            None => Vec::new(),
                        };
                        view! {
                            <div class="map-wrap map-wrap--density" role="img"
                                aria-label=td_string!(l, stats.density)>
                                <div class="map"><StaticMap base marks /></div>
                            </div>
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}
