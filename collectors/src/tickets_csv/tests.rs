use super::*;
use chrono::{DateTime, Utc};
use releve_domain::{Money, PriceKind, Quarantined, TicketStatus, VatRate};
use std::io::{BufWriter, Write};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name)
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn rate(s: &str) -> VatRate {
    VatRate::parse(s).unwrap()
}

fn all(name: &str) -> Vec<Record> {
    read("tickets_csv", &fixture(name)).unwrap().collect()
}

#[test]
fn utf8_with_bom_and_comma() {
    let records = all("tickets_utf8_bom_comma.csv");
    // P1, T1..T4, P2, T5.
    assert_eq!(records.len(), 7);
    let Record::Performance(p1) = &records[0] else {
        panic!("{:?}", records[0])
    };
    assert_eq!(p1.source, "tickets_csv");
    assert_eq!(p1.external_id, "P1");
    assert_eq!(p1.show_id, "les vagues");
    assert_eq!(p1.show_title, "Les Vagues");
    assert_eq!(p1.starts_at, utc("2025-11-14T19:30:00Z"));
    assert_eq!(p1.venue.name, "Grande salle");
    assert_eq!(p1.venue.postal_code.as_deref(), Some("44000"));
    assert_eq!(p1.venue.city.as_deref(), Some("Nantes"));
    assert_eq!(
        p1.venue.address.as_deref(),
        Some("2 quai des Digues, Nantes")
    );
    assert_eq!((p1.capacity, p1.cancelled), (None, false));

    let tickets: Vec<_> = records
        .iter()
        .filter_map(|r| match r {
            Record::Ticket(t) => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(tickets.len(), 5);
    let t1 = tickets[0];
    assert_eq!(t1.ticket_id, "T1");
    assert_eq!(t1.performance_external_id, "P1");
    assert_eq!(t1.price_incl_vat, Money::from_cents(2200));
    assert_eq!(t1.vat_rate, rate("5.5"));
    assert_eq!(t1.status, TicketStatus::Valid);
    assert_eq!(t1.price_category.as_deref(), Some("Plein tarif"));
    assert_eq!(t1.price_kind, Some(PriceKind::Full));
    // 10:00 at +02:00 is 08:00 UTC.
    assert_eq!(t1.sold_at, Some(utc("2025-10-01T08:00:00Z")));
    // Refunded, reduced tariff derived from "Réduit".
    assert_eq!(tickets[1].status, TicketStatus::Refunded);
    assert_eq!(tickets[1].price_kind, Some(PriceKind::Reduced));
    assert_eq!(tickets[1].price_incl_vat, Money::from_cents(1550));
    assert_eq!(tickets[1].sold_at, None);
    // Mixed VAT: 20 % on the bar package, explicit `other` kind over an unknown label.
    assert_eq!(tickets[2].vat_rate, rate("20"));
    assert_eq!(tickets[2].price_kind, Some(PriceKind::Other));
    // Free ticket without a rate: 0 %.
    assert!(tickets[3].is_free());
    assert_eq!(tickets[3].vat_rate, VatRate::ZERO);
    assert_eq!(tickets[3].price_kind, Some(PriceKind::Free));

    let Record::Performance(p2) = &records[5] else {
        panic!("{:?}", records[5])
    };
    assert_eq!(p2.show_id, "vagues-2");
    // 23:30 Paris on 30 November (UTC+1) is 22:30 UTC, still November.
    assert_eq!(p2.starts_at, utc("2025-11-30T22:30:00Z"));
    let Record::Ticket(t5) = &records[6] else {
        panic!("{:?}", records[6])
    };
    assert_eq!(t5.vat_rate, rate("2.1"));
    assert_eq!(t5.price_kind, Some(PriceKind::Subscription));
    assert_eq!(t5.price_incl_vat, Money::from_cents(1200));
    // 09:15 Paris on 2 November (UTC+1) is 08:15 UTC.
    assert_eq!(t5.sold_at, Some(utc("2025-11-02T08:15:00Z")));
}

#[test]
fn windows_1252_semicolon_decimal_comma() {
    let mut reader = read("tickets_csv", &fixture("tickets_cp1252_semicolon.csv")).unwrap();
    assert_eq!(reader.input.encoding_name(), "windows-1252");
    assert_eq!(reader.input.delimiter(), b';');
    let records: Vec<Record> = reader.by_ref().collect();
    let size = std::fs::metadata(fixture("tickets_cp1252_semicolon.csv"))
        .unwrap()
        .len();
    assert_eq!(reader.progress(), (size, size));
    // E1, W1, W2, E2, W3.
    assert_eq!(records.len(), 5);
    let Record::Performance(e1) = &records[0] else {
        panic!("{:?}", records[0])
    };
    assert_eq!(e1.show_title, "Été indien");
    assert_eq!(e1.show_id, "ete indien");
    assert_eq!(e1.venue.name, "Théâtre de verdure");
    assert_eq!(e1.venue.city.as_deref(), Some("Nîmes"));
    // 21:00 Paris in July (UTC+2) is 19:00 UTC.
    assert_eq!(e1.starts_at, utc("2025-07-12T19:00:00Z"));
    let Record::Ticket(w1) = &records[1] else {
        panic!("{:?}", records[1])
    };
    assert_eq!(w1.price_incl_vat, Money::from_cents(1250));
    assert_eq!(w1.vat_rate, rate("5.5"));
    assert_eq!(w1.price_category.as_deref(), Some("Tarif réduit"));
    assert_eq!(w1.price_kind, Some(PriceKind::Reduced));
    let Record::Performance(e2) = &records[3] else {
        panic!("{:?}", records[3])
    };
    assert_eq!(e2.show_title, "Théâtre à l'œuvre");
    assert_eq!(e2.venue.name, "Salle Molière");
    assert_eq!(e2.starts_at, utc("2025-12-31T22:30:00Z"));
    let Record::Ticket(w3) = &records[4] else {
        panic!("{:?}", records[4])
    };
    assert_eq!(w3.price_category.as_deref(), Some("Exonéré"));
    assert_eq!(w3.price_kind, Some(PriceKind::Free));
}

/// (line, column, record) of one quarantined row.
type Bad<'a> = (u64, Option<String>, &'a Quarantined);

/// The quarantined rows, and the ids of the good tickets.
fn quarantine_summary(records: &[Record]) -> (Vec<Bad<'_>>, Vec<&str>) {
    let mut bad = Vec::new();
    let mut good = Vec::new();
    for r in records {
        match r {
            Record::Quarantined(q) => bad.push((q.line.unwrap(), q.column.clone(), q)),
            Record::Ticket(t) => good.push(t.ticket_id.as_str()),
            Record::Performance(_) => {}
            Record::Programme(p) => panic!("{p:?}"),
        }
    }
    (bad, good)
}

#[test]
fn every_bad_row_is_quarantined_with_its_line_and_reason() {
    let records = all("tickets_quarantine.csv");
    let (bad, good) = quarantine_summary(&records);
    assert_eq!(good, ["Q7", "Q14"]);
    let expected: [(u64, &str, &str); 16] = [
        (2, "price_incl_vat", "plus de deux décimales : « 12.345 »"),
        (3, "vat_rate", "taux de TVA inconnu : « 55 »"),
        (
            4,
            "vat_rate",
            "taux de TVA manquant pour un billet payant (12,00\u{a0}€)",
        ),
        (
            5,
            "starts_at",
            "date et heure illisibles : « le 14 novembre »",
        ),
        (
            6,
            "starts_at",
            "n'existe pas à Paris (passage à l'heure d'été)",
        ),
        (
            7,
            "status",
            "statut inconnu « paid » ; attendu : valid, refunded ou cancelled",
        ),
        (
            9,
            "starts_at",
            "déjà été lue ligne 8 avec une autre date et heure",
        ),
        (
            11,
            "price_kind",
            "type de tarif « free » (gratuit) mais prix payé de 8,00\u{a0}€",
        ),
        (
            12,
            "price_category",
            "catégorie de tarif « Invitation » (gratuite) mais prix payé de 5,00\u{a0}€",
        ),
        (
            13,
            "show_title",
            "déjà été lue ligne 8 avec un autre titre (« Les Vagues » ; ici « Autre titre »)",
        ),
        (14, "price_incl_vat", "montant négatif : « -5 »"),
        (
            15,
            "venue_name",
            "déjà été lue ligne 8 avec une autre salle",
        ),
        (18, "performance_id", "valeur manquante"),
        (19, "starts_at", "est ambiguë à Paris"),
        (20, "price_kind", "type de tarif inconnu « vip »"),
        (21, "price_incl_vat", "montant illisible : « douze »"),
    ];
    assert_eq!(bad.len(), expected.len(), "{bad:#?}");
    for ((line, column, q), (e_line, e_column, e_reason)) in bad.iter().zip(expected) {
        assert_eq!(*line, e_line, "{q:?}");
        assert_eq!(column.as_deref(), Some(e_column), "{q:?}");
        assert!(q.reason.contains(e_reason), "line {line}: {}", q.reason);
        assert!(q.reason.starts_with(&format!("colonne « {e_column} » : ")));
        assert_eq!(q.source, "tickets_csv");
    }
    // Raw text is the row as written, including a quoted cell spanning two lines.
    assert_eq!(
        bad[0].2.raw,
        "Q1,P1,Les Vagues,2025-11-14 20:30,Grande salle,,,12.345,5.5,valid"
    );
    assert_eq!(
        bad[11].2.raw,
        "Q13,P1,Les Vagues,2025-11-14 20:30,\"Grande\nsalle B\",,,12.00,5.5,valid"
    );
    // The performance comes once, from its first good row (line 8), before that row's ticket.
    let performances: Vec<_> = records
        .iter()
        .filter_map(|r| match r {
            Record::Performance(p) => Some(p.external_id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(performances, ["P1"]);
}

#[test]
fn missing_required_columns_are_named() {
    let path = fixture("tickets_missing_columns.csv");
    let err = read("tickets_csv", &path).err().unwrap();
    let text = err.to_string();
    assert!(matches!(err, CollectorError::Header { .. }));
    assert!(text.contains("tickets_missing_columns.csv"), "{text}");
    assert!(
        text.contains("colonnes obligatoires absentes : performance_id, starts_at, status"),
        "{text}"
    );
}

#[test]
fn large_file_is_streamed() {
    // 200 000 tickets over 1 000 performances: every 200th row opens a performance.
    const ROWS: usize = 200_000;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.csv");
    {
        let mut out = BufWriter::new(std::fs::File::create(&path).unwrap());
        writeln!(
            out,
            "ticket_id;performance_id;show_title;starts_at;venue_name;price_incl_vat;vat_rate;status"
        )
        .unwrap();
        for i in 0..ROWS {
            let perf = i / 200;
            writeln!(
                out,
                "T{i};P{perf};Spectacle {perf};2025-11-{:02} 20:30;Salle;{},50;5,5;valid",
                perf % 28 + 1,
                i % 30
            )
            .unwrap();
        }
    }
    let mut reader = read("tickets_csv", &path).unwrap();
    let (mut tickets, mut performances, mut other) = (0usize, 0usize, 0usize);
    for record in reader.by_ref() {
        match record {
            Record::Ticket(_) => tickets += 1,
            Record::Performance(_) => performances += 1,
            _ => other += 1,
        }
    }
    assert_eq!((tickets, performances, other), (ROWS, ROWS / 200, 0));
    let (read_bytes, total) = reader.progress();
    assert_eq!(read_bytes, total);
    assert_eq!(total, std::fs::metadata(&path).unwrap().len());
}

#[test]
fn reader_can_move_to_another_thread() {
    fn assert_send<T: Send>() {}
    assert_send::<TicketsReader>();
}
