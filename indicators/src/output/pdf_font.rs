//! A printpdf font backend over ttf-parser that maps only characters of the Basic Multilingual
//! Plane in the `ToUnicode` table. printpdf's own backend also lists DejaVu's characters beyond
//! it (five hex digits), which PDF text extractors cannot parse; the report only uses French
//! text, so nothing is lost, and the extracted text stays readable.

use printpdf::{FontData, FontMetrics, GlyphMetrics};
use std::collections::HashMap;
use ttf_parser::{Face, GlyphId};

#[derive(Clone, Debug)]
pub(crate) struct BmpFont {
    data: &'static [u8],
}

impl BmpFont {
    /// Checks that the bytes are a readable font.
    pub(crate) fn new(data: &'static [u8]) -> Result<BmpFont, String> {
        Face::parse(data, 0).map_err(|e| format!("police illisible ({e})"))?;
        Ok(BmpFont { data })
    }

    fn face(&self) -> Face<'static> {
        Face::parse(self.data, 0).expect("checked in new()")
    }

    /// Width of `text` at `size` points, in millimetres (for wrapping and right alignment).
    pub(crate) fn width_mm(&self, text: &str, size: f32) -> f32 {
        let face = self.face();
        let units: u32 = text
            .chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map_or(0, u32::from)
            })
            .sum();
        units as f32 / f32::from(face.units_per_em()) * size * 25.4 / 72.0
    }
}

impl FontData for BmpFont {
    fn font_metrics(&self) -> FontMetrics {
        let face = self.face();
        FontMetrics {
            ascent: face.ascender(),
            descent: face.descender(),
            units_per_em: face.units_per_em(),
        }
    }

    fn glyph_id(&self, c: char) -> Option<u16> {
        self.face().glyph_index(c).map(|id| id.0)
    }

    fn glyph_ids(&self) -> HashMap<u16, char> {
        let face = self.face();
        let mut map = HashMap::new();
        let Some(cmap) = face.tables().cmap else {
            return map;
        };
        for subtable in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
            subtable.codepoints(|c| {
                if c > 0xFFFF {
                    return;
                }
                if let (Some(ch), Some(id)) = (char::from_u32(c), subtable.glyph_index(c)) {
                    if id.0 > 0 {
                        map.entry(id.0).or_insert(ch);
                    }
                }
            });
        }
        map
    }

    fn glyph_count(&self) -> u16 {
        self.face().number_of_glyphs()
    }

    fn glyph_metrics(&self, glyph_id: u16) -> Option<GlyphMetrics> {
        let face = self.face();
        let id = GlyphId(glyph_id);
        let width = face.glyph_hor_advance(id)?;
        let height = face
            .glyph_bounding_box(id)
            .map(|b| b.y_max - b.y_min - face.descender())
            .unwrap_or(1000);
        Some(GlyphMetrics {
            width: u32::from(width),
            height: height.max(0) as u32,
        })
    }
}
