//! Rows as the report queries read them.

use super::parse_status;
use app::model::{LatLng, ReportSummary};
use chrono::{DateTime, Utc};

#[derive(sqlx::FromRow)]
pub(super) struct PinRow {
    pub(super) id: i64,
    pub(super) lat: f64,
    pub(super) lng: f64,
    pub(super) status: String,
    pub(super) category: String,
    pub(super) title: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct ClusterRow {
    pub(super) n: i64,
    pub(super) sum_lat: f64,
    pub(super) sum_lng: f64,
}

#[derive(sqlx::FromRow)]
pub(super) struct SummaryRow {
    pub(super) id: i64,
    pub(super) title: String,
    pub(super) status: String,
    pub(super) category: String,
    pub(super) lat: f64,
    pub(super) lng: f64,
    pub(super) address: Option<String>,
    pub(super) created_at: DateTime<Utc>,
    pub(super) updated_at: DateTime<Utc>,
    pub(super) supporters: i64,
}

impl From<SummaryRow> for ReportSummary {
    fn from(r: SummaryRow) -> Self {
        ReportSummary {
            id: r.id,
            title: r.title,
            status: parse_status(&r.status),
            category: r.category,
            at: LatLng { lat: r.lat, lng: r.lng },
            address: r.address,
            created_at: r.created_at,
            updated_at: r.updated_at,
            supporters: r.supporters,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct DetailRow {
    pub(super) id: i64,
    pub(super) locality_id: i64,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) category: String,
    pub(super) category_id: i64,
    pub(super) status: String,
    pub(super) lat: f64,
    pub(super) lng: f64,
    pub(super) location_confirmed: bool,
    pub(super) address: Option<String>,
    pub(super) reporter_name: Option<String>,
    pub(super) reporter_email: Option<String>,
    pub(super) reporter_account: Option<String>,
    pub(super) show_name: bool,
    pub(super) department: Option<String>,
    pub(super) duplicate_of: Option<i64>,
    pub(super) supporters: i64,
    pub(super) hidden: bool,
    pub(super) created_at: DateTime<Utc>,
    pub(super) first_response_at: Option<DateTime<Utc>>,
    pub(super) resolved_at: Option<DateTime<Utc>>,
    pub(super) assisted_by: Option<String>,
    pub(super) visitor_contact: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(super) struct EventRow {
    pub(super) from_status: Option<String>,
    pub(super) to_status: Option<String>,
    pub(super) body: String,
    pub(super) actor_name: String,
    pub(super) official: bool,
    pub(super) created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub(super) struct CommentRow {
    pub(super) id: i64,
    pub(super) author_name: String,
    pub(super) body: String,
    pub(super) hidden: bool,
    pub(super) hidden_reason: Option<String>,
    pub(super) created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub(super) struct PhotoRow {
    pub(super) id: i64,
    pub(super) width: i64,
    pub(super) height: i64,
    pub(super) hidden: bool,
    pub(super) hidden_reason: Option<String>,
}

/// The state of a report that a status change starts from.
#[derive(sqlx::FromRow)]
pub(super) struct WorkflowRow {
    pub(super) status: String,
    pub(super) locality_id: i64,
    pub(super) category_id: i64,
    pub(super) lat: f64,
    pub(super) lng: f64,
    pub(super) location_confirmed: bool,
    pub(super) hidden: bool,
    pub(super) department_id: Option<i64>,
    pub(super) duplicate_of: Option<i64>,
    pub(super) resolved_at: Option<DateTime<Utc>>,
}

impl WorkflowRow {
    /// Whether the report is counted in `report_cells`.
    pub(super) fn on_map(&self) -> bool {
        self.location_confirmed && !self.hidden
    }

    pub(super) fn at(&self) -> LatLng {
        LatLng { lat: self.lat, lng: self.lng }
    }
}
