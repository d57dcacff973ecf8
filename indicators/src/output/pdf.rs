//! The French season report as PDF (printpdf 0.7, DejaVu Sans embedded): title, the three bar
//! charts drawn with rectangles, then one table per family (period beside previous period).
//!
//! Kept small and self-contained on purpose: the declarations crate has its own PDF builder and
//! the dependency rule forbids sharing it. Deterministic bytes: the dates come from the report's
//! `generated_at`, the document id is derived from the report, and printpdf's random instance
//! id is overwritten with the document id after saving.

use super::html::{capitalise, families};
use super::pdf_font::BmpFont;
use super::svg::{charts, Chart};
use super::zip::crc32;
use crate::error::IndicatorError;
use crate::report::Report;
use printpdf::{
    path::PaintMode, Color, IndirectFontRef, Mm, OffsetDateTime, PdfDocument, PdfDocumentReference,
    PdfLayerReference, Rect, Rgb,
};
use releve_domain::calendar::PARIS;

const REGULAR: &[u8] = include_bytes!("../../../templates/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../../templates/fonts/DejaVuSans-Bold.ttf");

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const MARGIN: f32 = 15.0;
const BOTTOM: f32 = 18.0;

/// A cursor over pages: writes lines downwards and opens a new page when full.
struct Writer {
    doc: PdfDocumentReference,
    layer: PdfLayerReference,
    regular: IndirectFontRef,
    bold: IndirectFontRef,
    y: f32,
    pages: usize,
}

impl Writer {
    fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.pages += 1;
            let (page, layer) =
                self.doc
                    .add_page(Mm(PAGE_W), Mm(PAGE_H), format!("page {}", self.pages));
            self.layer = self.doc.get_page(page).get_layer(layer);
            self.y = PAGE_H - MARGIN;
        }
    }

    fn text(&self, text: &str, size: f32, x: f32, bold: bool) {
        let font = if bold { &self.bold } else { &self.regular };
        self.layer.use_text(text, size, Mm(x), Mm(self.y), font);
    }

    /// Writes one line at the left margin and moves down.
    fn line(&mut self, text: &str, size: f32, bold: bool) {
        let height = size * 0.5;
        self.ensure(height);
        self.text(text, size, MARGIN, bold);
        self.y -= height;
    }

    fn fill(&self, rgb: (f32, f32, f32)) {
        self.layer
            .set_fill_color(Color::Rgb(Rgb::new(rgb.0, rgb.1, rgb.2, None)));
    }

    fn rect(&self, x: f32, y: f32, w: f32, h: f32) {
        self.layer
            .add_rect(Rect::new(Mm(x), Mm(y), Mm(x + w), Mm(y + h)).with_mode(PaintMode::Fill));
    }

    fn chart(&mut self, chart: &Chart) {
        const LABEL_X: f32 = MARGIN;
        const BAR_X: f32 = 62.0;
        const BAR_MAX: f32 = 95.0;
        const ROW: f32 = 5.5;
        self.y -= 3.0;
        self.line(&chart.title, 11.0, true);
        if chart.bars.is_empty() {
            self.line("Aucune donnée pour la période.", 9.0, false);
            return;
        }
        let max = chart
            .bars
            .iter()
            .map(|b| b.magnitude)
            .fold(0.0_f64, f64::max);
        for bar in &chart.bars {
            self.ensure(ROW);
            self.text(&bar.label, 8.5, LABEL_X, false);
            let w = if max > 0.0 {
                (bar.magnitude / max) as f32 * BAR_MAX
            } else {
                0.0
            };
            self.fill((0.23, 0.43, 0.65));
            self.rect(BAR_X, self.y - 0.8, w.max(0.2), 3.6);
            self.fill((0.0, 0.0, 0.0));
            self.text(&bar.text, 8.5, BAR_X + w + 2.0, false);
            self.y -= ROW;
        }
    }
}

fn offset_date(report: &Report) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(report.generated_at.timestamp())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Splits a text into lines no wider than `width` mm at `size` points, at spaces: nothing is
/// cut (a single word wider than the line stays whole on its own line).
fn wrap(font: &BmpFont, text: &str, width: f32, size: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if current.is_empty() || font.width_mm(&candidate, size) <= width {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

pub fn render(report: &Report) -> Result<Vec<u8>, IndicatorError> {
    let pdf_err = |e: &dyn std::fmt::Display| IndicatorError::Pdf(e.to_string());
    let title = format!(
        "Indicateurs d'activité — {} — {}",
        report.organisation_name,
        report.period.to_french()
    );
    let seed = format!(
        "{}|{}|{}",
        report.organisation_slug,
        report.period,
        report.generated_at.timestamp()
    );
    let doc_id = format!("{:08X}", crc32(seed.as_bytes())).repeat(4);
    let date = offset_date(report);
    let title_hex = utf16_hex(&title);
    let placeholder = title_placeholder(&title_hex);
    let (doc, page, layer) = PdfDocument::new(&placeholder, Mm(PAGE_W), Mm(PAGE_H), "page 1");
    let doc = doc
        .with_creation_date(date)
        .with_mod_date(date)
        .with_metadata_date(date)
        .with_creator("releve")
        .with_producer("releve");
    let regular = doc
        .add_external_font_data(
            REGULAR.to_vec(),
            BmpFont::new(REGULAR).map_err(|e| pdf_err(&e))?,
        )
        .map_err(|e| pdf_err(&e))?;
    let bold = doc
        .add_external_font_data(BOLD.to_vec(), BmpFont::new(BOLD).map_err(|e| pdf_err(&e))?)
        .map_err(|e| pdf_err(&e))?;
    let layer = doc.get_page(page).get_layer(layer);
    let mut w = Writer {
        doc,
        layer,
        regular,
        bold,
        y: PAGE_H - MARGIN - 4.0,
        pages: 1,
    };

    w.line(
        &format!("Indicateurs d'activité — {}", report.organisation_name),
        16.0,
        true,
    );
    w.y -= 2.0;
    w.line(
        &format!(
            "{} (comparée à la {}) · édité le {}",
            capitalise(&report.period.to_french()),
            report.previous.to_french(),
            report
                .generated_at
                .with_timezone(&PARIS)
                .format("%d/%m/%Y à %H:%M")
        ),
        10.0,
        false,
    );
    w.line(
        "Calculés à partir des mêmes données que les déclarations ; les représentations annulées ne comptent pas.",
        8.5,
        false,
    );
    for chart in charts(report) {
        w.chart(&chart);
    }

    // Two right-aligned figure columns that end inside the right margin; labels and notes wrap
    // in the room left of them, never cut.
    const VALUE_RIGHT: f32 = 158.0;
    const PREVIOUS_RIGHT: f32 = PAGE_W - MARGIN;
    const LABEL_WIDTH: f32 = 100.0;
    let measure = BmpFont::new(REGULAR).map_err(|e| pdf_err(&e))?;
    let measure_bold = BmpFont::new(BOLD).map_err(|e| pdf_err(&e))?;
    let right = |w: &Writer, text: &str, size: f32, edge: f32, bold: bool| {
        let font = if bold { &measure_bold } else { &measure };
        w.text(text, size, edge - font.width_mm(text, size), bold);
    };
    // A note shared by many indicators (the same reason for every empty figure) is said once.
    let mut said: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for (family, rows) in families(report) {
        w.y -= 4.0;
        w.ensure(14.0);
        w.line(family.label_fr(), 12.0, true);
        w.text("Indicateur", 8.0, MARGIN, true);
        right(&w, &report.period.to_string(), 8.0, VALUE_RIGHT, true);
        right(&w, &report.previous.to_string(), 8.0, PREVIOUS_RIGHT, true);
        w.y -= 5.0;
        for r in rows {
            let label = wrap(&measure, r.label, LABEL_WIDTH, 8.5);
            w.ensure(4.5 * label.len() as f32);
            let value = if r.value.is_applicable() {
                r.value.to_french()
            } else {
                "non applicable".to_string()
            };
            let previous = if r.previous_value.is_applicable() {
                r.previous_value.to_french()
            } else {
                "non applicable".to_string()
            };
            right(&w, &value, 8.5, VALUE_RIGHT, false);
            right(&w, &previous, 8.5, PREVIOUS_RIGHT, false);
            for line in &label {
                w.text(line, 8.5, MARGIN, false);
                w.y -= 4.5;
            }
            // A figure column holds figures: "non applicable" there, its reason in the notes.
            let short = |v: &crate::value::Value| {
                if v.is_applicable() {
                    v.to_french()
                } else {
                    "non applicable".to_string()
                }
            };
            let mut breakdown_reasons: Vec<String> = Vec::new();
            for b in &r.breakdown {
                let label = wrap(&measure, &b.label, LABEL_WIDTH - 5.0, 8.0);
                w.ensure(4.2 * label.len() as f32);
                right(&w, &short(&b.value), 8.0, VALUE_RIGHT, false);
                right(&w, &short(&b.previous_value), 8.0, PREVIOUS_RIGHT, false);
                if let Some(reason) = b.value.reason() {
                    breakdown_reasons.push(format!("non applicable : {reason}"));
                }
                if let Some(reason) = b.previous_value.reason() {
                    breakdown_reasons.push(format!("période précédente non applicable : {reason}"));
                }
                for line in &label {
                    w.text(line, 8.0, MARGIN + 5.0, false);
                    w.y -= 4.2;
                }
            }
            let mut notes: Vec<String> = r.note.iter().cloned().collect();
            if let Some(reason) = r.value.reason() {
                notes.push(format!("non applicable : {reason}"));
            }
            if let Some(reason) = r.previous_value.reason() {
                notes.push(format!("période précédente non applicable : {reason}"));
            }
            notes.extend(breakdown_reasons);
            for n in notes {
                if !said.insert(n.clone()) {
                    continue;
                }
                for line in wrap(&measure, &n, PAGE_W - 2.0 * MARGIN - 5.0, 7.0) {
                    w.ensure(4.0);
                    w.text(&line, 7.0, MARGIN + 5.0, false);
                    w.y -= 3.3;
                }
                w.y -= 0.5;
            }
        }
    }

    let bytes = w.doc.save_to_bytes().map_err(|e| pdf_err(&e))?;
    let bytes = set_title(bytes, &placeholder, &title_hex)?;
    Ok(fix_instance_id(bytes, &doc_id))
}

/// The metadata title in UTF-16BE (`FEFF` then four hex digits per unit), as PDF requires for
/// accents: printpdf writes the title as raw UTF-8, which viewers show garbled. The declarations'
/// PDF layer does the same; the dependency rule keeps the two crates apart, so the few lines are
/// repeated here.
fn utf16_hex(title: &str) -> String {
    let mut hex = String::from("FEFF");
    for unit in title.encode_utf16() {
        hex.push_str(&format!("{unit:04X}"));
    }
    hex
}

/// An ASCII title as long as the hex string, so that swapping `(placeholder)` for `<hex>` keeps
/// every cross-reference offset valid.
fn title_placeholder(hex: &str) -> String {
    let mut p = String::from("releveTitle");
    while p.len() < hex.len() {
        p.push('X');
    }
    p
}

fn set_title(mut bytes: Vec<u8>, placeholder: &str, hex: &str) -> Result<Vec<u8>, IndicatorError> {
    let literal = format!("({placeholder})");
    let at = bytes
        .windows(literal.len())
        .position(|w| w == literal.as_bytes())
        .ok_or_else(|| IndicatorError::Pdf("titre des métadonnées introuvable".into()))?;
    bytes[at..at + literal.len()].copy_from_slice(format!("<{hex}>").as_bytes());
    Ok(bytes)
}

/// printpdf writes `/ID[(random id)(random instance id)]` in the trailer, from a process-wide
/// counter, so two renderings differ. Both strings are overwritten in place (same length, so the
/// cross-reference offsets stay valid) with an id derived from the report.
fn fix_instance_id(mut bytes: Vec<u8>, doc_id: &str) -> Vec<u8> {
    let needle = b"/ID[";
    let Some(pos) = bytes.windows(needle.len()).rposition(|w| w == needle) else {
        return bytes;
    };
    let mut i = pos + needle.len();
    for _ in 0..2 {
        if bytes.get(i) != Some(&b'(') {
            break;
        }
        let start = i + 1;
        let Some(len) = bytes[start..].iter().position(|b| *b == b')') else {
            break;
        };
        if len == doc_id.len() {
            bytes[start..start + len].copy_from_slice(doc_id.as_bytes());
        }
        i = start + len + 1;
    }
    bytes
}
