//! `GET /api/v1/reports.geojson`: the map's open-data feed.

use super::error_response;
use super::site::RequestLocality;
use crate::state::AppState;
use app::error::{AppError, Problem};
use app::model::{BBox, MapFeature, ReportFilter};
use app::store::ReportMap;
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

pub async fn reports(
    State(state): State<AppState>,
    RequestLocality(locality): RequestLocality,
    Query(q): Query<GeoJsonQuery>,
) -> Response {
    // A query that does not parse is a bad request (400), with the usual validation body.
    let bad = |field: &str, problem| {
        (StatusCode::BAD_REQUEST, axum::Json(AppError::invalid(field, problem))).into_response()
    };
    // bbox=minLng,minLat,maxLng,maxLat is required.
    let Some(raw_bbox) = q.bbox.as_deref() else {
        return bad("bbox", Problem::Required);
    };
    let bbox: BBox = match raw_bbox.parse() {
        Ok(b) => b,
        Err(_) => return bad("bbox", Problem::Invalid),
    };
    let zoom = match q.zoom.as_deref().map(str::parse::<u8>) {
        None => None,
        Some(Ok(z)) if z <= 22 => Some(z),
        // zoom is a whole number from 0 to 22.
        Some(_) => return bad("zoom", Problem::Invalid),
    };
    let filter = ReportFilter::from_query(q.category.as_deref(), q.status.as_deref())
        .in_locality(locality.id);
    let features = match state.db.map_features(bbox, zoom, &filter).await {
        Ok(f) => f,
        Err(err) => return error_response(err.into()),
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
