//! One module per route.

pub mod account;
pub mod admin;
pub mod auth;
pub mod home;
pub mod not_found;
pub mod placeholder;
pub mod reports;
