//! Pure mapping of stored HelloAsso exchanges to performances and tickets.
//!
//! One public form = one performance (`external_id` = the form slug). Item pages of the same
//! form fetched at the same time are one listing; a later listing replaces an earlier one.

use super::model::{Form, Item, Page, Tier};
use crate::api::mapping::price_kind_from_label;
use crate::api::RawExchange;
use crate::Record;
use chrono::{DateTime, Utc};
use releve_domain::calendar::parse_instant;
use releve_domain::{
    Money, PerformanceRecord, PriceKind, Quarantined, Ticket, TicketStatus, VatRate, Venue,
};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;

fn quarantine(source: &str, column: String, reason: String, raw: String) -> Record {
    Record::Quarantined(Quarantined {
        source: source.to_string(),
        line: None,
        column: Some(column),
        reason,
        raw,
    })
}

/// The form slug of `…/forms/Event/{slug}/public` or `…/items`.
fn slug_of(endpoint: &str, suffix: &str) -> Option<String> {
    let rest = endpoint.strip_suffix(suffix)?;
    rest.rsplit('/').next().map(str::to_string)
}

/// The items of one form as read by one sync (pages fetched at the same instant).
type Listing = (DateTime<Utc>, Vec<(Item, Value)>);

pub fn normalise(source_key: &str, raw: &[RawExchange]) -> Vec<Record> {
    let mut out = Vec::new();
    let mut forms: BTreeMap<String, (Form, String)> = BTreeMap::new();
    let mut items: BTreeMap<String, Listing> = BTreeMap::new();
    for ex in raw.iter().filter(|e| e.status < 400) {
        if let Some(slug) = slug_of(&ex.endpoint, "/public") {
            match serde_json::from_str::<Form>(&ex.body) {
                Ok(f) => {
                    forms.insert(slug, (f, ex.body.clone()));
                }
                Err(e) => out.push(quarantine(
                    source_key,
                    ex.endpoint.clone(),
                    format!("HelloAsso : formulaire illisible ({e}) ; relancez la synchronisation"),
                    ex.body.clone(),
                )),
            }
        } else if let Some(slug) = slug_of(&ex.endpoint, "/items") {
            let page: Page<Value> = match serde_json::from_str(&ex.body) {
                Ok(p) => p,
                Err(e) => {
                    out.push(quarantine(
                        source_key,
                        ex.endpoint.clone(),
                        format!("HelloAsso : page de billets illisible ({e})"),
                        ex.body.clone(),
                    ));
                    continue;
                }
            };
            let entry = items.entry(slug).or_insert((ex.fetched_at, Vec::new()));
            if entry.0 != ex.fetched_at {
                // A later sync re-read the whole form: its listing replaces the earlier one.
                *entry = (ex.fetched_at, Vec::new());
            }
            for (i, v) in page.data.into_iter().enumerate() {
                match serde_path_to_error::deserialize::<_, Item>(&v) {
                    Ok(item) => entry.1.push((item, v)),
                    Err(e) => out.push(quarantine(
                        source_key,
                        format!("{}data[{i}].{}", ex.endpoint, e.path()),
                        format!("HelloAsso : billet illisible ({})", e.into_inner()),
                        v.to_string(),
                    )),
                }
            }
        }
    }
    for (slug, (form, body)) in &forms {
        let starts_at = match form.start_date.as_deref().map(parse_instant) {
            Some(Ok(t)) => t,
            _ => {
                out.push(quarantine(
                    source_key,
                    format!("forms/{slug}.startDate"),
                    format!("HelloAsso : le formulaire « {} » n'a pas de date de début lisible ; ce n'est pas une représentation datée, ses billets ne sont pas comptés", form.title),
                    body.clone(),
                ));
                continue;
            }
        };
        if form.currency.as_deref().is_some_and(|c| c != "EUR") {
            out.push(quarantine(
                source_key,
                format!("forms/{slug}.currency"),
                format!("HelloAsso : le formulaire « {} » n'est pas en euros ; ses billets ne sont pas comptés", form.title),
                body.clone(),
            ));
            continue;
        }
        let place = form.place.clone().unwrap_or_default();
        out.push(Record::Performance(PerformanceRecord {
            source: source_key.to_string(),
            external_id: slug.clone(),
            show_id: slug.clone(),
            show_title: form.title.trim().to_string(),
            starts_at,
            venue: Venue {
                name: place
                    .name
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| "Lieu non précisé (HelloAsso)".into()),
                address: place.address,
                postal_code: place.zip_code,
                city: place.city,
                venue_type: None,
            },
            capacity: form.max_entries.filter(|m| *m > 0),
            cancelled: false,
        }));
        for (item, v) in items
            .get(slug)
            .map(|(_, rows)| rows.as_slice())
            .unwrap_or(&[])
        {
            if item
                .item_type
                .as_deref()
                .is_some_and(|t| t != "Registration")
            {
                continue;
            }
            out.push(ticket(source_key, slug, &form.tiers, item, v));
        }
    }
    out
}

/// `vatRate` as a percent (observed `5.5`) or a fraction (documented `0.055`).
fn rate_of(tier: &Tier) -> Result<VatRate, String> {
    let d = tier.vat_rate.decimal().unwrap_or(Decimal::ZERO);
    let r = if d > Decimal::ZERO && d < Decimal::ONE {
        VatRate::from_fraction(d)
    } else {
        VatRate::parse(&d.to_string())
    };
    r.map_err(|e| e.to_string())
}

fn ticket(source: &str, slug: &str, tiers: &[Tier], item: &Item, raw: &Value) -> Record {
    let column = |f: &str| format!("forms/{slug}/items[id={}].{f}", item.id);
    if item.amount < 0 {
        return quarantine(
            source,
            column("amount"),
            format!("HelloAsso : montant négatif ({} centimes)", item.amount),
            raw.to_string(),
        );
    }
    let price = Money::from_cents(item.amount);
    let free = item.amount == 0 || item.price_category.as_deref() == Some("Free");
    let tier = item
        .tier_id
        .and_then(|id| tiers.iter().find(|t| t.id == id));
    let vat_rate = if free {
        VatRate::ZERO
    } else {
        match tier.map(rate_of) {
            Some(Ok(r)) => r,
            Some(Err(e)) => return quarantine(source, column("tierId"), format!("HelloAsso : tarif {} : {e}", item.tier_id.unwrap_or_default()), raw.to_string()),
            None => return quarantine(
                source,
                column("tierId"),
                "HelloAsso : le tarif de ce billet n'existe plus dans le formulaire public, son taux de TVA est inconnu ; réactivez le tarif ou saisissez ce billet dans un fichier tickets_csv".into(),
                raw.to_string(),
            ),
        }
    };
    let status = match item.state.as_str() {
        "Processed" | "Registered" => TicketStatus::Valid,
        "Refunded" | "Refunding" => TicketStatus::Refunded,
        _ => TicketStatus::Cancelled,
    };
    let label = item
        .name
        .clone()
        .or_else(|| tier.and_then(|t| t.label.clone()))
        .unwrap_or_default();
    let kind = if free {
        PriceKind::Free
    } else {
        price_kind_from_label(&label, false)
    };
    Record::Ticket(Ticket {
        source: source.to_string(),
        ticket_id: item.id.to_string(),
        performance_external_id: slug.to_string(),
        price_incl_vat: if free { Money::ZERO } else { price },
        vat_rate,
        status,
        price_category: Some(label).filter(|l| !l.trim().is_empty()),
        price_kind: Some(kind),
        sold_at: item
            .order
            .as_ref()
            .and_then(|o| o.date.as_deref())
            .and_then(|d| parse_instant(d).ok()),
    })
}
