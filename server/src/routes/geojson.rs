//! `GET /api/v1/reports.geojson`: the map's open-data feed.

use super::api_error;
use crate::state::AppState;
use app::model::{BBox, MapFeature, ReportFilter};
use app::store::ReportStore;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
pub struct GeoJsonQuery {
    bbox: Option<String>,
    zoom: Option<String>,
    category: Option<String>,
    status: Option<String>,
}

pub async fn reports(State(state): State<AppState>, Query(q): Query<GeoJsonQuery>) -> Response {
    let Some(raw_bbox) = q.bbox.as_deref() else {
        return api_error(
            StatusCode::BAD_REQUEST,
            "missing_bbox",
            "bbox=minLng,minLat,maxLng,maxLat is required",
        );
    };
    let bbox: BBox = match raw_bbox.parse() {
        Ok(b) => b,
        Err(err) => return api_error(StatusCode::BAD_REQUEST, "bad_bbox", &err.to_string()),
    };
    let zoom = match q.zoom.as_deref().map(str::parse::<u8>) {
        None => None,
        Some(Ok(z)) if z <= 22 => Some(z),
        Some(_) => {
            return api_error(
                StatusCode::BAD_REQUEST,
                "bad_zoom",
                "zoom must be an integer from 0 to 22",
            )
        }
    };
    let filter = ReportFilter::from_query(q.category.as_deref(), q.status.as_deref());
    let features = match state.db.map_features(bbox, zoom, &filter).await {
        Ok(f) => f,
        Err(err) => {
            tracing::error!(error = %err, "geojson query failed");
            return api_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the reports could not be read",
            );
        }
    };
    let base = &state.config.public_url;
    let features: Vec<Value> = features
        .features
        .into_iter()
        .map(|f| match f {
            MapFeature::Pin { id, at, status, category, title } => json!({
                "type": "Feature",
                "id": id,
                "geometry": { "type": "Point", "coordinates": [at.lng, at.lat] },
                "properties": {
                    "id": id,
                    "status": status.as_str(),
                    "category": category,
                    "title": title,
                    "url": format!("{base}/ro/reports/{id}"),
                },
            }),
            MapFeature::Cluster { at, count } => json!({
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": [at.lng, at.lat] },
                "properties": { "cluster": true, "count": count },
            }),
        })
        .collect();
    let body = json!({
        "type": "FeatureCollection",
        "bbox": [bbox.min_lng, bbox.min_lat, bbox.max_lng, bbox.max_lat],
        "features": features,
    });
    ([(header::CONTENT_TYPE, "application/geo+json")], body.to_string()).into_response()
}
