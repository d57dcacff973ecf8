//! `push`: tickets a ticketing vendor sends to releve's API (`formats.md` §6 "Vendor push")
//! instead of releve reading them. Each ticket is a JSON object whose fields are the columns of
//! `tickets_csv` (§3); it is mapped by the very code of `tickets_csv` (same required cells,
//! amounts, VAT rates, statuses, price kinds, same performance consistency check), so a pushed
//! ticket and an imported row are the same record in the ledger.
//!
//! Values are JSON strings (`"18.50"`, `"5.5"`, `"valid"`); `null` or an absent field is an
//! empty cell; whole numbers are accepted for the ids (`ticket_id`, `performance_id`,
//! `show_id`). Any other type (a number for an amount, an object…) is rejected for that field,
//! because a JSON number is read as a float and money is never a float here. Unknown fields
//! are ignored, like extra columns.
//!
//! A rejected ticket gives a [`Rejected`] with its index in the request, the field at fault and
//! the French reason, and a quarantine record keeping the ticket's JSON as its raw payload.

use crate::csv_input::{ColumnSpec, Columns, Row};
use crate::tickets_csv::columns::{PERFORMANCE_ID, SHOW_ID, SPEC, TICKET_ID};
use crate::tickets_csv::performances::Performances;
use crate::tickets_csv::row;
use releve_domain::{PerformanceRecord, Quarantined, Ticket};
use serde_json::{Map, Value};

/// A ticket that could not be mapped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    /// Position of the ticket in the request's `tickets` list (0 for the first).
    pub index: usize,
    /// The field at fault, when one is.
    pub field: Option<String>,
    /// What is wrong and what to send instead, in French.
    pub message: String,
    pub quarantined: Quarantined,
}

/// The records of one push.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PushBatch {
    /// One per distinct performance, in order of first appearance.
    pub performances: Vec<PerformanceRecord>,
    pub tickets: Vec<Ticket>,
    pub rejected: Vec<Rejected>,
}

/// Maps the pushed tickets of source `source` (its name in the configuration).
pub fn map_tickets(source: &str, tickets: &[Value]) -> PushBatch {
    let header: Vec<&str> = SPEC.required.iter().chain(SPEC.optional).copied().collect();
    let spec: &ColumnSpec = &SPEC;
    let columns =
        Columns::from_header(spec, header.iter().copied()).expect("the spec's own header");
    let mut batch = PushBatch::default();
    let mut performances = Performances::default();
    for (index, value) in tickets.iter().enumerate() {
        let raw = value.to_string();
        let reject = |field: Option<&str>, message: String| {
            let reason = format!("billet d'index {index} de l'envoi : {message}");
            Rejected {
                index,
                field: field.map(str::to_string),
                message: message.clone(),
                quarantined: Quarantined {
                    source: source.to_string(),
                    line: None,
                    column: field.map(str::to_string),
                    reason,
                    raw: raw.clone(),
                },
            }
        };
        let Some(object) = value.as_object() else {
            batch.rejected.push(reject(
                None,
                "un billet est un objet JSON dont les champs sont les colonnes de tickets_csv"
                    .into(),
            ));
            continue;
        };
        let cells = match cells_of(object, &header) {
            Ok(cells) => cells,
            Err((field, message)) => {
                batch.rejected.push(reject(Some(field), message));
                continue;
            }
        };
        let record = csv::StringRecord::from(cells);
        let row = Row::from_parts(index as u64, &raw, &record, &columns);
        let parsed = match row::parse(source, &row) {
            Ok(parsed) => parsed,
            Err(e) => {
                batch.rejected.push(reject(e.column, e.reason));
                continue;
            }
        };
        match performances.admit_at(&parsed.performance, index as u64, "au billet d'index") {
            Ok(first) => {
                if first {
                    batch.performances.push(parsed.performance);
                }
                batch.tickets.push(parsed.ticket);
            }
            Err(e) => batch.rejected.push(reject(e.column, e.reason)),
        }
    }
    batch
}

/// The cells of a ticket in header order, or the field whose value has the wrong type.
fn cells_of(
    object: &Map<String, Value>,
    header: &[&'static str],
) -> Result<Vec<String>, (&'static str, String)> {
    header
        .iter()
        .map(|column| match object.get(*column) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(text)) => Ok(text.clone()),
            Some(Value::Number(n))
                if [TICKET_ID, PERFORMANCE_ID, SHOW_ID].contains(column)
                    && (n.is_u64() || n.is_i64()) =>
            {
                Ok(n.to_string())
            }
            Some(other) => Err((
                *column,
                format!(
                    "valeur {} pour {column} : une chaîne est attendue (les montants et les taux \
                     s'écrivent \"18.50\", \"5.5\")",
                    match other {
                        Value::Number(_) => "numérique",
                        Value::Bool(_) => "booléenne",
                        Value::Array(_) => "liste",
                        _ => "objet",
                    }
                ),
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ticket(id: &str, price: Value) -> Value {
        json!({"ticket_id": id, "performance_id": "S-1", "show_title": "Les Vagues",
               "starts_at": "2025-11-14T20:30:00+01:00", "venue_name": "Grande salle",
               "price_incl_vat": price, "vat_rate": "5.5", "status": "valid",
               "price_category": "Plein tarif", "extra": {"ignored": true}})
    }

    #[test]
    fn pushed_tickets_are_read_like_tickets_csv_rows() {
        let batch = map_tickets(
            "guichet",
            &[ticket("A1", json!("18.50")), ticket("A2", json!("0"))],
        );
        assert!(batch.rejected.is_empty(), "{:?}", batch.rejected);
        assert_eq!(batch.performances.len(), 1);
        assert_eq!(batch.performances[0].performance_id(), "guichet:S-1");
        assert_eq!(batch.performances[0].show_id, "les vagues");
        assert_eq!(batch.tickets.len(), 2);
        assert_eq!(batch.tickets[0].price_incl_vat.to_string(), "18.50");
        assert_eq!(
            batch.tickets[0].price_kind,
            Some(releve_domain::PriceKind::Full)
        );
        assert!(batch.tickets[1].is_free());
    }

    #[test]
    fn bad_tickets_are_rejected_with_index_field_and_french_reason() {
        let mut other_title = ticket("B3", json!("10.00"));
        other_title["show_title"] = json!("Un autre titre");
        let mut no_status = ticket("B4", json!("10.00"));
        no_status["status"] = Value::Null;
        let batch = map_tickets(
            "guichet",
            &[
                ticket("B0", json!("12.00")),
                ticket("B1", json!(18.5)),
                ticket("B2", json!("-3")),
                other_title,
                no_status,
                json!("pas un objet"),
            ],
        );
        assert_eq!(batch.tickets.len(), 1);
        let got: Vec<(usize, Option<&str>)> = batch
            .rejected
            .iter()
            .map(|r| (r.index, r.field.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (1, Some("price_incl_vat")),
                (2, Some("price_incl_vat")),
                (3, Some("show_title")),
                (4, Some("status")),
                (5, None),
            ]
        );
        assert!(batch.rejected[0].message.contains("numérique"));
        assert!(
            batch.rejected[2].message.contains("au billet d'index 0"),
            "{}",
            batch.rejected[2].message
        );
        let q = &batch.rejected[1].quarantined;
        assert_eq!(q.source, "guichet");
        assert!(
            q.reason.starts_with("billet d'index 2 de l'envoi"),
            "{}",
            q.reason
        );
        assert!(q.raw.contains("\"ticket_id\":\"B2\""), "{}", q.raw);
    }
}
