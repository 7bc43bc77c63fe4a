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
    let src = data_uri(&picture_svg(&base, marks));
    // An image, not inline SVG: browsers count an image as the page's largest contentful
    // paint, so the phone's first paint of the map is the picture, not the first tiles that
    // Leaflet brings after the page's code. Decorative: the list beside it says the same.
    view! {
        <img class="static-map" src=src alt="" width=WIDTH height=HEIGHT decoding="sync" />
    }
}

/// The picture's colours. An image is a document of its own, out of reach of the page's
/// styles, so they are written here: the same as `--status-*` in `style/main.css`.
const PICTURE_STYLE: &str = "\
.static-map__boundary{fill:rgba(11,79,138,.03);stroke:#0b4f8a;stroke-width:2;stroke-dasharray:6 4}\
.static-map__pin{stroke:#fff;stroke-width:2;fill:#c0392b}\
.static-map__pin--accepted{fill:#9a5b00}.static-map__pin--resolved{fill:#1e7a45}\
.static-map__pin--rejected{fill:#56616d}.static-map__pin--duplicate{fill:#7d3c98}\
.static-map__pin--initiative{fill:#8d6e00}\
.static-map__cluster circle{fill:rgba(11,79,138,.9);stroke:rgba(255,255,255,.85);stroke-width:3}\
.static-map__cluster text{fill:#fff;font:700 13px system-ui,sans-serif;text-anchor:middle}\
.static-map__project{stroke:#fff;stroke-width:3}\
.static-map__project--planned{fill:#56616d}.static-map__project--in_progress{fill:#9a5b00}\
.static-map__project--done{fill:#1e7a45}";

/// The picture as an SVG document: the boundary, then the marks (clusters, pins, stars and
/// projects) where they fall on a `WIDTH` × `HEIGHT` view centred on the base's centre.
pub fn picture_svg(base: &MapBase, marks: Vec<Mark>) -> String {
    use std::fmt::Write;
    let zoom = f64::from(base.zoom);
    let (cx, cy) = world_px(base.centre, zoom);
    let (left, top) = (cx - WIDTH / 2.0, cy - HEIGHT / 2.0);
    let place = move |p: LatLng| {
        let (x, y) = world_px(p, zoom);
        (((x - left) * 10.0).round() / 10.0, ((y - top) * 10.0).round() / 10.0)
    };
    let mut svg = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{HEIGHT}' \
         viewBox='0 0 {WIDTH} {HEIGHT}'><style>{PICTURE_STYLE}</style>"
    );
    if base.boundary.len() >= 3 {
        let points = base
            .boundary
            .iter()
            .map(|p| {
                let (x, y) = place(*p);
                format!("{x},{y}")
            })
            .collect::<Vec<_>>()
            .join(" ");
        let _ = write!(svg, "<polygon class='static-map__boundary' points='{points}'/>");
    }
    for mark in marks {
        // Writing to a String cannot fail.
        let _ = match mark {
            Mark::Pin { at, status } => {
                let (x, y) = place(at);
                let status = status.as_str();
                write!(
                    svg,
                    "<circle class='static-map__pin static-map__pin--{status}' cx='{x}' cy='{y}' r='8'/>"
                )
            }
            Mark::Project { at, status } => {
                let (x, y) = place(at);
                let status = status.as_str();
                write!(
                    svg,
                    "<rect class='static-map__project static-map__project--{status}' x='{}' y='{}' \
                     width='16' height='16' rx='3'/>",
                    x - 8.0,
                    y - 8.0
                )
            }
            Mark::Star { at } => {
                let (x, y) = place(at);
                write!(
                    svg,
                    "<circle class='static-map__pin static-map__pin--initiative' cx='{x}' cy='{y}' r='9'/>"
                )
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
                write!(
                    svg,
                    "<g class='static-map__cluster' transform='translate({x} {y})'>\
                     <circle r='{r}'/><text dy='0.35em'>{count}</text></g>"
                )
            }
        };
    }
    svg.push_str("</svg>");
    svg
}

/// `svg` as a `data:` address. Only what a URL or the HTML attribute would misread is
/// escaped, so the picture stays small after compression and its class names stay readable.
pub fn data_uri(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len() + svg.len() / 8 + 24);
    out.push_str("data:image/svg+xml,");
    for b in svg.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => out.push(char::from(b)),
            b' ' | b'\'' | b'=' | b'-' | b'_' | b'.' | b'/' | b':' | b';' | b',' | b'(' | b')'
            | b'!' | b'*' | b'+' | b'~' => out.push(char::from(b)),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::data_uri;

    #[test]
    fn the_data_address_escapes_what_a_url_or_attribute_would_misread() {
        let uri = data_uri("<svg a='#c0392b'>{50%} & \"x\"</svg>");
        assert_eq!(
            uri,
            "data:image/svg+xml,%3Csvg a='%23c0392b'%3E%7B50%25%7D %26 %22x%22%3C/svg%3E"
        );
    }
}
