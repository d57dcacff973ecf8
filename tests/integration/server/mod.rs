//! The server (`releve serve`): workspace pages and JSON API over real HTTP on port 0.

pub mod harness;

mod accounts;
mod browser;
mod browser_scenario;
mod foundation;
mod work;
