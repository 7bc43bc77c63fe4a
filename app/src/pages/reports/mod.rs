//! The reports module's pages: the list, a report, the form, and the staff queue.

mod detail;
mod fixed;
mod list;
mod new;
mod staff;
mod staff_panel;
mod subscription;

pub use detail::ReportPage;
pub use fixed::FixedCheckPage;
pub use list::ReportsPage;
pub use new::NewReportPage;
pub use staff::StaffQueuePage;
pub use subscription::ConfirmSubscriptionPage;
