//! End-to-end tests of the `releve` binary: real files in, real files out, exit statuses
//! checked, figures computed by hand in the comments. One test binary for the whole package.

mod support;

mod approval;
mod child;
mod concurrency;
mod config_errors;
mod contract;
mod crash;
mod csv_style;
mod demo;
mod lifecycle;
mod month_run;
mod payroll;
mod reimport;
mod server;
mod source_formats;
mod two_months;
