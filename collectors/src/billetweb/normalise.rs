//! Pure mapping of stored Billetweb exchanges to performances and tickets.
//!
//! Exchanges are read in order, later ones replacing earlier ones (an event re-read by a later
//! sync replaces its sessions, tariffs and attendees). Only events whose attendees were read
//! produce records. A row that cannot be mapped is quarantined with its JSON and the reason.

use super::model::{Attendee, Event, Session, Tariff};
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
use std::collections::BTreeMap;

enum Kind<'a> {
    Events,
    Dates(&'a str),
    Tariffs(&'a str),
    Attendees(&'a str),
    Other,
}

fn kind(endpoint: &str) -> Kind<'_> {
    let parts: Vec<&str> = endpoint.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        ["events"] => Kind::Events,
        ["event", id, "dates"] => Kind::Dates(id),
        ["event", id, "tickets"] => Kind::Tariffs(id),
        ["event", id, "attendees"] => Kind::Attendees(id),
        _ => Kind::Other,
    }
}

struct Ctx<'a> {
    source: &'a str,
    out: Vec<Record>,
}

impl Ctx<'_> {
    fn quarantine(&mut self, column: String, reason: String, raw: &Value) {
        self.out.push(Record::Quarantined(Quarantined {
            source: self.source.to_string(),
            line: None,
            column: Some(column),
            reason,
            raw: raw.to_string(),
        }));
    }

    /// Each row of an array body, typed; a row that does not fit is quarantined.
    fn rows<T: DeserializeOwned>(&mut self, ex: &RawExchange) -> Vec<(T, Value)> {
        let values: Vec<Value> = match serde_json::from_str(&ex.body) {
            Ok(Value::Array(v)) => v,
            _ => {
                self.quarantine(
                    ex.endpoint.clone(),
                    format!("Billetweb : réponse de {} illisible (liste JSON attendue) ; relancez la synchronisation", ex.endpoint),
                    &Value::String(ex.body.chars().take(2000).collect()),
                );
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (i, v) in values.into_iter().enumerate() {
            match serde_path_to_error::deserialize::<_, T>(&v) {
                Ok(t) => out.push((t, v)),
                Err(e) => {
                    let column = format!("{}[{i}].{}", ex.endpoint, e.path());
                    let reason = format!(
                        "Billetweb : ligne illisible dans {} ({}) ; signalez-le à l'équipe releve",
                        ex.endpoint,
                        e.into_inner()
                    );
                    self.quarantine(column, reason, &v);
                }
            }
        }
        out
    }
}

pub fn normalise(source_key: &str, raw: &[RawExchange]) -> Vec<Record> {
    let mut ctx = Ctx {
        source: source_key,
        out: Vec::new(),
    };
    let mut events: BTreeMap<String, Event> = BTreeMap::new();
    let mut sessions: BTreeMap<String, Vec<(Session, Value)>> = BTreeMap::new();
    let mut tariffs: BTreeMap<String, Vec<Tariff>> = BTreeMap::new();
    let mut attendees: BTreeMap<String, Vec<(Attendee, Value)>> = BTreeMap::new();
    for ex in raw.iter().filter(|e| e.status < 400) {
        match kind(&ex.endpoint) {
            Kind::Events => {
                for (e, _) in ctx.rows::<Event>(ex) {
                    events.insert(e.id.as_str().to_string(), e);
                }
            }
            Kind::Dates(id) => {
                let rows = ctx.rows(ex);
                sessions.insert(id.to_string(), rows);
            }
            Kind::Tariffs(id) => {
                let rows = ctx.rows::<Tariff>(ex).into_iter().map(|(t, _)| t).collect();
                tariffs.insert(id.to_string(), rows);
            }
            Kind::Attendees(id) => {
                let rows = ctx.rows(ex);
                attendees.insert(id.to_string(), rows);
            }
            Kind::Other => {}
        }
    }
    for (event_id, rows) in &attendees {
        let Some(event) = events.get(event_id) else {
            ctx.quarantine(
                format!("/event/{event_id}"),
                format!("Billetweb : l'événement {event_id} a des billets mais n'apparaît pas dans /events ; relancez la synchronisation"),
                &Value::Null,
            );
            continue;
        };
        performances(
            &mut ctx,
            event,
            sessions.get(event_id).map(Vec::as_slice).unwrap_or(&[]),
        );
        let event_tariffs = tariffs.get(event_id).map(Vec::as_slice).unwrap_or(&[]);
        for (a, v) in rows {
            ticket(&mut ctx, event, event_tariffs, a, v);
        }
    }
    ctx.out
}

fn venue(place: &str, fallback: &str) -> Venue {
    let name = if place.trim().is_empty() {
        fallback
    } else {
        place
    };
    Venue {
        name: name.trim().to_string(),
        ..Venue::default()
    }
}

fn performances(ctx: &mut Ctx<'_>, event: &Event, sessions: &[(Session, Value)]) {
    let id = event.id.as_str();
    let event_venue = venue(event.place.as_str(), "Lieu non précisé (Billetweb)");
    let push = |ctx: &mut Ctx<'_>,
                external_id: String,
                start: &str,
                venue: Venue,
                capacity: Option<u32>,
                raw: &Value| {
        match parse_start(start) {
            Ok(starts_at) => ctx.out.push(Record::Performance(PerformanceRecord {
                source: ctx.source.to_string(),
                external_id,
                show_id: id.to_string(),
                show_title: event.name.trim().to_string(),
                starts_at,
                venue,
                capacity,
                cancelled: false,
            })),
            Err(reason) => ctx.quarantine(format!("/event/{id} start"), reason, raw),
        }
    };
    if !event.is_multi_date() {
        // Single-date event: no session rows; one performance from the event itself.
        push(
            ctx,
            format!("{id}-0"),
            event.start.as_str(),
            event_venue,
            None,
            &Value::String(event.name.clone()),
        );
        return;
    }
    for (s, raw) in sessions {
        let capacity = s.quota.as_str().parse::<u32>().ok().filter(|q| *q > 0);
        let v = if s.place.is_empty() {
            event_venue.clone()
        } else {
            venue(s.place.as_str(), "")
        };
        push(
            ctx,
            format!("{id}-{}", s.id.as_str()),
            s.start.as_str(),
            v,
            capacity,
            raw,
        );
    }
}

/// Billetweb times are naive Paris local times; `0000-00-00 00:00:00` and `""` mean none.
fn parse_start(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    if text.trim().is_empty() || text.starts_with("0000-00-00") {
        return Err("Billetweb : la séance n'a pas de date de début ; renseignez-la dans Billetweb puis relancez".into());
    }
    parse_instant(text).map_err(|e| format!("Billetweb : date de début « {text} » : {e}"))
}

fn ticket(ctx: &mut Ctx<'_>, event: &Event, tariffs: &[Tariff], a: &Attendee, raw: &Value) {
    let event_id = event.id.as_str();
    let column = |field: &str| format!("/event/{event_id}/attendees[id={}].{field}", a.id.as_str());
    let session = a.order_session.as_str();
    let performance_external_id = if !event.is_multi_date() {
        format!("{event_id}-0")
    } else if session.is_empty() || session == "0" {
        ctx.quarantine(column("order_session"), "Billetweb : billet d'un événement à plusieurs séances sans séance ; vérifiez la commande dans Billetweb".into(), raw);
        return;
    } else {
        format!("{event_id}-{session}")
    };
    let Some(listed) = a.price.decimal() else {
        ctx.quarantine(
            column("price"),
            format!("Billetweb : prix illisible « {} »", a.price.as_str()),
            raw,
        );
        return;
    };
    let tariff = tariffs
        .iter()
        .find(|t| t.id.as_str() == a.ticket_id.as_str());
    // Billetweb's fee is taken only on online payments: the organiser receives the rest.
    let commission = match (
        a.order_payment_type.as_str(),
        tariff.and_then(|t| t.commission.decimal()),
    ) {
        ("web", Some(c)) => c,
        _ => Decimal::ZERO,
    };
    let price = (listed - commission).max(Decimal::ZERO).normalize();
    let free = price.is_zero();
    let rate_text = match tariff {
        Some(t) if !t.tax.is_empty() => t.tax.as_str(),
        _ => event.rate_text(),
    };
    let vat_rate = if free {
        VatRate::ZERO
    } else {
        match VatRate::parse(rate_text) {
            Ok(r) => r,
            Err(e) => {
                ctx.quarantine(column("tax"), format!("Billetweb : événement {event_id}, tarif « {} » : {e} ; renseignez le taux de TVA de l'événement ou du tarif", a.ticket), raw);
                return;
            }
        }
    };
    let status = if a.disabled.as_str() == "1" {
        TicketStatus::Refunded
    } else if a.order_paid.as_str() == "0" && !free {
        TicketStatus::Cancelled
    } else {
        TicketStatus::Valid
    };
    let in_pass = !a.pass.is_empty() && a.pass.as_str() != "0";
    let price_kind = if in_pass && !free {
        PriceKind::Subscription
    } else {
        price_kind_from_label(&a.ticket, free)
    };
    ctx.out.push(Record::Ticket(Ticket {
        source: ctx.source.to_string(),
        ticket_id: a.id.as_str().to_string(),
        performance_external_id,
        price_incl_vat: Money::new(price),
        vat_rate,
        status,
        price_category: Some(a.ticket.trim().to_string()).filter(|s| !s.is_empty()),
        price_kind: Some(price_kind),
        sold_at: parse_instant(a.order_date.as_str()).ok(),
    }));
}
