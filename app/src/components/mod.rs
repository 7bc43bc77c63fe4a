//! Reusable UI pieces.

pub mod error;
pub mod layout;
pub mod map;
pub mod report_list;
pub mod status;
