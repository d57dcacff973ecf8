//! The completions of `enrich` on facts built by hand: what is filled, what is left alone.

use super::enrich::complete;
use super::lookup::Consultation;
use super::source::RegisterView;
use chrono::{DateTime, Utc};
use releve_collectors::registry::{parse_answer, CompanyNumber, Finding};
use releve_domain::facts::{build_month_facts, FactsInput};
use releve_domain::testing;
use releve_domain::{Discipline, MonthFacts, PriceKind, Producer, Venue};

const ORGANISATION: &str = r#"{"results": [{"siren": "812345676", "nom_raison_sociale": "THEATRE DES DIGUES",
  "etat_administratif": "A", "siege": {"siret": "81234567600009", "adresse": "2 QUAI DES DIGUES 44000 NANTES",
  "code_postal": "44000", "libelle_commune": "NANTES", "etat_administratif": "A"}, "complements": {}}]}"#;
const PRODUCER: &str = include_str!("../../fixtures/registry/active-licence.json");

fn found(number: &str, body: &str, at: DateTime<Utc>) -> (String, Consultation) {
    let n = CompanyNumber::parse(number).unwrap();
    let Finding::Found(company) = parse_answer(&n, body).unwrap() else {
        panic!("{number}")
    };
    (
        n.digits().to_string(),
        Consultation::Found {
            company,
            consulted_at: at,
            from_cache: false,
        },
    )
}

/// Two performances without venue address: P1 in Nantes (44000, the head office's postal
/// code), P2 in Angers (49000); P1's producer given by SIRET only.
fn facts() -> MonthFacts {
    let mut org = testing::organisation(true);
    org.address = None;
    org.city = None;
    let bare = |name: &str, postal: &str| Venue {
        name: name.into(),
        address: None,
        postal_code: Some(postal.into()),
        city: None,
        venue_type: None,
    };
    let mut p1 = testing::performance("P1", "Les Vagues", "2025-11-14 20:30");
    p1.venue = bare("Grande salle", "44000");
    let mut p2 = testing::performance("P2", "Loin d'ici", "2025-11-15 20:30");
    p2.venue = bare("Le Quai", "49000");
    let mut tickets = testing::tickets("P1", 1, 2, "18.00", "5.5", PriceKind::Full);
    tickets.extend(testing::tickets(
        "P2",
        3,
        1,
        "10.00",
        "5.5",
        PriceKind::Full,
    ));
    let mut row1 = testing::programme(
        Some("P1"),
        "Les Vagues",
        "2025-11-14 20:30",
        Discipline::Theatre,
    );
    row1.venue = bare("Grande salle", "44000");
    row1.producer = Some(Producer {
        name: String::new(),
        siret: Some("91234561800025".into()),
        subsidised: Some(false),
        address: None,
    });
    let mut row2 = testing::programme(
        Some("P2"),
        "Loin d'ici",
        "2025-11-15 20:30",
        Discipline::Theatre,
    );
    row2.venue = bare("Le Quai", "49000");
    row2.line = 3;
    build_month_facts(FactsInput {
        organisation: &org,
        month: "2025-11".parse().unwrap(),
        records: &[p1, p2],
        tickets: &tickets,
        programme: &[row1, row2],
    })
}

#[test]
fn empty_names_and_addresses_are_completed_and_said() {
    // 3 December 2026, 00:30 in Paris (23:30 UTC the day before): the Paris date is used.
    let at = DateTime::parse_from_rfc3339("2026-12-02T23:30:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let view: RegisterView = [
        found("81234567600009", ORGANISATION, at),
        found("91234561800025", PRODUCER, at),
    ]
    .into_iter()
    .collect();
    let mut facts = facts();
    let issues = complete(&mut facts, &view);

    // The configuration had a postal code but no street nor city: only those are taken.
    let org = &facts.organisation;
    assert_eq!(org.address.as_deref(), Some("2 QUAI DES DIGUES"));
    assert_eq!(org.postal_code.as_deref(), Some("44000"));
    assert_eq!(org.city.as_deref(), Some("NANTES"));
    // P1's venue shares the head office's postal code: completed. P2's is in Angers: untouched.
    let p1 = &facts.performances[0];
    assert_eq!(p1.venue.address.as_deref(), Some("2 QUAI DES DIGUES"));
    assert_eq!(p1.venue.city.as_deref(), Some("NANTES"));
    let p2 = &facts.performances[1];
    assert_eq!(p2.venue.address, None);
    assert_eq!(p2.venue.city, None);
    // The producer's legal name; its subsidy answer is kept as given.
    let producer = p1.producer.as_ref().unwrap();
    assert_eq!(producer.name, "LES NUITS BLEUES PRODUCTIONS");
    assert_eq!(producer.subsidised, Some(false));
    assert_eq!(
        producer.address.as_deref(),
        Some("12 RUE DES LILAS, 44000 NANTES")
    );
    // Money is never touched: 2 × 18.00.
    assert_eq!(p1.receipts_incl_vat.to_string(), "36.00");

    let codes: Vec<&str> = issues.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "registry.organisation.address_completed",
            "registry.venue.address_completed",
            "registry.producer.name_completed"
        ]
    );
    for issue in &issues {
        assert_eq!(issue.severity, releve_domain::Severity::Info);
        assert!(
            issue
                .message
                .contains("selon le répertoire des entreprises, consulté le 3 décembre 2026"),
            "{}",
            issue.message
        );
        assert_eq!(
            issue.evidence.as_ref().unwrap().consulted_on.to_string(),
            "2026-12-03"
        );
    }
    assert!(
        issues[0].message.contains("(il y manque : address, city)"),
        "{}",
        issues[0].message
    );
    assert!(
        issues[1]
            .message
            .contains("« 2 QUAI DES DIGUES, 44000 NANTES »"),
        "{}",
        issues[1].message
    );
    let suggestion = issues[2].suggestion.as_ref().unwrap();
    assert_eq!(suggestion.field, "producer_name");
    assert_eq!(suggestion.value, "LES NUITS BLEUES PRODUCTIONS");
}

#[test]
fn without_answers_nothing_changes() {
    let mut facts = facts();
    let before = facts.clone();
    assert!(complete(&mut facts, &RegisterView::new()).is_empty());
    assert_eq!(facts, before);
}
