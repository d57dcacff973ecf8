//! The report's charts: attendance per month, receipts per month, discipline mix. `charts()`
//! extracts the bars from a report (shared with the PDF, which draws the same bars with
//! rectangles); `to_svg()` draws one chart as inline SVG. Floats are used for geometry only.

use crate::report::Report;
use crate::value::Value;
use releve_domain::Month;

#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    /// Bar length, in the chart's unit (geometry only).
    pub magnitude: f64,
    /// The figure written beside the bar (French).
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// Stable id, also the SVG element id (`chart-attendance`).
    pub id: &'static str,
    pub title: String,
    pub bars: Vec<Bar>,
}

fn short_month(m: Month) -> String {
    const NAMES: [&str; 12] = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ];
    format!("{} {}", NAMES[m.month() as usize - 1], m.year() % 100)
}

/// The three charts of the season report (the per-month charts have one bar per month).
pub fn charts(report: &Report) -> Vec<Chart> {
    let attendance = report
        .series
        .iter()
        .map(|s| {
            let v = Value::Count(s.paid + s.free);
            Bar {
                label: short_month(s.month),
                magnitude: v.chart_magnitude(),
                text: v.to_french(),
            }
        })
        .collect();
    let receipts = report
        .series
        .iter()
        .map(|s| {
            let v = Value::Money(s.receipts_incl_vat);
            Bar {
                label: short_month(s.month),
                magnitude: v.chart_magnitude(),
                text: v.to_french(),
            }
        })
        .collect();
    let disciplines = report
        .row("performances.by_discipline")
        .map(|r| {
            r.breakdown
                .iter()
                .map(|b| Bar {
                    label: b.label.clone(),
                    magnitude: b.value.chart_magnitude(),
                    text: b.value.to_french(),
                })
                .collect()
        })
        .unwrap_or_default();
    vec![
        Chart {
            id: "chart-attendance",
            title: "Entrées par mois (payantes et gratuites)".to_string(),
            bars: attendance,
        },
        Chart {
            id: "chart-receipts",
            title: "Recettes de billetterie TTC par mois".to_string(),
            bars: receipts,
        },
        Chart {
            id: "chart-disciplines",
            title: "Représentations par discipline".to_string(),
            bars: disciplines,
        },
    ]
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A horizontal bar chart: one line per bar, label on the left, figure after the bar.
pub fn to_svg(chart: &Chart) -> String {
    const WIDTH: f64 = 640.0;
    const LABEL_W: f64 = 190.0;
    const BAR_MAX: f64 = 330.0;
    const LINE: f64 = 24.0;
    const TOP: f64 = 34.0;
    let height = TOP + LINE * chart.bars.len().max(1) as f64 + 10.0;
    let max = chart
        .bars
        .iter()
        .map(|b| b.magnitude)
        .fold(0.0_f64, f64::max);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{}\" class=\"chart\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"{}\">\n<title>{}</title>\n<text x=\"0\" y=\"20\" font-size=\"15\" font-weight=\"bold\">{}</text>\n",
        chart.id,
        escape(&chart.title),
        escape(&chart.title),
        escape(&chart.title)
    );
    if chart.bars.is_empty() {
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{}\" font-size=\"13\">Aucune donnée pour la période.</text>\n",
            TOP + 14.0
        ));
    }
    for (i, bar) in chart.bars.iter().enumerate() {
        let y = TOP + LINE * i as f64;
        let w = if max > 0.0 {
            (bar.magnitude / max * BAR_MAX).max(0.0)
        } else {
            0.0
        };
        svg.push_str(&format!(
            "<text x=\"{:.0}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"end\">{}</text>\
             <rect x=\"{LABEL_W}\" y=\"{:.1}\" width=\"{:.1}\" height=\"16\" fill=\"#3b6ea5\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\">{}</text>\n",
            LABEL_W - 8.0,
            y + 13.0,
            escape(&bar.label),
            y,
            w,
            LABEL_W + w + 6.0,
            y + 13.0,
            escape(&bar.text)
        ));
    }
    svg.push_str("</svg>");
    svg
}
