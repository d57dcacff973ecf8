//! Workbooks of indicator rows, written with `rust_xlsxwriter`.
//!
//! The reusable part is [`workbook`]: any list of [`Sheet`]s — a title, value column headers
//! (two periods for a venue's season, one column per organisation for a funder), rows — becomes
//! a workbook where each sheet has the columns `Indicateur` (id), `Libellé`, `Unité`, one column
//! per value, `Note`; figures are numeric cells with a number format by unit (euros
//! `# ##0,00 €`, percentages `0,0 %` over the figure as shown — `62.5` reads "62,5 %" — counts
//! `# ##0`, hours and cachets `# ##0,0#`); "non applicable" is text and its reason is in the
//! note; under the table, a bar chart of the leading rows that share the first row's unit, one
//! series per value column.
//!
//! [`sheets`] cuts a venue's [`Report`] into one sheet per family (`Représentations`,
//! `Fréquentation`, …) and [`render`] writes them: the season's `indicators.xlsx`.
//!
//! Deterministic bytes: the document's creation date is the report's `generated_at` (the zip
//! entries of `rust_xlsxwriter` carry a fixed date).

use crate::catalogue::Family;
use crate::error::IndicatorError;
use crate::report::Report;
use crate::rows::IndicatorRow;
use crate::value::{Unit, Value};
use chrono::{DateTime, Datelike, Timelike, Utc};
use rust_xlsxwriter::{
    Chart, ChartLegendPosition, DocProperties, ExcelDateTime, Format, Workbook, Worksheet,
    XlsxError,
};

/// One line of a sheet: an indicator (or one entry of its breakdown) and its figures.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetRow {
    /// `performances.total`, or `performances.by_discipline:theatre` for a breakdown entry.
    pub id: String,
    /// French label; breakdown entries are indented by the caller (`    Théâtre`).
    pub label: String,
    pub unit: Unit,
    /// One value per value column of the sheet (missing ones are left blank).
    pub values: Vec<Value>,
    pub note: String,
}

/// One sheet: its name (31 characters at most, no `[]:*?/\`), the headers of its value columns
/// and its rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub value_columns: Vec<String>,
    pub rows: Vec<SheetRow>,
}

/// Column widths: id, label, unit, each value, note.
const ID_WIDTH: f64 = 34.0;
const LABEL_WIDTH: f64 = 60.0;
const UNIT_WIDTH: f64 = 10.0;
const VALUE_WIDTH: f64 = 18.0;
const NOTE_WIDTH: f64 = 60.0;
/// Leading columns before the values: id, label, unit.
const FIXED: u16 = 3;

/// The number format of a unit. Percentages are stored as shown (`62.5`), as in
/// `indicators.json`, so the format adds the sign without multiplying by 100.
fn number_format(unit: Unit) -> Format {
    let code = match unit {
        Unit::Count => "#,##0",
        Unit::Euros => "#,##0.00\\ \"€\"",
        Unit::Percent => "0.0\\ \"%\"",
        Unit::Hours | Unit::Cachets => "#,##0.0#",
    };
    Format::new().set_num_format(code)
}

fn xlsx_error(e: XlsxError) -> IndicatorError {
    IndicatorError::Output {
        file: "indicators.xlsx",
        reason: e.to_string(),
    }
}

/// The figure of a value as a number, `None` when not applicable.
fn number(v: &Value) -> Option<f64> {
    v.machine_text().and_then(|t| t.parse::<f64>().ok())
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    ws.set_name(&sheet.name)?;
    let values = sheet.value_columns.len() as u16;
    let note_col = FIXED + values;
    ws.set_column_width(0, ID_WIDTH)?;
    ws.set_column_width(1, LABEL_WIDTH)?;
    ws.set_column_width(2, UNIT_WIDTH)?;
    for c in 0..values {
        ws.set_column_width(FIXED + c, VALUE_WIDTH)?;
    }
    ws.set_column_width(note_col, NOTE_WIDTH)?;
    for (c, header) in ["Indicateur", "Libellé", "Unité"].iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *header, &bold)?;
    }
    for (c, header) in sheet.value_columns.iter().enumerate() {
        ws.write_string_with_format(0, FIXED + c as u16, header, &bold)?;
    }
    ws.write_string_with_format(0, note_col, "Note", &bold)?;
    ws.set_freeze_panes(1, 0)?;
    for (i, row) in sheet.rows.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_string(r, 0, &row.id)?;
        ws.write_string(r, 1, &row.label)?;
        ws.write_string(r, 2, row.unit.label_fr())?;
        let format = number_format(row.unit);
        for (c, value) in row.values.iter().enumerate() {
            let col = FIXED + c as u16;
            match number(value) {
                Some(n) => ws.write_number_with_format(r, col, n, &format)?,
                None => ws.write_string(r, col, "non applicable")?,
            };
        }
        if !row.note.is_empty() {
            ws.write_string(r, note_col, &row.note)?;
        }
    }
    if let Some(chart) = chart(sheet) {
        ws.insert_chart(sheet.rows.len() as u32 + 2, 1, &chart)?;
    }
    Ok(())
}

/// The sheet's chart: the leading rows that share the first row's unit (the other units would
/// not read on the same axis), one series per value column. `None` for an empty sheet.
fn chart(sheet: &Sheet) -> Option<Chart> {
    let unit = sheet.rows.first()?.unit;
    let run = sheet.rows.iter().take_while(|r| r.unit == unit).count() as u32;
    let (first, last) = (1, run);
    let mut chart = Chart::new_bar();
    let title = format!("{} ({})", sheet.name, unit.label_fr());
    chart.title().set_name(&title);
    for c in 0..sheet.value_columns.len() {
        let col = FIXED + c as u16;
        chart
            .add_series()
            .set_name((sheet.name.as_str(), 0, col))
            .set_categories((sheet.name.as_str(), first, 1, last, 1))
            .set_values((sheet.name.as_str(), first, col, last, col));
    }
    // Categories top-down in the order of the table.
    chart.x_axis().set_reverse();
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart
        .set_width(720)
        .set_height(120 + 26 * run.max(1) + 30 * sheet.value_columns.len() as u32);
    Some(chart)
}

/// The workbook of `sheets`, dated `created` (the document's creation date).
pub fn workbook(sheets: &[Sheet], created: DateTime<Utc>) -> Result<Vec<u8>, IndicatorError> {
    let mut book = Workbook::new();
    let date = ExcelDateTime::from_ymd(
        created.year() as u16,
        created.month() as u8,
        created.day() as u8,
    )
    .and_then(|d| {
        d.and_hms(
            created.hour() as u16,
            created.minute() as u8,
            created.second(),
        )
    })
    .map_err(xlsx_error)?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&date)
            .set_author("releve"),
    );
    for sheet in sheets {
        write_sheet(book.add_worksheet(), sheet).map_err(xlsx_error)?;
    }
    book.save_to_buffer().map_err(xlsx_error)
}

fn note(value: &Value, note: Option<&str>) -> String {
    let mut parts: Vec<String> = note.map(|n| vec![n.to_string()]).unwrap_or_default();
    if let Some(r) = value.reason() {
        parts.push(r.to_string());
    }
    parts.join(" ; ")
}

/// The rows of one indicator: itself, then its breakdown entries (id `indicator:key`, label
/// indented), each with the current and previous values.
pub fn indicator_rows(r: &IndicatorRow) -> Vec<SheetRow> {
    let mut rows = vec![SheetRow {
        id: r.id.to_string(),
        label: r.label.to_string(),
        unit: r.unit,
        values: vec![r.value.clone(), r.previous_value.clone()],
        note: note(&r.value, r.note.as_deref()),
    }];
    rows.extend(r.breakdown.iter().map(|b| SheetRow {
        id: format!("{}:{}", r.id, b.key),
        label: format!("    {}", b.label),
        unit: r.unit,
        values: vec![b.value.clone(), b.previous_value.clone()],
        note: note(&b.value, None),
    }));
    rows
}

/// A venue's report as one sheet per family, the period beside the previous one.
pub fn sheets(report: &Report) -> Vec<Sheet> {
    Family::ALL
        .iter()
        .map(|family| Sheet {
            name: family.label_fr().to_string(),
            value_columns: vec![report.period.to_french(), report.previous.to_french()],
            rows: report
                .rows
                .iter()
                .filter(|r| r.family == *family)
                .flat_map(indicator_rows)
                .collect(),
        })
        .collect()
}

/// The season workbook `indicators.xlsx` (one sheet per family).
pub fn render(report: &Report) -> Result<Vec<u8>, IndicatorError> {
    workbook(&sheets(report), report.generated_at)
}
