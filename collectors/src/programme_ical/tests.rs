use super::*;
use chrono::{DateTime, Utc};
use std::path::PathBuf;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/ical/saison.ics")
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[test]
fn every_event_becomes_a_programme_row_or_a_quarantine() {
    let records = read("programme_ical", &fixture()).unwrap();
    assert_eq!(records.len(), 5, "{records:#?}");

    let Record::Programme(a) = &records[0] else {
        panic!("{:?}", records[0])
    };
    assert_eq!(a.source, "programme_ical");
    assert_eq!(a.line, 12); // BEGIN:VEVENT
    assert_eq!(a.show_title, "Les Vagues");
    // TZID=Europe/Paris 20:30 in March (UTC+1) → 19:30 UTC.
    assert_eq!(a.starts_at, utc("2026-03-20T19:30:00Z"));
    assert_eq!(a.venue.name, "Grande salle");
    assert_eq!(a.venue.postal_code.as_deref(), Some("44000"));
    // "Création" is not a discipline; "Théâtre" is.
    assert_eq!(a.discipline, releve_domain::Discipline::Theatre);
    assert_eq!(a.capacity, Some(400));
    assert_eq!(a.numero_objet, ["26XZ00123442"]);
    assert_eq!(
        a.producer.as_ref().unwrap().name,
        "Compagnie du Large, Nantes"
    );

    let Record::Programme(b) = &records[1] else {
        panic!("{:?}", records[1])
    };
    // UTC.
    assert_eq!(b.starts_at, utc("2026-03-21T19:30:00Z"));

    let Record::Programme(c) = &records[2] else {
        panic!("{:?}", records[2])
    };
    // Folded SUMMARY, escaped comma; floating 20:00 is Paris (UTC+2 in April) → 18:00 UTC.
    assert_eq!(c.show_title, "Nuit blanche, concert de printemps");
    assert_eq!(c.starts_at, utc("2026-04-02T18:00:00Z"));
    assert!(c.cancelled);
    assert!(c.free_admission);
    assert_eq!(c.discipline, releve_domain::Discipline::ChansonVariete);

    // A date without time cannot be a performance start.
    let Record::Quarantined(q) = &records[3] else {
        panic!("{:?}", records[3])
    };
    assert_eq!(q.column.as_deref(), Some("starts_at"));
    assert!(q.raw.starts_with("BEGIN:VEVENT\nUID:mystere"), "{}", q.raw);

    // No category: the discipline is missing, never guessed.
    let Record::Quarantined(q) = &records[4] else {
        panic!("{:?}", records[4])
    };
    assert_eq!(q.column.as_deref(), Some("discipline"));
    assert!(q.reason.contains("valeur manquante"), "{}", q.reason);
}

#[test]
fn other_time_zones_are_converted() {
    let p = split("DTSTART;TZID=America/Montreal:20260329T140000");
    // Montréal is UTC−4 at the end of March (summer time since 8 March 2026).
    assert_eq!(dtstart(&p), "2026-03-29T14:00:00-04:00");
    let p = split("DTSTART;TZID=Mars/Olympus:20260329T140000");
    assert!(dtstart(&p).contains("fuseau horaire inconnu"));
}

#[test]
fn broken_files_are_refused() {
    assert!(parse("x", "BEGIN:VEVENT\nEND:VEVENT\n")
        .unwrap_err()
        .contains("BEGIN:VCALENDAR"));
    let err = parse("x", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:A\n").unwrap_err();
    assert!(err.contains("ligne 2"), "{err}");
}
