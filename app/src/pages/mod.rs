//! One module per route.

pub mod account;
pub mod admin;
pub mod alerts;
pub mod announcements;
pub mod auth;
pub mod budget;
pub mod events;
pub mod home;
pub mod initiatives;
pub mod kiosk;
pub mod newsletters;
pub mod not_found;
pub mod offline;
pub mod open_data;
pub mod polls;
pub mod reports;
pub mod resources;
pub mod services;
pub mod statistics;
pub mod subscriptions;
pub mod surveys;
