//! Layout: turns a [`Form`] into pages of positioned drawing operations, before any PDF is
//! written. Positions are millimetres from the top-left corner of the page; text positions are
//! baselines. Keeping layout apart from printpdf makes page breaks testable on their own.

use super::fonts::{metrics, printable, PT_PER_MM};
use super::{Align, BarChart, Block, Form, Orientation, Signature, Table};
use crate::chart::ellipsized;

/// One drawing operation.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Text {
        x: f32,
        /// Baseline, from the top of the page.
        y: f32,
        size: f32,
        bold: bool,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        /// Thickness in points.
        width: f32,
    },
    /// A filled grey rectangle (table headers); `grey` 0 = black, 1 = white.
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        grey: f32,
    },
}

/// One laid-out page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    pub ops: Vec<Op>,
}

impl Page {
    /// The texts of the page in drawing order (for tests and debugging).
    pub fn texts(&self) -> Vec<&str> {
        self.ops
            .iter()
            .filter_map(|op| match op {
                Op::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}

pub(crate) const A4_SHORT: f32 = 210.0;
pub(crate) const A4_LONG: f32 = 297.0;
const MARGIN: f32 = 15.0;
/// Room kept at the bottom for the footer.
const BOTTOM: f32 = 20.0;
const FOOTER_SIZE: f32 = 7.0;
const TITLE_SIZE: f32 = 14.0;
const SUBTITLE_SIZE: f32 = 10.0;
const HEADING_SIZE: f32 = 11.0;
const BODY_SIZE: f32 = 9.0;
const NOTE_SIZE: f32 = 7.5;
const CELL_PAD_X: f32 = 1.2;
const CELL_PAD_Y: f32 = 1.0;
const HEADER_GREY: f32 = 0.88;
const TOTALS_GREY: f32 = 0.95;

/// Height of a text line at `size` points, in millimetres.
fn line_height(size: f32) -> f32 {
    size * 1.3 / PT_PER_MM
}

/// Distance from the top of a line to its baseline.
fn ascent(size: f32) -> f32 {
    size * 0.95 / PT_PER_MM
}

/// Page size `(width, height)` in millimetres.
pub(crate) fn page_size(orientation: Orientation) -> (f32, f32) {
    match orientation {
        Orientation::Portrait => (A4_SHORT, A4_LONG),
        Orientation::Landscape => (A4_LONG, A4_SHORT),
    }
}

/// Splits a text into lines no wider than `width` mm. Breaks at spaces (never at no-break
/// spaces, so `1 234,50 €` stays whole), then after a hyphen or a slash inside a word
/// (`Lanvière-sur-` / `Loire`); only a piece with no such point that is wider than the column
/// on its own is cut, as a last resort (table cells shrink their font first, see
/// [`fitting_size`], so that this does not happen in documents).
pub(crate) fn wrap(text: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
    wrap_noting_cuts(text, width, size, bold, &mut Vec::new())
}

/// [`wrap`], adding to `cuts` every piece it had to cut mid-word (for [`super::check`]).
fn wrap_noting_cuts(
    text: &str,
    width: f32,
    size: f32,
    bold: bool,
    cuts: &mut Vec<String>,
) -> Vec<String> {
    let m = metrics(bold);
    let text = printable(text);
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in french_words(&text) {
        let word = word.as_str();
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if m.width_mm(&candidate, size) <= width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        for piece in pieces(word) {
            let next = format!("{current}{piece}");
            if m.width_mm(&next, size) <= width {
                current = next;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            // A piece alone still too wide: cut it character by character.
            if m.width_mm(piece, size) > width {
                cuts.push(piece.to_string());
            }
            for c in piece.chars() {
                let mut next = current.clone();
                next.push(c);
                if !current.is_empty() && m.width_mm(&next, size) > width {
                    lines.push(std::mem::take(&mut current));
                    current.push(c);
                } else {
                    current = next;
                }
            }
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// The words of a text for wrapping, French typography kept: a `:` `;` `!` `?` `»` stays with
/// the word before it and a `«` with the word after it (their space does not break), so that
/// no line starts with ": exonéré" or ends with "«".
fn french_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut glue_next = false;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let sticks_back = word.starts_with([':', ';', '!', '?', '»']);
        match words.last_mut() {
            Some(last) if sticks_back || glue_next => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_string()),
        }
        glue_next = word == "«";
    }
    words
}

/// A word split after each hyphen or slash (`Lanvière-`, `sur-`, `Loire`): the places where a
/// line may break inside a word without cutting a syllable.
fn pieces(word: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in word.char_indices() {
        if (c == '-' || c == '/') && i > start {
            let end = i + c.len_utf8();
            out.push(&word[start..end]);
            start = end;
        }
    }
    if start < word.len() {
        out.push(&word[start..]);
    }
    out
}

/// The largest font size, from `size` down to [`MIN_CELL_SIZE`], at which no unbreakable piece
/// of `text` is wider than `width`: a long name in a narrow column gets a smaller font instead
/// of being cut mid-word.
pub(crate) fn fitting_size(text: &str, width: f32, size: f32, bold: bool) -> f32 {
    let m = metrics(bold);
    let text = printable(text);
    let widest = |s: f32| {
        french_words(&text)
            .iter()
            .flat_map(|w| pieces(w))
            .map(|p| m.width_mm(p, s))
            .fold(0.0_f32, f32::max)
    };
    let mut s = size;
    while s > MIN_CELL_SIZE && widest(s) > width {
        s = (s - 0.25).max(MIN_CELL_SIZE);
    }
    s
}

/// Smallest font a table cell shrinks to so that its words stay whole.
const MIN_CELL_SIZE: f32 = 5.0;

struct Cursor {
    pages: Vec<Page>,
    width: f32,
    height: f32,
    /// Top of the free space on the current page.
    y: f32,
    /// Pieces of words that had to be cut (too wide for their column even alone).
    cuts: Vec<String>,
}

impl Cursor {
    fn new(orientation: Orientation) -> Cursor {
        let (width, height) = page_size(orientation);
        Cursor {
            pages: vec![Page::default()],
            width,
            height,
            y: MARGIN,
            cuts: Vec::new(),
        }
    }

    fn usable_width(&self) -> f32 {
        self.width - 2.0 * MARGIN
    }

    fn bottom(&self) -> f32 {
        self.height - BOTTOM
    }

    /// Height available on an empty page.
    fn capacity(&self) -> f32 {
        self.bottom() - MARGIN
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("at least one page")
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = MARGIN;
    }

    /// Starts a new page unless `height` mm still fit (and the page is not already empty).
    fn ensure(&mut self, height: f32) {
        if self.y + height > self.bottom() && self.y > MARGIN {
            self.new_page();
        }
    }

    fn text(&mut self, x: f32, top: f32, size: f32, bold: bool, text: &str) {
        if text.is_empty() {
            return;
        }
        self.page().ops.push(Op::Text {
            x,
            y: top + ascent(size),
            size,
            bold,
            text: text.to_string(),
        });
    }

    fn hline(&mut self, x1: f32, x2: f32, y: f32, width: f32) {
        self.page().ops.push(Op::Line {
            x1,
            y1: y,
            x2,
            y2: y,
            width,
        });
    }

    fn vline(&mut self, x: f32, y1: f32, y2: f32, width: f32) {
        self.page().ops.push(Op::Line {
            x1: x,
            y1,
            x2: x,
            y2,
            width,
        });
    }

    /// Wrapped text over the whole usable width.
    fn wrapped(&mut self, text: &str, size: f32, bold: bool) {
        let lh = line_height(size);
        let width = self.usable_width();
        for line in wrap_noting_cuts(text, width, size, bold, &mut self.cuts) {
            self.ensure(lh);
            let y = self.y;
            self.text(MARGIN, y, size, bold, &line);
            self.y += lh;
        }
    }
}

/// Lays out a form: title block, blocks in order, then the footer with "page i/n" on every page.
///
/// Keeping things together: a block that does not fit in the rest of the page but fits on a
/// page of its own moves whole to the next page (tables and charts are the exception: they
/// break between rows); a heading stays with the block it introduces, and with its whole
/// section when the section ends with a signature; a signature block stays with the block
/// before it (with the last row of a table), so that no page holds a signature alone;
/// [`Block::PageBreak`] starts a new page.
pub fn layout(form: &Form) -> Vec<Page> {
    layout_noting_cuts(form).0
}

/// [`layout`], with the pieces of words that had to be cut mid-word.
pub(crate) fn layout_noting_cuts(form: &Form) -> (Vec<Page>, Vec<String>) {
    let mut c = Cursor::new(form.orientation);
    c.wrapped(&form.title, TITLE_SIZE, true);
    c.y += 1.0;
    for line in &form.subtitles {
        c.wrapped(line, SUBTITLE_SIZE, false);
    }
    c.y += 1.5;
    let (right, y) = (c.width - MARGIN, c.y);
    c.hline(MARGIN, right, y, 0.8);
    c.y += 3.0;

    for (i, block) in form.blocks.iter().enumerate() {
        let next = form.blocks.get(i + 1);
        let signature_next = match next {
            Some(b @ Block::Signature(_)) => measure(form.orientation, b),
            _ => 0.0,
        };
        match block {
            Block::Heading(text) => {
                c.y += 2.5;
                // Keep the heading with the block it introduces (or the start of a long one).
                let own = measure(form.orientation, block);
                let follower = match next {
                    Some(Block::Table(_) | Block::Bars(_)) | None => 15.0,
                    Some(b) => measure(form.orientation, b).min(c.capacity() - own),
                };
                // A section that ends with a signature (the last part of an état, with its
                // "Fait à…") moves whole to the next page when it fits on one.
                let section: Vec<&Block> = form.blocks[i + 1..]
                    .iter()
                    .take_while(|b| !matches!(b, Block::Heading(_) | Block::PageBreak))
                    .collect();
                let signed = section.iter().any(|b| matches!(b, Block::Signature(_)));
                let whole: f32 = section.iter().map(|b| measure(form.orientation, b)).sum();
                if signed && own + whole <= c.capacity() {
                    c.ensure(own + whole);
                }
                c.ensure(own + follower);
                c.wrapped(text, HEADING_SIZE, true);
                c.y += 1.0;
            }
            Block::Table(table) => self::table(&mut c, table, signature_next),
            Block::Bars(chart) => bars(&mut c, chart),
            Block::PageBreak => {
                if c.y > MARGIN {
                    c.new_page();
                }
            }
            Block::Space(mm) => c.y += mm,
            other => {
                let height = measure(form.orientation, other) + signature_next;
                if height <= c.capacity() {
                    c.ensure(height);
                }
                flowing(&mut c, other);
            }
        }
    }
    footers(&mut c, &form.footer);
    (c.pages, c.cuts)
}

/// Blocks that flow line by line (their lines never leave the usable width).
fn flowing(c: &mut Cursor, block: &Block) {
    match block {
        Block::Fields(pairs) => fields(c, pairs),
        Block::Paragraph(text) => {
            c.wrapped(text, BODY_SIZE, false);
            c.y += 1.5;
        }
        Block::Note(text) => {
            c.wrapped(text, NOTE_SIZE, false);
            c.y += 1.0;
        }
        Block::Signature(sig) => signature(c, sig),
        Block::Heading(text) => {
            c.y += 2.5;
            c.wrapped(text, HEADING_SIZE, true);
            c.y += 1.0;
        }
        Block::Space(mm) => c.y += mm,
        Block::Table(t) => table(c, t, 0.0),
        Block::Bars(chart) => bars(c, chart),
        Block::PageBreak => {}
    }
}

/// Height of a block laid out on an endless page of the form's width.
fn measure(orientation: Orientation, block: &Block) -> f32 {
    let mut c = Cursor::new(orientation);
    c.height = f32::MAX / 4.0;
    flowing(&mut c, block);
    c.y - MARGIN
}

fn fields(c: &mut Cursor, pairs: &[(String, String)]) {
    let lh = line_height(BODY_SIZE);
    let widest = pairs
        .iter()
        .map(|(k, _)| metrics(true).width_mm(&printable(k), BODY_SIZE))
        .fold(0.0_f32, f32::max);
    let label_width = (widest + 4.0).min(c.usable_width() * 0.4);
    let value_x = MARGIN + label_width;
    let value_width = c.usable_width() - label_width;
    for (label, value) in pairs {
        let labels = wrap_noting_cuts(label, label_width - 2.0, BODY_SIZE, true, &mut c.cuts);
        let values = wrap_noting_cuts(value, value_width, BODY_SIZE, false, &mut c.cuts);
        let rows = labels.len().max(values.len());
        c.ensure(lh * rows as f32);
        let top = c.y;
        for (i, l) in labels.iter().enumerate() {
            c.text(MARGIN, top + lh * i as f32, BODY_SIZE, true, l);
        }
        for (i, v) in values.iter().enumerate() {
            c.text(value_x, top + lh * i as f32, BODY_SIZE, false, v);
        }
        c.y = top + lh * rows as f32;
    }
    c.y += 1.5;
}

/// A row ready to draw: wrapped cells, the font size of each cell and the row's height.
struct Row {
    cells: Vec<Vec<String>>,
    sizes: Vec<f32>,
    height: f32,
    bold: bool,
    fill: Option<f32>,
}

fn prepare(
    cells: &[String],
    widths: &[f32],
    size: f32,
    bold: bool,
    fill: Option<f32>,
    cuts: &mut Vec<String>,
) -> Row {
    let mut sizes = Vec::with_capacity(widths.len());
    let cells: Vec<Vec<String>> = widths
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let text = cells.get(i).map(String::as_str).unwrap_or("");
            let inner = w - 2.0 * CELL_PAD_X;
            let cell_size = fitting_size(text, inner, size, bold);
            sizes.push(cell_size);
            wrap_noting_cuts(text, inner, cell_size, bold, cuts)
        })
        .collect();
    let height = cells
        .iter()
        .zip(&sizes)
        .map(|(lines, s)| lines.len() as f32 * line_height(*s))
        .fold(line_height(size), f32::max)
        + 2.0 * CELL_PAD_Y;
    Row {
        height,
        cells,
        sizes,
        bold,
        fill,
    }
}

fn draw_row(c: &mut Cursor, row: &Row, table: &Table, widths: &[f32]) {
    let top = c.y;
    let left = MARGIN;
    let right = MARGIN + widths.iter().sum::<f32>();
    if let Some(grey) = row.fill {
        c.page().ops.push(Op::Fill {
            x: left,
            y: top,
            w: right - left,
            h: row.height,
            grey,
        });
    }
    let mut x = left;
    for (i, width) in widths.iter().enumerate() {
        let align = table
            .columns
            .get(i)
            .map(|col| col.align)
            .unwrap_or_default();
        let size = row.sizes[i];
        for (n, line) in row.cells[i].iter().enumerate() {
            let line_top = top + CELL_PAD_Y + n as f32 * line_height(size);
            let text_width = metrics(row.bold).width_mm(line, size);
            let tx = match align {
                Align::Left => x + CELL_PAD_X,
                Align::Right => x + width - CELL_PAD_X - text_width,
                Align::Center => x + (width - text_width) / 2.0,
            };
            c.text(tx, line_top, size, row.bold, line);
        }
        c.vline(x, top, top + row.height, 0.3);
        x += width;
    }
    c.vline(right, top, top + row.height, 0.3);
    c.hline(left, right, top, 0.3);
    c.hline(left, right, top + row.height, 0.3);
    c.y = top + row.height;
}

/// `keep_with_last`: height of what must stay on the page of the last row (a signature block
/// that follows the table), so that it never lands alone on a page.
fn table(c: &mut Cursor, table: &Table, keep_with_last: f32) {
    let weight_sum: f32 = table.columns.iter().map(|col| col.weight.max(0.0)).sum();
    if table.columns.is_empty() || weight_sum <= 0.0 {
        return;
    }
    let usable = c.usable_width();
    let widths: Vec<f32> = table
        .columns
        .iter()
        .map(|col| usable * col.weight.max(0.0) / weight_sum)
        .collect();
    let size = table.font_size;
    let headers: Vec<String> = table.columns.iter().map(|col| col.header.clone()).collect();
    let header = prepare(
        &headers,
        &widths,
        size,
        true,
        Some(HEADER_GREY),
        &mut c.cuts,
    );

    let mut body: Vec<Row> = table
        .rows
        .iter()
        .map(|cells| prepare(cells, &widths, size, false, None, &mut c.cuts))
        .collect();
    if body.is_empty() {
        // One row spanning the table, through a single full-width pseudo-column.
        let text = wrap(&table.empty_text, usable - 2.0 * CELL_PAD_X, size, false);
        let mut cells = vec![Vec::new(); widths.len()];
        let lines = text.len();
        cells[0] = text;
        body.push(Row {
            cells,
            sizes: vec![size; widths.len()],
            height: lines as f32 * line_height(size) + 2.0 * CELL_PAD_Y,
            bold: false,
            fill: None,
        });
    }
    if let Some(totals) = &table.totals {
        body.push(prepare(
            totals,
            &widths,
            size,
            true,
            Some(TOTALS_GREY),
            &mut c.cuts,
        ));
    }

    c.ensure(header.height + body[0].height);
    draw_row(c, &header, table, &widths);
    let empty = table.rows.is_empty();
    let last = body.len() - 1;
    for (i, row) in body.iter().enumerate() {
        let reserve = if i == last { keep_with_last } else { 0.0 };
        if c.y + row.height + reserve > c.bottom() {
            c.new_page();
            draw_row(c, &header, table, &widths);
        }
        if empty && i == 0 {
            // The "Néant" row ignores column alignment and borders inside the table.
            let top = c.y;
            let right = MARGIN + usable;
            for (n, line) in row.cells[0].iter().enumerate() {
                c.text(
                    MARGIN + CELL_PAD_X,
                    top + CELL_PAD_Y + n as f32 * line_height(size),
                    size,
                    false,
                    line,
                );
            }
            c.vline(MARGIN, top, top + row.height, 0.3);
            c.vline(right, top, top + row.height, 0.3);
            c.hline(MARGIN, right, top + row.height, 0.3);
            c.y = top + row.height;
        } else {
            draw_row(c, row, table, &widths);
        }
    }
    c.y += 3.0;
}

const DOTS: &str = "……………………………………";

fn signature(c: &mut Cursor, sig: &Signature) {
    let lh = line_height(BODY_SIZE);
    let box_height = 25.0;
    c.y += 3.0;
    c.ensure(4.0 * lh + box_height + 4.0);
    let place = sig.place.as_deref().unwrap_or(DOTS);
    let date = sig.date.as_deref().unwrap_or(DOTS);
    let line = format!("Fait à {place}, le {date}");
    c.wrapped(&line, BODY_SIZE, false);
    c.y += 1.0;
    let who = format!(
        "Nom et qualité du signataire : {}",
        sig.signatory.as_deref().unwrap_or(DOTS)
    );
    c.wrapped(&who, BODY_SIZE, false);
    c.y += 1.0;
    c.wrapped("Signature :", BODY_SIZE, false);
    let top = c.y + 1.0;
    let (left, right) = (MARGIN, MARGIN + 80.0);
    c.hline(left, right, top, 0.4);
    c.hline(left, right, top + box_height, 0.4);
    c.vline(left, top, top + box_height, 0.4);
    c.vline(right, top, top + box_height, 0.4);
    c.y = top + box_height + 2.0;
}

fn footers(c: &mut Cursor, footer: &str) {
    let count = c.pages.len();
    let baseline = c.height - 10.0;
    let right = c.width - MARGIN;
    let footer = printable(footer);
    for (i, page) in c.pages.iter_mut().enumerate() {
        let number = format!("page {}/{}", i + 1, count);
        let width = metrics(false).width_mm(&number, FOOTER_SIZE);
        if !footer.is_empty() {
            page.ops.push(Op::Text {
                x: MARGIN,
                y: baseline,
                size: FOOTER_SIZE,
                bold: false,
                text: footer.clone(),
            });
        }
        page.ops.push(Op::Text {
            x: right - width,
            y: baseline,
            size: FOOTER_SIZE,
            bold: false,
            text: number,
        });
    }
}

/// A horizontal bar chart: legend, then one row per item (label, stacked bars, value text).
fn bars(c: &mut Cursor, chart: &BarChart) {
    const SIZE: f32 = 7.5;
    const BAR: f32 = 3.2;
    const SWATCH: f32 = 2.8;
    let lh = line_height(SIZE);
    let row_h = lh.max(BAR) + 1.0;
    if chart.rows.is_empty() {
        c.wrapped(&chart.empty_text, BODY_SIZE, false);
        c.y += 1.5;
        return;
    }
    // Legend: a swatch and the label of each series, on one line.
    c.ensure(lh + row_h * 2.0);
    let mut x = MARGIN;
    let top = c.y;
    for (label, grey) in &chart.series {
        c.page().ops.push(Op::Fill {
            x,
            y: top + (lh - SWATCH) / 2.0,
            w: SWATCH,
            h: SWATCH,
            grey: *grey,
        });
        c.text(x + SWATCH + 1.2, top, SIZE, false, label);
        x += SWATCH + 1.2 + metrics(false).width_mm(&printable(label), SIZE) + 5.0;
    }
    c.y += lh + 1.0;

    let widest = |bold: bool, texts: &mut dyn Iterator<Item = &String>| {
        texts
            .map(|t| metrics(bold).width_mm(&printable(t), SIZE))
            .fold(0.0_f32, f32::max)
    };
    let label_w = (widest(false, &mut chart.rows.iter().map(|r| &r.label)) + 2.0)
        .min(c.usable_width() * 0.35);
    let value_w = widest(false, &mut chart.rows.iter().map(|r| &r.value_text)) + 2.0;
    let bar_x = MARGIN + label_w;
    let bar_w = (c.usable_width() - label_w - value_w).max(10.0);
    // Chart geometry only: the figures themselves stay Decimals; bars are drawn in points.
    let max = chart.max_length();
    let scale = if max > 0.0 { bar_w as f64 / max } else { 0.0 };
    for row in &chart.rows {
        c.ensure(row_h);
        let top = c.y;
        let label = ellipsized(&row.label, label_w - 1.0, SIZE);
        c.text(MARGIN, top, SIZE, false, &label);
        let mut x = bar_x;
        for (i, value) in row.values.iter().enumerate() {
            let w = (value.max(0.0) * scale) as f32;
            if w <= 0.0 {
                continue;
            }
            let grey = chart.series.get(i).map_or(0.5, |(_, g)| *g);
            c.page().ops.push(Op::Fill {
                x,
                y: top + (lh - BAR) / 2.0,
                w,
                h: BAR,
                grey,
            });
            x += w;
        }
        c.text(x + 1.5, top, SIZE, false, &row.value_text);
        // The axis the bars start from, drawn row by row so that a page break keeps it whole.
        c.vline(bar_x, top, top + row_h, 0.3);
        c.y += row_h;
    }
    c.y += 2.0;
}
