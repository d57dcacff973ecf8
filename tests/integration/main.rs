//! End-to-end tests of the `releve` binary: real files in, real files out, exit statuses
//! checked, figures computed by hand in the comments. One test binary for the whole package.

mod support;

mod approval;
mod audit;
mod backup;
mod child;
mod concurrency;
mod config_errors;
mod contract;
mod crash;
mod credentials;
mod csv_style;
mod demo;
mod facts_tally;
mod hostile;
mod indicator_months;
mod lifecycle;
mod month_run;
mod payroll;
mod pg;
mod pg_outage;
mod registry;
mod reimport;
mod report;
mod rules;
mod sacd_period;
mod server;
mod source_formats;
mod submit;
mod two_months;
