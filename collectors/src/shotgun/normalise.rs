//! Pure mapping of stored Shotgun exchanges to performances and tickets.
//!
//! Exchanges are read in order; a ticket read again later (the full re-read of its event, or
//! a later sync) replaces the earlier row, so a late refund wins. One performance per event
//! that has tickets; an event missing from the event list is described from its tickets
//! (`event_name`, `event_start_time`). A row that cannot be mapped is quarantined with its
//! JSON and a reason in French.

use super::client::TICKETS;
use super::model::{Event, EventsPage, RawRow, SoldTicket, TicketsPage};
use crate::api::mapping::price_kind_from_label;
use crate::api::RawExchange;
use crate::Record;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use releve_domain::{Money, PerformanceRecord, Quarantined, Ticket, TicketStatus, VatRate, Venue};
use std::collections::BTreeMap;

/// Shotgun's event payload names no venue: the programme (or a correction) supplies it.
pub const UNKNOWN_VENUE: &str = "Lieu non précisé (Shotgun)";

pub fn normalise(source_key: &str, raw: &[RawExchange]) -> Vec<Record> {
    let mut n = Normaliser {
        source: source_key,
        out: Vec::new(),
    };
    let mut events: BTreeMap<String, Event> = BTreeMap::new();
    let mut tickets: BTreeMap<String, (SoldTicket, String)> = BTreeMap::new();
    for ex in raw.iter().filter(|e| e.status < 400) {
        if ex.endpoint == TICKETS {
            let Some(page) = n.page::<TicketsPage<RawRow>>(ex) else {
                continue;
            };
            for (i, row) in page.data.iter().enumerate() {
                if let Some(t) = n.row::<SoldTicket>(ex, i, row) {
                    tickets.insert(t.ticket_id.as_str().to_string(), (t, row.get().to_string()));
                }
            }
        } else if ex.endpoint.starts_with("/organizers/") && ex.endpoint.ends_with("/events") {
            let Some(page) = n.page::<EventsPage<RawRow>>(ex) else {
                continue;
            };
            for (i, row) in page.data.iter().enumerate() {
                if let Some(e) = n.row::<Event>(ex, i, row) {
                    events.insert(e.id.as_str().to_string(), e);
                }
            }
        }
    }
    let mut by_event: BTreeMap<&str, Vec<&(SoldTicket, String)>> = BTreeMap::new();
    for entry in tickets.values() {
        by_event
            .entry(entry.0.event_id.as_str())
            .or_default()
            .push(entry);
    }
    for (event_id, rows) in by_event {
        match events.get(event_id) {
            Some(e) => n.performance_from_event(e),
            None => n.performance_from_ticket(&rows[0].0, &rows[0].1),
        }
        for (t, text) in rows {
            n.ticket(t, text);
        }
    }
    n.out
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

    fn page<T: serde::de::DeserializeOwned>(&mut self, ex: &RawExchange) -> Option<T> {
        match serde_json::from_str(&ex.body) {
            Ok(p) => Some(p),
            Err(e) => {
                self.quarantine(
                    ex.endpoint.clone(),
                    format!(
                        "Shotgun : réponse de {} illisible ({e}) ; relancez la synchronisation",
                        ex.endpoint
                    ),
                    ex.body.chars().take(2000).collect(),
                );
                None
            }
        }
    }

    fn row<T: serde::de::DeserializeOwned>(
        &mut self,
        ex: &RawExchange,
        i: usize,
        row: &RawRow,
    ) -> Option<T> {
        let de = &mut serde_json::Deserializer::from_str(row.get());
        match serde_path_to_error::deserialize::<_, T>(de) {
            Ok(t) => Some(t),
            Err(e) => {
                let column = format!("{}.data[{i}].{}", ex.endpoint, e.path());
                let reason = format!(
                    "Shotgun : ligne illisible dans {} ({}) ; signalez-le à l'équipe releve",
                    ex.endpoint,
                    e.into_inner()
                );
                self.quarantine(column, reason, row.get().to_string());
                None
            }
        }
    }

    fn performance_from_event(&mut self, e: &Event) {
        let id = e.id.as_str();
        let start = e.start_time.as_deref().unwrap_or("");
        match parse_time(start, e.timezone.as_deref()) {
            Some(starts_at) => self.out.push(Record::Performance(PerformanceRecord {
                source: self.source.to_string(),
                external_id: id.to_string(),
                // One Shotgun event is one show with one date.
                show_id: id.to_string(),
                show_title: e.name.trim().to_string(),
                starts_at,
                venue: unknown_venue(),
                capacity: None,
                cancelled: e.cancelled_at.as_deref().is_some_and(|c| !c.trim().is_empty()),
            })),
            None => self.quarantine(
                format!("/events[id={id}].startTime"),
                format!("Shotgun : l'événement {id} (« {} ») a une date de début illisible « {start} » ; corrigez-la dans Shotgun puis relancez", e.name),
                format!("{e:?}"),
            ),
        }
    }

    fn performance_from_ticket(&mut self, t: &SoldTicket, raw: &str) {
        let id = t.event_id.as_str();
        let start = t.event_start_time.as_deref().unwrap_or("");
        match parse_time(start, None) {
            Some(starts_at) => self.out.push(Record::Performance(PerformanceRecord {
                source: self.source.to_string(),
                external_id: id.to_string(),
                show_id: id.to_string(),
                show_title: t.event_name.clone().unwrap_or_default().trim().to_string(),
                starts_at,
                venue: unknown_venue(),
                capacity: None,
                cancelled: false,
            })),
            None => self.quarantine(
                format!("{TICKETS}[ticket_id={}].event_start_time", t.ticket_id.as_str()),
                format!("Shotgun : l'événement {id} est absent de la liste des événements et ses billets n'ont pas de date lisible « {start} »"),
                raw.to_string(),
            ),
        }
    }

    fn ticket(&mut self, t: &SoldTicket, raw: &str) {
        let ticket_id = t.ticket_id.as_str();
        let column = |field: &str| format!("{TICKETS}[ticket_id={ticket_id}].{field}");
        let Some(status) = status(&t.ticket_status) else {
            self.quarantine(
                column("ticket_status"),
                format!(
                    "Shotgun : statut de billet inconnu « {} » ; signalez-le à l'équipe releve",
                    t.ticket_status
                ),
                raw.to_string(),
            );
            return;
        };
        if let Some(c) = t
            .currency
            .as_deref()
            .filter(|c| !c.eq_ignore_ascii_case("eur"))
        {
            self.quarantine(
                column("currency"),
                format!("Shotgun : billet en devise « {c} » ; seuls les euros sont déclarables"),
                raw.to_string(),
            );
            return;
        }
        let Some(price) = t.ticket_price else {
            self.quarantine(
                column("ticket_price"),
                "Shotgun : billet sans prix ; vérifiez-le dans Shotgun".into(),
                raw.to_string(),
            );
            return;
        };
        // Already net of Shotgun's and the buyer's fees; euros float read exactly, rounded to
        // the cent in case the vendor's own arithmetic left more digits.
        let price = Money::new(price.value()).round_cents();
        if price.amount().is_sign_negative() && !price.is_zero() {
            self.quarantine(
                column("ticket_price"),
                format!("Shotgun : prix négatif {price} ; un remboursement doit être un statut"),
                raw.to_string(),
            );
            return;
        }
        let free = price.is_zero();
        let vat_rate = if free {
            VatRate::ZERO
        } else {
            match t.vat_rate.map(|r| VatRate::from_fraction(r.value())) {
                Some(Ok(r)) => r,
                Some(Err(e)) => {
                    self.quarantine(
                        column("vat_rate"),
                        format!("Shotgun : {e}"),
                        raw.to_string(),
                    );
                    return;
                }
                None => {
                    self.quarantine(
                        column("vat_rate"),
                        "Shotgun : billet payant sans taux de TVA ; renseignez la TVA de l'événement dans Shotgun".into(),
                        raw.to_string(),
                    );
                    return;
                }
            }
        };
        let title = t.ticket_title.as_deref().unwrap_or("").trim().to_string();
        self.out.push(Record::Ticket(Ticket {
            source: self.source.to_string(),
            ticket_id: ticket_id.to_string(),
            performance_external_id: t.event_id.as_str().to_string(),
            price_incl_vat: price,
            vat_rate,
            status,
            price_kind: Some(price_kind_from_label(&title, free)),
            price_category: Some(title).filter(|s| !s.is_empty()),
            sold_at: t.ordered_at.as_deref().and_then(|s| parse_time(s, None)),
        }));
    }
}

fn unknown_venue() -> Venue {
    Venue {
        name: UNKNOWN_VENUE.to_string(),
        ..Venue::default()
    }
}

/// Only `valid` counts. `resold` tickets were replaced by the buyer's new ticket (which is
/// listed on its own); pending and rejected ones were never paid.
pub fn status(code: &str) -> Option<TicketStatus> {
    match code.trim() {
        "valid" => Some(TicketStatus::Valid),
        "refunded" => Some(TicketStatus::Refunded),
        "canceled"
        | "cancelled"
        | "resold"
        | "rejected"
        | "pending_organizer_approval"
        | "payment_plan_pending" => Some(TicketStatus::Cancelled),
        _ => None,
    }
}

/// ISO-8601 with an offset (`2026-02-14T22:00:00.000Z`); a time without offset is read in the
/// event's `timezone` (Europe/Paris when absent or unknown).
pub fn parse_time(text: &str, timezone: Option<&str>) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Some(dt.with_timezone(&Utc));
    }
    let tz: chrono_tz::Tz = timezone
        .and_then(|z| z.parse().ok())
        .unwrap_or(chrono_tz::Europe::Paris);
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
    .and_then(|naive| tz.from_local_datetime(&naive).earliest())
    .map(|dt| dt.with_timezone(&Utc))
}
