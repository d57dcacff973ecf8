//! The computed indicators of one organisation for one period: what every output renders.

use crate::inputs::MonthData;
use crate::period::Period;
use crate::rows::{compute_rows, month_series, IndicatorRow, MonthSummary};
use chrono::{DateTime, Utc};
use releve_domain::Organisation;

#[derive(Clone, Debug)]
pub struct Report {
    pub organisation_slug: String,
    pub organisation_name: String,
    pub period: Period,
    pub previous: Period,
    /// Input, never read from a clock here (outputs are deterministic).
    pub generated_at: DateTime<Utc>,
    pub rows: Vec<IndicatorRow>,
    /// One entry per month of the period, for charts.
    pub series: Vec<MonthSummary>,
}

impl Report {
    pub fn build(
        organisation: &Organisation,
        period: Period,
        months: &[MonthData],
        generated_at: DateTime<Utc>,
    ) -> Report {
        Report {
            organisation_slug: organisation.slug.clone(),
            organisation_name: organisation.name.clone(),
            period,
            previous: period.previous(),
            generated_at,
            rows: compute_rows(period, months),
            series: month_series(period, months),
        }
    }

    pub fn row(&self, id: &str) -> Option<&IndicatorRow> {
        self.rows.iter().find(|r| r.id == id)
    }
}
