//! The difference between an approved (or submitted) declaration and a later draft of the same
//! body and month: per performance (per show for SACEM), the numeric fields (tickets, amounts)
//! that changed, before, after and delta, with what the body expects for a correction
//! (`domain.md` §6). Pure: it reads the two models as JSON, as the store keeps them.
//!
//! - SIBIL: re-send the changed declarations with the same `idExtBilletterie`.
//! - SACD: re-send the changed performances with `rep_version` + 1.
//! - CNM / ASTP: a corrective declaration, one corrective line per changed performance.
//! - SACEM: a corrective state for each changed show.
//!
//! A line present on one side only is compared with zeros (`added` / `removed`).

use crate::Body;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use serde_json::Value;
use std::str::FromStr;

/// A decimal written as a string with its own scale (`"-1"`, `"-20.85"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Figure(pub Decimal);

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Changed,
    /// The line is new in the draft.
    Added,
    /// The line was declared and is gone from the draft (e.g. every ticket refunded).
    Removed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// `performance_id`, `idExtBilletterie` or the SACEM `show_id`.
    pub key: String,
    /// The field, as named in the body's JSON (`receipts_total.excl_vat` for nested ones).
    pub field: String,
    pub before: Figure,
    pub after: Figure,
    pub delta: Figure,
    pub change: ChangeKind,
}

/// `amendment.json`-ready difference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Amendment {
    pub body: Body,
    pub month: String,
    /// The number of the approved/submitted version this corrects.
    pub base_version: u32,
    /// Sorted by line (order of the draft, then removed lines), then field.
    pub changes: Vec<Change>,
    /// What to do, in French.
    pub note: String,
}

impl Amendment {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmendmentError {
    #[error("{body} : modèle illisible pour la comparaison ({which}) : {reason}")]
    Model {
        body: Body,
        which: &'static str,
        reason: String,
    },
}

/// Where the lines of a body's model are, their key, and the figures to compare.
struct Shape {
    lines: &'static str,
    key: &'static str,
    fields: &'static [&'static str],
    note: &'static str,
}

fn shape(body: Body) -> Shape {
    match body {
        Body::Cnm | Body::Astp => Shape {
            lines: "lines",
            key: "performance_id",
            fields: &[
                "paid_tickets",
                "free_tickets",
                "receipts_incl_vat",
                "receipts_excl_vat",
                "tax_base",
                "tax_due",
            ],
            note: "Déposer une déclaration rectificative : une ligne corrective par représentation modifiée, \
                   avec la différence de base et de taxe de chaque ligne.",
        },
        Body::Sibil => Shape {
            lines: "declarations",
            key: "idExtBilletterie",
            fields: &[
                "nbBilletsTotalBilletterie",
                "nbBilletsExoneres",
                "nbBilletsTarifPlein",
                "nbBilletsTarifAbonnementForfait",
                "recetteTotalBilletterie",
                "recetteTarifPlein",
            ],
            note: "Renvoyer à SIBIL les déclarations modifiées avec le même idExtBilletterie : SIBIL met à jour \
                   la représentation existante.",
        },
        Body::Sacd => Shape {
            lines: "lines",
            key: "performance_id",
            fields: &[
                "paid_tickets",
                "exempted_tickets",
                "receipts_incl_vat",
                "receipts_excl_vat",
                "vat_amount",
            ],
            note: "Renvoyer à la SACD les représentations modifiées avec rep_version augmenté de 1 (même \
                   rep_ref_dec).",
        },
        Body::Sacem => Shape {
            lines: "shows",
            key: "show_id",
            fields: &[
                "performances",
                "paid_tickets",
                "free_tickets",
                "receipts_total.excl_vat",
                "receipts_total.vat",
                "receipts_total.incl_vat",
                "expenses_total.excl_vat",
                "expenses_total.incl_vat",
            ],
            note: "Adresser à la délégation régionale SACEM un état rectificatif pour chaque spectacle modifié.",
        },
    }
}

/// The difference between the model of version `base_version` (`before`) and a new draft's
/// model (`after`) of the same body.
pub fn amendment(
    body: Body,
    base_version: u32,
    before: &Value,
    after: &Value,
) -> Result<Amendment, AmendmentError> {
    let shape = shape(body);
    let old = lines(body, &shape, before, "version approuvée")?;
    let new = lines(body, &shape, after, "nouveau brouillon")?;
    let mut changes = Vec::new();
    for (key, line) in &new {
        let previous = old.iter().find(|(k, _)| k == key).map(|(_, l)| *l);
        compare(&shape, key, previous, Some(line), &mut changes);
    }
    for (key, line) in &old {
        if !new.iter().any(|(k, _)| k == key) {
            compare(&shape, key, Some(line), None, &mut changes);
        }
    }
    Ok(Amendment {
        body,
        // A SACD bordereau over a period has no month: its `FROM_TO` stands for it.
        month: match (after.get("month"), after.get("period")) {
            (Some(Value::String(m)), _) => m.clone(),
            (_, Some(p)) => format!(
                "{}_{}",
                p["from"].as_str().unwrap_or_default(),
                p["to"].as_str().unwrap_or_default()
            ),
            _ => String::new(),
        },
        base_version,
        changes,
        note: shape.note.to_string(),
    })
}

fn lines<'a>(
    body: Body,
    shape: &Shape,
    model: &'a Value,
    which: &'static str,
) -> Result<Vec<(String, &'a Value)>, AmendmentError> {
    let error = |reason: String| AmendmentError::Model {
        body,
        which,
        reason,
    };
    let list = model
        .get(shape.lines)
        .and_then(Value::as_array)
        .ok_or_else(|| error(format!("liste « {} » absente", shape.lines)))?;
    list.iter()
        .map(|line| {
            let key = line
                .get(shape.key)
                .and_then(Value::as_str)
                .ok_or_else(|| error(format!("ligne sans « {} »", shape.key)))?;
            Ok((key.to_string(), line))
        })
        .collect()
}

/// A figure of a line: JSON numbers (counts) and decimal strings (amounts); `a.b` goes down
/// into an object.
fn figure(line: &Value, path: &str) -> Option<Decimal> {
    let value = path.split('.').try_fold(line, |v, part| v.get(part))?;
    match value {
        Value::Number(n) => n
            .as_i64()
            .map(Decimal::from)
            .or_else(|| n.as_u64().map(Decimal::from))
            .or_else(|| Decimal::from_str(&n.to_string()).ok()),
        Value::String(s) => Decimal::from_str(s).ok(),
        _ => None,
    }
}

fn compare(
    shape: &Shape,
    key: &str,
    before: Option<&Value>,
    after: Option<&Value>,
    out: &mut Vec<Change>,
) {
    let change = match (before, after) {
        (Some(_), Some(_)) => ChangeKind::Changed,
        (None, _) => ChangeKind::Added,
        (_, None) => ChangeKind::Removed,
    };
    for field in shape.fields {
        let b = before.and_then(|l| figure(l, field));
        let a = after.and_then(|l| figure(l, field));
        if b.is_none() && a.is_none() {
            continue;
        }
        // A missing side counts as zero, at the scale of the other (`0.00` for amounts).
        let scale = a.or(b).map_or(0, |d| d.scale());
        let zero = Decimal::new(0, scale);
        let (b, a) = (b.unwrap_or(zero), a.unwrap_or(zero));
        if a == b {
            continue;
        }
        out.push(Change {
            key: key.to_string(),
            field: field.to_string(),
            before: Figure(b),
            after: Figure(a),
            delta: Figure(a - b),
            change,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BuildInput, Declaration};
    use chrono::{TimeZone, Utc};
    use releve_domain::facts::{build_month_facts, FactsInput};
    use releve_domain::testing::*;
    use releve_domain::{Discipline, DisciplineTable, PriceKind, Rules, TicketStatus};
    use serde_json::json;

    /// CNM model of November: P1 100 × 22.00 and P2 50 × 22.00 at 5.5 % (jazz), with
    /// `refunded` tickets of P2 refunded.
    fn cnm_model(refunded: usize) -> Value {
        let org = organisation(false);
        let records = vec![
            performance("P1", "Nuit Jazz", "2025-11-14 20:30"),
            performance("P2", "Nuit Jazz", "2025-11-21 20:30"),
        ];
        let programme_rows = vec![
            programme(
                Some("P1"),
                "Nuit Jazz",
                "2025-11-14 20:30",
                Discipline::Jazz,
            ),
            programme(
                Some("P2"),
                "Nuit Jazz",
                "2025-11-21 20:30",
                Discipline::Jazz,
            ),
        ];
        let mut sold = tickets("P1", 0, 100, "22.00", "5.5", PriceKind::Full);
        let mut p2 = tickets("P2", 100, 50, "22.00", "5.5", PriceKind::Full);
        for t in p2.iter_mut().take(refunded) {
            t.status = TicketStatus::Refunded;
        }
        sold.extend(p2);
        let facts = build_month_facts(FactsInput {
            organisation: &org,
            month: "2025-11".parse().unwrap(),
            records: &records,
            tickets: &sold,
            programme: &programme_rows,
        });
        let input = BuildInput {
            facts: &facts,
            rules: Rules::default_rules(),
            disciplines: DisciplineTable::default_table(),
            generated_at: Utc.with_ymd_and_hms(2025, 12, 1, 8, 0, 0).unwrap(),
        };
        crate::cnm::Cnm.build(&input).unwrap().model
    }

    fn row(c: &Change) -> (&str, &str, String, String, String) {
        (
            c.key.as_str(),
            c.field.as_str(),
            c.before.0.to_string(),
            c.after.0.to_string(),
            c.delta.0.to_string(),
        )
    }

    #[test]
    fn a_refund_after_approval_changes_only_its_performance() {
        // P2 before: 50 × 22.00 = 1100.00; excl. round(1100 / 1.055) = 1042.65;
        //            tax round(1042.65 × 3.5 %) = round(36.49275) = 36.49.
        // P2 after one refund: 1078.00; excl. round(1078 / 1.055) = 1021.80;
        //            tax round(1021.80 × 3.5 %) = round(35.763) = 35.76.
        let a = amendment(Body::Cnm, 1, &cnm_model(0), &cnm_model(1)).unwrap();
        let rows: Vec<_> = a.changes.iter().map(row).collect();
        let p2 = "tickets_csv:P2";
        assert_eq!(
            rows,
            [
                (p2, "paid_tickets", "50".into(), "49".into(), "-1".into()),
                (
                    p2,
                    "receipts_incl_vat",
                    "1100.00".into(),
                    "1078.00".into(),
                    "-22.00".into()
                ),
                (
                    p2,
                    "receipts_excl_vat",
                    "1042.65".into(),
                    "1021.80".into(),
                    "-20.85".into()
                ),
                (
                    p2,
                    "tax_base",
                    "1042.65".into(),
                    "1021.80".into(),
                    "-20.85".into()
                ),
                (
                    p2,
                    "tax_due",
                    "36.49".into(),
                    "35.76".into(),
                    "-0.73".into()
                ),
            ]
        );
        assert!(a.changes.iter().all(|c| c.change == ChangeKind::Changed));
        assert_eq!((a.month.as_str(), a.base_version), ("2025-11", 1));
        assert!(a.note.contains("rectificative"));
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["body"], "cnm");
        assert_eq!(json["changes"][4]["delta"], "-0.73");
        assert_eq!(json["changes"][0]["change"], "changed");
    }

    #[test]
    fn same_models_have_no_change() {
        let a = amendment(Body::Cnm, 2, &cnm_model(0), &cnm_model(0)).unwrap();
        assert!(a.is_empty());
    }

    #[test]
    fn every_ticket_refunded_removes_the_line() {
        // P2 entirely refunded: no receipt, no line; the removed figures go to zero.
        let a = amendment(Body::Cnm, 1, &cnm_model(0), &cnm_model(50)).unwrap();
        let tax = a
            .changes
            .iter()
            .find(|c| c.field == "tax_due")
            .map(row)
            .unwrap();
        assert_eq!(
            tax,
            (
                "tickets_csv:P2",
                "tax_due",
                "36.49".into(),
                "0.00".into(),
                "-36.49".into()
            )
        );
        assert!(a.changes.iter().all(|c| c.change == ChangeKind::Removed));
    }

    #[test]
    fn sacem_compares_shows_and_nested_totals_and_says_what_to_do() {
        let before = json!({ "month": "2025-11", "shows": [
            { "show_id": "nuit jazz", "performances": 2, "paid_tickets": 160, "free_tickets": 8,
              "receipts_total": { "excl_vat": "3377.96", "vat": "222.04", "incl_vat": "3600.00" } } ] });
        let after = json!({ "month": "2025-11", "shows": [
            { "show_id": "nuit jazz", "performances": 2, "paid_tickets": 159, "free_tickets": 8,
              "receipts_total": { "excl_vat": "3357.11", "vat": "220.89", "incl_vat": "3578.00" } },
            { "show_id": "bal", "performances": 1, "paid_tickets": 0, "free_tickets": 0 } ] });
        let a = amendment(Body::Sacem, 3, &before, &after).unwrap();
        let rows: Vec<_> = a.changes.iter().map(row).collect();
        // 3357.11 − 3377.96 = −20.85; the new show only differs by its performance count.
        assert_eq!(
            rows,
            [
                (
                    "nuit jazz",
                    "paid_tickets",
                    "160".into(),
                    "159".into(),
                    "-1".into()
                ),
                (
                    "nuit jazz",
                    "receipts_total.excl_vat",
                    "3377.96".into(),
                    "3357.11".into(),
                    "-20.85".into()
                ),
                (
                    "nuit jazz",
                    "receipts_total.vat",
                    "222.04".into(),
                    "220.89".into(),
                    "-1.15".into()
                ),
                (
                    "nuit jazz",
                    "receipts_total.incl_vat",
                    "3600.00".into(),
                    "3578.00".into(),
                    "-22.00".into()
                ),
                ("bal", "performances", "0".into(), "1".into(), "1".into()),
            ]
        );
        assert_eq!(a.changes[4].change, ChangeKind::Added);
        assert!(a.note.contains("état rectificatif"));
        assert!(amendment(Body::Sibil, 1, &before, &after)
            .unwrap_err()
            .to_string()
            .contains("declarations"));
        assert!(amendment(
            Body::Sibil,
            1,
            &json!({"declarations": []}),
            &json!({"declarations": []})
        )
        .unwrap()
        .note
        .contains("même idExtBilletterie"));
        assert!(
            amendment(Body::Sacd, 1, &json!({"lines": []}), &json!({"lines": []}))
                .unwrap()
                .note
                .contains("rep_version")
        );
    }
}
