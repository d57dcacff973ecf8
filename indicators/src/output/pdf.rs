//! The French season report as PDF, on the shared document layer (`releve_documents::pdf`):
//! title, the three bar charts of [`super::svg::charts`] (the same charts as the HTML), then one
//! table per family (indicator, period, previous period) whose header repeats on every page it
//! spans, and the family's notes after its table.
//!
//! A figure column holds figures: a value that cannot be computed reads "non applicable" and its
//! reason goes to the notes, said once in the document (every employment figure shares the
//! reason "aucune source de paie"). Deterministic bytes: the layer's dates come from the
//! report's `generated_at`.

use super::html::{capitalise, families};
use super::svg::charts;
use crate::error::IndicatorError;
use crate::report::Report;
use crate::rows::IndicatorRow;
use crate::value::Value;
use releve_documents::fr;
use releve_documents::pdf::{Column, Form, Table};
use std::collections::BTreeSet;

/// "non applicable" in a figure column, the French figure otherwise.
fn figure(v: &Value) -> String {
    if v.is_applicable() {
        v.to_french()
    } else {
        "non applicable".to_string()
    }
}

/// The notes of one indicator: its own note (after its label: the note sits under the table),
/// then the reasons of its empty figures (the figure column already says which are empty).
fn notes(r: &IndicatorRow) -> Vec<String> {
    let mut notes: Vec<String> = r
        .note
        .iter()
        .map(|n| format!("{} : {n}", r.label))
        .collect();
    let mut reasons = |v: &Value, previous: &Value| {
        if let Some(reason) = v.reason() {
            notes.push(format!("non applicable : {reason}"));
        }
        if let Some(reason) = previous.reason() {
            notes.push(format!("période précédente non applicable : {reason}"));
        }
    };
    reasons(&r.value, &r.previous_value);
    for b in &r.breakdown {
        reasons(&b.value, &b.previous_value);
    }
    notes
}

/// The report as a form of the document layer (laid out and checked in tests).
pub(crate) fn form(report: &Report) -> Form {
    let mut form = Form::new(format!(
        "Indicateurs d'activité — {}",
        report.organisation_name
    ));
    let edited = fr::date_time(report.generated_at);
    form.subtitle(format!(
        "{} (comparée à la {}) · édité le {edited}",
        capitalise(&report.period.to_french()),
        report.previous.to_french(),
    ))
    .subtitle(
        "Calculés à partir des mêmes données que les déclarations ; les représentations annulées ne comptent pas.",
    )
    .footer(format!(
        "Indicateurs d'activité — {} — {} — édité le {edited}",
        report.organisation_name,
        report.period.to_french()
    ));
    for (_, title, chart) in charts(report) {
        form.heading(title).bars(chart);
    }

    // A note shared by many indicators is said once, where it first applies.
    let mut said: BTreeSet<String> = BTreeSet::new();
    for (family, rows) in families(report) {
        let mut table = Table::new(vec![
            Column::left("Indicateur", 6.0),
            Column::right(report.period.to_string(), 1.7),
            Column::right(report.previous.to_string(), 1.7),
        ]);
        table.font_size(8.0);
        let mut family_notes = Vec::new();
        for r in rows {
            table.row([
                r.label.to_string(),
                figure(&r.value),
                figure(&r.previous_value),
            ]);
            for b in &r.breakdown {
                table.row([
                    format!("– {}", b.label),
                    figure(&b.value),
                    figure(&b.previous_value),
                ]);
            }
            for n in notes(r) {
                if said.insert(n.clone()) {
                    family_notes.push(n);
                }
            }
        }
        form.heading(family.label_fr()).table(table);
        for n in family_notes {
            form.note(n);
        }
    }
    form
}

pub fn render(report: &Report) -> Result<Vec<u8>, IndicatorError> {
    form(report)
        .render(report.generated_at)
        .map_err(|e| IndicatorError::Pdf(e.to_string()))
}
