//! Reusable UI pieces.

pub mod announcements;
pub mod charts;
pub mod error;
pub mod filters;
pub mod follow;
pub mod form;
pub mod kiosk;
pub mod layout;
pub mod level;
pub mod localized;
pub mod map;
pub mod outbox;
pub mod page_title;
pub mod pager;
pub mod report_list;
pub mod share;
pub mod status;
pub mod table;
