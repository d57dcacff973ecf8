//! Pure mapping of stored Weezevent exchanges to performances and tickets.
//!
//! Exchanges are read in order, later ones replacing earlier ones (a participant read again
//! by its event's full listing or a later sync replaces the earlier row). Each event with
//! participants gives one performance (`{event}`) when it has a single date, one per date
//! (`{event}-{date}`) otherwise. A participant's price is its price category's; rows that
//! cannot be mapped are quarantined with a reason in French.

use super::client::{DATES, EVENTS, PARTICIPANTS, TICKETS};
use super::model::{
    Category, DatesReply, DetailsReply, EventDetails, EventSummary, EventsReply, Participant,
    ParticipantsReply, PriceCategory, RawRow, TicketsReply,
};
use crate::api::mapping::price_kind_from_label;
use crate::api::RawExchange;
use crate::Record;
use chrono::{DateTime, Utc};
use releve_domain::calendar::parse_instant;
use releve_domain::{
    Money, PerformanceRecord, PriceKind, Quarantined, Ticket, TicketStatus, VatRate, Venue,
};
use std::collections::BTreeMap;

/// The classic API exposes no VAT rate. Paid tickets are given the rate of most live shows,
/// 5.5 %; a venue selling at 2.1 %, 10 % or 20 % corrects it in releve (documented in the
/// module doc and the README).
pub const ASSUMED_VAT_PERCENT: &str = "5.5";

pub const UNKNOWN_VENUE: &str = "Lieu non précisé (Weezevent)";

/// A price category with the name of the category it is nested in.
#[derive(Clone, Debug)]
struct Tariff {
    name: String,
    category: String,
    price: Option<rust_decimal::Decimal>,
}

pub fn normalise(source_key: &str, raw: &[RawExchange]) -> Vec<Record> {
    let mut n = Normaliser {
        source: source_key,
        out: Vec::new(),
    };
    let mut events: BTreeMap<String, EventSummary> = BTreeMap::new();
    let mut details: BTreeMap<String, EventDetails> = BTreeMap::new();
    let mut dates: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut tariffs: BTreeMap<(String, String), Tariff> = BTreeMap::new();
    let mut participants: BTreeMap<String, (Participant, String)> = BTreeMap::new();
    for ex in raw.iter().filter(|e| e.status < 400) {
        let endpoint = ex.endpoint.as_str();
        if endpoint == EVENTS {
            if let Some(r) = n.body::<EventsReply>(ex) {
                for e in r.events {
                    events.insert(e.id.as_str().to_string(), e);
                }
            }
        } else if endpoint.starts_with("/event/") && endpoint.ends_with("/details") {
            if let Some(r) = n.body::<DetailsReply>(ex) {
                details.insert(r.events.id.as_str().to_string(), r.events);
            }
        } else if endpoint == DATES {
            if let Some(r) = n.body::<DatesReply>(ex) {
                for d in r.dates {
                    dates
                        .entry(d.id_event.as_str().to_string())
                        .or_default()
                        .insert(d.id.as_str().to_string(), d.date.as_str().to_string());
                }
            }
        } else if endpoint == TICKETS {
            if let Some(r) = n.body::<TicketsReply>(ex) {
                for e in r.events {
                    let event = e.id.as_str().to_string();
                    let mut flat = Vec::new();
                    flatten(&e.tickets, "", &e.categories, &mut flat);
                    for (id, t) in flat {
                        tariffs.insert((event.clone(), id), t);
                    }
                }
            }
        } else if endpoint == PARTICIPANTS {
            if let Some(r) = n.body::<ParticipantsReply<RawRow>>(ex) {
                for (i, row) in r.participants.iter().enumerate() {
                    if let Some(p) = n.row(i, row) {
                        participants
                            .insert(p.id_participant.as_str().to_string(), (p, row.get().into()));
                    }
                }
            }
        }
    }
    let mut by_event: BTreeMap<String, Vec<&(Participant, String)>> = BTreeMap::new();
    for entry in participants.values() {
        by_event
            .entry(entry.0.id_event.as_str().to_string())
            .or_default()
            .push(entry);
    }
    for (event_id, rows) in by_event {
        let summary = events.get(&event_id);
        let detail = details.get(&event_id);
        let event_dates = dates.get(&event_id).cloned().unwrap_or_default();
        let multi = summary.is_some_and(EventSummary::is_multi_date) || !event_dates.is_empty();
        let performances = n.performances(&event_id, summary, detail, multi, &event_dates);
        for (p, text) in rows {
            n.ticket(p, text, multi, &performances, &tariffs);
        }
    }
    n.out
}

/// Price categories of an event, nested in categories at any depth.
fn flatten(
    tickets: &[PriceCategory],
    category: &str,
    categories: &[Category],
    out: &mut Vec<(String, Tariff)>,
) {
    for t in tickets {
        out.push((
            t.id.as_str().to_string(),
            Tariff {
                name: t.name.trim().to_string(),
                category: category.trim().to_string(),
                price: t.price.map(|p| p.value()),
            },
        ));
    }
    for c in categories {
        flatten(&c.tickets, &c.name, &c.categories, out);
    }
}

/// Paris local time; `0000-00-00 00:00:00` and `""` mean none.
pub fn local_time(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if t.is_empty() || t.starts_with("0000-00-00") {
        return None;
    }
    parse_instant(t).ok()
}

/// `refund = 1` → refunded; `deleted = 1` → cancelled; `paid = 0` (unpaid reservation) →
/// cancelled; otherwise valid.
pub fn status(p: &Participant) -> TicketStatus {
    if p.refund.as_str() == "1" {
        TicketStatus::Refunded
    } else if p.deleted.as_str() == "1" || p.paid.as_str() == "0" {
        TicketStatus::Cancelled
    } else {
        TicketStatus::Valid
    }
}

struct Normaliser<'a> {
    source: &'a str,
    out: Vec<Record>,
}

impl Normaliser<'_> {
    fn quarantine(&mut self, column: String, reason: String, raw: String) {
        self.out.push(Record::Quarantined(Quarantined {
            source: self.source.to_string(),
            line: None,
            column: Some(column),
            reason,
            raw,
        }));
    }

    fn body<T: serde::de::DeserializeOwned>(&mut self, ex: &RawExchange) -> Option<T> {
        match serde_json::from_str(&ex.body) {
            Ok(b) => Some(b),
            Err(e) => {
                self.quarantine(
                    ex.endpoint.clone(),
                    format!(
                        "Weezevent : réponse de {} illisible ({e}) ; relancez la synchronisation",
                        ex.endpoint
                    ),
                    ex.body.chars().take(2000).collect(),
                );
                None
            }
        }
    }

    fn row(&mut self, i: usize, row: &RawRow) -> Option<Participant> {
        let de = &mut serde_json::Deserializer::from_str(row.get());
        match serde_path_to_error::deserialize::<_, Participant>(de) {
            Ok(p) => Some(p),
            Err(e) => {
                let column = format!("{PARTICIPANTS}.participants[{i}].{}", e.path());
                let reason = format!(
                    "Weezevent : participant illisible ({}) ; signalez-le à l'équipe releve",
                    e.into_inner()
                );
                self.quarantine(column, reason, row.get().to_string());
                None
            }
        }
    }

    /// The performances of an event, by Weezevent date id (`"0"` for a single date).
    fn performances(
        &mut self,
        event_id: &str,
        summary: Option<&EventSummary>,
        detail: Option<&EventDetails>,
        multi: bool,
        event_dates: &BTreeMap<String, String>,
    ) -> BTreeMap<String, String> {
        let title = detail
            .map(|d| d.title.trim())
            .filter(|t| !t.is_empty())
            .or(summary.map(|s| s.name.trim()))
            .unwrap_or("")
            .to_string();
        let venue = detail
            .and_then(|d| d.venue.clone())
            .filter(|v| !v.name.trim().is_empty())
            .map(|v| {
                let opt = |s: String| Some(s.trim().to_string()).filter(|s| !s.is_empty());
                Venue {
                    name: v.name.trim().to_string(),
                    address: opt(v.address),
                    postal_code: opt(v.zip_code),
                    city: opt(v.city),
                    venue_type: None,
                }
            })
            .unwrap_or_else(|| Venue {
                name: UNKNOWN_VENUE.into(),
                ..Venue::default()
            });
        let sessions: Vec<(String, String, String)> = if multi {
            event_dates
                .iter()
                .map(|(date_id, start)| {
                    (
                        date_id.clone(),
                        format!("{event_id}-{date_id}"),
                        start.clone(),
                    )
                })
                .collect()
        } else {
            let start = detail
                .and_then(|d| d.period.as_ref())
                .or(summary.and_then(|s| s.date.as_ref()))
                .map(|p| p.start.as_str().to_string())
                .unwrap_or_default();
            vec![("0".into(), event_id.to_string(), start)]
        };
        let mut out = BTreeMap::new();
        for (date_id, external_id, start) in sessions {
            match local_time(&start) {
                Some(starts_at) => {
                    self.out.push(Record::Performance(PerformanceRecord {
                        source: self.source.to_string(),
                        external_id: external_id.clone(),
                        show_id: event_id.to_string(),
                        show_title: title.clone(),
                        starts_at,
                        venue: venue.clone(),
                        capacity: None,
                        cancelled: false,
                    }));
                    out.insert(date_id, external_id);
                }
                None => self.quarantine(
                    format!("/event/{event_id}/date[{date_id}]"),
                    format!("Weezevent : l'événement {event_id} (« {title} ») a une date de début illisible « {start} » ; corrigez-la dans Weezevent puis relancez"),
                    String::new(),
                ),
            }
        }
        out
    }

    fn ticket(
        &mut self,
        p: &Participant,
        raw: &str,
        multi: bool,
        performances: &BTreeMap<String, String>,
        tariffs: &BTreeMap<(String, String), Tariff>,
    ) {
        let id = p.id_participant.as_str();
        let event = p.id_event.as_str();
        let column = |field: &str| format!("{PARTICIPANTS}[id_participant={id}].{field}");
        let date = if multi { p.id_date.as_str() } else { "0" };
        let Some(performance) = performances.get(date) else {
            self.quarantine(
                column("id_date"),
                format!("Weezevent : le participant {id} renvoie à la date {} de l'événement {event}, inconnue (ou sans heure de début) ; relancez la synchronisation", p.id_date.as_str()),
                raw.to_string(),
            );
            return;
        };
        let Some(tariff) = tariffs.get(&(event.to_string(), p.id_ticket.as_str().to_string()))
        else {
            self.quarantine(
                column("id_ticket"),
                format!("Weezevent : le tarif {} du participant {id} est absent de la liste des tarifs de l'événement {event} ; relancez la synchronisation", p.id_ticket.as_str()),
                raw.to_string(),
            );
            return;
        };
        let Some(price) = tariff.price else {
            self.quarantine(
                column("id_ticket"),
                format!("Weezevent : le tarif « {} » n'a pas de prix", tariff.name),
                raw.to_string(),
            );
            return;
        };
        let price = Money::new(price).round_cents();
        if price.amount().is_sign_negative() && !price.is_zero() {
            self.quarantine(
                column("id_ticket"),
                format!(
                    "Weezevent : prix négatif {price} pour le tarif « {} »",
                    tariff.name
                ),
                raw.to_string(),
            );
            return;
        }
        let free = price.is_zero();
        let vat_rate = if free {
            VatRate::ZERO
        } else {
            VatRate::parse(ASSUMED_VAT_PERCENT).expect("known rate")
        };
        let kind = match price_kind_from_label(&tariff.name, free) {
            PriceKind::Other if !tariff.category.is_empty() => {
                price_kind_from_label(&tariff.category, free)
            }
            k => k,
        };
        self.out.push(Record::Ticket(Ticket {
            source: self.source.to_string(),
            ticket_id: id.to_string(),
            performance_external_id: performance.clone(),
            price_incl_vat: price,
            vat_rate,
            status: status(p),
            price_category: Some(tariff.name.clone()).filter(|s| !s.is_empty()),
            price_kind: Some(kind),
            sold_at: local_time(p.create_date.as_str()),
        }));
    }
}
