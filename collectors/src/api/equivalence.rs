//! The same month read from a vendor (through its replay server) and from the equivalent
//! `tickets_csv` file gives identical monthly facts, hence identical `aggregates.json`.

use crate::api::sync;
use crate::api::testing::utc;
use crate::http::RecordingSleeper;
use crate::replay::demo::{demo_env, start_demo_vendors};
use crate::{Record, SourceKind};
use releve_domain::facts::{build_month_facts, FactsInput};
use releve_domain::testing::{organisation, programme};
use releve_domain::{Discipline, Month, MonthFacts, PerformanceRecord, Ticket};
use std::path::Path;
use std::sync::Arc;

fn facts_of(records: &[Record]) -> MonthFacts {
    let mut performances: Vec<PerformanceRecord> = Vec::new();
    let mut tickets: Vec<Ticket> = Vec::new();
    for r in records {
        match r {
            Record::Performance(p) => performances.push(p.clone()),
            Record::Ticket(t) => tickets.push(t.clone()),
            Record::Quarantined(q) => panic!("unexpected quarantine: {q:?}"),
            Record::Programme(_) => {}
        }
    }
    // The same season calendar on both sides (disciplines, capacities), linked by title and time.
    let season = [
        programme(None, "Les Marées", "2025-11-21 20:30", Discipline::Theatre),
        programme(None, "Nuit du jazz", "2025-11-28 20:30", Discipline::Jazz),
        programme(None, "Nuit du jazz", "2025-11-30 23:30", Discipline::Jazz),
        programme(
            None,
            "Bal folk des Digues",
            "2025-11-15 20:00",
            Discipline::MusiquesTraditionnelles,
        ),
    ];
    build_month_facts(FactsInput {
        organisation: &organisation(true),
        month: Month::new(2025, 11).unwrap(),
        records: &performances,
        tickets: &tickets,
        programme: &season,
    })
}

#[tokio::test]
async fn vendor_replay_and_tickets_csv_give_identical_facts() {
    let now = utc(2025, 12, 5, 8, 0);
    let mut from_vendors = Vec::new();
    for v in start_demo_vendors().await.unwrap() {
        let outcome = sync(
            &v.spec,
            None,
            now,
            &demo_env(),
            Arc::new(RecordingSleeper::new(now)),
        )
        .await
        .unwrap();
        from_vendors.extend(outcome.records);
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut from_csv = Vec::new();
    for kind in [SourceKind::Billetweb, SourceKind::Helloasso] {
        // Read under the vendor's source key, so performance ids are the same on both sides.
        let path = dir.join(kind.code()).join("demo-2025-11.tickets.csv");
        from_csv.extend(crate::tickets_csv::read(kind.code(), &path).unwrap());
    }
    let vendor_facts = facts_of(&from_vendors);
    let csv_facts = facts_of(&from_csv);
    assert_eq!(vendor_facts.performances.len(), 4);
    assert!(vendor_facts
        .performances
        .iter()
        .all(|p| p.discipline.is_some()));
    assert_eq!(vendor_facts, csv_facts);
    // And the serialised form, as aggregates.json would carry it.
    assert_eq!(
        serde_json::to_string(&vendor_facts.performances).unwrap(),
        serde_json::to_string(&csv_facts.performances).unwrap()
    );
}
