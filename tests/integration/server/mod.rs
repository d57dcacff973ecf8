//! The server (`releve serve`): workspace pages and JSON API over real HTTP on port 0.

pub mod harness;

mod accounts;
pub mod api_corrections;
mod api_ministry;
mod api_push;
mod api_read;
mod browser;
mod browser_scenario;
mod foundation;
mod work;
mod workspace;
