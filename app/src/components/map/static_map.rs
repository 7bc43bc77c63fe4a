//! A picture of a map's first view, drawn on the server as SVG: the boundary, the clusters and
//! the pins, laid out in Web Mercator at the map's own zoom and centred like Leaflet centres its
//! view. It shows before any script has loaded (and when none runs); the map island hides it
//! once Leaflet shows the same view.

use crate::islands::map_base::MapBase;
use crate::model::geo::{from_world_px, world_px};
use crate::model::{BBox, LatLng, MapFeature, ReportStatus};
use leptos::prelude::*;

/// The picture's size in CSS pixels: larger than any map on the site, so that whatever the
/// screen, the visible part is covered (`style/main.css` centres it in the same box).
pub const WIDTH: f64 = 1600.0;
pub const HEIGHT: f64 = 1100.0;

/// One mark on the picture.
#[derive(Clone, Debug, PartialEq)]
pub enum Mark {
    Pin {
        at: LatLng,
        status: ReportStatus,
    },
    Cluster {
        at: LatLng,
        count: i64,
    },
    Star {
        at: LatLng,
    },
    /// A funded civic-budget project, by how far its work got.
    Project {
        at: LatLng,
        status: crate::model::budget_works::WorkStatus,
    },
}

impl From<&MapFeature> for Mark {
    fn from(f: &MapFeature) -> Self {
        match f {
            MapFeature::Pin { at, status, .. } => Mark::Pin { at: *at, status: *status },
            MapFeature::Cluster { at, count } => Mark::Cluster { at: *at, count: *count },
        }
    }
}

/// The area the picture covers at the base's zoom (what to load its marks for).
pub fn covered_box(base: &MapBase) -> Option<BBox> {
    let zoom = f64::from(base.zoom);
    let (cx, cy) = world_px(base.centre, zoom);
    let nw = from_world_px(cx - WIDTH / 2.0, cy - HEIGHT / 2.0, zoom);
    let se = from_world_px(cx + WIDTH / 2.0, cy + HEIGHT / 2.0, zoom);
    BBox::new(nw.lng, se.lat, se.lng, nw.lat).ok()
}

#[component]
pub fn StaticMap(base: MapBase, marks: Vec<Mark>) -> impl IntoView {
    let zoom = f64::from(base.zoom);
    let (cx, cy) = world_px(base.centre, zoom);
    let (left, top) = (cx - WIDTH / 2.0, cy - HEIGHT / 2.0);
    let place = move |p: LatLng| {
        let (x, y) = world_px(p, zoom);
        (((x - left) * 10.0).round() / 10.0, ((y - top) * 10.0).round() / 10.0)
    };
    let boundary = (base.boundary.len() >= 3).then(|| {
        let points = base
            .boundary
            .iter()
            .map(|p| {
                let (x, y) = place(*p);
                format!("{x},{y}")
            })
            .collect::<Vec<_>>()
            .join(" ");
        view! { <polygon class="static-map__boundary" points=points /> }
    });
    let marks = marks
        .into_iter()
        .map(|m| match m {
            Mark::Pin { at, status } => {
                let (x, y) = place(at);
                view! {
                    <circle class=format!("static-map__pin static-map__pin--{}", status.as_str())
                        cx=x cy=y r="8" />
                }
                .into_any()
            }
            Mark::Project { at, status } => {
                let (x, y) = place(at);
                view! {
                    <rect class=format!("static-map__project static-map__project--{}", status.as_str())
                        x=x - 8.0 y=y - 8.0 width="16" height="16" rx="3" />
                }
                .into_any()
            }
            Mark::Star { at } => {
                let (x, y) = place(at);
                view! { <circle class="static-map__pin static-map__pin--initiative" cx=x cy=y r="9" /> }
                    .into_any()
            }
            Mark::Cluster { at, count } => {
                let (x, y) = place(at);
                let r = if count >= 1000 {
                    26
                } else if count >= 100 {
                    22
                } else {
                    18
                };
                view! {
                    <g class="static-map__cluster" transform=format!("translate({x} {y})")>
                        <circle r=r />
                        <text dy="0.35em">{count}</text>
                    </g>
                }
                .into_any()
            }
        })
        .collect_view();
    view! {
        <svg class="static-map" xmlns="http://www.w3.org/2000/svg" aria-hidden="true" focusable="false"
            width=WIDTH height=HEIGHT viewBox=format!("0 0 {WIDTH} {HEIGHT}")>
            {boundary}
            {marks}
        </svg>
    }
}
