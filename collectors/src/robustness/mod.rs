//! Seeded mutation runs of every parser of outside data, in the normal test suite: what CI runs
//! in place of the cargo-fuzz targets of `collectors/fuzz/` (which need nightly and libfuzzer).
//!
//! Each parser is fed its test fixtures and thousands of deterministic mutations of them:
//! - byte mutations (bits flipped, bytes deleted, duplicated or replaced by separators, quotes,
//!   NUL, invalid UTF-8; lines swapped): the parser never panics, and everything it gives back
//!   is either a record or a quarantine entry with a French reason;
//! - value mutations that keep the structure (one cell, property or JSON value replaced by a
//!   hostile value: empty, huge, NUL bytes, invalid UTF-8, a date in Paris's DST gap or overlap,
//!   a negative or over-precise amount, a wrong type): then, for the row-based formats, the
//!   count holds exactly — input rows = accepted + quarantined.
//!
//! The generator is xorshift64* with a fixed seed per test, so a failure reproduces.

mod files;
mod vendors;

pub(crate) use vendors::mutate_vendor_answers;

/// xorshift64*.
pub(crate) struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Bytes that break parsers: separators, quotes, line ends, NUL, a lone UTF-8 continuation
/// byte and a truncated sequence (invalid UTF-8 inside UTF-8).
const NASTY: &[u8] = b",;\"'\r\n\t\0{}[]:\\\x80\xc3";

/// A few random byte-level changes.
pub(crate) fn mutate_bytes(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        if out.is_empty() {
            out.push(*rng.pick(NASTY));
            continue;
        }
        let at = rng.below(out.len());
        match rng.below(6) {
            0 => out[at] ^= 1 << rng.below(8),
            1 => {
                out.remove(at);
            }
            2 => {
                let end = (at + 1 + rng.below(60)).min(out.len());
                let piece = out[at..end].to_vec();
                out.splice(at..at, piece);
            }
            3 => out[at] = *rng.pick(NASTY),
            4 => {
                let end = (at + rng.below(200)).min(out.len());
                out.drain(at..end);
            }
            _ => {
                let text = String::from_utf8_lossy(&out).into_owned();
                let mut lines: Vec<&str> = text.split('\n').collect();
                let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
                lines.swap(a, b);
                out = lines.join("\n").into_bytes();
            }
        }
    }
    out
}

/// Values a cell, a property or a JSON string may hold in hostile input.
pub(crate) fn hostile_text(rng: &mut Rng) -> String {
    const VALUES: &[&str] = &[
        "",
        " ",
        "0",
        "-1",
        "-0,01",
        "12,345",
        "1e9",
        "NaN",
        "99999999999999999999999",
        "18.00 €",
        "5,5 %",
        "55",
        "2025-03-30 02:30",
        "2025-10-26 02:30",
        "2025-02-30 20:00",
        "30/11/2025 23:30",
        "2025-11-14T20:30:00+25:00",
        "valid\u{0}",
        "Théâtre\u{0}des Digues",
        "\u{feff}ticket",
        "é\u{301}",
        "🎭",
        "=cmd|' /C calc'!A0",
        "null",
        "true",
    ];
    match rng.below(10) {
        0 => "x".repeat(1 + rng.below(100_000)),
        1 => "\u{fffd}".repeat(1 + rng.below(20)),
        _ => rng.pick(VALUES).to_string(),
    }
}

/// Every quarantine entry explains itself.
pub(crate) fn assert_reason(q: &releve_domain::Quarantined) {
    assert!(
        !q.reason.trim().is_empty(),
        "quarantine without a reason: {q:?}"
    );
    assert!(!q.source.is_empty(), "{q:?}");
}
