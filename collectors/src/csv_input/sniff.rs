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
    /// The file is UTF-8 with a few damaged bytes, not Windows-1252: it has invalid
    /// sequences, but at least twice as many valid multi-byte characters (`é` as two bytes).
    /// Windows-1252 French text gives the opposite: nearly every accented letter is an invalid
    /// sequence, and a valid-looking pair (`É` then `œ`) is rare.
    pub mostly_utf8: bool,
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
    let mut tally = Utf8Tally::default();
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
        tally.feed(&buf[carry..filled]);
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
        mostly_utf8: tally.mostly_utf8(),
        delimiter: scan.delimiter(),
        len,
    })
}

/// Counts valid multi-byte UTF-8 characters and invalid sequences over the whole file.
#[derive(Default)]
struct Utf8Tally {
    /// The start of a character cut by the end of the previous chunk.
    carry: Vec<u8>,
    multibyte: u64,
    invalid: u64,
}

impl Utf8Tally {
    fn feed(&mut self, bytes: &[u8]) {
        let mut joined = std::mem::take(&mut self.carry);
        joined.extend_from_slice(bytes);
        let mut rest = joined.as_slice();
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    self.count(text.as_bytes());
                    return;
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    self.count(&rest[..valid]);
                    match e.error_len() {
                        Some(n) => {
                            self.invalid += 1;
                            rest = &rest[valid + n..];
                        }
                        None => {
                            self.carry = rest[valid..].to_vec();
                            return;
                        }
                    }
                }
            }
        }
    }

    /// Lead bytes of multi-byte characters in valid UTF-8.
    fn count(&mut self, valid: &[u8]) {
        self.multibyte += valid.iter().filter(|b| **b >= 0xC0).count() as u64;
    }

    fn mostly_utf8(&self) -> bool {
        let invalid = self.invalid + u64::from(!self.carry.is_empty());
        invalid > 0 && self.multibyte >= 2 * invalid
    }
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
    fn utf8_with_a_damaged_byte_is_told_from_windows_1252() {
        // UTF-8: « Théâtre », « réduit » (3 two-byte characters), then one lone 0x80.
        let mut damaged = "id;titre\nT1;Théâtre réduit ".as_bytes().to_vec();
        damaged.extend(b"\x80x\n");
        // Cut in the middle of « é » too: the tally must carry it across reads.
        let s = sniff(Trickle {
            data: &damaged,
            step: 14,
        })
        .unwrap();
        assert!(!s.utf8_valid && s.mostly_utf8, "{s:?}");
        // Windows-1252: « Théâtre » is two invalid sequences; « Éœ » (0xC9 0x9C) happens to be
        // a valid UTF-8 pair, one against two.
        let cp1252 = b"id;titre\nT1;Th\xe9\xe2tre \xc9\x9c\n";
        let s = sniff(&cp1252[..]).unwrap();
        assert!(!s.utf8_valid && !s.mostly_utf8, "{s:?}");
        // Valid UTF-8 is not "damaged".
        assert!(!sniff("é;è\n".as_bytes()).unwrap().mostly_utf8);
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
