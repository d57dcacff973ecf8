//! releve-indicators: the harmonised catalogue of activity indicators for supervisory
//! authorities (DRAC, region, department, city), computed from the same monthly facts as the
//! declarations so that the figures agree with what was declared.
//!
//! - `catalogue`: the `Indicator` trait, the catalogue as data (`families/`, one file per
//!   family) and `docs()`, the Markdown table for `docs/indicators.md`.
//! - `value`: `Value` (`Number`, `Count`, `Money`, `Percent`, `NotApplicable { reason }`);
//!   percentages rounded half-up to one decimal.
//! - `period`: month, calendar year, season (September → August by default) and `previous()`.
//! - `inputs`, `rows`, `report`: gathering the months of a period, computing every indicator
//!   beside the previous period.
//! - `ratio`: the sums behind a rate or an average, kept so that organisations combine
//!   correctly; `network`: reading `indicators.json` back and the network of a funder.
//! - `output`: JSON, CSV, XLSX, HTML with SVG charts, PDF. `month_outputs` and `season_outputs`
//!   return `(file name, bytes)`; the binary writes them.

pub mod catalogue;
pub mod error;
pub mod families;
pub mod inputs;
pub mod network;
pub mod output;
pub mod period;
pub mod ratio;
pub mod report;
pub mod rows;
pub mod value;

pub use catalogue::{catalogue, docs, BreakdownEntry, Def, Family, Indicator, Outcome};
pub use error::IndicatorError;
pub use inputs::{DeclaredAmounts, Inputs, MonthData, PeriodInputs};
pub use period::{Period, DEFAULT_SEASON_START};
pub use ratio::Ratio;
pub use report::Report;
pub use rows::{compute_rows, BreakdownRow, IndicatorRow};
pub use value::{Unit, Value};

use chrono::{DateTime, Utc};
use releve_domain::{Month, Organisation};

/// A file to write: name inside the output folder, and its bytes.
pub type OutputFile = (String, Vec<u8>);

/// `indicators.json` and `indicators.csv` for one month (with the previous month beside each
/// figure), for `OUT/<organisation>/<YYYY-MM>/`. `months` may hold any months: those needed
/// (this one and the previous) are picked.
pub fn month_outputs(
    organisation: &Organisation,
    month: Month,
    months: &[MonthData],
    generated_at: DateTime<Utc>,
) -> Result<Vec<OutputFile>, IndicatorError> {
    let report = Report::build(organisation, Period::Month(month), months, generated_at);
    Ok(vec![
        (
            "indicators.json".to_string(),
            output::json::render(&report)?,
        ),
        ("indicators.csv".to_string(), output::csv::render(&report)?),
    ])
}

/// The season (or calendar year) report: `indicators.json`, `indicators.csv`,
/// `indicators.xlsx` (one sheet per family), `indicators.html` and `indicators.pdf` (French,
/// with charts). `months` should hold the months of the period and of the previous one.
pub fn season_outputs(
    organisation: &Organisation,
    period: Period,
    months: &[MonthData],
    generated_at: DateTime<Utc>,
) -> Result<Vec<OutputFile>, IndicatorError> {
    let report = Report::build(organisation, period, months, generated_at);
    Ok(vec![
        (
            "indicators.json".to_string(),
            output::json::render(&report)?,
        ),
        ("indicators.csv".to_string(), output::csv::render(&report)?),
        (
            "indicators.xlsx".to_string(),
            output::xlsx::render(&report)?,
        ),
        (
            "indicators.html".to_string(),
            output::html::render(&report)?,
        ),
        ("indicators.pdf".to_string(), output::pdf::render(&report)?),
    ])
}

#[cfg(test)]
mod tests;
