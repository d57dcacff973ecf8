//! The server (`releve serve`): workspace pages and JSON API over real HTTP on port 0.

pub mod harness;

mod accounts;
pub mod api_corrections;
mod api_ministry;
mod api_protection;
mod api_push;
mod api_read;
mod api_routes;
mod api_runs;
mod browser;
mod browser_funders;
mod browser_scenario;
mod calendar;
mod credentials;
mod foundation;
pub mod funders;
mod producer;
mod push_mutations;
pub mod reminders;
mod schedule_sacd;
mod sending;
mod work;
mod workspace;
