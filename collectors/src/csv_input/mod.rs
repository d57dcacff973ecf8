//! The input layer shared by the open CSV formats (`tickets_csv`, `programme_csv`):
//! encoding, delimiter, header, one row at a time, line numbers, raw text, progress.
//!
//! # Encoding
//!
//! A file is read twice. The first pass ([`sniff`]) reads it in fixed-size chunks and checks
//! whether it is valid UTF-8; the second pass decodes it while parsing:
//!
//! - valid UTF-8, with or without a byte-order mark (the mark is dropped) → UTF-8;
//! - anything else → Windows-1252 (what Excel writes on a French Windows "CSV (séparateur :
//!   point-virgule)"); every byte is a character there, so decoding cannot fail;
//! - UTF-8 with a few damaged bytes (at least twice as many valid multi-byte characters such
//!   as `é` as invalid sequences) → UTF-8, and each row holding an invalid byte is quarantined
//!   (« octets invalides en UTF-8 ») instead of reading the whole file as Windows-1252;
//! - a UTF-8 byte-order mark followed by invalid UTF-8 is refused
//!   ([`CollectorError::Encoding`]): the file says UTF-8 and is not, reading it either way would be
//!   a guess.
//!
//! # Delimiter and header
//!
//! The delimiter is `,` or `;`, whichever appears more often outside double quotes on the first
//! non-blank line (the header); `,` when neither does. Quotes follow RFC 4180 (`""` inside a
//! quoted field is one `"`; a quoted field may span lines). Header names are trimmed and matched
//! without regard to case; unknown columns are ignored; a missing required column, or a known
//! column given twice, is a [`CollectorError::Header`] naming the file and every missing column.
//!
//! # Rows
//!
//! Rows are handed out one at a time ([`CsvInput::next_row`]); nothing but the current row and
//! the parser's read-ahead is kept, so memory does not grow with the file. Blank lines, and rows
//! whose cells are all empty (`;;;;` as spreadsheets export them), are skipped. Cells are
//! trimmed; an empty cell reads as absent. A row shorter than the header has its missing cells
//! empty. Each row carries:
//!
//! - its line number as a spreadsheet or text editor shows it (header on line 1 when the file
//!   starts with it), i.e. the line where the row *starts* when a quoted cell spans lines;
//! - its raw text as written in the file (decoded to UTF-8, line ending removed), for quarantine.
//!
//! [`CsvInput::progress`] gives (bytes of the file read so far, file size) for a progress bar.

mod cells;
mod columns;
mod sniff;
mod stream;

pub use cells::{parse_yes_no, CellError, CellResult};
pub use columns::{ColumnSpec, Columns};
pub use sniff::{sniff, Sniffed};

use crate::CollectorError;
use encoding_rs::Encoding;
use releve_domain::Quarantined;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use stream::{Capture, Counting, Decoding};

type Stack = Capture<Decoding<Counting<BufReader<File>>>>;

/// An open CSV file of a known format, positioned after its header.
pub struct CsvInput {
    path: PathBuf,
    reader: csv::Reader<Stack>,
    columns: Columns,
    encoding: &'static Encoding,
    delimiter: u8,
    total: u64,
    record: csv::StringRecord,
    /// Raw text of the current row.
    raw: String,
    /// Decoded bytes consumed by the parser up to the end of the last row handed out.
    consumed: u64,
    /// Line feeds in those bytes.
    newlines: u64,
    /// A read error ended the file; nothing more is read.
    failed: bool,
    /// UTF-8 with damaged bytes: rows holding one are quarantined.
    damaged_utf8: bool,
}

/// One non-blank row.
pub struct Row<'a> {
    /// Line where the row starts (header = line 1).
    pub line: u64,
    /// The row as written in the file (decoded, without its line ending).
    pub raw: &'a str,
    record: &'a csv::StringRecord,
    columns: &'a Columns,
}

/// The file could not be read past some point (an I/O error in the middle of the file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadFailure {
    /// First line that could not be read.
    pub line: u64,
    pub message: String,
    /// Only this row is unreadable (invalid bytes in a UTF-8 file): reading goes on after it.
    /// Its raw text, invalid bytes shown as `\u{FFFD}`.
    pub row_only: Option<String>,
}

impl ReadFailure {
    /// The failure as a quarantine record, so that the run reports it.
    pub fn quarantine(&self, source: &str) -> Quarantined {
        if let Some(raw) = &self.row_only {
            return Quarantined {
                source: source.to_string(),
                line: Some(self.line),
                column: None,
                reason: self.message.clone(),
                raw: raw.clone(),
            };
        }
        Quarantined {
            source: source.to_string(),
            line: Some(self.line),
            column: None,
            reason: format!(
                "lecture du fichier interrompue à partir de cette ligne ({}) : les lignes suivantes \
                 n'ont pas été lues ; vérifiez le fichier puis relancez l'import",
                self.message
            ),
            raw: String::new(),
        }
    }
}

impl CsvInput {
    /// Opens `path`, detects encoding and delimiter, reads and checks the header.
    pub fn open(path: &Path, spec: &ColumnSpec) -> Result<CsvInput, CollectorError> {
        let io_err = |source| CollectorError::Io {
            path: path.to_path_buf(),
            source,
        };
        let sniffed = sniff(BufReader::new(File::open(path).map_err(io_err)?)).map_err(io_err)?;
        let damaged_utf8 = !sniffed.utf8_valid && !sniffed.bom && sniffed.mostly_utf8;
        let encoding = if sniffed.utf8_valid || damaged_utf8 {
            encoding_rs::UTF_8
        } else if sniffed.bom {
            return Err(CollectorError::Encoding {
                path: path.to_path_buf(),
                reason: format!(
                    "le fichier commence par la marque UTF-8 (BOM) mais contient un octet invalide \
                     en UTF-8 à la position {} ; réenregistrez-le en UTF-8",
                    sniffed.first_invalid.unwrap_or(0)
                ),
            });
        } else {
            encoding_rs::WINDOWS_1252
        };
        let file = File::open(path).map_err(io_err)?;
        let stack = Capture::new(Decoding::new(Counting::new(BufReader::new(file)), encoding));
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(sniffed.delimiter)
            .from_reader(stack);
        let mut input = CsvInput {
            path: path.to_path_buf(),
            reader,
            columns: Columns::default(),
            encoding,
            delimiter: sniffed.delimiter,
            total: sniffed.len,
            record: csv::StringRecord::new(),
            raw: String::new(),
            consumed: 0,
            newlines: 0,
            failed: false,
            damaged_utf8,
        };
        let header_err = |reason: String| CollectorError::Header {
            path: path.to_path_buf(),
            reason,
        };
        match input.advance() {
            Ok(Some(_)) => {}
            Ok(None) => {
                return Err(header_err(
                    "le fichier est vide : la première ligne doit nommer les colonnes".into(),
                ))
            }
            Err(failure) => return Err(header_err(failure.message)),
        }
        input.columns = Columns::from_header(spec, input.record.iter()).map_err(|reason| {
            header_err(format!(
                "{reason} (séparateur détecté : « {} »)",
                input.delimiter as char
            ))
        })?;
        Ok(input)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `UTF-8` or `windows-1252`.
    pub fn encoding_name(&self) -> &'static str {
        self.encoding.name()
    }

    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// (bytes of the file read so far, size of the file). The parser reads ahead, so the first
    /// figure runs slightly ahead of the rows handed out; it equals the second at the end.
    pub fn progress(&self) -> (u64, u64) {
        let read = self.reader.get_ref().get_ref().get_ref().count();
        (read.min(self.total), self.total)
    }

    /// The next non-blank row, `None` at the end of the file. After a [`ReadFailure`] the
    /// file is considered ended.
    pub fn next_row(&mut self) -> Option<Result<Row<'_>, ReadFailure>> {
        match self.advance() {
            Ok(Some(line)) if self.damaged_utf8 && self.raw.contains('\u{FFFD}') => {
                Some(Err(ReadFailure {
                    line,
                    message: "octets invalides en UTF-8 dans cette ligne (le reste du fichier est \
                              en UTF-8) : un caractère a été abîmé par un copier-coller ou un \
                              export ; corrigez-le (il apparaît comme « \u{FFFD} ») puis relancez"
                        .to_string(),
                    row_only: Some(self.raw.clone()),
                }))
            }
            Ok(Some(line)) => Some(Ok(Row {
                line,
                raw: &self.raw,
                record: &self.record,
                columns: &self.columns,
            })),
            Ok(None) => None,
            Err(failure) => Some(Err(failure)),
        }
    }

    /// Reads the next non-blank record into `self.record` and its text into `self.raw`;
    /// returns its line.
    fn advance(&mut self) -> Result<Option<u64>, ReadFailure> {
        loop {
            if self.failed {
                return Ok(None);
            }
            let start = self.consumed;
            match self.reader.read_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => return Ok(None),
                Err(e) => {
                    self.failed = true;
                    return Err(ReadFailure {
                        line: self.newlines + 1,
                        message: e.to_string(),
                        row_only: None,
                    });
                }
            }
            let end = self.reader.position().byte();
            self.consumed = end;
            let segment = self.reader.get_mut().segment(start, end);
            // The segment is [line endings and blank lines the parser skipped] + the row
            // + [its line ending], so the row starts after the leading line feeds.
            let lead = segment
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            let line =
                self.newlines + 1 + segment[..lead].iter().filter(|b| **b == b'\n').count() as u64;
            self.newlines += segment.iter().filter(|b| **b == b'\n').count() as u64;
            let text = &segment[lead..];
            let text_end = text.len()
                - text
                    .iter()
                    .rev()
                    .take_while(|b| matches!(b, b'\r' | b'\n'))
                    .count();
            self.raw.clear();
            self.raw
                .push_str(&String::from_utf8_lossy(&text[..text_end]));
            if self.record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            return Ok(Some(line));
        }
    }
}

impl<'a> Row<'a> {
    /// A row whose cells did not come from a CSV file (spreadsheets, calendars, JSON-LD), so
    /// that every programme source maps its rows with the same code (`crate::programme_row`).
    pub(crate) fn from_parts(
        line: u64,
        raw: &'a str,
        record: &'a csv::StringRecord,
        columns: &'a Columns,
    ) -> Row<'a> {
        Row {
            line,
            raw,
            record,
            columns,
        }
    }

    /// The trimmed cell of a known column; `None` when the column is absent or the cell empty.
    pub fn get(&self, column: &str) -> Option<&'a str> {
        let position = self.columns.position(column)?;
        let cell = self.record.get(position)?.trim();
        (!cell.is_empty()).then_some(cell)
    }

    /// A quarantine record for this row.
    pub fn quarantine(&self, source: &str, error: CellError) -> Quarantined {
        Quarantined {
            source: source.to_string(),
            line: Some(self.line),
            column: error.column.map(str::to_string),
            reason: error.reason,
            raw: self.raw.to_string(),
        }
    }
}

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;
