//! One integration binary, run once per backend: `AGORA_TEST_DATABASE=sqlite` (the default) or a
//! PostgreSQL admin URL. Every test gets a fresh database and drives the real router in-process.

mod accounts;
mod alerts;
mod authz;
mod ballot_mail;
mod budget;
mod budget_proposals;
mod budget_setup;
mod budget_works;
mod cluster;
mod events;
mod exports;
mod fixed;
mod follows;
mod foundation;
mod fuzz;
mod hardening;
mod helpers;
mod idempotency;
mod inclusion;
mod localities;
mod mail;
mod newsletters;
mod open311;
mod pages;
mod processes;
mod reports;
mod resources;
mod schema;
mod services;
mod sharing;
mod statistics;
mod survey_ngo;
mod survey_pages;
mod surveys;
mod votes;
