//! releve-documents: everything a person reads, laid out one way.
//!
//! - [`pdf`]: the one PDF layer. A [`pdf::Form`] (title, subtitles, headings, key/value
//!   sections, tables, paragraphs, notes, charts, signature) is laid out on A4 pages by
//!   `pdf::layout` and written by printpdf: fonts embedded once per document and subset to
//!   the glyphs used, text wrapped at word boundaries (never hyphenated), table headers repeated
//!   on every page a table spans, headings, totals and signature blocks kept with what they
//!   belong to, "page i/n" on every page, the title in UTF-8 (UTF-16 in the PDF) in the
//!   metadata. [`pdf::check`] finds layout defects in tests.
//! - [`chart`]: the one chart model (horizontal bars, stacked series), drawn as SVG for the
//!   HTML documents and pages by [`chart::to_svg`] and as PDF by the layout's `Bars` block.
//! - [`fr`]: the one French formatter (amounts, counts, decimals, percentages, rates, dates,
//!   months, SIRET) for documents, workspace pages and e-mails. Machine formats (JSON, CSV, XML)
//!   never use it.
//!
//! Dependency rule: this crate depends on `releve-domain` only; the declarations, the
//! indicators and the binary depend on it.

pub mod chart;
pub mod fr;
pub mod pdf;

/// Why a document could not be written (a programming error in a form, not a user error).
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("PDF : {0}")]
    Pdf(String),
}

/// Test helpers for the crates that render documents (feature `test-support`).
#[cfg(any(test, feature = "test-support"))]
pub mod testing {
    /// The text of a PDF, with every kind of space (no-break, narrow no-break, line breaks)
    /// folded into one plain space, so assertions read like the document.
    pub fn pdf_text(bytes: &[u8]) -> String {
        let text = pdf_extract::extract_text_from_mem(bytes).expect("pdf-extract reads our PDF");
        text.replace(['\u{a0}', '\u{202f}'], " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}
