//! `[output] csv` (formats.md §2, §5): Excel-French CSV files by default, read back by a CSV
//! reader set to `;`; the international form on request.

use crate::month_run::november;

#[test]
fn the_default_csv_opens_in_french_excel() {
    let s = november();
    let r = s.run_month("2025-11");
    let bytes = r.bytes("2025-11", "cnm.csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 byte-order mark");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // Nuit Jazz: 2 × 15.00 at 5.5 % → 28.44 excl. VAT, tax 1.00.
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][column("show_title")], "Nuit Jazz");
    assert_eq!(&rows[0][column("receipts_incl_vat")], "30,00");
    assert_eq!(&rows[0][column("tax_base")], "28,44");
    assert_eq!(&rows[0][column("tax_rate")], "3,5");
    assert_eq!(&rows[0][column("tax_due")], "1,00");
    let indicators = r.bytes("2025-11", "indicators.csv");
    assert!(indicators.starts_with(b"\xEF\xBB\xBF"));
    assert!(String::from_utf8_lossy(&indicators)
        .lines()
        .next()
        .unwrap()
        .contains(';'));
}

#[test]
fn international_csv_keeps_commas_and_points() {
    let mut s = november();
    s.extra_root_keys = "[output]\ncsv = \"international\"\n\n".into();
    let r = s.run_month("2025-11");
    r.assert_status(0);
    let text = String::from_utf8(r.bytes("2025-11", "cnm.csv")).unwrap();
    assert!(text.starts_with("performance_id,"), "{text}");
    assert!(text.contains(",28.44,") && text.contains(",1.00"), "{text}");
}

#[test]
fn an_unknown_csv_style_is_refused_in_french() {
    let mut s = november();
    s.extra_root_keys = "[output]\ncsv = \"tableur\"\n\n".into();
    let r = s.run_month("2025-11");
    r.assert_status(2);
    assert!(r.stderr.contains("ligne 2"), "{}", r.stderr);
    assert!(r.stderr.contains("« tableur »"), "{}", r.stderr);
    assert!(r.stderr.contains("excel, international"), "{}", r.stderr);
}
