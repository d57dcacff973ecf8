//! Property-style test of the CSV input layer: files written by the `csv` crate from random
//! cells (delimiters, quotes, accents, the euro sign, line breaks inside quoted cells), with
//! either delimiter, LF or CRLF line endings, blank lines between rows, UTF-8 with or without
//! a byte-order mark or Windows-1252, read back through [`CsvInput`]: every cell, every line
//! number and every row's raw text must come back as written. Fixed seed: reproducible.

use super::*;
use std::io::Write;

const SPEC: ColumnSpec = ColumnSpec {
    required: &["id", "title"],
    optional: &["note"],
};

/// xorshift64*: tiny and deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Pieces cells are made of, all of which exist in Windows-1252.
const PIECES: &[&str] = &[
    "a",
    "Z",
    "7",
    " ",
    ",",
    ";",
    "\"",
    "\"\"",
    "'",
    "é",
    "è",
    "à",
    "ç",
    "É",
    "œ",
    "€",
    "«",
    "»",
    "\n",
    "\r\n",
    "\t",
    "#",
    "Théâtre",
    "12,50",
];
/// Has no byte in Windows-1252: a file containing it can only be UTF-8.
const NOT_IN_1252: &str = "→";

/// A cell as a user would type it: never starting or ending with white space (the reader
/// trims cells), sometimes empty (read back as absent).
fn cell(rng: &mut Rng, unicode_only: bool) -> String {
    if rng.below(6) == 0 {
        return String::new();
    }
    let mut text = String::new();
    for _ in 0..1 + rng.below(8) {
        if unicode_only && rng.below(10) == 0 {
            text.push_str(NOT_IN_1252);
        } else {
            text.push_str(rng.pick(PIECES));
        }
    }
    let trimmed = text.trim();
    if trimmed.is_empty() {
        "x".into()
    } else {
        trimmed.to_string()
    }
}

/// One record as the csv crate writes it, without its line ending.
fn written(fields: &[&str], delimiter: u8) -> String {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer.write_record(fields).unwrap();
    let bytes = writer.into_inner().unwrap();
    let text = String::from_utf8(bytes).unwrap();
    text.strip_suffix('\n').unwrap().to_string()
}

struct Expected {
    line: u64,
    id: String,
    title: Option<String>,
    note: Option<String>,
    raw: String,
}

#[test]
fn cells_line_numbers_and_raw_text_survive_a_round_trip() {
    let mut rng = Rng(0xC5F0_0001_2345_6789);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("random.csv");
    let (mut windows_1252, mut multiline_rows) = (0, 0);
    for case in 0..600 {
        let delimiter = if rng.below(2) == 0 { b',' } else { b';' };
        let ending = if rng.below(2) == 0 { "\n" } else { "\r\n" };
        // A quarter of the files hold characters only UTF-8 can carry.
        let unicode_only = rng.below(4) == 0;
        let d = delimiter as char;
        let mut text = format!("id{d}Title{d} note {ending}");
        let mut line = 2;
        let mut expected = Vec::new();
        for r in 0..rng.below(15) {
            if rng.below(5) == 0 {
                // A blank line: skipped, but it counts in the numbering.
                text.push_str(ending);
                line += 1;
            }
            let id = format!("r{r}-{}", cell(&mut rng, unicode_only));
            let (title, note) = (cell(&mut rng, unicode_only), cell(&mut rng, unicode_only));
            let raw = written(&[&id, &title, &note], delimiter);
            let breaks = raw.matches('\n').count() as u64;
            multiline_rows += u64::from(breaks > 0);
            text.push_str(&raw);
            text.push_str(ending);
            let some = |c: String| (!c.is_empty()).then_some(c);
            expected.push(Expected {
                line,
                id,
                title: some(title),
                note: some(note),
                raw,
            });
            line += 1 + breaks;
        }

        // Windows-1252 when every character has a byte there and the bytes cannot be read as
        // UTF-8 (a few sequences such as "é€œ" happen to be valid UTF-8: any reader would take
        // them for UTF-8, that is the nature of the guess).
        let (encoded, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
        let as_1252 = !unmappable
            && !text.is_ascii()
            && rng.below(2) == 0
            && std::str::from_utf8(&encoded).is_err();
        let bytes: Vec<u8> = if as_1252 {
            windows_1252 += 1;
            encoded.into_owned()
        } else if rng.below(3) == 0 {
            [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat()
        } else {
            text.clone().into_bytes()
        };
        let mut file = std::fs::File::create(&path).unwrap();
        file.write_all(&bytes).unwrap();
        drop(file);

        let mut input = CsvInput::open(&path, &SPEC).unwrap();
        let context = format!("case {case}: {text:?}");
        assert_eq!(input.delimiter(), delimiter, "{context}");
        let encoding = if as_1252 { "windows-1252" } else { "UTF-8" };
        assert_eq!(input.encoding_name(), encoding, "{context}");
        for want in &expected {
            let row = input.next_row().expect(&context).expect(&context);
            assert_eq!(row.line, want.line, "{context}");
            assert_eq!(row.get("id"), Some(want.id.as_str()), "{context}");
            assert_eq!(row.get("title"), want.title.as_deref(), "{context}");
            assert_eq!(row.get("note"), want.note.as_deref(), "{context}");
            assert_eq!(row.raw, want.raw, "{context}");
        }
        assert!(input.next_row().is_none(), "{context}");
        assert_eq!(input.progress(), (bytes.len() as u64, bytes.len() as u64));
    }
    // The cases must cover what they claim to.
    assert!(windows_1252 > 50, "{windows_1252}");
    assert!(multiline_rows > 500, "{multiline_rows}");
}
