//! Writes laid-out pages with printpdf 0.7, deterministically.
//!
//! printpdf stamps the current time and random identifiers: we set the creation, modification
//! and metadata dates to `generated_at`, choose a custom conformance without XMP packet or ICC
//! profile (the XMP packet carries a random instance id), and rewrite the two strings of the
//! trailer `/ID` (random in printpdf) with a hash of the form and the generation time. The ids
//! keep their length, so the cross-reference offsets stay valid.

use super::fonts;
use super::layout::{page_size, Op, Page};
use super::Form;
use crate::DocumentError;
use chrono::{DateTime, Utc};
use printpdf::{
    Color, CustomPdfConformance, Greyscale, IndirectFontRef, Line, Mm, OffsetDateTime,
    PdfConformance, PdfDocument, PdfLayerReference, Point, Rect,
};

fn pdf_error(e: impl std::fmt::Display) -> DocumentError {
    DocumentError::Pdf(e.to_string())
}

pub(super) fn write(
    form: &Form,
    pages: &[Page],
    generated_at: DateTime<Utc>,
) -> Result<Vec<u8>, DocumentError> {
    let (width, height) = page_size(form.orientation);
    let stamp = OffsetDateTime::from_unix_timestamp(generated_at.timestamp()).map_err(pdf_error)?;
    let title = MetadataTitle::new(&form.title);
    let (doc, first_page, first_layer) =
        PdfDocument::new(title.placeholder(), Mm(width), Mm(height), "contenu");
    let doc = doc
        .with_conformance(PdfConformance::Custom(CustomPdfConformance {
            identifier: String::new(),
            requires_icc_profile: false,
            requires_xmp_metadata: false,
            ..CustomPdfConformance::default()
        }))
        .with_creation_date(stamp)
        .with_mod_date(stamp)
        .with_metadata_date(stamp)
        .with_creator("releve")
        .with_producer("releve");
    let regular = doc
        .add_external_font_data(fonts::REGULAR.to_vec(), fonts::Embedded(fonts::regular()))
        .map_err(pdf_error)?;
    let bold = doc
        .add_external_font_data(fonts::BOLD.to_vec(), fonts::Embedded(fonts::bold()))
        .map_err(pdf_error)?;

    for (index, page) in pages.iter().enumerate() {
        let layer = if index == 0 {
            doc.get_page(first_page).get_layer(first_layer)
        } else {
            let (p, l) = doc.add_page(Mm(width), Mm(height), "contenu");
            doc.get_page(p).get_layer(l)
        };
        draw(&layer, page, height, &regular, &bold);
    }
    let bytes = doc.save_to_bytes().map_err(pdf_error)?;
    let bytes = title.write_into(bytes)?;
    let id = document_id(form, pages, generated_at);
    set_trailer_id(bytes, &id)
}

fn draw(
    layer: &PdfLayerReference,
    page: &Page,
    height: f32,
    regular: &IndirectFontRef,
    bold: &IndirectFontRef,
) {
    let black = Color::Greyscale(Greyscale::new(0.0, None));
    layer.set_outline_color(black.clone());
    layer.set_fill_color(black.clone());
    for op in &page.ops {
        match op {
            Op::Text {
                x,
                y,
                size,
                bold: is_bold,
                text,
            } => {
                let font = if *is_bold { bold } else { regular };
                layer.use_text(text.as_str(), *size, Mm(*x), Mm(height - y), font);
            }
            Op::Line {
                x1,
                y1,
                x2,
                y2,
                width,
            } => {
                layer.set_outline_thickness(*width);
                layer.add_line(Line {
                    points: vec![
                        (Point::new(Mm(*x1), Mm(height - y1)), false),
                        (Point::new(Mm(*x2), Mm(height - y2)), false),
                    ],
                    is_closed: false,
                });
            }
            Op::Fill { x, y, w, h, grey } => {
                layer.set_fill_color(Color::Greyscale(Greyscale::new(*grey, None)));
                layer.add_rect(Rect::new(
                    Mm(*x),
                    Mm(height - y - h),
                    Mm(x + w),
                    Mm(height - y),
                ));
                layer.set_fill_color(black.clone());
            }
        }
    }
}

/// The title of the document information dictionary, in UTF-16BE as PDF requires for text
/// outside PDFDocEncoding (printpdf would write raw UTF-8, which viewers show garbled).
///
/// printpdf only takes the title as a literal string, so it is given an ASCII placeholder of
/// exactly the length of the final hexadecimal string (`<FEFF…>`, four digits per UTF-16 unit)
/// and the placeholder is replaced in the saved bytes: the cross-reference offsets stay valid.
struct MetadataTitle {
    hex: String,
}

impl MetadataTitle {
    fn new(title: &str) -> MetadataTitle {
        let mut hex = String::from("FEFF");
        for unit in title.encode_utf16() {
            hex.push_str(&format!("{unit:04X}"));
        }
        MetadataTitle { hex }
    }

    /// `(` + placeholder + `)` is as long as `<` + hex + `>`.
    fn placeholder(&self) -> String {
        let mut p = String::from("releveTitle");
        while p.len() < self.hex.len() {
            p.push('X');
        }
        p
    }

    fn write_into(&self, mut bytes: Vec<u8>) -> Result<Vec<u8>, DocumentError> {
        let literal = format!("({})", self.placeholder());
        let at = bytes
            .windows(literal.len())
            .position(|w| w == literal.as_bytes())
            .ok_or_else(|| DocumentError::Pdf("titre des métadonnées introuvable".into()))?;
        let replacement = format!("<{}>", self.hex);
        bytes[at..at + literal.len()].copy_from_slice(replacement.as_bytes());
        Ok(bytes)
    }
}

/// 32 hexadecimal characters from the form's texts and the generation time (FNV-1a, twice
/// with different seeds: an identifier, not a security measure).
fn document_id(form: &Form, pages: &[Page], generated_at: DateTime<Utc>) -> String {
    let mut input = format!("{}\u{0}{}\u{0}", form.title, generated_at.to_rfc3339());
    for page in pages {
        for text in page.texts() {
            input.push_str(text);
            input.push('\u{0}');
        }
    }
    let fnv = |seed: u64| {
        input.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    format!(
        "{:016x}{:016x}",
        fnv(0xcbf2_9ce4_8422_2325),
        fnv(0x6c62_272e_07bb_0142)
    )
}

/// Replaces the two strings of the last `/ID [(…)(…)]` with `id` (same length).
fn set_trailer_id(mut bytes: Vec<u8>, id: &str) -> Result<Vec<u8>, DocumentError> {
    let missing = || DocumentError::Pdf("identifiant de document (/ID) introuvable".into());
    let at = bytes
        .windows(3)
        .rposition(|w| w == b"/ID")
        .ok_or_else(missing)?;
    let mut pos = at + 3;
    for _ in 0..2 {
        let open = pos
            + bytes[pos..]
                .iter()
                .position(|&b| b == b'(')
                .ok_or_else(missing)?;
        let close = open
            + bytes[open..]
                .iter()
                .position(|&b| b == b')')
                .ok_or_else(missing)?;
        if close - open - 1 != id.len() {
            return Err(DocumentError::Pdf(format!(
                "identifiant de document inattendu ({} caractères au lieu de {})",
                close - open - 1,
                id.len()
            )));
        }
        bytes[open + 1..close].copy_from_slice(id.as_bytes());
        pos = close + 1;
    }
    Ok(bytes)
}
