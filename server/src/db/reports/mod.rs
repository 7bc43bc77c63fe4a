//! Reports: what the map, the lists and the report pages read, what citizens write, and the
//! city hall's work on them. One file per job; SQL shared between them is in [`query`].

mod cells;
mod citizen;
mod fixed;
mod map;
pub(crate) mod query;
mod read;
mod rows;
mod workflow;

pub use cells::{cell_of, CELL_LEVELS};
pub use fixed::FixedQuestion;

use app::error::{FieldError, Problem};
use app::model::ReportStatus;
use app::store::StoreError;

fn invalid(field: &str, problem: Problem) -> StoreError {
    StoreError::Invalid(FieldError::new(field, problem))
}

fn parse_status(s: &str) -> ReportStatus {
    ReportStatus::parse(s).unwrap_or_else(|| {
        tracing::warn!(status = s, "unknown report status in the database");
        ReportStatus::New
    })
}
