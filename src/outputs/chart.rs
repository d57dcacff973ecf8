//! A small inline SVG chart for `report.html`: per performance, attendance (paid and free) and
//! receipts incl. VAT as horizontal bars. Pure string building, deterministic.

use releve_domain::{MonthFacts, PARIS};
use rust_decimal::prelude::ToPrimitive;
use std::fmt::Write;

const LABEL_WIDTH: f64 = 260.0;
const BAR_WIDTH: f64 = 220.0;
const ROW_HEIGHT: f64 = 18.0;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Width of a bar for `value` on a scale whose largest value is `max` (0 when max is 0).
fn width(value: f64, max: f64) -> f64 {
    if max <= 0.0 {
        0.0
    } else {
        (value / max * BAR_WIDTH * 100.0).round() / 100.0
    }
}

/// About the width of a character of the chart's 11-pixel font, in pixels, to shorten labels.
const CHAR_WIDTH: f64 = 6.6;

/// `label` shortened with "…" to fit `width` pixels; the full text goes in a tooltip.
fn fitted(label: &str, width: f64) -> String {
    let max = (width / CHAR_WIDTH).floor() as usize;
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let cut: String = label.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

pub fn attendance_and_receipts(facts: &MonthFacts) -> String {
    // Cancelled performances are listed like in the table, with no bar and "annulée".
    let rows: Vec<_> = facts.performances.iter().collect();
    let max_tickets = rows.iter().map(|p| p.total_tickets()).max().unwrap_or(0) as f64;
    // Chart geometry only: amounts stay exact Decimals everywhere else.
    let max_receipts = rows
        .iter()
        .filter_map(|p| p.receipts_incl_vat.amount().to_f64())
        .fold(0.0, f64::max);
    let height = ROW_HEIGHT * rows.len() as f64 + 40.0;
    // Room after each bar for its value (`27 500,00 €` is about 75 pixels).
    let total_width = LABEL_WIDTH + 2.0 * BAR_WIDTH + 60.0 + 100.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Fréquentation et recettes par représentation" width="{total_width}" height="{height}" font-size="11" font-family="DejaVu Sans, Arial, sans-serif">"##
    );
    let x_tickets = LABEL_WIDTH;
    let x_receipts = LABEL_WIDTH + BAR_WIDTH + 60.0;
    let _ = write!(
        svg,
        r##"<text x="{x_tickets}" y="14" font-weight="bold">Entrées (payantes ■, exonérées □)</text><text x="{x_receipts}" y="14" font-weight="bold">Recettes TTC</text>"##
    );
    for (i, p) in rows.iter().enumerate() {
        let y = 24.0 + ROW_HEIGHT * i as f64;
        let full = format!(
            "{} {}{}",
            p.starts_at.with_timezone(&PARIS).format("%d/%m %H:%M"),
            p.show_title,
            if p.cancelled { " (annulée)" } else { "" }
        );
        // The label may be shortened: a cancelled performance says so where its figures are.
        let (total, amount) = if p.cancelled {
            ("annulée".to_string(), "annulée".to_string())
        } else {
            (
                releve_declarations::render::fr::count(p.total_tickets()),
                p.receipts_incl_vat.to_french(),
            )
        };
        // Shortened to end before the bars start, never over them.
        let label = fitted(&full, LABEL_WIDTH - 8.0);
        let paid = width(p.paid_tickets as f64, max_tickets);
        let free = width(p.free_tickets as f64, max_tickets);
        let receipts = width(
            p.receipts_incl_vat.amount().to_f64().unwrap_or(0.0),
            max_receipts,
        );
        let _ = write!(
            svg,
            r##"<text x="0" y="{ty}"><title>{full}</title>{label}</text><rect x="{x_tickets}" y="{y}" width="{paid}" height="12" fill="#2a5d84"/><rect x="{xf}" y="{y}" width="{free}" height="12" fill="#a9c4dc"/><text x="{tx}" y="{ty}">{total}</text><rect x="{x_receipts}" y="{y}" width="{receipts}" height="12" fill="#6b8e23"/><text x="{rx}" y="{ty}">{amount}</text>"##,
            ty = y + 10.0,
            label = escape(&label),
            full = escape(&full),
            xf = x_tickets + paid,
            tx = x_tickets + paid + free + 4.0,
            total = escape(&total),
            rx = x_receipts + receipts + 4.0,
            amount = escape(&amount),
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional_and_never_divide_by_zero() {
        assert_eq!(width(50.0, 100.0), 110.0);
        assert_eq!(width(100.0, 100.0), BAR_WIDTH);
        assert_eq!(width(3.0, 0.0), 0.0);
        assert_eq!(escape("Rock & <Roll>"), "Rock &amp; &lt;Roll&gt;");
    }

    #[test]
    fn long_labels_end_before_the_bars_with_an_ellipsis() {
        // 260 − 8 = 252 px at 6.6 px a character: 38 characters at most; 37 kept, the space
        // before the ellipsis dropped.
        let label = "22/11 20:00 Chansons pour une soirée d'automne interminable";
        let short = fitted(label, LABEL_WIDTH - 8.0);
        assert_eq!(short, "22/11 20:00 Chansons pour une soirée…");
        assert!(short.ends_with('…'));
        assert!(short.chars().count() as f64 * CHAR_WIDTH <= LABEL_WIDTH - 8.0);
        assert_eq!(
            fitted("14/11 20:30 Les Vagues", 252.0),
            "14/11 20:30 Les Vagues"
        );
    }
}
