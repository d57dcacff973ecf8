//! Builders for tests: terse, readable construction of organisations, performances, tickets
//! and programme rows. Times are Paris local (`"2025-11-14 20:30"`).

use crate::calendar::parse_instant;
use crate::discipline::Discipline;
use crate::model::*;
use crate::money::Money;
use crate::programme::ProgrammeEntry;
use crate::siret::Siret;
use crate::vat::VatRate;

pub fn organisation(subsidised: bool) -> Organisation {
    Organisation {
        slug: "theatre-des-digues".into(),
        name: "Théâtre des Digues".into(),
        siret: Siret::parse("81234567600009").unwrap(),
        licence: Some("PLATESV-D-2021-001234".into()),
        subsidised,
        sacem_client_id: None,
        sacd_declarant_id: None,
        address: Some("2 quai des Digues".into()),
        postal_code: Some("44000".into()),
        city: Some("Nantes".into()),
        astp_member_theatre: false,
        vat_number: None,
    }
}

pub fn venue(name: &str) -> Venue {
    Venue {
        name: name.into(),
        address: Some("2 quai des Digues".into()),
        postal_code: Some("44000".into()),
        city: Some("Nantes".into()),
        venue_type: Some("THEATRE".into()),
    }
}

pub fn performance(id: &str, title: &str, local_start: &str) -> PerformanceRecord {
    PerformanceRecord {
        source: "tickets_csv".into(),
        external_id: id.into(),
        show_id: crate::text::normalise_key(title),
        show_title: title.into(),
        starts_at: parse_instant(local_start).unwrap(),
        venue: venue("Grande salle"),
        capacity: None,
        cancelled: false,
    }
}

/// `count` valid tickets of `performance` at `price` (text, e.g. `"18.00"`) and `rate`.
pub fn tickets(
    performance: &str,
    first_id: usize,
    count: usize,
    price: &str,
    rate: &str,
    kind: PriceKind,
) -> Vec<Ticket> {
    (first_id..first_id + count)
        .map(|i| Ticket {
            source: "tickets_csv".into(),
            ticket_id: format!("T{i}"),
            performance_external_id: performance.into(),
            price_incl_vat: Money::parse(price).unwrap(),
            vat_rate: VatRate::parse(rate).unwrap(),
            status: TicketStatus::Valid,
            price_category: None,
            price_kind: Some(kind),
            sold_at: None,
        })
        .collect()
}

pub fn programme(
    performance_id: Option<&str>,
    title: &str,
    local_start: &str,
    discipline: Discipline,
) -> ProgrammeEntry {
    ProgrammeEntry {
        source: "programme_csv".into(),
        line: 2,
        performance_id: performance_id.map(Into::into),
        show_title: title.into(),
        starts_at: parse_instant(local_start).unwrap(),
        venue: venue("Grande salle"),
        capacity: Some(400),
        discipline,
        audience: Audience::ToutPublic,
        producer: None,
        free_admission: false,
        cession_price_excl_vat: None,
        sacem: None,
        sacd: None,
        tax_fraction: None,
        creation: false,
        numero_objet: vec![],
        cancelled: false,
        educational_session: false,
        amateur_unpaid: false,
        contract_type: None,
        frais_approche_excl_vat: None,
        coproduction_contribution_excl_vat: None,
        guarantee_excl_vat: None,
        off_site: false,
        director_sex: None,
        artists_total: None,
        artists_women: None,
        astp_member_theatre: None,
        other_receipts: vec![],
        public_domain: false,
        works: vec![],
        duration_minutes: None,
        sacd_dossier: None,
        amateur: false,
    }
}
