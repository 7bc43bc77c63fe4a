//! Reusable UI pieces.

pub mod charts;
pub mod error;
pub mod filters;
pub mod form;
pub mod layout;
pub mod level;
pub mod map;
pub mod pager;
pub mod report_list;
pub mod status;
