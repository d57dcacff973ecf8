//! CSV files, serde-driven: one flat struct per row, its field names as the header.
//!
//! Choices (the portals take spreadsheets; these are the least surprising for them and for
//! diffs): comma delimiter, `.` as decimal separator (amounts are the same strings as in the
//! JSON, `"1234.50"`), UTF-8 without BOM, `\n` line ends (no CR), quotes only when a cell
//! needs them. The header is always written, even for an empty file, and must equal the
//! field names of the row struct: [`render`] checks it, so the CSV cannot drift from the JSON
//! names. Rows must be flat (no nested struct or list); `None` is an empty cell.

use super::RenderError;
use serde::Serialize;

/// The rows as the bytes of a `.csv` file. `columns` is the header: the field names of `T`,
/// in order.
pub fn render<T: Serialize>(columns: &[&str], rows: &[T]) -> Result<Vec<u8>, RenderError> {
    let err = |e: csv::Error| RenderError::Csv(e.to_string());
    // With headers on, serde writes the field names before the first row; an empty file
    // gets the announced columns.
    let mut writer = csv::WriterBuilder::new()
        .has_headers(!rows.is_empty())
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    if rows.is_empty() {
        writer.write_record(columns).map_err(err)?;
    }
    for row in rows {
        writer.serialize(row).map_err(err)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| RenderError::Csv(e.to_string()))?;
    let expected = columns.join(",");
    let header = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    if header != expected.as_bytes() {
        return Err(RenderError::Csv(format!(
            "en-tête « {} » différent des colonnes annoncées « {expected} »",
            String::from_utf8_lossy(header)
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use releve_domain::Money;

    #[derive(Serialize)]
    struct Row {
        performance_id: String,
        show_title: String,
        paid_tickets: u64,
        tax_due: Money,
        note: Option<String>,
    }

    const COLUMNS: &[&str] = &[
        "performance_id",
        "show_title",
        "paid_tickets",
        "tax_due",
        "note",
    ];

    #[test]
    fn header_rows_quotes_and_decimals() {
        let rows = vec![Row {
            performance_id: "tickets_csv:P1".into(),
            show_title: "Vagues, « été »".into(),
            paid_tickets: 150,
            tax_due: Money::from_cents(9791),
            note: None,
        }];
        let text = String::from_utf8(render(COLUMNS, &rows).unwrap()).unwrap();
        assert_eq!(
            text,
            "performance_id,show_title,paid_tickets,tax_due,note\n\
             tickets_csv:P1,\"Vagues, « été »\",150,97.91,\n"
        );
        assert!(!text.contains('\r'));
    }

    #[test]
    fn empty_file_still_has_its_header() {
        let rows: Vec<Row> = vec![];
        assert_eq!(
            render(COLUMNS, &rows).unwrap(),
            b"performance_id,show_title,paid_tickets,tax_due,note\n"
        );
    }

    #[test]
    fn a_header_that_drifts_from_the_struct_is_refused() {
        let rows = vec![Row {
            performance_id: "p".into(),
            show_title: "t".into(),
            paid_tickets: 0,
            tax_due: Money::ZERO,
            note: None,
        }];
        assert!(matches!(
            render(&["performance_id", "title"], &rows),
            Err(RenderError::Csv(_))
        ));
    }
}
