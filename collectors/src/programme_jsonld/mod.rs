//! `programme_jsonld`: the season as schema.org events in JSON-LD (what venue websites publish
//! for search engines). The file is JSON: one event object, an array of them, or an object
//! whose `@graph` holds them. Every object whose `@type` ends with `Event` (`Event`,
//! `TheaterEvent`, `DanceEvent`, `MusicEvent`, …) is one performance, mapped by
//! [`crate::programme_row`] with the same rules and quarantine reasons as `programme_csv`;
//! other objects are ignored.
//!
//! # Properties read
//!
//! | property | column |
//! |---|---|
//! | `name` | `show_title` |
//! | `startDate` | `starts_at`: with an offset it is that instant; without, Paris local time |
//! | `location.name` (or `location` as text; first of an array) | `venue_name` |
//! | `location.address.postalCode`, `.addressLocality`, `.streetAddress` | `venue_postal_code`, `venue_city`, `venue_address` |
//! | `maximumAttendeeCapacity` | `capacity` |
//! | `eventStatus` `EventCancelled` (with or without the `https://schema.org/` prefix) | `cancelled` |
//! | `isAccessibleForFree`, or every `offers` at `price` 0 | `free_admission` |
//! | `performer.name` / `organizer.name` (first) | `producer_name` (performer first) |
//! | `releve:<column>` | any `programme_csv` column (`releve:discipline`, `releve:numero_objet`, `releve:audience`, …); it wins over the properties above |
//!
//! # Discipline
//!
//! A discipline is required and never guessed: `releve:discipline` when present, else the
//! `@type` when it names one without doubt — `TheaterEvent` → `theatre`, `DanceEvent` → `danse`,
//! `ComedyEvent` → `humour` — else the row is quarantined (a `MusicEvent` may be jazz, classical
//! or current music: say which with `releve:discipline`).
//!
//! The "line" of a record is the rank of the event in the file (1 for the first event); its raw
//! text is the event's JSON. A file that is not JSON is refused as a whole.

use crate::programme_row::{canonical_column, map_programme_row_raw};
use crate::{CollectorError, Record};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// Prefix of the releve extension properties.
pub const EXTENSION_PREFIX: &str = "releve:";

/// Reads a JSON-LD file.
pub fn read(source_key: &str, path: &Path) -> Result<Vec<Record>, CollectorError> {
    let bytes = std::fs::read(path).map_err(|source| CollectorError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8_lossy(&bytes);
    parse(source_key, text.trim_start_matches('\u{feff}')).map_err(|reason| {
        CollectorError::Header {
            path: path.to_path_buf(),
            reason,
        }
    })
}

/// Parses JSON-LD text; an error is the French reason the whole file is refused.
pub fn parse(source_key: &str, text: &str) -> Result<Vec<Record>, String> {
    let root: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "JSON illisible ligne {}, colonne {} ({e}) ; attendu : un événement schema.org, une \
             liste d'événements ou un objet @graph",
            e.line(),
            e.column()
        )
    })?;
    let items: Vec<&Value> = match &root {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) => match o.get("@graph") {
            Some(Value::Array(a)) => a.iter().collect(),
            _ => vec![&root],
        },
        _ => Vec::new(),
    };
    let events: Vec<&Value> = items.into_iter().filter(|v| is_event(v)).collect();
    Ok(events
        .iter()
        .enumerate()
        .map(|(i, e)| map_event(source_key, i as u64 + 1, e))
        .collect())
}

fn types(v: &Value) -> Vec<String> {
    match v.get("@type") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

fn is_event(v: &Value) -> bool {
    types(v).iter().any(|t| t.ends_with("Event"))
}

/// Text of a scalar (string, number, boolean); `None` for objects, arrays and null.
fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "yes" } else { "no" }.to_string()),
        _ => None,
    }
}

/// The first element of an array, or the value itself.
fn first(v: Option<&Value>) -> Option<&Value> {
    match v? {
        Value::Array(a) => a.first(),
        other => Some(other),
    }
}

fn name_of(v: Option<&Value>) -> Option<String> {
    let v = first(v)?;
    match v {
        Value::Object(_) => text(v.get("name")),
        other => text(Some(other)),
    }
}

fn discipline_of_type(types: &[String]) -> Option<&'static str> {
    types.iter().find_map(|t| match t.as_str() {
        "TheaterEvent" => Some("theatre"),
        "DanceEvent" => Some("danse"),
        "ComedyEvent" => Some("humour"),
        _ => None,
    })
}

fn map_event(source_key: &str, rank: u64, e: &Value) -> Record {
    let mut cells: HashMap<String, String> = HashMap::new();
    let mut put = |column: &str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            cells.insert(column.to_string(), v);
        }
    };
    put("show_title", text(e.get("name")));
    put(
        "starts_at",
        text(e.get("startDate")).map(|s| start_text(&s)),
    );
    let location = first(e.get("location"));
    put("venue_name", name_of(location));
    if let Some(address) = location.and_then(|l| l.get("address")) {
        put("venue_postal_code", text(address.get("postalCode")));
        put("venue_city", text(address.get("addressLocality")));
        put("venue_address", text(address.get("streetAddress")));
    }
    put("capacity", text(e.get("maximumAttendeeCapacity")));
    let cancelled =
        text(e.get("eventStatus")).is_some_and(|s| s.rsplit('/').next() == Some("EventCancelled"));
    put("cancelled", cancelled.then(|| "yes".to_string()));
    let free = match text(e.get("isAccessibleForFree")) {
        Some(v) => Some(v),
        None => offers_all_free(e.get("offers")).map(|f| if f { "yes" } else { "no" }.into()),
    };
    put("free_admission", free);
    put(
        "producer_name",
        name_of(e.get("performer")).or_else(|| name_of(e.get("organizer"))),
    );
    put(
        "discipline",
        discipline_of_type(&types(e)).map(str::to_string),
    );
    if let Some(obj) = e.as_object() {
        for (key, value) in obj {
            let Some(column) = key.strip_prefix(EXTENSION_PREFIX) else {
                continue;
            };
            if let Some(known) = canonical_column(column).filter(|k| *k == column) {
                let value = match value {
                    Value::Array(a) => Some(
                        a.iter()
                            .filter_map(|v| text(Some(v)))
                            .collect::<Vec<_>>()
                            .join("|"),
                    ),
                    other => text(Some(other)),
                };
                put(known, value);
            }
        }
    }
    let raw = serde_json::to_string(e).unwrap_or_default();
    map_programme_row_raw(source_key, rank, &cells, &raw)
}

/// `Some(true)` when there are offers and all are at price 0; `None` without offers.
fn offers_all_free(offers: Option<&Value>) -> Option<bool> {
    let list: Vec<&Value> = match offers? {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    if list.is_empty() {
        return None;
    }
    Some(list.iter().all(|o| {
        text(o.get("price")).is_some_and(|p| {
            let p = p.replace(',', ".");
            !p.is_empty() && p.trim_matches(|c| c == '0' || c == '.').is_empty()
        })
    }))
}

/// `2026-03-20T20:30:00+01:00` stays; `2026-03-20T20:30` (no offset) → `2026-03-20 20:30`,
/// Paris local time.
fn start_text(s: &str) -> String {
    let has_offset = s.ends_with('Z')
        || s.rsplit_once('T')
            .is_some_and(|(_, time)| time.contains('+') || time.contains('-'));
    if has_offset {
        s.to_string()
    } else {
        s.replacen('T', " ", 1)
    }
}

#[cfg(test)]
mod tests;
