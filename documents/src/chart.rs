//! The one chart of the documents: horizontal bars, one row per item, its values stacked left
//! to right, a legend above and the exact figure written after each bar.
//!
//! The same [`BarChart`] is drawn twice: as PDF by the form layout ([`crate::pdf::Block::Bars`])
//! and as inline SVG by [`to_svg`] for the HTML documents and the workspace pages. Both measure
//! text with the metrics of the embedded DejaVu Sans, so a label is shortened with "…" at the
//! same place in both, and never runs over its bar.
//!
//! Values are drawing lengths only (`f64`); the exact figures, formatted with [`crate::fr`],
//! are in `value_text`. Each series has a grey level (0 = black, 1 = white): the PDF prints it
//! as is, the SVG gives it the same lightness in blue.

use crate::pdf::fonts::{metrics, printable, PT_PER_MM};
use std::fmt::Write;

/// A horizontal bar chart.
#[derive(Clone, Debug, PartialEq)]
pub struct BarChart {
    /// Legend: series label and grey level, in stacking order.
    pub series: Vec<(String, f32)>,
    pub rows: Vec<BarRow>,
    /// Said instead of the chart when it has no row.
    pub empty_text: String,
}

impl Default for BarChart {
    fn default() -> BarChart {
        BarChart {
            series: Vec::new(),
            rows: Vec::new(),
            empty_text: "Aucune donnée pour la période.".into(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct BarRow {
    pub label: String,
    /// One value per series (missing ones count as zero; negatives are drawn as zero).
    pub values: Vec<f64>,
    /// Printed after the bar (`312 + 18`, `5 874,00 €`).
    pub value_text: String,
}

impl BarChart {
    /// A chart of one series.
    pub fn single(label: impl Into<String>, grey: f32) -> BarChart {
        BarChart {
            series: vec![(label.into(), grey)],
            ..BarChart::default()
        }
    }

    pub fn row(&mut self, label: impl Into<String>, values: Vec<f64>, text: impl Into<String>) {
        self.rows.push(BarRow {
            label: label.into(),
            values,
            value_text: text.into(),
        });
    }

    /// The largest stacked length (0 when there is nothing to draw).
    pub(crate) fn max_length(&self) -> f64 {
        self.rows
            .iter()
            .map(|r| r.values.iter().map(|v| v.max(0.0)).sum::<f64>())
            .fold(0.0_f64, f64::max)
    }
}

/// `text` shortened with "…" so that it fits `width` mm at `size` points on one line.
pub(crate) fn ellipsized(text: &str, width: f32, size: f32) -> String {
    let m = metrics(false);
    let text = printable(text);
    if m.width_mm(&text, size) <= width {
        return text;
    }
    let mut out = String::new();
    for c in text.chars() {
        let candidate = format!("{out}{c}…");
        if m.width_mm(&candidate, size) > width {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The SVG fill of a series: its grey's lightness, in blue.
fn fill(grey: f32) -> String {
    let lightness = (15.0 + grey.clamp(0.0, 1.0) * 75.0).round();
    format!("hsl(210,45%,{lightness}%)")
}

/// Width of a text in SVG pixels at `size` pixels (one pixel taken as one point).
fn text_px(text: &str, size: f32) -> f32 {
    metrics(false).width_mm(&printable(text), size) * PT_PER_MM
}

/// The chart as inline SVG (`id` is the element id, `title` its accessible name and heading).
pub fn to_svg(chart: &BarChart, id: &str, title: &str) -> String {
    const WIDTH: f32 = 640.0;
    const SIZE: f32 = 12.0;
    const ROW: f32 = 22.0;
    const BAR: f32 = 14.0;
    const SWATCH: f32 = 11.0;
    let legend = chart.series.len() > 1;
    let top = if legend { 52.0 } else { 32.0 };
    let rows = chart.rows.len().max(1) as f32;
    let height = top + ROW * rows + 6.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\" class=\"chart\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"{t}\" font-family=\"DejaVu Sans, Verdana, sans-serif\" font-size=\"{SIZE}\">\n<title>{t}</title>\n<text x=\"0\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{t}</text>\n",
        id = escape(id),
        t = escape(title),
    );
    if legend {
        let mut x = 0.0;
        for (label, grey) in &chart.series {
            let _ = writeln!(
                svg,
                "<rect x=\"{x:.1}\" y=\"28\" width=\"{SWATCH}\" height=\"{SWATCH}\" fill=\"{}\"/><text x=\"{:.1}\" y=\"38\">{}</text>",
                fill(*grey),
                x + SWATCH + 4.0,
                escape(label)
            );
            x += SWATCH + 4.0 + text_px(label, SIZE) + 16.0;
        }
    }
    if chart.rows.is_empty() {
        let _ = writeln!(
            svg,
            "<text x=\"0\" y=\"{}\">{}</text>",
            top + 14.0,
            escape(&chart.empty_text)
        );
    }
    let widest = |texts: &mut dyn Iterator<Item = &String>| {
        texts.map(|t| text_px(t, SIZE)).fold(0.0_f32, f32::max)
    };
    let label_w = (widest(&mut chart.rows.iter().map(|r| &r.label)) + 8.0).min(WIDTH * 0.35);
    let value_w = widest(&mut chart.rows.iter().map(|r| &r.value_text)) + 8.0;
    let bar_w = (WIDTH - label_w - value_w).max(40.0);
    let max = chart.max_length();
    let scale = if max > 0.0 { bar_w as f64 / max } else { 0.0 };
    for (i, row) in chart.rows.iter().enumerate() {
        let y = top + ROW * i as f32;
        let baseline = y + BAR - 3.0;
        // The same shortening as the PDF: millimetres of the PDF are points here.
        let label = ellipsized(&row.label, (label_w - 8.0) / PT_PER_MM, SIZE);
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{baseline:.1}\"><title>{}</title>{}</text>",
            escape(&row.label),
            escape(&label)
        );
        let mut x = label_w;
        for (n, value) in row.values.iter().enumerate() {
            let w = (value.max(0.0) * scale) as f32;
            if w <= 0.0 {
                continue;
            }
            let grey = chart.series.get(n).map_or(0.5, |(_, g)| *g);
            let _ = write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{BAR}\" fill=\"{}\"/>",
                fill(grey)
            );
            x += w;
        }
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{baseline:.1}\">{}</text>",
            x + 4.0,
            escape(&row.value_text)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> BarChart {
        let mut c = BarChart {
            series: vec![("Payantes".into(), 0.3), ("Gratuites".into(), 0.75)],
            ..BarChart::default()
        };
        c.row("14/11 20:30 Les Vagues", vec![150.0, 10.0], "150 + 10");
        c.row("Rock & <Roll>", vec![80.0, 0.0], "80 + 0");
        c
    }

    #[test]
    fn bars_are_proportional_to_the_largest_stack() {
        let svg = to_svg(&chart(), "chart-attendance", "Entrées");
        // Two rows: the first stack (160) is the longest; the second row's bar is 80/160 of it.
        let widths: Vec<f32> = svg
            .match_indices("<rect x=\"")
            .filter_map(|(i, _)| {
                let rest = &svg[i..];
                let w = rest.split("width=\"").nth(1)?.split('"').next()?;
                Some(w.parse().unwrap())
            })
            .collect();
        // Legend swatches (11 px) first, then the bars.
        assert_eq!(&widths[..2], &[11.0, 11.0]);
        let (paid, free, second) = (widths[2], widths[3], widths[4]);
        assert!((paid / free - 15.0).abs() < 0.1, "{widths:?}");
        assert!(((paid + free) / second - 2.0).abs() < 0.01, "{widths:?}");
        assert!(svg.contains("Rock &amp; &lt;Roll&gt;"));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn an_empty_chart_says_so_and_long_labels_end_with_an_ellipsis() {
        let empty = to_svg(&BarChart::single("Recettes", 0.45), "c", "Recettes");
        assert!(empty.contains("Aucune donnée pour la période."));
        assert!(!empty.contains("<rect"), "no legend for a single series");
        let short = ellipsized("Chansons pour une soirée d'automne interminable", 30.0, 7.5);
        assert!(short.ends_with('…') && short.len() < 40, "{short}");
        assert!(metrics(false).width_mm(&short, 7.5) <= 30.0);
    }
}
