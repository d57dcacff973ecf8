//! `indicators.csv`: one line per indicator and one per breakdown entry (id `family.name:key`),
//! columns `id,label,unit,value,previous,note`. A value that cannot be computed reads
//! `non applicable` and its reason goes to the note.

use crate::error::IndicatorError;
use crate::report::Report;
use crate::value::Value;

fn cell(v: &Value) -> String {
    v.machine_text()
        .unwrap_or_else(|| "non applicable".to_string())
}

fn note(value: &Value, previous: &Value, extra: Option<&str>) -> String {
    let mut parts = Vec::new();
    if let Some(n) = extra {
        parts.push(n.to_string());
    }
    if let Some(r) = value.reason() {
        parts.push(format!("non applicable : {r}"));
    }
    if let Some(r) = previous.reason() {
        parts.push(format!("période précédente non applicable : {r}"));
    }
    parts.join(" ; ")
}

pub fn render(report: &Report) -> Result<Vec<u8>, IndicatorError> {
    let err = |e: &dyn std::fmt::Display| IndicatorError::Output {
        file: "indicators.csv",
        reason: e.to_string(),
    };
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(["id", "label", "unit", "value", "previous", "note"])
        .map_err(|e| err(&e))?;
    for r in &report.rows {
        w.write_record([
            r.id.to_string(),
            r.label.to_string(),
            r.unit.code().to_string(),
            cell(&r.value),
            cell(&r.previous_value),
            note(&r.value, &r.previous_value, r.note.as_deref()),
        ])
        .map_err(|e| err(&e))?;
        for b in &r.breakdown {
            w.write_record([
                format!("{}:{}", r.id, b.key),
                format!("{} — {}", r.label, b.label),
                r.unit.code().to_string(),
                cell(&b.value),
                cell(&b.previous_value),
                note(&b.value, &b.previous_value, None),
            ])
            .map_err(|e| err(&e))?;
        }
    }
    w.into_inner().map_err(|e| err(&e))
}
