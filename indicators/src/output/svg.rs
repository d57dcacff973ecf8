//! The report's charts: attendance per month, receipts per month, discipline mix, as the shared
//! chart model (`releve_documents::chart`). The same charts are drawn as SVG in the HTML
//! ([`svg`]) and as PDF by the document layer. Floats are drawing lengths only.

use crate::report::Report;
use crate::value::Value;
use releve_documents::chart::{to_svg, BarChart};
use releve_documents::fr;

/// Grey level of the bars (the HTML gives it the same lightness in blue).
const GREY: f32 = 0.4;

fn chart(label: &str, bars: impl IntoIterator<Item = (String, Value)>) -> BarChart {
    let mut chart = BarChart::single(label, GREY);
    for (label, v) in bars {
        chart.row(label, vec![v.chart_magnitude()], v.to_french());
    }
    chart
}

/// The three charts of the season report, each with its element id and title (the per-month
/// charts have one bar per month).
pub fn charts(report: &Report) -> Vec<(&'static str, &'static str, BarChart)> {
    let attendance = report
        .series
        .iter()
        .map(|s| (fr::short_month(s.month), Value::Count(s.paid + s.free)));
    let receipts = report
        .series
        .iter()
        .map(|s| (fr::short_month(s.month), Value::Money(s.receipts_incl_vat)));
    let disciplines: Vec<(String, Value)> = report
        .row("performances.by_discipline")
        .map(|r| {
            r.breakdown
                .iter()
                .map(|b| (b.label.clone(), b.value.clone()))
                .collect()
        })
        .unwrap_or_default();
    vec![
        (
            "chart-attendance",
            "Entrées par mois (payantes et gratuites)",
            chart("Entrées", attendance),
        ),
        (
            "chart-receipts",
            "Recettes de billetterie TTC par mois",
            chart("Recettes TTC", receipts),
        ),
        (
            "chart-disciplines",
            "Représentations par discipline",
            chart("Représentations", disciplines),
        ),
    ]
}

/// The charts as inline SVG, in order.
pub fn svg(report: &Report) -> Vec<String> {
    charts(report)
        .iter()
        .map(|(id, title, chart)| to_svg(chart, id, title))
        .collect()
}
