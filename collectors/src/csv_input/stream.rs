//! The reader stack of the second pass, from the file up:
//!
//! - [`Counting`] counts the raw bytes read from the file (progress);
//! - [`Decoding`] turns UTF-8 (BOM removed) or Windows-1252 bytes into UTF-8, chunk by chunk;
//! - [`Capture`] keeps the decoded bytes the CSV parser has read but whose rows have not been
//!   handed out yet, so each row's raw text can be quoted exactly in quarantine.
//!
//! Every buffer has a fixed size, except [`Capture`], which holds at most the CSV parser's
//! read-ahead plus one row.

use encoding_rs::{CoderResult, Decoder, Encoding};
use std::io::{self, Read};

/// Counts bytes read through it.
pub struct Counting<R> {
    inner: R,
    count: u64,
}

impl<R> Counting<R> {
    pub fn new(inner: R) -> Self {
        Counting { inner, count: 0 }
    }

    pub fn count(&self) -> u64 {
        self.count
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

const INPUT_CHUNK: usize = 16 * 1024;
// Windows-1252 expands at most 3× (e.g. 0x80 → "€", three UTF-8 bytes).
const OUTPUT_CHUNK: usize = 3 * INPUT_CHUNK + 16;

/// Decodes an encoding to UTF-8 while reading.
pub struct Decoding<R> {
    inner: R,
    decoder: Decoder,
    input: Box<[u8]>,
    in_start: usize,
    in_end: usize,
    eof: bool,
    finished: bool,
    output: Box<[u8]>,
    out_start: usize,
    out_end: usize,
}

impl<R> Decoding<R> {
    /// For UTF-8 the byte-order mark is removed; for Windows-1252 every byte is a character.
    pub fn new(inner: R, encoding: &'static Encoding) -> Self {
        let decoder = if encoding == encoding_rs::UTF_8 {
            encoding.new_decoder_with_bom_removal()
        } else {
            encoding.new_decoder_without_bom_handling()
        };
        Decoding {
            inner,
            decoder,
            input: vec![0; INPUT_CHUNK].into_boxed_slice(),
            in_start: 0,
            in_end: 0,
            eof: false,
            finished: false,
            output: vec![0; OUTPUT_CHUNK].into_boxed_slice(),
            out_start: 0,
            out_end: 0,
        }
    }

    pub fn get_ref(&self) -> &R {
        &self.inner
    }
}

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            if self.out_start < self.out_end {
                let n = out.len().min(self.out_end - self.out_start);
                out[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.finished {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.eof {
                let n = self.inner.read(&mut self.input)?;
                self.in_start = 0;
                self.in_end = n;
                self.eof = n == 0;
            }
            let (result, read, written, _) = self.decoder.decode_to_utf8(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                self.eof,
            );
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.eof && result == CoderResult::InputEmpty {
                self.finished = true;
            }
        }
    }
}

/// Keeps a copy of what passes through, from the end of the last row handed out.
pub struct Capture<R> {
    inner: R,
    /// Decoded bytes from absolute offset `base` on.
    kept: Vec<u8>,
    base: u64,
}

impl<R> Capture<R> {
    pub fn new(inner: R) -> Self {
        Capture {
            inner,
            kept: Vec::new(),
            base: 0,
        }
    }

    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The bytes from `start` (absolute) to `end`; everything before `end` is then forgotten.
    /// `start` must not be before the end given at the previous call.
    pub fn segment(&mut self, start: u64, end: u64) -> &[u8] {
        let from = (start.max(self.base) - self.base) as usize;
        let to = ((end - self.base) as usize).min(self.kept.len());
        // Forget what precedes `from` now, and the segment itself at the next call.
        self.kept.drain(..from);
        self.base += from as u64;
        &self.kept[..to - from]
    }

    /// Forgets everything before `end` (absolute).
    #[cfg(test)]
    pub fn forget_until(&mut self, end: u64) {
        let upto = ((end.max(self.base) - self.base) as usize).min(self.kept.len());
        self.kept.drain(..upto);
        self.base += upto as u64;
    }
}

impl<R: Read> Read for Capture<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.kept.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8], encoding: &'static Encoding, step: usize) -> String {
        let mut d = Decoding::new(bytes, encoding);
        let mut out = Vec::new();
        let mut buf = vec![0u8; step];
        loop {
            let n = d.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn decodes_windows_1252_and_strips_utf8_bom() {
        // 0xC9 = É, 0xE9 = é, 0x80 = € in Windows-1252.
        assert_eq!(
            decode_all(b"\xC9t\xE9 \x80", encoding_rs::WINDOWS_1252, 1),
            "Été €"
        );
        assert_eq!(
            decode_all("\u{feff}Théâtre".as_bytes(), encoding_rs::UTF_8, 3),
            "Théâtre"
        );
    }

    #[test]
    fn capture_hands_out_segments_and_forgets_them() {
        let mut c = Capture::new(&b"abcdefgh"[..]);
        let mut buf = [0u8; 8];
        assert_eq!(c.read(&mut buf).unwrap(), 8);
        assert_eq!(c.segment(0, 3), b"abc");
        assert_eq!(c.segment(3, 5), b"de");
        c.forget_until(6);
        assert_eq!(c.segment(6, 8), b"gh");
        assert!(c.kept.len() <= 2);
    }
}
