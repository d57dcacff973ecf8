use super::*;
use std::io::Write;

const SPEC: ColumnSpec = ColumnSpec {
    required: &["id", "title"],
    optional: &["note"],
};

fn file_with(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(bytes).unwrap();
    f.flush().unwrap();
    f
}

/// (line, id, title, note, raw) of every row.
fn rows(input: &mut CsvInput) -> Vec<(u64, String, String, Option<String>, String)> {
    let mut out = Vec::new();
    while let Some(row) = input.next_row() {
        let row = row.unwrap();
        out.push((
            row.line,
            row.get("id").unwrap().to_string(),
            row.get("title").unwrap().to_string(),
            row.get("note").map(str::to_string),
            row.raw.to_string(),
        ));
    }
    out
}

#[test]
fn line_numbers_follow_the_file_with_crlf_blank_lines_and_multiline_cells() {
    // Line 1 header, 2 row a, 3 blank, 4-5 row b (quoted cell spanning two lines),
    // 6 a row of empty cells, 7 row c.
    let text = "ID ; Title;Other\r\n1;A;x\r\n\r\n2;\"B\r\nsuite\";y\r\n;;\r\n3;\"C \"\"q\"\"\";z";
    let f = file_with(text.as_bytes());
    let mut input = CsvInput::open(f.path(), &SPEC).unwrap();
    assert_eq!(input.delimiter(), b';');
    assert_eq!(input.encoding_name(), "UTF-8");
    let got = rows(&mut input);
    assert_eq!(got.len(), 3);
    assert_eq!((got[0].0, got[0].4.as_str()), (2, "1;A;x"));
    assert_eq!((got[1].0, got[1].2.as_str()), (4, "B\r\nsuite"));
    assert_eq!(got[1].4, "2;\"B\r\nsuite\";y");
    assert_eq!((got[2].0, got[2].2.as_str()), (7, "C \"q\""));
    assert_eq!(got[2].3, None);
    assert_eq!(input.progress(), (text.len() as u64, text.len() as u64));
}

#[test]
fn short_rows_read_missing_cells_as_empty() {
    let f = file_with(b"id,title,note\n1\n2,T,n\n");
    let mut input = CsvInput::open(f.path(), &SPEC).unwrap();
    let row = input.next_row().unwrap().unwrap();
    assert_eq!(row.line, 2);
    assert_eq!(row.get("title"), None);
    assert!(row
        .required("title")
        .unwrap_err()
        .reason
        .contains("obligatoire"));
    let row = input.next_row().unwrap().unwrap();
    assert_eq!((row.line, row.get("note")), (3, Some("n")));
    assert!(input.next_row().is_none());
}

#[test]
fn header_errors_name_the_file_and_columns() {
    let f = file_with(b"ID;remark\n1;x\n");
    let err = CsvInput::open(f.path(), &SPEC).err().unwrap();
    let text = err.to_string();
    assert!(matches!(err, CollectorError::Header { .. }));
    assert!(text.contains(&f.path().display().to_string()), "{text}");
    assert!(
        text.contains("colonne obligatoire absente : title"),
        "{text}"
    );
    let empty = file_with(b"\n\n");
    assert!(matches!(
        CsvInput::open(empty.path(), &SPEC),
        Err(CollectorError::Header { .. })
    ));
}

#[test]
fn bom_followed_by_invalid_utf8_is_refused() {
    let f = file_with(b"\xEF\xBB\xBFid,title\n1,\xE9t\xE9\n");
    assert!(matches!(
        CsvInput::open(f.path(), &SPEC),
        Err(CollectorError::Encoding { .. })
    ));
}

#[test]
fn missing_file_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        CsvInput::open(&dir.path().join("absent.csv"), &SPEC),
        Err(CollectorError::Io { .. })
    ));
}
