//! Pure mapping of stored Mapado exchanges to performances and tickets.
//!
//! Resources are keyed by IRI; a later exchange replaces an earlier one. Event dates and
//! tickets read only to find what changed (without start date or status) are ignored.

use super::model::{short_id, Collection, EventDate, Ticket as MTicket, TicketPrice, Ticketing};
use crate::api::mapping::price_kind_from_label;
use crate::api::RawExchange;
use crate::Record;
use releve_domain::calendar::parse_instant;
use releve_domain::{
    Money, PerformanceRecord, PriceKind, Quarantined, Ticket, TicketStatus, VatRate, Venue,
};
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

struct Out<'a> {
    source: &'a str,
    records: Vec<Record>,
}

impl Out<'_> {
    fn quarantine(&mut self, column: String, reason: String, raw: String) {
        self.records.push(Record::Quarantined(Quarantined {
            source: self.source.to_string(),
            line: None,
            column: Some(column),
            reason,
            raw,
        }));
    }

    fn members<T: DeserializeOwned>(&mut self, ex: &RawExchange) -> Vec<(T, Value)> {
        let c: Collection<Value> = match serde_json::from_str(&ex.body) {
            Ok(c) => c,
            Err(e) => {
                self.quarantine(
                    ex.endpoint.clone(),
                    format!("Mapado : réponse illisible ({e})"),
                    ex.body.clone(),
                );
                return Vec::new();
            }
        };
        let mut rows = Vec::new();
        for (i, v) in c.member.into_iter().enumerate() {
            match serde_path_to_error::deserialize::<_, T>(&v) {
                Ok(t) => rows.push((t, v)),
                Err(e) => self.quarantine(
                    format!("{}hydra:member[{i}].{}", ex.endpoint, e.path()),
                    format!("Mapado : élément illisible ({})", e.into_inner()),
                    v.to_string(),
                ),
            }
        }
        rows
    }
}

pub fn normalise(source_key: &str, raw: &[RawExchange]) -> Vec<Record> {
    let mut out = Out {
        source: source_key,
        records: Vec::new(),
    };
    let mut ticketings: BTreeMap<String, Ticketing> = BTreeMap::new();
    let mut dates: BTreeMap<String, EventDate> = BTreeMap::new();
    let mut prices: BTreeMap<String, TicketPrice> = BTreeMap::new();
    let mut tickets: BTreeMap<String, (MTicket, Value)> = BTreeMap::new();
    for ex in raw.iter().filter(|e| e.status < 400) {
        match ex.endpoint.as_str() {
            "/v1/ticketings" => {
                for (t, _) in out.members::<Ticketing>(ex) {
                    ticketings.insert(t.iri.clone(), t);
                }
            }
            "/v1/event_dates" => {
                for (d, _) in out.members::<EventDate>(ex) {
                    if d.start_date.is_none() && d.start_of_event_day.is_none() {
                        continue;
                    }
                    for p in d.ticket_price_list.iter().flatten() {
                        prices.insert(p.iri.clone(), p.clone());
                    }
                    dates.insert(d.iri.clone(), d);
                }
            }
            "/v1/tickets" => {
                for (t, v) in out.members::<MTicket>(ex) {
                    if t.status.is_some() {
                        tickets.insert(t.iri.clone(), (t, v));
                    }
                }
            }
            _ => {}
        }
    }
    let mut performances: BTreeSet<String> = BTreeSet::new();
    for d in dates.values() {
        let ticketing = d
            .ticketing
            .as_ref()
            .and_then(|iri| ticketings.get(iri))
            .or_else(|| {
                ticketings
                    .values()
                    .find(|t| t.event_date_list.contains(&d.iri))
            });
        let Some(t) = ticketing.filter(|t| t.is_french_dated_event()) else {
            continue;
        };
        let start = d
            .start_date
            .as_deref()
            .or(d.start_of_event_day.as_deref())
            .unwrap_or("");
        let starts_at = match parse_instant(start) {
            Ok(s) => s,
            Err(e) => {
                out.quarantine(
                    format!("{}.startDate", d.iri),
                    format!("Mapado : date de « {} » illisible : {e}", t.title),
                    start.to_string(),
                );
                continue;
            }
        };
        let venue = t.venue.clone().unwrap_or_default();
        performances.insert(d.iri.clone());
        out.records.push(Record::Performance(PerformanceRecord {
            source: source_key.to_string(),
            external_id: short_id(&d.iri).to_string(),
            show_id: short_id(&t.iri).to_string(),
            show_title: t.title.trim().to_string(),
            starts_at,
            venue: Venue {
                name: venue
                    .name
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| "Lieu non précisé (Mapado)".into()),
                address: venue.address,
                postal_code: venue.zip_code,
                city: venue.city,
                venue_type: None,
            },
            capacity: d
                .total_stock
                .filter(|s| *s > 0)
                .and_then(|s| u32::try_from(s).ok()),
            cancelled: d.status.as_deref() == Some("cancelled"),
        }));
    }
    for (t, v) in tickets.values() {
        ticket(&mut out, &performances, &prices, t, v);
    }
    out.records
}

fn ticket(
    out: &mut Out<'_>,
    performances: &BTreeSet<String>,
    prices: &BTreeMap<String, TicketPrice>,
    t: &MTicket,
    v: &Value,
) {
    let column = |f: &str| format!("{}.{f}", t.iri);
    let Some(date) = t.event_date.as_ref().filter(|d| performances.contains(*d)) else {
        out.quarantine(
            column("eventDate"),
            "Mapado : billet d'une date inconnue ou non datée ; relancez la synchronisation".into(),
            v.to_string(),
        );
        return;
    };
    let Some(price) = t.ticket_price.as_ref().and_then(|iri| prices.get(iri)) else {
        let reason = if t.imported == Some(true) {
            "Mapado : billet importé sans catégorie de prix ; son prix et sa TVA sont inconnus, saisissez-le dans un fichier tickets_csv"
        } else {
            "Mapado : la catégorie de prix du billet est introuvable ; relancez la synchronisation"
        };
        out.quarantine(column("ticketPrice"), reason.into(), v.to_string());
        return;
    };
    // Cents on the ticket; a null or negative value takes the category's (cents), and
    // failing that its `valueIncvat` (euros).
    let amount = match t
        .facial_value
        .filter(|c| *c >= 0)
        .or(price.facial_value.filter(|c| *c >= 0))
    {
        Some(cents) => Money::from_cents(cents),
        None => match price.value_incvat.decimal() {
            Some(euros) if euros >= Decimal::ZERO => Money::new(euros.round_dp(2).normalize()),
            _ => {
                out.quarantine(
                    column("facialValue"),
                    "Mapado : prix du billet absent".into(),
                    v.to_string(),
                );
                return;
            }
        },
    };
    let free = amount.is_zero();
    let country = price
        .tax
        .as_ref()
        .map(|t| t.country_code.as_str())
        .unwrap_or("");
    if !matches!(country, "" | "FR" | "CORSE") {
        out.quarantine(column("ticketPrice.tax.countryCode"), format!("Mapado : le tarif « {} » est taxé hors de France ({country}) ; il ne peut pas être déclaré tel quel", price.name.clone().unwrap_or_default()), v.to_string());
        return;
    }
    let vat_rate = if free {
        VatRate::ZERO
    } else {
        let d = price
            .tax
            .as_ref()
            .and_then(|t| t.rate.decimal())
            .unwrap_or(Decimal::ZERO);
        let r = if d > Decimal::ZERO && d < Decimal::ONE {
            VatRate::from_fraction(d)
        } else {
            VatRate::parse(&d.to_string())
        };
        match r {
            Ok(r) => r,
            Err(e) => {
                out.quarantine(
                    column("ticketPrice.tax.rate"),
                    format!(
                        "Mapado : tarif « {} » : {e}",
                        price.name.clone().unwrap_or_default()
                    ),
                    v.to_string(),
                );
                return;
            }
        }
    };
    let status = match t.status.as_deref() {
        Some("payed") => TicketStatus::Valid,
        Some("refunded") => TicketStatus::Refunded,
        _ => TicketStatus::Cancelled,
    };
    let label = price.name.clone().unwrap_or_default();
    let kind = match (free, price.price_type.as_deref()) {
        (true, _) | (_, Some("exempted")) => PriceKind::Free,
        (_, Some("full_price")) => PriceKind::Full,
        (_, Some("reduced" | "scholar" | "group")) => PriceKind::Reduced,
        (_, Some("subscription" | "subscriptionMemberLoyalty")) => PriceKind::Subscription,
        _ => price_kind_from_label(&label, false),
    };
    out.records.push(Record::Ticket(Ticket {
        source: out.source.to_string(),
        ticket_id: short_id(&t.iri).to_string(),
        performance_external_id: short_id(date).to_string(),
        price_incl_vat: amount,
        vat_rate,
        status,
        price_category: Some(label).filter(|l| !l.trim().is_empty()),
        price_kind: Some(kind),
        sold_at: t.bought_at.as_deref().and_then(|b| parse_instant(b).ok()),
    }));
}
