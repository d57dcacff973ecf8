//! `aggregates.json` (`formats.md` §5.1): the per-performance facts of the month, with the
//! documented fields first and a few added ones (never renamed).

use releve_domain::employment::EmploymentFacts;
use releve_domain::{Money, MonthFacts, PerformanceFacts};
use serde::Serialize;

#[derive(Serialize)]
struct Aggregates<'a> {
    schema_version: u32,
    organisation: &'a str,
    month: String,
    performances: Vec<Line<'a>>,
    totals: Totals,
    /// Present when the organisation has a payroll source (`formats.md` §5.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    employment: Option<&'a [EmploymentFacts]>,
}

#[derive(Serialize)]
struct Line<'a> {
    performance_id: &'a str,
    show_title: &'a str,
    venue_name: &'a str,
    starts_at: String,
    date: String,
    discipline: Option<&'static str>,
    audience: &'static str,
    capacity: Option<u32>,
    paid_tickets: u64,
    free_tickets: u64,
    receipts_incl_vat: Money,
    receipts_excl_vat: Money,
    vat: Vec<VatLine>,
    full_price_tickets: u64,
    subscription_tickets: u64,
    // Added fields.
    reduced_tickets: u64,
    refunded_or_cancelled_tickets: u64,
    show_id: &'a str,
    venue_postal_code: Option<&'a str>,
    venue_city: Option<&'a str>,
    producer_name: Option<&'a str>,
    free_admission: bool,
    cancelled: bool,
    creation: bool,
    sources: &'a [String],
}

#[derive(Serialize)]
struct VatLine {
    rate: String,
    receipts_incl_vat: Money,
    receipts_excl_vat: Money,
    paid_tickets: u64,
}

#[derive(Serialize)]
struct Totals {
    performances: usize,
    paid_tickets: u64,
    free_tickets: u64,
    receipts_incl_vat: Money,
    receipts_excl_vat: Money,
}

fn line(p: &PerformanceFacts) -> Line<'_> {
    Line {
        performance_id: &p.performance_id,
        show_title: &p.show_title,
        venue_name: &p.venue.name,
        starts_at: releve_domain::calendar::rfc3339_paris(p.starts_at),
        date: p.date.to_string(),
        discipline: p.discipline.map(|d| d.code()),
        audience: p.audience.code(),
        capacity: p.capacity,
        paid_tickets: p.paid_tickets,
        free_tickets: p.free_tickets,
        receipts_incl_vat: p.receipts_incl_vat,
        receipts_excl_vat: p.receipts_excl_vat,
        vat: p
            .vat
            .iter()
            .map(|v| VatLine {
                rate: v.rate.to_string(),
                receipts_incl_vat: v.receipts_incl_vat,
                receipts_excl_vat: v.receipts_excl_vat,
                paid_tickets: v.paid_tickets,
            })
            .collect(),
        full_price_tickets: p.full_price_tickets,
        subscription_tickets: p.subscription_tickets,
        reduced_tickets: p.reduced_tickets,
        refunded_or_cancelled_tickets: p.void_tickets,
        show_id: &p.show_id,
        venue_postal_code: p.venue.postal_code.as_deref(),
        venue_city: p.venue.city.as_deref(),
        producer_name: p.producer.as_ref().map(|p| p.name.as_str()),
        free_admission: p.free_admission,
        cancelled: p.cancelled,
        creation: p.creation,
        sources: &p.sources,
    }
}

pub fn render(facts: &MonthFacts, employment: Option<&[EmploymentFacts]>) -> Vec<u8> {
    let performances: Vec<Line> = facts.performances.iter().map(line).collect();
    let totals = Totals {
        performances: performances.len(),
        paid_tickets: facts.performances.iter().map(|p| p.paid_tickets).sum(),
        free_tickets: facts.performances.iter().map(|p| p.free_tickets).sum(),
        receipts_incl_vat: facts.performances.iter().map(|p| p.receipts_incl_vat).sum(),
        receipts_excl_vat: facts.performances.iter().map(|p| p.receipts_excl_vat).sum(),
    };
    let doc = Aggregates {
        schema_version: 1,
        organisation: &facts.organisation.slug,
        month: facts.month.to_string(),
        performances,
        totals,
        employment,
    };
    to_json(&doc)
}

/// Pretty JSON with a trailing newline.
pub fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("output models serialise");
    bytes.push(b'\n');
    bytes
}
