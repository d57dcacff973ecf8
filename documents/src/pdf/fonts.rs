//! The two embedded fonts (DejaVu Sans regular and bold, which cover French accents, `€`, `«»`
//! and the narrow no-break space) and the advance widths the layout needs to wrap text and
//! right-align amounts.
//!
//! printpdf 0.7 does not expose glyph metrics, so this module reads the three TrueType tables
//! that give them (`head`, `hhea`/`hmtx`, `cmap` format 4) from the same bytes printpdf embeds:
//! the widths used for layout are exactly those of the embedded font. The same reader is
//! handed to printpdf as its [`FontData`] backend: printpdf's own backend lists the font's
//! characters outside the Basic Multilingual Plane in the `ToUnicode` map with five hex digits,
//! which PDF text extractors (pdf-extract) cannot read; ours lists BMP characters only.

use printpdf::{FontData, FontMetrics, GlyphMetrics};
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

pub(crate) const REGULAR: &[u8] = include_bytes!("../../../templates/fonts/DejaVuSans.ttf");
pub(crate) const BOLD: &[u8] = include_bytes!("../../../templates/fonts/DejaVuSans-Bold.ttf");

/// One millimetre in PDF points.
pub(crate) const PT_PER_MM: f32 = 72.0 / 25.4;

/// Advance widths of one TrueType font.
pub(crate) struct Metrics {
    data: &'static [u8],
    units_per_em: f32,
    ascender: i16,
    descender: i16,
    glyph_count: u16,
    num_h_metrics: u16,
    hmtx: usize,
    /// Offset of the `cmap` format 4 subtable.
    cmap4: usize,
}

pub(crate) fn regular() -> &'static Metrics {
    static M: OnceLock<Metrics> = OnceLock::new();
    M.get_or_init(|| Metrics::parse(REGULAR).expect("bundled DejaVuSans.ttf is a TrueType font"))
}

pub(crate) fn bold() -> &'static Metrics {
    static M: OnceLock<Metrics> = OnceLock::new();
    M.get_or_init(|| Metrics::parse(BOLD).expect("bundled DejaVuSans-Bold.ttf is a TrueType font"))
}

pub(crate) fn metrics(bold_face: bool) -> &'static Metrics {
    if bold_face {
        bold()
    } else {
        regular()
    }
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*data.get(at)?, *data.get(at + 1)?]))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *data.get(at)?,
        *data.get(at + 1)?,
        *data.get(at + 2)?,
        *data.get(at + 3)?,
    ]))
}

impl Metrics {
    fn parse(data: &'static [u8]) -> Option<Metrics> {
        let num_tables = u16_at(data, 4)? as usize;
        let table = |tag: &[u8; 4]| -> Option<usize> {
            (0..num_tables).find_map(|i| {
                let rec = 12 + 16 * i;
                (data.get(rec..rec + 4)? == tag)
                    .then(|| u32_at(data, rec + 8).map(|o| o as usize))?
            })
        };
        let head = table(b"head")?;
        let hhea = table(b"hhea")?;
        let hmtx = table(b"hmtx")?;
        let cmap = table(b"cmap")?;
        let maxp = table(b"maxp")?;
        let units_per_em = f32::from(u16_at(data, head + 18)?);
        let num_h_metrics = u16_at(data, hhea + 34)?;
        let subtables = u16_at(data, cmap + 2)? as usize;
        let cmap4 = (0..subtables).find_map(|i| {
            let rec = cmap + 4 + 8 * i;
            let platform = u16_at(data, rec)?;
            let encoding = u16_at(data, rec + 2)?;
            let offset = cmap + u32_at(data, rec + 4)? as usize;
            let unicode = platform == 0 || (platform == 3 && encoding == 1);
            (unicode && u16_at(data, offset)? == 4).then_some(offset)
        })?;
        Some(Metrics {
            data,
            units_per_em,
            ascender: u16_at(data, hhea + 4)? as i16,
            descender: u16_at(data, hhea + 6)? as i16,
            glyph_count: u16_at(data, maxp + 4)?,
            num_h_metrics,
            hmtx,
            cmap4,
        })
    }

    /// The glyph of a character in the Basic Multilingual Plane, `None` when the font lacks it.
    pub(crate) fn glyph(&self, c: char) -> Option<u16> {
        let code = u32::from(c);
        if code > 0xFFFF {
            return None;
        }
        let code = code as u16;
        let d = self.data;
        let t = self.cmap4;
        let seg_count = (u16_at(d, t + 6)? / 2) as usize;
        let ends = t + 14;
        let starts = ends + 2 * seg_count + 2;
        let deltas = starts + 2 * seg_count;
        let range_offsets = deltas + 2 * seg_count;
        for i in 0..seg_count {
            let end = u16_at(d, ends + 2 * i)?;
            if end < code {
                continue;
            }
            let start = u16_at(d, starts + 2 * i)?;
            if start > code {
                return None;
            }
            let delta = u16_at(d, deltas + 2 * i)?;
            let range_offset = u16_at(d, range_offsets + 2 * i)?;
            let glyph = if range_offset == 0 {
                code.wrapping_add(delta)
            } else {
                let at =
                    range_offsets + 2 * i + range_offset as usize + 2 * (code - start) as usize;
                match u16_at(d, at)? {
                    0 => 0,
                    g => g.wrapping_add(delta),
                }
            };
            return (glyph != 0).then_some(glyph);
        }
        None
    }

    fn advance(&self, glyph: u16) -> f32 {
        let index = glyph.min(self.num_h_metrics.saturating_sub(1)) as usize;
        f32::from(u16_at(self.data, self.hmtx + 4 * index).unwrap_or(0))
    }

    /// Width of a text at `size_pt`, in millimetres. Characters the font lacks count as nothing,
    /// as printpdf drops them; [`printable`] replaces them beforehand.
    pub(crate) fn width_mm(&self, text: &str, size_pt: f32) -> f32 {
        let units: f32 = text
            .chars()
            .filter_map(|c| self.glyph(c))
            .map(|g| self.advance(g))
            .sum();
        units / self.units_per_em * size_pt / PT_PER_MM
    }
}

impl fmt::Debug for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Metrics")
            .field("bytes", &self.data.len())
            .field("units_per_em", &self.units_per_em)
            .finish()
    }
}

impl Metrics {
    /// Every (glyph, character) of the BMP, the first character winning for a shared glyph.
    fn bmp_glyphs(&self) -> HashMap<u16, char> {
        let mut map = HashMap::new();
        let d = self.data;
        let t = self.cmap4;
        let seg_count = u16_at(d, t + 6).unwrap_or(0) as usize / 2;
        let ends = t + 14;
        let starts = ends + 2 * seg_count + 2;
        for i in 0..seg_count {
            let (Some(start), Some(end)) = (u16_at(d, starts + 2 * i), u16_at(d, ends + 2 * i))
            else {
                continue;
            };
            for code in start..=end.min(0xFFFE) {
                let Some(c) = char::from_u32(u32::from(code)) else {
                    continue;
                };
                if let Some(g) = self.glyph(c) {
                    map.entry(g).or_insert(c);
                }
            }
        }
        map
    }
}

/// printpdf's font backend over [`Metrics`].
#[derive(Clone, Debug)]
pub(crate) struct Embedded(pub(crate) &'static Metrics);

impl FontData for Embedded {
    fn font_metrics(&self) -> FontMetrics {
        FontMetrics {
            ascent: self.0.ascender,
            descent: self.0.descender,
            units_per_em: self.0.units_per_em as u16,
        }
    }

    fn glyph_id(&self, c: char) -> Option<u16> {
        self.0.glyph(c)
    }

    fn glyph_ids(&self) -> HashMap<u16, char> {
        self.0.bmp_glyphs()
    }

    fn glyph_count(&self) -> u16 {
        self.0.glyph_count
    }

    fn glyph_metrics(&self, glyph_id: u16) -> Option<GlyphMetrics> {
        (glyph_id < self.0.glyph_count).then(|| GlyphMetrics {
            width: self.0.advance(glyph_id) as u32,
            height: (i32::from(self.0.ascender) - i32::from(self.0.descender)).max(0) as u32,
        })
    }
}

/// The text with every character both fonts can draw; others become a space (a narrow
/// no-break space becomes a no-break space if the font lacks it), so nothing silently vanishes
/// from a form and the measured width is the drawn width.
pub(crate) fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c == '\n' || c == '\t' {
                return ' ';
            }
            if regular().glyph(c).is_some() && bold().glyph(c).is_some() {
                c
            } else if c == '\u{202f}' && regular().glyph('\u{a0}').is_some() {
                '\u{a0}'
            } else {
                ' '
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_french_glyphs_and_widths() {
        for c in ['é', 'è', 'à', 'ç', 'É', '€', '«', '»', '\u{a0}', '—'] {
            assert!(regular().glyph(c).is_some(), "regular lacks {c:?}");
            assert!(bold().glyph(c).is_some(), "bold lacks {c:?}");
        }
        // Proportional font: "W" is wider than "i", bold wider than regular.
        assert!(regular().width_mm("W", 10.0) > regular().width_mm("i", 10.0));
        assert!(bold().width_mm("Mm", 10.0) > regular().width_mm("Mm", 10.0));
        // Digits are tabular in DejaVu Sans: every digit has the same advance.
        let one = regular().width_mm("1", 10.0);
        assert!((regular().width_mm("8", 10.0) - one).abs() < 1e-6);
        // 10 pt digit ≈ 0.636 em = 6.36 pt = 2.24 mm.
        assert!((one - 2.24).abs() < 0.05, "{one}");
    }

    #[test]
    fn unknown_characters_become_spaces() {
        assert_eq!(printable("a\u{1F600}b"), "a b");
        assert_eq!(printable("ligne\nsuite"), "ligne suite");
        assert_eq!(printable("Théâtre"), "Théâtre");
    }
}
