//! `indicators.json` (`formats.md` §5): schema version, organisation, month or season, the
//! period and the previous one, and one row per indicator in catalogue order. Counts are JSON
//! numbers, amounts two-decimal strings, percents one-decimal strings; a value that cannot be
//! computed is `null` with its reason beside it.

use crate::error::IndicatorError;
use crate::period::Period;
use crate::report::Report;
use crate::rows::IndicatorRow;
use releve_domain::calendar::rfc3339_paris;
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    organisation: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    season: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<String>,
    period: Period,
    previous_period: Period,
    generated_at: String,
    rows: Vec<Row<'a>>,
}

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    family: &'a str,
    label: &'a str,
    unit: &'a str,
    value: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_reason: Option<&'a str>,
    previous_value: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous_reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    breakdown: Vec<BreakdownJson<'a>>,
    /// The sums a ratio indicator divides (`ratio.rs`), for this period and the previous one.
    #[serde(skip_serializing_if = "Option::is_none")]
    ratio: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous_ratio: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct BreakdownJson<'a> {
    key: &'a str,
    label: &'a str,
    value: serde_json::Value,
    previous_value: serde_json::Value,
}

fn row(r: &IndicatorRow) -> Row<'_> {
    Row {
        id: r.id,
        family: r.family.code(),
        label: r.label,
        unit: r.unit.code(),
        value: r.value.to_json(),
        value_reason: r.value.reason(),
        previous_value: r.previous_value.to_json(),
        previous_reason: r.previous_value.reason(),
        note: r.note.as_deref(),
        breakdown: r
            .breakdown
            .iter()
            .map(|b| BreakdownJson {
                key: &b.key,
                label: &b.label,
                value: b.value.to_json(),
                previous_value: b.previous_value.to_json(),
            })
            .collect(),
        ratio: r.ratio.map(|x| x.to_json()),
        previous_ratio: r.previous_ratio.map(|x| x.to_json()),
    }
}

pub fn render(report: &Report) -> Result<Vec<u8>, IndicatorError> {
    let id = report.period.to_string();
    let doc = Document {
        schema_version: SCHEMA_VERSION,
        organisation: &report.organisation_slug,
        month: matches!(report.period, Period::Month(_)).then(|| id.clone()),
        season: matches!(report.period, Period::Season { .. }).then(|| id.clone()),
        year: matches!(report.period, Period::Year(_)).then(|| id.clone()),
        period: report.period,
        previous_period: report.previous,
        generated_at: rfc3339_paris(report.generated_at),
        rows: report.rows.iter().map(row).collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&doc).map_err(|e| IndicatorError::Output {
        file: "indicators.json",
        reason: e.to_string(),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}
