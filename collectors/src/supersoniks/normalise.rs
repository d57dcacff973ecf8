//! Pure mapping of stored Supersoniks / SoTicket statements to performances and tickets.
//!
//! A closing statement aggregates a session's sales per tariff; releve needs admissions, so
//! each tariff line of `quantity` q becomes q tickets with stable ids
//! `{session}-{i|e}-{tariff slug}-{unit price in cents}-{n}` (`i` = the venue's own sales,
//! `e` = resellers). Lines with the same channel, title and price are merged. The line's
//! `revenue` is the truth for money: when it is not exactly `amount × quantity` (a discount),
//! it is split over the tickets to the cent, so receipts always equal the statement's.
//!
//! **Partial refunds** are extra lines with a negative `amount` and `revenue` and quantity 0.
//! Reading `revenue / amount` as the number of refunds of `|amount|` each, every refund is
//! taken off one ticket of the same tariff (same channel and title, the line priced
//! `|amount|` first, else one priced above), from the highest number down:
//! - if it leaves a positive price, the ticket stays **valid with the reduced price**
//!   (the spectator kept the seat and part of the money was returned);
//! - if it takes the whole price, the ticket is **refunded** (it no longer counts, keeping its
//!   original price as the record of what was sold).
//!
//! Receipts are then exactly the statement's `revenue`. The statement's `sold` still counts a
//! wholly refunded ticket, ours does not (a refunded admission is not declared). A refund
//! that matches no tariff, or more refunds than tickets, is quarantined rather than guessed.
//!
//! Statements are read in order and a later statement of a session replaces an earlier one;
//! tickets an earlier statement had on a line and the later one no longer has (its quantity
//! went down) are emitted as refunded, so re-normalising stored statements catches whole
//! refunds counted out of a line.
//! Only `entity_type = event` is a show (subscriptions, gift cards, extra products are not).

use super::client::STATEMENTS;
use super::model::{Envelope, PriceLine, RawRow, Statement};
use crate::api::mapping::price_kind_from_label;
use crate::api::RawExchange;
use crate::Record;
use chrono::{DateTime, TimeZone, Utc};
use releve_domain::text::{normalise_key, slug};
use releve_domain::vat::VatError;
use releve_domain::{Money, PerformanceRecord, Quarantined, Ticket, TicketStatus, VatRate, Venue};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;

/// The name shown to administrators for an exchange's vendor.
fn brand(vendor: &str) -> &'static str {
    if vendor == "soticket" {
        "SoTicket"
    } else {
        "Supersoniks"
    }
}

pub fn normalise(source_key: &str, raw: &[RawExchange]) -> Vec<Record> {
    let mut n = Normaliser {
        source: source_key,
        brand: "Supersoniks",
        out: Vec::new(),
    };
    let mut statements: BTreeMap<String, (Statement, String)> = BTreeMap::new();
    let mut high: BTreeMap<String, BTreeMap<String, Sold>> = BTreeMap::new();
    for ex in raw
        .iter()
        .filter(|e| e.status < 400 && e.endpoint == STATEMENTS)
    {
        n.brand = brand(&ex.vendor);
        let envelope: Envelope<RawRow> = match serde_json::from_str(&ex.body) {
            Ok(e) => e,
            Err(e) => {
                n.quarantine(
                    STATEMENTS.into(),
                    format!("{} : réponse de {STATEMENTS} illisible ({e}) ; relancez la synchronisation", n.brand),
                    ex.body.chars().take(2000).collect(),
                );
                continue;
            }
        };
        for (i, row) in envelope.data.iter().enumerate() {
            let de = &mut serde_json::Deserializer::from_str(row.get());
            match serde_path_to_error::deserialize::<_, Statement>(de) {
                Ok(s) => {
                    let marks = high.entry(s.session.id.as_str().to_string()).or_default();
                    for (prefix, sold) in sold_per_line(&s) {
                        match marks.get(&prefix) {
                            Some(m) if m.quantity >= sold.quantity => {}
                            _ => {
                                marks.insert(prefix, sold);
                            }
                        }
                    }
                    statements.insert(s.session.id.as_str().to_string(), (s, row.get().into()));
                }
                Err(e) => {
                    let column = format!("{STATEMENTS}.data[{i}].{}", e.path());
                    let reason = format!(
                        "{} : bordereau illisible ({}) ; signalez-le à l'équipe releve",
                        n.brand,
                        e.into_inner()
                    );
                    n.quarantine(column, reason, row.get().into());
                }
            }
        }
    }
    for (statement, text) in statements.values() {
        if statement.session.entity_type.trim() != "event" {
            continue;
        }
        if n.performance(statement, text) {
            let marks = high.get(statement.session.id.as_str());
            n.tickets(statement, text, marks);
        }
    }
    n.out
}

struct Normaliser<'a> {
    source: &'a str,
    brand: &'static str,
    out: Vec<Record>,
}

/// The tickets of one tariff line (or of merged identical lines).
struct Group {
    channel: char,
    title: String,
    amount: Decimal,
    prices: Vec<Decimal>,
    statuses: Vec<TicketStatus>,
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

    fn performance(&mut self, st: &Statement, text: &str) -> bool {
        let s = &st.session;
        let id = s.id.as_str();
        let edito = s.edito.clone().unwrap_or_default().title;
        let (show_id, show_title) = match &s.multisession {
            Some(m) if !m.multisession_id.is_empty() => (
                format!("multisession-{}", m.multisession_id.as_str()),
                if m.title.trim().is_empty() {
                    edito.clone()
                } else {
                    m.title.clone()
                },
            ),
            _ => (format!("session-{id}"), edito.clone()),
        };
        let Some(starts_at) = unix(s.start_date.as_str()) else {
            self.quarantine(
                format!("{STATEMENTS}[session={id}].session.start_date"),
                format!("{} : la séance {id} (« {edito} ») n'a pas de date de début lisible « {} » ; vérifiez-la dans la billetterie", self.brand, s.start_date.as_str()),
                text.to_string(),
            );
            return false;
        };
        let capacity = st
            .gauge
            .or_else(|| s.settings.as_ref().and_then(|x| x.gauge))
            .filter(|g| *g > 0)
            .and_then(|g| u32::try_from(g).ok());
        self.out.push(Record::Performance(PerformanceRecord {
            source: self.source.to_string(),
            external_id: id.to_string(),
            show_id,
            show_title: show_title.trim().to_string(),
            starts_at,
            venue: venue(s.location.as_ref(), s.room.as_ref(), self.brand),
            capacity,
            cancelled: false,
        }));
        true
    }

    fn tickets(&mut self, st: &Statement, text: &str, marks: Option<&BTreeMap<String, Sold>>) {
        let session = st.session.id.as_str();
        let rate = st
            .session
            .settings
            .as_ref()
            .and_then(|s| s.tax.as_ref())
            .and_then(|t| t.rate)
            .map(|r| rate_of(r.value()));
        let mut groups: Vec<Group> = Vec::new();
        let mut refunds: Vec<(char, usize, &PriceLine)> = Vec::new();
        for (channel, lines) in [('i', &st.internals_prices), ('e', &st.externals_prices)] {
            let list = if channel == 'i' {
                "internals_prices"
            } else {
                "externals_prices"
            };
            for (i, line) in lines.iter().enumerate() {
                let column = format!("{STATEMENTS}[session={session}].{list}[{i}]");
                let (amount, revenue) = (line.amount.value(), line.revenue.value());
                if amount.is_sign_negative() && !amount.is_zero()
                    || revenue.is_sign_negative() && !revenue.is_zero()
                {
                    refunds.push((channel, i, line));
                    continue;
                }
                let Some(quantity) = whole(line.quantity.value()) else {
                    self.quarantine(
                        column,
                        format!(
                            "{} : quantité « {} » non entière pour le tarif « {} »",
                            self.brand,
                            line.quantity.value(),
                            line.title
                        ),
                        text.to_string(),
                    );
                    continue;
                };
                if quantity == 0 {
                    if !revenue.is_zero() {
                        self.quarantine(column, format!("{} : recette de {revenue} € sans billet pour le tarif « {} » ; vérifiez le bordereau", self.brand, line.title), text.to_string());
                    }
                    continue;
                }
                let key = normalise_key(&line.title);
                match groups.iter_mut().find(|g| {
                    g.channel == channel && normalise_key(&g.title) == key && g.amount == amount
                }) {
                    Some(g) => {
                        let total: Decimal = g.prices.iter().sum::<Decimal>() + revenue;
                        let count = g.prices.len() + quantity;
                        g.prices = split(total, count);
                        g.statuses = vec![TicketStatus::Valid; count];
                    }
                    None => groups.push(Group {
                        channel,
                        title: line.title.trim().to_string(),
                        amount,
                        prices: split(revenue, quantity),
                        statuses: vec![TicketStatus::Valid; quantity],
                    }),
                }
            }
        }
        for (channel, i, line) in refunds {
            let list = if channel == 'i' {
                "internals_prices"
            } else {
                "externals_prices"
            };
            let column = format!("{STATEMENTS}[session={session}].{list}[{i}]");
            if let Err(reason) = apply_refund(&mut groups, channel, line) {
                self.quarantine(
                    column,
                    format!("{} : remboursement de {} € sur le tarif « {} » {reason} ; les recettes de la séance {session} sont surestimées d'autant, vérifiez le bordereau", self.brand, line.revenue.value().abs(), line.title),
                    text.to_string(),
                );
            }
        }
        let mut emitted: BTreeMap<String, usize> = BTreeMap::new();
        for g in groups {
            emitted.insert(
                prefix(session, g.channel, &g.title, g.amount),
                g.prices.len(),
            );
            let free = g.prices.iter().all(|p| p.is_zero());
            let vat_rate = if free {
                VatRate::ZERO
            } else {
                match &rate {
                    Some(Ok(r)) => *r,
                    Some(Err(e)) => {
                        self.quarantine(
                            format!("{STATEMENTS}[session={session}].session.settings.tax.rate"),
                            format!("{} : {e}", self.brand),
                            text.to_string(),
                        );
                        continue;
                    }
                    None => {
                        self.quarantine(format!("{STATEMENTS}[session={session}].session.settings.tax"), format!("{} : séance {session} sans taux de TVA alors que le tarif « {} » est payant ; renseignez la TVA de la séance dans la billetterie", self.brand, g.title), text.to_string());
                        continue;
                    }
                }
            };
            let line = prefix(session, g.channel, &g.title, g.amount);
            for (n, (price, status)) in g.prices.iter().zip(&g.statuses).enumerate() {
                self.out.push(Record::Ticket(Ticket {
                    source: self.source.to_string(),
                    ticket_id: format!("{line}-{}", n + 1),
                    performance_external_id: session.to_string(),
                    price_incl_vat: Money::new(*price),
                    vat_rate,
                    status: *status,
                    price_category: Some(g.title.clone()).filter(|s| !s.is_empty()),
                    price_kind: Some(price_kind_from_label(&g.title, free)),
                    sold_at: None,
                }));
            }
        }
        // Tickets an earlier statement of this session had and this one no longer has: the
        // line's quantity went down (whole refunds), so they are refunded.
        for (line, sold) in marks.into_iter().flatten() {
            let now = emitted.get(line).copied().unwrap_or(0);
            let free = sold.amount.is_zero();
            let vat_rate = match &rate {
                Some(Ok(r)) if !free => *r,
                _ => VatRate::ZERO,
            };
            for n in now + 1..=sold.quantity {
                self.out.push(Record::Ticket(Ticket {
                    source: self.source.to_string(),
                    ticket_id: format!("{line}-{n}"),
                    performance_external_id: session.to_string(),
                    price_incl_vat: Money::new(sold.amount),
                    vat_rate,
                    status: TicketStatus::Refunded,
                    price_category: Some(sold.title.clone()).filter(|s| !s.is_empty()),
                    price_kind: Some(price_kind_from_label(&sold.title, free)),
                    sold_at: None,
                }));
            }
        }
    }
}

/// How many tickets a statement sold on one tariff line (lines merged as in `tickets`).
#[derive(Clone, Debug)]
struct Sold {
    title: String,
    amount: Decimal,
    quantity: usize,
}

/// The id prefix of a tariff line's tickets: `{session}-{i|e}-{slug}-{cents}`.
fn prefix(session: &str, channel: char, title: &str, amount: Decimal) -> String {
    let cents = (amount * Decimal::ONE_HUNDRED).round();
    format!("{session}-{channel}-{}-{cents}", slug(title))
}

fn sold_per_line(st: &Statement) -> BTreeMap<String, Sold> {
    let session = st.session.id.as_str();
    let mut out: BTreeMap<String, Sold> = BTreeMap::new();
    for (channel, lines) in [('i', &st.internals_prices), ('e', &st.externals_prices)] {
        for line in lines {
            let (amount, revenue) = (line.amount.value(), line.revenue.value());
            let (Some(q), false, false) = (
                whole(line.quantity.value()),
                amount.is_sign_negative() && !amount.is_zero(),
                revenue.is_sign_negative() && !revenue.is_zero(),
            ) else {
                continue;
            };
            if q == 0 {
                continue;
            }
            out.entry(prefix(session, channel, &line.title, amount))
                .or_insert_with(|| Sold {
                    title: line.title.trim().to_string(),
                    amount,
                    quantity: 0,
                })
                .quantity += q;
        }
    }
    out
}

/// Takes a negative line off the tickets of its tariff (see the module doc). `Err` says why
/// it could not be applied; nothing is changed then.
fn apply_refund(groups: &mut [Group], channel: char, line: &PriceLine) -> Result<(), String> {
    let total = line.revenue.value().abs();
    if total.is_zero() {
        return Ok(());
    }
    let unit = match line.amount.value().abs() {
        u if !u.is_zero() && (total % u).is_zero() => u,
        // Revenue not a multiple of the unit amount: one refund of the whole revenue.
        _ => total,
    };
    let count = (total / unit).to_usize().unwrap_or(usize::MAX);
    let key = normalise_key(&line.title);
    let same_title = |g: &Group| normalise_key(&g.title) == key;
    // Same channel first, then the other one (a refund booked on the venue's side for a
    // reseller ticket); within it the tariff priced exactly `unit`, else one priced above.
    let candidates: Vec<usize> = [true, false]
        .iter()
        .flat_map(|same_channel| {
            let groups = &*groups;
            let mut exact: Vec<usize> = Vec::new();
            let mut above: Vec<usize> = Vec::new();
            for (i, g) in groups.iter().enumerate() {
                if same_title(g) && (g.channel == channel) == *same_channel {
                    if g.amount == unit {
                        exact.push(i);
                    } else if g.amount > unit {
                        above.push(i);
                    }
                }
            }
            exact.into_iter().chain(above)
        })
        .collect();
    let Some(&gi) = candidates.first() else {
        return Err("qui ne correspond à aucun tarif vendu".into());
    };
    let g = &mut groups[gi];
    let eligible: Vec<usize> = (0..g.prices.len())
        .rev()
        .filter(|&k| g.statuses[k] == TicketStatus::Valid && g.prices[k] >= unit)
        .take(count)
        .collect();
    if eligible.len() < count {
        return Err(format!(
            "portant sur {count} billet(s) alors que {} seulement peuvent l'absorber",
            eligible.len()
        ));
    }
    for k in eligible {
        let left = g.prices[k] - unit;
        if left.is_zero() {
            g.statuses[k] = TicketStatus::Refunded;
        } else {
            g.prices[k] = left;
        }
    }
    Ok(())
}

/// `total` split over `count` tickets to the cent, the first ones taking the leftover cents:
/// 100.00 over 3 → 33.34, 33.33, 33.33.
pub fn split(total: Decimal, count: usize) -> Vec<Decimal> {
    if count == 0 {
        return Vec::new();
    }
    let cents = (total * Decimal::ONE_HUNDRED).round().to_i64().unwrap_or(0);
    let n = count as i64;
    let (base, extra) = (cents.div_euclid(n), cents.rem_euclid(n));
    (0..n)
        .map(|k| Decimal::new(base + i64::from(k < extra), 2))
        .collect()
}

fn whole(q: Decimal) -> Option<usize> {
    if q.fract().is_zero() && !q.is_sign_negative() {
        q.to_usize()
    } else {
        None
    }
}

/// `settings.tax.rate` is a fraction (`0.055`); a value above 1 is taken as a percent, so a
/// customer whose instance sends `5.5` is read right too.
pub fn rate_of(value: Decimal) -> Result<VatRate, VatError> {
    if value > Decimal::ONE {
        VatRate::parse(&value.normalize().to_string())
    } else {
        VatRate::from_fraction(value)
    }
}

/// Unix seconds; 0, negative or unreadable means none.
pub fn unix(text: &str) -> Option<DateTime<Utc>> {
    let secs: i64 = text.trim().parse().ok()?;
    if secs <= 0 {
        return None;
    }
    Utc.timestamp_opt(secs, 0).single()
}

/// The location's name and address, read leniently (the field names are not documented):
/// `name`/`title`, `address`/`street`, `zip`/`zipcode`/`zip_code`/`postal_code`, `city`;
/// the room's name when the location has none.
pub fn venue(location: Option<&Value>, room: Option<&Value>, brand: &str) -> Venue {
    let field = |v: Option<&Value>, keys: &[&str]| -> Option<String> {
        let v = v?;
        keys.iter()
            .find_map(|k| v.get(*k).and_then(Value::as_str))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let name = field(location, &["name", "title"])
        .or_else(|| field(room, &["name", "title"]))
        .unwrap_or_else(|| format!("Lieu non précisé ({brand})"));
    Venue {
        name,
        address: field(location, &["address", "street"]),
        postal_code: field(location, &["zip", "zipcode", "zip_code", "postal_code"]),
        city: field(location, &["city"]),
        venue_type: None,
    }
}
