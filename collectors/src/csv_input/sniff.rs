//! First pass over a CSV file: is it valid UTF-8 (with or without BOM), and which delimiter does
//! its header line use? Reads the file once in fixed-size chunks, so memory stays constant
//! whatever the file size.

use std::io::{self, Read};

const CHUNK: usize = 64 * 1024;
const UTF8_BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// What the first pass learnt about a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sniffed {
    /// The file starts with a UTF-8 byte-order mark.
    pub bom: bool,
    /// Every byte sequence of the file is valid UTF-8.
    pub utf8_valid: bool,
    /// Byte offset of the first invalid UTF-8 sequence, when there is one.
    pub first_invalid: Option<u64>,
    /// A valid multi-byte UTF-8 character (`é` as two bytes) comes before the first invalid
    /// sequence: the file is UTF-8 with damaged bytes, not Windows-1252 (where such pairs
    /// are very unlikely in French text).
    pub utf8_before_invalid: bool,
    /// `b','` or `b';'`, chosen on the header line.
    pub delimiter: u8,
    /// Total size in bytes.
    pub len: u64,
}

/// Reads `input` to the end once.
pub fn sniff<R: Read>(mut input: R) -> io::Result<Sniffed> {
    let mut buf = vec![0u8; CHUNK];
    // Bytes of an incomplete UTF-8 sequence left at the end of the previous chunk (at most 3),
    // moved to the start of `buf` so the sequence is validated whole.
    let mut carry = 0usize;
    let mut offset = 0u64; // absolute offset of buf[0]
    let mut first_invalid = None;
    let mut utf8_before_invalid = false;
    let mut scan = HeaderScan::default();
    let mut bom = None;
    let mut len = 0u64;
    loop {
        let n = read_some(&mut input, &mut buf[carry..])?;
        if n == 0 {
            if carry > 0 && first_invalid.is_none() {
                first_invalid = Some(offset);
            }
            break;
        }
        len += n as u64;
        let filled = carry + n;
        if bom.is_none() && filled >= 3 {
            bom = Some(buf[..3] == UTF8_BOM);
        }
        scan.feed(&buf[carry..filled]);
        if first_invalid.is_some() {
            offset += filled as u64;
            carry = 0;
            continue;
        }
        let valid = match std::str::from_utf8(&buf[..filled]) {
            Ok(_) => filled,
            Err(e) => e.valid_up_to(),
        };
        utf8_before_invalid |= buf[..valid].iter().any(|b| *b >= 0x80);
        match std::str::from_utf8(&buf[..filled]) {
            Ok(_) => {
                offset += filled as u64;
                carry = 0;
            }
            Err(e) if e.error_len().is_none() => {
                // The chunk ends in the middle of a multi-byte character: keep its start.
                let good = e.valid_up_to();
                buf.copy_within(good..filled, 0);
                offset += good as u64;
                carry = filled - good;
            }
            Err(e) => {
                first_invalid = Some(offset + e.valid_up_to() as u64);
                offset += filled as u64;
                carry = 0;
            }
        }
    }
    Ok(Sniffed {
        bom: bom.unwrap_or(false),
        utf8_valid: first_invalid.is_none(),
        first_invalid,
        utf8_before_invalid: utf8_before_invalid && first_invalid.is_some(),
        delimiter: scan.delimiter(),
        len,
    })
}

fn read_some<R: Read>(input: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match input.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// Counts `,` and `;` outside double quotes on the first non-blank line. Both delimiters and
/// the quote are ASCII, so this works on the raw bytes of UTF-8 and Windows-1252 alike.
#[derive(Default)]
struct HeaderScan {
    in_quotes: bool,
    seen_content: bool,
    done: bool,
    commas: usize,
    semicolons: usize,
}

impl HeaderScan {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.done {
                return;
            }
            match b {
                b'"' => {
                    self.in_quotes = !self.in_quotes;
                    self.seen_content = true;
                }
                b'\n' | b'\r' if !self.in_quotes => self.done = self.seen_content,
                b',' if !self.in_quotes => self.commas += 1,
                b';' if !self.in_quotes => self.semicolons += 1,
                b' ' | b'\t' => {}
                _ => self.seen_content = true,
            }
        }
    }

    /// `;` when it is the more frequent of the two, `,` otherwise (also for a one-column header).
    fn delimiter(&self) -> u8 {
        if self.semicolons > self.commas {
            b';'
        } else {
            b','
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` bytes per call, to exercise chunk boundaries.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn detects_delimiter_outside_quotes() {
        let s = sniff(&b"a;b;\"c,d,e\"\n1,2,3,4,5,6\n"[..]).unwrap();
        assert_eq!(s.delimiter, b';');
        let s = sniff(&b"\n\na,b,\"c;d;e;f\"\r\n"[..]).unwrap();
        assert_eq!(s.delimiter, b',');
        assert_eq!(sniff(&b"single\n"[..]).unwrap().delimiter, b',');
    }

    #[test]
    fn utf8_split_across_reads_is_valid() {
        // "Été" = C3 89 74 C3 A9: every 1-byte read splits a two-byte character.
        let text = "\u{feff}titre\nÉté\n".as_bytes();
        let s = sniff(Trickle {
            data: text,
            step: 1,
        })
        .unwrap();
        assert!(s.bom);
        assert!(s.utf8_valid);
        assert_eq!(s.len, text.len() as u64);
    }

    #[test]
    fn windows_1252_is_not_utf8() {
        // "Été" in Windows-1252: C9 74 E9; 0xC9 followed by 't' is not a continuation byte.
        let bytes = b"titre\n\xC9t\xE9\n";
        let s = sniff(&bytes[..]).unwrap();
        assert!(!s.bom);
        assert!(!s.utf8_valid);
        assert_eq!(s.first_invalid, Some(6));
        // A file that ends inside a multi-byte sequence is not valid either.
        assert!(!sniff(&b"abc\xC3"[..]).unwrap().utf8_valid);
    }
}
