//! File formats: `tickets_csv`, `programme_csv`, `payroll_csv`, iCalendar, JSON-LD, XLSX/ODS.

use super::{assert_reason, hostile_text, mutate_bytes, Rng};
use crate::payroll_csv::PayrollRow;
use crate::Record;
use std::path::{Path, PathBuf};

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name)
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(testdata(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Writes `bytes` to a fresh file of `dir` (the CSV readers take a path).
fn file(dir: &tempfile::TempDir, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join("input");
    std::fs::write(&path, bytes).unwrap();
    path
}

/// What one parse gave: rows accepted, rows quarantined.
#[derive(Debug, Default, PartialEq, Eq)]
struct Tally {
    accepted: usize,
    quarantined: usize,
}

fn tally_records(records: impl Iterator<Item = Record>) -> Tally {
    let mut tally = Tally::default();
    for record in records {
        match record {
            // A performance record is not a row of its own: it comes with its first ticket.
            Record::Performance(_) => {}
            Record::Ticket(_) | Record::Programme(_) => tally.accepted += 1,
            Record::Quarantined(q) => {
                assert_reason(&q);
                tally.quarantined += 1;
            }
        }
    }
    tally
}

type CsvParser = fn(&Path) -> Result<Tally, crate::CollectorError>;

fn tickets(path: &Path) -> Result<Tally, crate::CollectorError> {
    Ok(tally_records(crate::tickets_csv::read("t", path)?))
}

fn programme(path: &Path) -> Result<Tally, crate::CollectorError> {
    Ok(tally_records(crate::programme_csv::read("p", path)?))
}

fn payroll(path: &Path) -> Result<Tally, crate::CollectorError> {
    let mut tally = Tally::default();
    for row in crate::payroll_csv::read("paie", path, "sel-de-test")? {
        match row {
            PayrollRow::Engagement(_) => tally.accepted += 1,
            PayrollRow::Quarantined(q) => {
                assert_reason(&q);
                tally.quarantined += 1;
            }
        }
    }
    Ok(tally)
}

/// Byte mutations: no panic; an error names the problem; every row is a record or has a
/// reason.
fn byte_mutations(parser: CsvParser, seeds: &[&str], seed: u64, rounds: usize) {
    let dir = tempfile::tempdir().unwrap();
    let seeds: Vec<Vec<u8>> = seeds.iter().map(|s| read(s)).collect();
    let mut rng = Rng(seed);
    let (mut parsed, mut refused) = (0, 0);
    for round in 0..rounds {
        let input = mutate_bytes(&mut rng, &seeds[round % seeds.len()]);
        match parser(&file(&dir, &input)) {
            Ok(_) => parsed += 1,
            Err(e) => {
                assert!(!e.to_string().trim().is_empty());
                refused += 1;
            }
        }
    }
    // The mutations reach past the header (most parse) and sometimes break it.
    assert!(
        parsed > rounds / 2 && refused > 0,
        "parsed {parsed}, refused {refused}"
    );
}

/// Value mutations: one data cell becomes hostile; the structure stays, so every data row is
/// either accepted or quarantined.
fn cell_mutations(parser: CsvParser, seed_file: &str, seed: u64, rounds: usize) {
    let dir = tempfile::tempdir().unwrap();
    let bytes = read(seed_file);
    // Seeds in Windows-1252 (as payroll software writes them) are rewritten in UTF-8.
    let text = match String::from_utf8(bytes.clone()) {
        Ok(text) => text,
        Err(_) => encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned(),
    };
    let text = text.trim_start_matches('\u{feff}');
    let header = text.lines().next().unwrap();
    let delimiter = if header.contains(';') { b';' } else { b',' };
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| {
            r.unwrap()
                .iter()
                .map(str::to_string)
                .collect::<Vec<String>>()
        })
        // Blank rows (only separators) are skipped by the readers, as documented: leave them
        // out so that every row left counts.
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .collect();
    let data_rows = rows.len() - 1;
    assert!(data_rows > 0);
    let clean = parser(&file(&dir, &write_rows(&rows, delimiter))).unwrap();
    assert_eq!(clean.accepted + clean.quarantined, data_rows, "{seed_file}");
    let mut rng = Rng(seed);
    for _ in 0..rounds {
        let mut mutated = rows.clone();
        for _ in 0..=rng.below(2) {
            let row = 1 + rng.below(data_rows);
            let cell = rng.below(mutated[row].len());
            mutated[row][cell] = hostile_text(&mut rng);
        }
        let bytes = write_rows(&mutated, delimiter);
        let tally = parser(&file(&dir, &bytes))
            .unwrap_or_else(|e| panic!("{seed_file}: the header was not touched, yet: {e}"));
        // A row made entirely blank is skipped, as documented; every other row is counted.
        let blank = mutated[1..]
            .iter()
            .filter(|r| r.iter().all(|c| c.trim().is_empty()))
            .count();
        assert_eq!(
            tally.accepted + tally.quarantined,
            data_rows - blank,
            "{seed_file}: {tally:?}\n{}",
            String::from_utf8_lossy(&bytes)
                .chars()
                .take(2000)
                .collect::<String>()
        );
    }
}

fn write_rows(rows: &[Vec<String>], delimiter: u8) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.into_inner().unwrap()
}

#[test]
fn tickets_csv_survives_byte_mutations() {
    byte_mutations(
        tickets,
        &[
            "tickets_utf8_bom_comma.csv",
            "tickets_cp1252_semicolon.csv",
            "tickets_quarantine.csv",
        ],
        0x7_1c4e7,
        1500,
    );
}

#[test]
fn tickets_csv_rows_are_accepted_or_quarantined_whatever_the_cells() {
    cell_mutations(tickets, "tickets_utf8_bom_comma.csv", 0x7_1c4e8, 1500);
    cell_mutations(tickets, "tickets_quarantine.csv", 0x7_1c4e9, 500);
}

#[test]
fn programme_csv_survives_byte_mutations() {
    byte_mutations(
        programme,
        &["programme_full.csv", "programme_quarantine.csv"],
        0x960_0001,
        1500,
    );
}

#[test]
fn programme_csv_rows_are_accepted_or_quarantined_whatever_the_cells() {
    cell_mutations(programme, "programme_full.csv", 0x960_0002, 1500);
}

#[test]
fn payroll_csv_survives_byte_mutations_and_counts_every_row() {
    byte_mutations(payroll, &["payroll/payroll_2026_03.csv"], 0x9a1_0001, 1000);
    cell_mutations(payroll, "payroll/payroll_2026_03.csv", 0x9a1_0002, 1000);
}

/// iCalendar: byte mutations never panic; replacing property values keeps one record per
/// event (a programme entry or a quarantine entry).
#[test]
fn icalendar_survives_mutations_and_counts_every_event() {
    let seed = String::from_utf8(read("ical/saison.ics")).unwrap();
    let events = seed.matches("BEGIN:VEVENT").count();
    let clean = tally_records(
        crate::programme_ical::parse("ics", &seed)
            .unwrap()
            .into_iter(),
    );
    assert_eq!(clean.accepted + clean.quarantined, events);
    let mut rng = Rng(0x1ca1_0001);
    for _ in 0..2000 {
        let input = String::from_utf8_lossy(&mutate_bytes(&mut rng, seed.as_bytes())).into_owned();
        if let Ok(records) = crate::programme_ical::parse("ics", &input) {
            tally_records(records.into_iter());
        }
    }
    let lines: Vec<&str> = seed.lines().collect();
    for _ in 0..2000 {
        let mut mutated: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        let i = rng.below(mutated.len());
        let line = mutated[i].clone();
        let structural =
            line.starts_with("BEGIN:") || line.starts_with("END:") || line.starts_with(' ');
        if let (false, Some((name, _))) = (structural, line.split_once(':')) {
            let value = hostile_text(&mut rng).replace(['\r', '\n'], " ");
            mutated[i] = format!("{name}:{value}");
        }
        let input = mutated.join("\r\n");
        let records = crate::programme_ical::parse("ics", &input)
            .unwrap_or_else(|e| panic!("structure kept, yet refused: {e}"));
        let tally = tally_records(records.into_iter());
        assert_eq!(tally.accepted + tally.quarantined, events, "{}", mutated[i]);
    }
}

/// JSON-LD: byte mutations and value mutations never panic; whatever is given back is a
/// programme entry or a quarantine entry with a reason.
#[test]
fn json_ld_survives_mutations() {
    let seed = String::from_utf8(read("jsonld/saison.jsonld")).unwrap();
    let mut rng = Rng(0x15_0001);
    for _ in 0..2000 {
        let input = String::from_utf8_lossy(&mutate_bytes(&mut rng, seed.as_bytes())).into_owned();
        if let Ok(records) = crate::programme_jsonld::parse("jsonld", &input) {
            tally_records(records.into_iter());
        }
    }
    let value: serde_json::Value = serde_json::from_str(&seed).unwrap();
    for _ in 0..2000 {
        let mut mutated = value.clone();
        super::vendors::mutate_json(&mut rng, &mut mutated);
        if let Ok(records) = crate::programme_jsonld::parse("jsonld", &mutated.to_string()) {
            tally_records(records.into_iter());
        }
    }
}

/// XLSX and ODS are zip archives: byte mutations mostly break the archive, which must give an
/// error, not a panic; the ones that keep it readable give records or reasons.
#[test]
fn spreadsheets_survive_byte_mutations() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x0d5_0001);
    for name in ["programme.xlsx", "programme.ods"] {
        let seed = read(&format!("programme_sheets/{name}"));
        let path = dir.path().join(name);
        for _ in 0..150 {
            std::fs::write(&path, mutate_bytes(&mut rng, &seed)).unwrap();
            match crate::programme_sheets::read("tableur", &path) {
                Ok(records) => {
                    tally_records(records.into_iter());
                }
                Err(e) => assert!(!e.to_string().trim().is_empty()),
            }
        }
    }
}
