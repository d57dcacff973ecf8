use super::*;
use chrono::{DateTime, Utc};
use releve_domain::{Audience, Discipline};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/programme_sheets")
        .join(name)
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Both fixtures hold the same season (tools/gen-sheets/gen_sheets.py).
fn check_season(source: &str, records: &[Record]) {
    assert_eq!(records.len(), 5, "{records:#?}");
    let Record::Programme(a) = &records[0] else {
        panic!("{:?}", records[0])
    };
    assert_eq!(a.source, source);
    assert_eq!(a.line, 2);
    assert_eq!(a.show_title, "Les Vagues");
    // Date cell 20/03/2026 + time cell 20:30, Paris (UTC+1) → 19:30 UTC.
    assert_eq!(a.starts_at, utc("2026-03-20T19:30:00Z"));
    assert_eq!(a.venue.name, "Grande salle");
    assert_eq!(a.venue.postal_code.as_deref(), Some("44000"));
    assert_eq!(a.venue.city.as_deref(), Some("Nantes"));
    assert_eq!(a.capacity, Some(400));
    assert_eq!(a.discipline, Discipline::Theatre);
    assert_eq!(a.audience, Audience::ToutPublic);
    assert_eq!(a.producer.as_ref().unwrap().name, "Compagnie du Large");
    assert!(a.creation && !a.cancelled && !a.free_admission);
    assert_eq!(a.numero_objet, ["26XZ00123442"]);

    let Record::Programme(b) = &records[2] else {
        panic!("{:?}", records[2])
    };
    // Text date "27/03/2026" and text time "20h": 20:00 Paris = 19:00 UTC.
    assert_eq!(b.line, 4);
    assert_eq!(b.starts_at, utc("2026-03-27T19:00:00Z"));
    assert_eq!(b.discipline, Discipline::ChansonVariete);
    assert!(b.free_admission);

    // Row 5 is blank; row 6 has an unknown discipline.
    let Record::Quarantined(q) = &records[3] else {
        panic!("{:?}", records[3])
    };
    assert_eq!(q.line, Some(6));
    assert_eq!(q.column.as_deref(), Some("discipline"));
    assert!(
        q.reason.contains("discipline inconnue « zumba »"),
        "{}",
        q.reason
    );
    assert!(q.raw.contains("show_title=Mystère"), "{}", q.raw);

    let Record::Programme(c) = &records[4] else {
        panic!("{:?}", records[4])
    };
    assert_eq!(c.line, 7);
    // 2 April: summer time (UTC+2), 20:00 → 18:00 UTC.
    assert_eq!(c.starts_at, utc("2026-04-02T18:00:00Z"));
    assert!(c.cancelled);
}

#[test]
fn xlsx_with_french_headers() {
    let records = read("programme_xlsx", &fixture("programme.xlsx")).unwrap();
    check_season("programme_xlsx", &records);
}

#[test]
fn ods_with_french_headers() {
    let records = read("programme_ods", &fixture("programme.ods")).unwrap();
    check_season("programme_ods", &records);
}

#[test]
fn both_formats_give_the_same_entries() {
    let strip = |records: Vec<Record>| -> Vec<Record> {
        records
            .into_iter()
            .map(|r| match r {
                Record::Programme(mut p) => {
                    p.source.clear();
                    Record::Programme(p)
                }
                Record::Quarantined(mut q) => {
                    q.source.clear();
                    Record::Quarantined(q)
                }
                other => other,
            })
            .collect()
    };
    assert_eq!(
        strip(read("x", &fixture("programme.xlsx")).unwrap()),
        strip(read("x", &fixture("programme.ods")).unwrap())
    );
}

#[test]
fn unreadable_or_absent_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("saison.xlsx");
    std::fs::write(&bad, b"not a zip").unwrap();
    let err = read("programme_xlsx", &bad).err().unwrap();
    assert!(err.to_string().contains("saison.xlsx"), "{err}");
    let err = read("programme_xlsx", &dir.path().join("absent.xlsx"))
        .err()
        .unwrap();
    assert!(matches!(err, CollectorError::Io { .. }), "{err}");
    assert_eq!(iso_duration_time("PT20H30M00S").as_deref(), Some("20:30"));
    assert_eq!(cell_text(&Data::Float(4500.5)), "4500.5");
    assert_eq!(cell_text(&Data::Float(400.0)), "400");
}
