//! `[output] csv` (`formats.md` §5 "CSV"): the renderers write every CSV the international way
//! (`,`, decimal point, no BOM); this module turns them into the style the configuration asks
//! for, once, for every CSV file of a run (declarations and indicators), before the files are
//! hashed and written.
//!
//! `excel` (the default): `;` between cells, a decimal comma in numbers (`97.91` → `97,91`,
//! `-0.83` → `-0,83`, `5.5` → `5,5`), a UTF-8 byte-order mark so that French Excel reads the
//! accents. A cell is a number when it is only an optional minus sign, digits, a point and
//! digits: identifiers (`P-2025-11-14`), dates and text are left as they are.

use crate::config::CsvStyle;
use anyhow::{Context, Result};
use releve_declarations::RenderedFile;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Rewrites the `.csv` files of `files` in `style` (nothing to do for `international`).
pub fn apply(style: CsvStyle, files: &mut [RenderedFile]) -> Result<()> {
    if style == CsvStyle::International {
        return Ok(());
    }
    for file in files.iter_mut().filter(|f| f.name.ends_with(".csv")) {
        file.bytes = to_excel(&file.bytes).with_context(|| format!("CSV {}", file.name))?;
    }
    Ok(())
}

/// The bytes of the file `name` in `style` (only `.csv` files change).
pub fn convert(style: CsvStyle, name: &str, bytes: Vec<u8>) -> Result<Vec<u8>> {
    if style == CsvStyle::Excel && name.ends_with(".csv") {
        to_excel(&bytes).with_context(|| format!("CSV {name}"))
    } else {
        Ok(bytes)
    }
}

/// One international CSV as an Excel-French one.
pub fn to_excel(international: &[u8]) -> Result<Vec<u8>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(international);
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::Any(b'\n'))
        .flexible(true)
        .from_writer(BOM.to_vec());
    for record in reader.records() {
        let record = record.context("fichier CSV illisible")?;
        let cells: Vec<String> = record.iter().map(decimal_comma).collect();
        writer.write_record(&cells)?;
    }
    writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("écriture CSV : {e}"))
}

fn decimal_comma(cell: &str) -> String {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let number = digits.split_once('.').is_some_and(|(int, frac)| {
        !int.is_empty()
            && !frac.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
    });
    if number {
        cell.replacen('.', ",", 1)
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INTERNATIONAL: &str = "performance_id,show_title,paid_tickets,tax_rate,tax_due\n\
                                 tickets_csv:P-2025-11-14,\"Vagues; « été », 2.0\",150,3.5,97.91\n\
                                 tickets_csv:P2,Rectif,0,3.5,-0.83\n";

    #[test]
    fn excel_style_has_bom_semicolons_and_decimal_commas() {
        let bytes = to_excel(INTERNATIONAL.as_bytes()).unwrap();
        assert!(bytes.starts_with(BOM));
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert_eq!(
            text,
            "performance_id;show_title;paid_tickets;tax_rate;tax_due\n\
             tickets_csv:P-2025-11-14;\"Vagues; « été », 2.0\";150;3,5;97,91\n\
             tickets_csv:P2;Rectif;0;3,5;-0,83\n"
        );
    }

    #[test]
    fn a_csv_reader_with_semicolons_reads_the_figures_back() {
        let bytes = to_excel(INTERNATIONAL.as_bytes()).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(&bytes[3..]);
        let headers = reader.headers().unwrap().clone();
        assert_eq!(headers.get(4), Some("tax_due"));
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].get(1), Some("Vagues; « été », 2.0"));
        assert_eq!(rows[0].get(4), Some("97,91"));
        assert_eq!(rows[1].get(4), Some("-0,83"));
    }

    #[test]
    fn international_style_leaves_files_alone() {
        let mut files = vec![RenderedFile {
            name: "cnm.csv".into(),
            bytes: INTERNATIONAL.as_bytes().to_vec(),
        }];
        apply(CsvStyle::International, &mut files).unwrap();
        assert_eq!(files[0].bytes, INTERNATIONAL.as_bytes());
        apply(CsvStyle::Excel, &mut files).unwrap();
        assert!(files[0].bytes.starts_with(BOM));
    }
}
