//! Statistics per locality: the public page, the staff's fuller one, the yearly activity report.

mod density;
mod figures;
mod overview;
mod year;

pub use overview::{StaffStatisticsPage, StatisticsPage};
pub use year::YearReportPage;
