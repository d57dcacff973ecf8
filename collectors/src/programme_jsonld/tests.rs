use super::*;
use chrono::{DateTime, Utc};
use releve_domain::Discipline;
use std::path::PathBuf;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/jsonld/saison.jsonld")
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[test]
fn events_of_the_graph_become_programme_rows() {
    let records = read("programme_jsonld", &fixture()).unwrap();
    // The Organization is not an event.
    assert_eq!(records.len(), 4, "{records:#?}");

    let Record::Programme(a) = &records[0] else {
        panic!("{:?}", records[0])
    };
    assert_eq!(a.source, "programme_jsonld");
    assert_eq!(a.line, 1);
    assert_eq!(a.show_title, "Les Vagues");
    assert_eq!(a.starts_at, utc("2026-03-20T19:30:00Z"));
    assert_eq!(a.venue.name, "Grande salle");
    assert_eq!(a.venue.postal_code.as_deref(), Some("44000"));
    assert_eq!(a.venue.city.as_deref(), Some("Nantes"));
    assert_eq!(a.venue.address.as_deref(), Some("2 quai des Digues"));
    assert_eq!(a.capacity, Some(400));
    // TheaterEvent → theatre (documented mapping).
    assert_eq!(a.discipline, Discipline::Theatre);
    assert_eq!(a.producer.as_ref().unwrap().name, "Compagnie du Large");
    assert!(!a.free_admission); // an offer at 18.00
    assert!(a.creation);
    assert_eq!(a.numero_objet, ["26XZ00123442"]);

    let Record::Programme(b) = &records[1] else {
        panic!("{:?}", records[1])
    };
    // No offset: Paris local time, 20:30 (UTC+1) → 19:30 UTC. Location given as text.
    assert_eq!(b.starts_at, utc("2026-03-21T19:30:00Z"));
    assert_eq!(b.venue.name, "Grande salle");

    let Record::Programme(c) = &records[2] else {
        panic!("{:?}", records[2])
    };
    assert!(c.cancelled);
    assert!(c.free_admission); // the only offer is at price 0
    assert_eq!(c.discipline, Discipline::ChansonVariete);
    assert_eq!(c.numero_objet, ["26XZ00987611"]);
    assert_eq!(c.venue.name, "Petite salle");

    // A MusicEvent without releve:discipline: quarantined, never guessed.
    let Record::Quarantined(q) = &records[3] else {
        panic!("{:?}", records[3])
    };
    assert_eq!(q.line, Some(4));
    assert_eq!(q.column.as_deref(), Some("discipline"));
    assert!(q.raw.contains("Concert sans discipline"), "{}", q.raw);
}

#[test]
fn a_single_event_or_an_array_is_accepted_and_bad_json_refused() {
    let one = r#"{"@type":"DanceEvent","name":"Pas","startDate":"2026-05-01T19:00:00+02:00","location":"Studio"}"#;
    let records = parse("j", one).unwrap();
    let Record::Programme(p) = &records[0] else {
        panic!("{records:?}")
    };
    assert_eq!(p.discipline, Discipline::Danse);
    let list = format!("[{one}, {one}]");
    assert_eq!(parse("j", &list).unwrap().len(), 2);
    let err = parse("j", "{\"@type\": ").unwrap_err();
    assert!(err.contains("JSON illisible ligne 1"), "{err}");
}
