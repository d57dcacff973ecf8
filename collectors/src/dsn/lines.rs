//! The DSN text layer: bytes → (line number, rubric code, value) triples. Pure.
//!
//! A line is `S21.G00.30.005,'02'`: a rubric code `S<nn>.G<nn>.<nn>.<nnn>`, a comma, and the
//! value between single quotes (a value may itself contain quotes: everything between the first
//! quote after the comma and the last quote of the line is the value). Blank lines are skipped;
//! CR LF and LF are both accepted. Errors name the line and never quote the value (it may be
//! personal data).

use super::DsnError;

/// One rubric line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rubric<'a> {
    pub line: u64,
    /// Full code, e.g. `S21.G00.30.005`.
    pub code: &'a str,
    /// Block code, e.g. `S21.G00.30`.
    pub block: &'a str,
    /// Rubric number inside the block (`5` for `.005`).
    pub number: u16,
    pub value: &'a str,
}

/// Decodes a DSN file: UTF-8 (a byte-order mark is dropped) when the bytes are valid UTF-8,
/// ISO-8859-1 otherwise (every byte is a character there, so decoding cannot fail).
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::mem::decode_latin1(bytes).into_owned(),
    }
}

/// Splits decoded text into rubrics; the first malformed line is an error.
pub fn rubrics(text: &str) -> Result<Vec<Rubric<'_>>, DsnError> {
    let mut out = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line = index as u64 + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() {
            continue;
        }
        out.push(rubric(line, raw)?);
    }
    Ok(out)
}

fn rubric(line: u64, raw: &str) -> Result<Rubric<'_>, DsnError> {
    let Some((code, rest)) = raw.split_once(',') else {
        return Err(DsnError::line(
            line,
            None,
            "ligne sans virgule ; attendu : un code de rubrique, une virgule et une valeur entre \
             apostrophes, par exemple S21.G00.30.005,'02'",
        ));
    };
    let code = code.trim();
    let number = parse_code(code).ok_or_else(|| {
        DsnError::line(
            line,
            None,
            "code de rubrique illisible ; attendu la forme S21.G00.30.005",
        )
    })?;
    let rest = rest.trim();
    let value = match (rest.find('\''), rest.rfind('\'')) {
        (Some(first), Some(last)) if last > first && first == 0 && last == rest.len() - 1 => {
            &rest[first + 1..last]
        }
        _ => {
            return Err(DsnError::line(
                line,
                Some(code.to_string()),
                "valeur non encadrée d'apostrophes ; attendu par exemple S21.G00.30.005,'02'",
            ))
        }
    };
    Ok(Rubric {
        line,
        code,
        block: &code[..10],
        number,
        value,
    })
}

/// `S21.G00.30.005` → `Some(5)`; anything not of that exact shape → `None`.
fn parse_code(code: &str) -> Option<u16> {
    let b = code.as_bytes();
    if b.len() != 14
        || b[0] != b'S'
        || b[3] != b'.'
        || b[4] != b'G'
        || b[7] != b'.'
        || b[10] != b'.'
    {
        return None;
    }
    let digits = [1, 2, 5, 6, 8, 9, 11, 12, 13];
    if !digits.iter().all(|&i| b[i].is_ascii_digit()) {
        return None;
    }
    code[11..].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_code_and_value() {
        let rubrics =
            rubrics("S21.G00.30.005,'02'\r\n\r\nS21.G00.40.006,'L'ECLAIRAGISTE'\n").unwrap();
        assert_eq!(rubrics.len(), 2);
        assert_eq!(rubrics[0].block, "S21.G00.30");
        assert_eq!(rubrics[0].number, 5);
        assert_eq!(rubrics[0].value, "02");
        assert_eq!(rubrics[1].line, 3);
        assert_eq!(rubrics[1].value, "L'ECLAIRAGISTE");
    }

    #[test]
    fn malformed_lines_name_the_line_not_the_value() {
        let err = rubrics("S21.G00.30.005,'02'\nS21.G00.30.001,2850375123456\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("ligne 2"), "{text}");
        assert!(text.contains("S21.G00.30.001"), "{text}");
        assert!(!text.contains("2850375123456"), "{text}");
        let err = rubrics("S21.G0.30.005,'02'").unwrap_err();
        assert!(err.to_string().contains("ligne 1"));
        assert!(rubrics("bonjour").is_err());
    }

    #[test]
    fn latin1_is_decoded() {
        assert_eq!(
            decode(b"S21.G00.30.002,'B\xC9RAUD'"),
            "S21.G00.30.002,'BÉRAUD'"
        );
        assert_eq!(decode("\u{feff}é".as_bytes()), "é");
    }
}
