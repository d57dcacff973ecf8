//! The French season report as HTML: the tera template `templates/season.html.tera` (embedded),
//! one table per family and the inline SVG charts of `svg.rs` (the shared chart helper).

use super::svg::svg;
use crate::catalogue::Family;
use crate::error::IndicatorError;
use crate::report::Report;
use crate::value::Value;
use releve_documents::fr;
use serde::Serialize;

const TEMPLATE: &str = include_str!("../../templates/season.html.tera");

#[derive(Serialize)]
struct FamilyView {
    title: &'static str,
    rows: Vec<RowView>,
}

#[derive(Serialize)]
struct RowView {
    id: &'static str,
    label: &'static str,
    value: String,
    value_na: bool,
    previous: String,
    previous_na: bool,
    note: String,
    breakdown: Vec<BreakdownView>,
}

#[derive(Serialize)]
struct BreakdownView {
    label: String,
    value: String,
    previous: String,
}

/// `non applicable (jauge inconnue …)` or the French figure.
pub(crate) fn shown(v: &Value) -> String {
    match v.reason() {
        Some(r) => format!("non applicable ({r})"),
        None => v.to_french(),
    }
}

pub(crate) fn families(report: &Report) -> Vec<(Family, Vec<&crate::rows::IndicatorRow>)> {
    Family::ALL
        .iter()
        .map(|f| (*f, report.rows.iter().filter(|r| r.family == *f).collect()))
        .collect()
}

pub fn render(report: &Report) -> Result<Vec<u8>, IndicatorError> {
    let families: Vec<FamilyView> = families(report)
        .into_iter()
        .map(|(f, rows)| FamilyView {
            title: f.label_fr(),
            rows: rows
                .into_iter()
                .map(|r| RowView {
                    id: r.id,
                    label: r.label,
                    value: shown(&r.value),
                    value_na: !r.value.is_applicable(),
                    previous: shown(&r.previous_value),
                    previous_na: !r.previous_value.is_applicable(),
                    note: r.note.clone().unwrap_or_default(),
                    breakdown: r
                        .breakdown
                        .iter()
                        .map(|b| BreakdownView {
                            label: b.label.clone(),
                            value: shown(&b.value),
                            previous: shown(&b.previous_value),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("organisation", &report.organisation_name);
    ctx.insert("period", &report.period.to_string());
    ctx.insert("previous", &report.previous.to_string());
    ctx.insert("period_label", &capitalise(&report.period.to_french()));
    ctx.insert("previous_label", &report.previous.to_french());
    ctx.insert("generated_at", &fr::date_time(report.generated_at));
    ctx.insert("charts", &svg(report));
    ctx.insert("families", &families);
    tera::Tera::one_off(TEMPLATE, &ctx, true)
        .map(String::into_bytes)
        .map_err(|e| IndicatorError::Template(format!("{e:?}")))
}

pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
