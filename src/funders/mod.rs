//! The funders' side (issue 18): what a funder (tutelle) reads of the organisations that share
//! their indicators with it.
//!
//! - `view`: a funder's season — each sharing organisation's own `indicators.json`, the
//!   network's totals and weighted averages, freshness (run, date, changed since the last
//!   download), the XLSX and CSV downloads;
//! - `surveys`: surveys as data (`surveys/*.toml`) pre-filled from the same indicators.
//!
//! Who may read which funder, and which organisations share with it, is decided only by
//! `server::access`; this module is given the organisations it may show.

pub mod surveys;
pub mod view;
