//! PDF forms: a small document model for A4 French declaration forms, laid out by [`layout`]
//! and written by [`emit`] with printpdf 0.7.
//!
//! A [`Form`] is a title block followed by [`Block`]s: headings, key/value sections
//! ("Déclarant", SIRET, licence, adresse…), tables with column headers and an optional totals
//! row, paragraphs and notes, and a signature block ("Fait à …, le …", "Nom et qualité du
//! signataire", "Signature"). Cells are plain text: format amounts with [`crate::fr`]
//! ([`crate::fr::money`]) and mark amount columns [`Align::Right`].
//!
//! Layout rules: long cells wrap inside their column; a table that does not fit continues on
//! the next page with its column headers repeated; a heading is never left alone at the bottom
//! of a page; the signature block is kept in one piece; every page carries the footer text and
//! "page i/n".
//!
//! A version's life is printed on its documents without the declarations knowing it: inside
//! [`stamp::with_stamp`], every form rendered gets the stamp's title prefix, banner lines and
//! blocks (a rectificatif's comparison table, an approval "despite" reason). [`check`] verifies
//! laid-out pages (nothing outside the margins or over its neighbour, no page holding only a
//! signature).
//!
//! Determinism: the same form and generation time give byte-identical files. printpdf stamps
//! the current time and random identifiers by default; [`emit`] fixes the creation and
//! modification dates to `generated_at`, leaves out the XMP packet (which carries a random
//! instance id) and rewrites the trailer `/ID` from a hash of the form. The fonts (DejaVu Sans,
//! regular and bold) are embedded whole, so the text is extractable with accents.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use releve_documents::pdf::{Column, Form, Signature, Table};
//!
//! let mut form = Form::new("Taxe sur les spectacles vivants — fraction variétés (CNM)");
//! form.subtitle("Mois de novembre 2025").landscape();
//! form.heading("Déclarant").fields([("Nom", "Théâtre des Digues"), ("SIRET", "812 345 676 00009")]);
//! let mut table = Table::new(vec![Column::left("Spectacle", 3.0), Column::right("Taxe", 1.5)]);
//! table.row(["Les Vagues", "97,91 €"]).totals(["Total", "97,91 €"]);
//! form.table(table).signature(Signature::default());
//! let generated_at = Utc.with_ymd_and_hms(2025, 12, 1, 8, 0, 0).unwrap();
//! let bytes = form.render(generated_at).unwrap();
//! assert!(bytes.starts_with(b"%PDF"));
//! ```

pub mod check;
mod emit;
pub(crate) mod fonts;
mod layout;
pub mod stamp;

#[cfg(test)]
mod tests;

pub use crate::chart::{BarChart, BarRow};
use crate::DocumentError;
use chrono::{DateTime, Utc};

pub use layout::{layout, Op, Page};

/// Page orientation of the whole form (A4 either way).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Orientation {
    #[default]
    Portrait,
    /// For wide tables (ten columns and more).
    Landscape,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Align {
    #[default]
    Left,
    /// Amounts and counts.
    Right,
    Center,
}

/// One table column: its header, its share of the table width and the alignment of its cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub header: String,
    /// Relative width: columns share the usable page width in proportion to their weights.
    pub weight: f32,
    pub align: Align,
}

impl Column {
    pub fn left(header: impl Into<String>, weight: f32) -> Column {
        Column {
            header: header.into(),
            weight,
            align: Align::Left,
        }
    }

    pub fn right(header: impl Into<String>, weight: f32) -> Column {
        Column {
            header: header.into(),
            weight,
            align: Align::Right,
        }
    }

    pub fn center(header: impl Into<String>, weight: f32) -> Column {
        Column {
            header: header.into(),
            weight,
            align: Align::Center,
        }
    }
}

/// A table: header row repeated on every page it spans, body rows, optional totals row.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    /// Each row has one cell per column (missing cells are blank, extra cells are ignored).
    pub rows: Vec<Vec<String>>,
    /// Printed in bold after the last row.
    pub totals: Option<Vec<String>>,
    /// Font size of the cells, in points.
    pub font_size: f32,
    /// Printed across the table when it has no row (e.g. "Aucune représentation").
    pub empty_text: String,
}

impl Table {
    pub fn new(columns: Vec<Column>) -> Table {
        Table {
            columns,
            rows: Vec::new(),
            totals: None,
            font_size: 8.0,
            empty_text: "Néant".into(),
        }
    }

    pub fn row<I, S>(&mut self, cells: I) -> &mut Table
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.rows.push(cells.into_iter().map(Into::into).collect());
        self
    }

    pub fn totals<I, S>(&mut self, cells: I) -> &mut Table
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.totals = Some(cells.into_iter().map(Into::into).collect());
        self
    }

    pub fn font_size(&mut self, points: f32) -> &mut Table {
        self.font_size = points;
        self
    }

    pub fn empty_text(&mut self, text: impl Into<String>) -> &mut Table {
        self.empty_text = text.into();
        self
    }
}

/// The signature block. Blank parts are printed as dotted lines to fill in by hand.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Signature {
    /// "Fait à …" (usually the declarant's city).
    pub place: Option<String>,
    /// "… le …", already formatted (`01/12/2025`).
    pub date: Option<String>,
    /// "Nom et qualité du signataire".
    pub signatory: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A section title, in bold.
    Heading(String),
    /// Label/value pairs, labels in bold in a left column; values wrap.
    Fields(Vec<(String, String)>),
    Table(Table),
    /// Body text, wrapped.
    Paragraph(String),
    /// Smaller text (legal basis, remarks), wrapped.
    Note(String),
    Signature(Signature),
    /// Vertical space, in millimetres.
    Space(f32),
    /// A horizontal bar chart drawn with filled rectangles.
    Bars(BarChart),
    /// Starts a new page (unless the current one is still empty): one état per page.
    PageBreak,
}

/// A whole form.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    pub title: String,
    /// Lines under the title (month, recipient…).
    pub subtitles: Vec<String>,
    pub orientation: Orientation,
    /// Left part of every page footer (e.g. "Brouillon préparé par releve le 01/12/2025").
    pub footer: String,
    pub blocks: Vec<Block>,
}

impl Form {
    pub fn new(title: impl Into<String>) -> Form {
        Form {
            title: title.into(),
            subtitles: Vec::new(),
            orientation: Orientation::Portrait,
            footer: String::new(),
            blocks: Vec::new(),
        }
    }

    pub fn landscape(&mut self) -> &mut Form {
        self.orientation = Orientation::Landscape;
        self
    }

    pub fn subtitle(&mut self, line: impl Into<String>) -> &mut Form {
        self.subtitles.push(line.into());
        self
    }

    pub fn footer(&mut self, text: impl Into<String>) -> &mut Form {
        self.footer = text.into();
        self
    }

    pub fn push(&mut self, block: Block) -> &mut Form {
        self.blocks.push(block);
        self
    }

    pub fn heading(&mut self, text: impl Into<String>) -> &mut Form {
        self.push(Block::Heading(text.into()))
    }

    pub fn fields<I, K, V>(&mut self, pairs: I) -> &mut Form
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let pairs = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        self.push(Block::Fields(pairs))
    }

    pub fn table(&mut self, table: Table) -> &mut Form {
        self.push(Block::Table(table))
    }

    pub fn paragraph(&mut self, text: impl Into<String>) -> &mut Form {
        self.push(Block::Paragraph(text.into()))
    }

    pub fn note(&mut self, text: impl Into<String>) -> &mut Form {
        self.push(Block::Note(text.into()))
    }

    pub fn signature(&mut self, signature: Signature) -> &mut Form {
        self.push(Block::Signature(signature))
    }

    pub fn bars(&mut self, chart: BarChart) -> &mut Form {
        self.push(Block::Bars(chart))
    }

    pub fn page_break(&mut self) -> &mut Form {
        self.push(Block::PageBreak)
    }

    pub fn space(&mut self, mm: f32) -> &mut Form {
        self.push(Block::Space(mm))
    }

    /// Lays the form out and writes the PDF. `generated_at` becomes the document's creation
    /// and modification dates, so the bytes depend only on the form and this instant.
    pub fn render(&self, generated_at: DateTime<Utc>) -> Result<Vec<u8>, DocumentError> {
        let stamped;
        let form = match stamp::current() {
            Some(s) => {
                stamped = s.apply(self);
                &stamped
            }
            None => self,
        };
        #[cfg(any(test, feature = "test-support"))]
        rendered::RENDERED.with(|r| r.borrow_mut().push(form.clone()));
        let pages = layout(form);
        emit::write(form, &pages, generated_at)
    }
}

/// Tests of whole documents get the forms a declaration rendered, to check their layout
/// (feature `test-support`, enabled by the dev-dependencies of the crates that render).
#[cfg(any(test, feature = "test-support"))]
pub mod rendered {
    use super::Form;
    use std::cell::RefCell;

    thread_local! {
        pub(super) static RENDERED: RefCell<Vec<Form>> = const { RefCell::new(Vec::new()) };
    }

    /// The forms rendered on this thread since the last call.
    pub fn take() -> Vec<Form> {
        RENDERED.with(|r| std::mem::take(&mut *r.borrow_mut()))
    }
}
