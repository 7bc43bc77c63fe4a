//! Coordinates, bounding boxes and polygons (WGS 84, degrees).

use serde::{Deserialize, Serialize};

/// A point on the map.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatLng {
    pub lat: f64,
    pub lng: f64,
}

/// Why a coordinate or a box was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GeoError {
    #[error("expected four comma-separated numbers: minLng,minLat,maxLng,maxLat")]
    Malformed,
    #[error("coordinates out of range")]
    OutOfRange,
    #[error("the minimum corner must lie south-west of the maximum corner")]
    Inverted,
    #[error("the box is larger than a region map ever shows")]
    TooLarge,
}

impl LatLng {
    /// Parses a latitude and longitude, refusing NaN and values outside the globe.
    pub fn new(lat: f64, lng: f64) -> Result<Self, GeoError> {
        if lat.is_finite()
            && lng.is_finite()
            && (-90.0..=90.0).contains(&lat)
            && (-180.0..=180.0).contains(&lng)
        {
            Ok(Self { lat, lng })
        } else {
            Err(GeoError::OutOfRange)
        }
    }

    /// Great-circle distance in metres (haversine; good to a few metres at city scale).
    pub fn distance_m(self, other: LatLng) -> f64 {
        const EARTH_RADIUS_M: f64 = 6_371_008.8;
        let (phi1, phi2) = (self.lat.to_radians(), other.lat.to_radians());
        let d_phi = (other.lat - self.lat).to_radians();
        let d_lambda = (other.lng - self.lng).to_radians();
        let a =
            (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().asin()
    }
}

/// A map viewport: `minLng,minLat,maxLng,maxLat` as in the GeoJSON `bbox` member.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BBox {
    pub min_lng: f64,
    pub min_lat: f64,
    pub max_lng: f64,
    pub max_lat: f64,
}

impl BBox {
    /// Largest side accepted, in degrees: a whole development region with margin, never a continent.
    pub const MAX_SPAN_DEG: f64 = 5.0;

    /// Builds a box from its corners, refusing inverted, out-of-range or absurdly large boxes.
    pub fn new(min_lng: f64, min_lat: f64, max_lng: f64, max_lat: f64) -> Result<Self, GeoError> {
        LatLng::new(min_lat, min_lng)?;
        LatLng::new(max_lat, max_lng)?;
        if min_lng >= max_lng || min_lat >= max_lat {
            return Err(GeoError::Inverted);
        }
        if max_lng - min_lng > Self::MAX_SPAN_DEG || max_lat - min_lat > Self::MAX_SPAN_DEG {
            return Err(GeoError::TooLarge);
        }
        Ok(Self { min_lng, min_lat, max_lng, max_lat })
    }

    /// A box around `centre`, `half_m` metres to each side.
    pub fn around(centre: LatLng, half_m: f64) -> Self {
        let d_lat = half_m / 111_320.0;
        let d_lng = half_m / (111_320.0 * centre.lat.to_radians().cos().max(0.01));
        Self {
            min_lng: centre.lng - d_lng,
            min_lat: centre.lat - d_lat,
            max_lng: centre.lng + d_lng,
            max_lat: centre.lat + d_lat,
        }
    }

    pub fn contains(&self, p: LatLng) -> bool {
        (self.min_lat..=self.max_lat).contains(&p.lat)
            && (self.min_lng..=self.max_lng).contains(&p.lng)
    }

    /// `minLng,minLat,maxLng,maxLat` with six decimals (about 10 cm).
    pub fn to_param(&self) -> String {
        [self.min_lng, self.min_lat, self.max_lng, self.max_lat].map(|v| fixed(v, 6)).join(",")
    }
}

impl std::str::FromStr for BBox {
    type Err = GeoError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<f64> = s
            .split(',')
            .map(|p| p.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| GeoError::Malformed)?;
        match parts[..] {
            [min_lng, min_lat, max_lng, max_lat] => Self::new(min_lng, min_lat, max_lng, max_lat),
            _ => Err(GeoError::Malformed),
        }
    }
}

/// `v` with exactly `decimals` decimals (at most 9), rounded half away from zero: what
/// `format!("{v:.6}")` writes for coordinates, without the float-formatting machinery that would
/// otherwise be the largest piece of code in the browser bundle.
pub fn fixed(v: f64, decimals: u32) -> String {
    let decimals = decimals.min(9);
    let scale = 10_i64.pow(decimals);
    let scaled = (v.abs() * scale as f64).round() as i64;
    let (whole, frac) = (scaled / scale, scaled % scale);
    let sign = if v < 0.0 && scaled != 0 { "-" } else { "" };
    if decimals == 0 {
        return format!("{sign}{whole}");
    }
    format!("{sign}{whole}.{frac:0width$}", width = decimals as usize)
}

/// Web Mercator (EPSG:3857) as Leaflet lays it out with 256-pixel tiles: a point's pixel
/// position in the world map at `zoom`. The server draws its picture of a map with it, so the
/// picture lines up with the Leaflet map that replaces it.
pub fn world_px(p: LatLng, zoom: f64) -> (f64, f64) {
    // Leaflet clamps latitudes to what the projection can show.
    const MAX_LAT: f64 = 85.051_128_779_806_6;
    let size = 256.0 * zoom.exp2();
    let lat = p.lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    let x = (p.lng + 180.0) / 360.0 * size;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * size;
    (x, y)
}

/// The inverse of [`world_px`].
pub fn from_world_px(x: f64, y: f64, zoom: f64) -> LatLng {
    let size = 256.0 * zoom.exp2();
    let lng = x / size * 360.0 - 180.0;
    let n = std::f64::consts::PI * (1.0 - 2.0 * y / size);
    let lat = n.sinh().atan().to_degrees();
    LatLng { lat, lng }
}

/// A simple closed polygon (the last point joins the first), such as a locality's boundary.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Polygon(pub Vec<LatLng>);

impl Polygon {
    /// Even-odd ray casting; points exactly on an edge may fall either way, which is fine at
    /// the scale of a city boundary drawn by hand.
    pub fn contains(&self, p: LatLng) -> bool {
        let pts = &self.0;
        if pts.len() < 3 {
            return false;
        }
        let mut inside = false;
        let mut j = pts.len() - 1;
        for i in 0..pts.len() {
            let (a, b) = (pts[i], pts[j]);
            if (a.lat > p.lat) != (b.lat > p.lat) {
                let cross_lng = a.lng + (p.lat - a.lat) * (b.lng - a.lng) / (b.lat - a.lat);
                if p.lng < cross_lng {
                    inside = !inside;
                }
            }
            j = i;
        }
        inside
    }

    /// The smallest box holding every vertex, or `None` for an empty polygon.
    pub fn bounds(&self) -> Option<BBox> {
        let first = self.0.first()?;
        let mut b =
            BBox { min_lng: first.lng, min_lat: first.lat, max_lng: first.lng, max_lat: first.lat };
        for p in &self.0 {
            b.min_lng = b.min_lng.min(p.lng);
            b.min_lat = b.min_lat.min(p.lat);
            b.max_lng = b.max_lng.max(p.lng);
            b.max_lat = b.max_lat.max(p.lat);
        }
        Some(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> Polygon {
        Polygon(vec![
            LatLng { lat: 0.0, lng: 0.0 },
            LatLng { lat: 0.0, lng: 1.0 },
            LatLng { lat: 1.0, lng: 1.0 },
            LatLng { lat: 1.0, lng: 0.0 },
        ])
    }

    #[test]
    fn polygon_contains_inside_and_refuses_outside() {
        assert!(square().contains(LatLng { lat: 0.5, lng: 0.5 }));
        assert!(!square().contains(LatLng { lat: 1.5, lng: 0.5 }));
        assert!(!square().contains(LatLng { lat: 0.5, lng: -0.1 }));
        assert!(!Polygon::default().contains(LatLng { lat: 0.0, lng: 0.0 }));
    }

    #[test]
    fn bbox_parses_and_refuses_bad_input() {
        let b: BBox = "27.9,47.7,28.0,47.8".parse().expect("valid box");
        assert_eq!(b.min_lat, 47.7);
        assert_eq!("27.9,47.7,28.0".parse::<BBox>(), Err(GeoError::Malformed));
        assert_eq!("a,b,c,d".parse::<BBox>(), Err(GeoError::Malformed));
        assert_eq!("28.0,47.7,27.9,47.8".parse::<BBox>(), Err(GeoError::Inverted));
        assert_eq!("27.9,91,28.0,92".parse::<BBox>(), Err(GeoError::OutOfRange));
        assert_eq!("-170,-80,170,80".parse::<BBox>(), Err(GeoError::TooLarge));
        assert_eq!("NaN,47.7,28.0,47.8".parse::<BBox>(), Err(GeoError::OutOfRange));
    }

    #[test]
    fn fixed_writes_like_format() {
        for v in [47.7617, -27.9291, 0.0, 12.3456789, -0.0000004, 179.9999999, 1e-7] {
            for d in [0, 5, 6] {
                let expected = format!("{v:.*}", d as usize);
                let expected =
                    if expected.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
                        expected.trim_start_matches('-').to_owned()
                    } else {
                        expected
                    };
                assert_eq!(fixed(v, d), expected, "{v} {d}");
            }
        }
    }

    #[test]
    fn mercator_matches_leaflet_and_inverts() {
        // What Leaflet 1.9's `map.project([47.7617, 27.9291], 13)` gives.
        let (x, y) = world_px(LatLng { lat: 47.7617, lng: 27.9291 }, 13.0);
        assert!((x - 1_211_274.80).abs() < 0.01, "{x}");
        assert!((y - 731_070.13).abs() < 0.01, "{y}");
        let back = from_world_px(x, y, 13.0);
        assert!((back.lat - 47.7617).abs() < 1e-9 && (back.lng - 27.9291).abs() < 1e-9);
    }

    #[test]
    fn distance_is_plausible() {
        let a = LatLng { lat: 47.7617, lng: 27.9291 };
        let b = LatLng { lat: 47.7617 + 0.001, lng: 27.9291 };
        let d = a.distance_m(b);
        assert!((d - 111.2).abs() < 1.0, "{d}");
    }
}

/// Properties that hold for any input whatsoever (proptest generates it).
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn boxes_parse_into_sound_boxes_or_not_at_all(s in "\\PC{0,40}|(-?[0-9]{1,3}(\\.[0-9]{1,6})?,){3}-?[0-9]{1,3}(\\.[0-9]{1,6})?") {
            if let Ok(b) = s.parse::<BBox>() {
                prop_assert!(b.min_lng < b.max_lng && b.min_lat < b.max_lat);
                prop_assert!(b.max_lng - b.min_lng <= BBox::MAX_SPAN_DEG);
                prop_assert!(b.max_lat - b.min_lat <= BBox::MAX_SPAN_DEG);
                prop_assert!(LatLng::new(b.min_lat, b.min_lng).is_ok() && LatLng::new(b.max_lat, b.max_lng).is_ok());
            }
        }

        #[test]
        fn boxes_round_trip_through_their_parameter(lng in -170.0f64..170.0, lat in -80.0f64..80.0, w in 0.001f64..4.0, h in 0.001f64..4.0) {
            let b = BBox::new(lng, lat, lng + w, lat + h).expect("a sound box");
            let back: BBox = b.to_param().parse().expect("parses");
            prop_assert!((back.min_lng - b.min_lng).abs() < 1e-6 && (back.max_lat - b.max_lat).abs() < 1e-6);
        }

        #[test]
        fn fixed_matches_the_standard_formatting(v in -1000.0f64..1000.0, d in 0u32..7) {
            let ours: f64 = fixed(v, d).parse().expect("a number");
            prop_assert!((ours - v).abs() <= 0.5 * 10f64.powi(-(d as i32)) + 1e-9);
        }
    }
}
