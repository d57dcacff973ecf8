//! A funder's network: several organisations' indicators read back from their own
//! `indicators.json` (never recomputed), and the network's figure for each indicator.
//!
//! How an indicator combines is decided from its definition in the catalogue:
//! - a count, an amount, hours or cachets that is a sum over performances or people adds up:
//!   the network's figure is the sum of the organisations' figures;
//! - a rate, a share or an average (`Unit::Percent`, `receipts.average_price`) does not: the
//!   network's figure is Σ numerators ÷ Σ denominators ([`Ratio`]), by the catalogue's own
//!   formula — a network's fill rate is the seats sold over the seats offered, never the mean of
//!   the venues' rates.
//!
//! [`workbook_report`] lays the network out as a [`Report`] (one row per indicator: the network's
//! figure, each organisation beneath it as a breakdown line), so that the crate's own workbook
//! and CSV writers render it — one sheet per family.

use crate::catalogue::{self, Def};
use crate::error::IndicatorError;
use crate::period::Period;
use crate::ratio::Ratio;
use crate::report::Report;
use crate::rows::{BreakdownRow, IndicatorRow};
use crate::value::{Unit, Value};
use chrono::{DateTime, Utc};
use releve_domain::Money;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Indicators that are averages although measured in euros.
const AVERAGES: &[&str] = &["receipts.average_price"];

/// How the organisations' figures of one indicator make the network's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Combination {
    /// The network's figure is the sum.
    Sum,
    /// Σ numerators ÷ Σ denominators.
    Weighted,
}

impl Combination {
    pub fn of(def: &Def) -> Combination {
        if def.unit == Unit::Percent || AVERAGES.contains(&def.id) {
            Combination::Weighted
        } else {
            Combination::Sum
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Combination::Sum => "sum",
            Combination::Weighted => "weighted_average",
        }
    }
}

/// One organisation's indicators for a period, as its `indicators.json` gives them.
#[derive(Clone, Debug)]
pub struct OrganisationIndicators {
    pub slug: String,
    pub name: String,
    /// The file's `generated_at` (RFC 3339, Paris).
    pub generated_at: String,
    pub rows: Vec<IndicatorRow>,
}

impl OrganisationIndicators {
    pub fn row(&self, id: &str) -> Option<&IndicatorRow> {
        self.rows.iter().find(|r| r.id == id)
    }
}

/// The network's figure for one indicator.
#[derive(Clone)]
pub struct NetworkFigure {
    pub def: &'static Def,
    pub combination: Combination,
    pub value: Value,
    pub previous_value: Value,
    pub ratio: Option<Ratio>,
    pub previous_ratio: Option<Ratio>,
    /// French: how the figure was made (`somme de 2 lieux`, `moyenne pondérée : 400 ÷ 1 400`).
    pub note: String,
    /// For a summed indicator with a breakdown (by discipline…), the sum of each line.
    pub breakdown: Vec<BreakdownRow>,
}

impl std::fmt::Debug for NetworkFigure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetworkFigure")
            .field("id", &self.def.id)
            .field("combination", &self.combination)
            .field("value", &self.value)
            .field("previous_value", &self.previous_value)
            .field("note", &self.note)
            .finish()
    }
}

/// Reads `indicators.json` (the file this crate writes) back into rows.
pub fn read_json(
    slug: &str,
    name: &str,
    bytes: &[u8],
) -> Result<OrganisationIndicators, IndicatorError> {
    let bad = |reason: String| IndicatorError::Output {
        file: "indicators.json",
        reason,
    };
    let doc: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| bad(e.to_string()))?;
    let generated_at = doc["generated_at"].as_str().unwrap_or_default().to_string();
    let mut rows = Vec::new();
    for r in doc["rows"].as_array().into_iter().flatten() {
        let id = r["id"].as_str().unwrap_or_default();
        let def = catalogue::find(id).ok_or_else(|| bad(format!("indicateur inconnu « {id} »")))?;
        let read = |field: &str, reason: &str| {
            value_from_json(def.unit, &r[field], r[reason].as_str())
                .ok_or_else(|| bad(format!("{id} : valeur illisible")))
        };
        let value = read("value", "value_reason")?;
        let previous_value = read("previous_value", "previous_reason")?;
        let mut breakdown = Vec::new();
        for b in r["breakdown"].as_array().into_iter().flatten() {
            let line = |field: &str, whole: &Value| {
                value_from_json(def.unit, &b[field], whole.reason())
                    .ok_or_else(|| bad(format!("{id} : ligne illisible")))
            };
            breakdown.push(BreakdownRow {
                key: b["key"].as_str().unwrap_or_default().to_string(),
                label: b["label"].as_str().unwrap_or_default().to_string(),
                value: line("value", &value)?,
                previous_value: line("previous_value", &previous_value)?,
            });
        }
        rows.push(IndicatorRow {
            id: def.id,
            family: def.family,
            label: def.label,
            unit: def.unit,
            value,
            previous_value,
            note: r["note"].as_str().map(str::to_string),
            breakdown,
            ratio: Ratio::from_json(&r["ratio"]),
            previous_ratio: Ratio::from_json(&r["previous_ratio"]),
        });
    }
    Ok(OrganisationIndicators {
        slug: slug.to_string(),
        name: name.to_string(),
        generated_at,
        rows,
    })
}

/// A value of `indicators.json` (`null` with its reason beside it when not applicable).
fn value_from_json(unit: Unit, json: &serde_json::Value, reason: Option<&str>) -> Option<Value> {
    if json.is_null() {
        return Some(Value::not_applicable(reason.unwrap_or("non applicable")));
    }
    Some(match unit {
        Unit::Count => Value::Count(json.as_u64()?),
        Unit::Euros => Value::Money(Money::parse(json.as_str()?).ok()?),
        Unit::Percent => Value::Percent(Decimal::from_str(json.as_str()?).ok()?),
        Unit::Hours | Unit::Cachets => Value::Number(Decimal::from_str(json.as_str()?).ok()?),
    })
}

/// The sum of applicable values (`None` if none is).
fn sum(values: &[&Value]) -> Option<Value> {
    let mut total: Option<Value> = None;
    for v in values.iter().filter(|v| v.is_applicable()) {
        total = Some(match (total, *v) {
            (None, v) => v.clone(),
            (Some(Value::Count(a)), Value::Count(b)) => Value::Count(a + b),
            (Some(Value::Money(a)), Value::Money(b)) => Value::Money(a + *b),
            (Some(Value::Number(a)), Value::Number(b)) => Value::Number(a + *b),
            // Mixed kinds never happen for one indicator (its unit fixes the kind).
            (Some(t), _) => t,
        });
    }
    total
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Sum of one period: the value and the note.
fn sum_figure(values: &[&Value]) -> (Value, String) {
    let applicable = values.iter().filter(|v| v.is_applicable()).count();
    let left_out = values.len() - applicable;
    match sum(values) {
        Some(total) => {
            let mut note = format!("somme de {}", plural(applicable, "lieu", "lieux"));
            if left_out > 0 {
                note.push_str(&format!(
                    " ({} sans chiffre)",
                    plural(left_out, "lieu", "lieux")
                ));
            }
            (total, note)
        }
        None => (
            Value::not_applicable("aucun lieu du réseau n'a ce chiffre pour la période"),
            String::new(),
        ),
    }
}

/// Weighted average of one period: Σ ratios of the organisations that have one.
fn weighted_figure(ratios: &[Option<Ratio>], values: &[&Value]) -> (Value, Option<Ratio>, String) {
    // An applicable figure without its sums (a file written before they were kept) cannot be
    // weighted: saying so beats a wrong average.
    if values
        .iter()
        .zip(ratios)
        .any(|(v, r)| v.is_applicable() && r.is_none())
    {
        return (
            Value::not_applicable(
                "un lieu ne donne pas les sommes de ce taux : relancez son calcul",
            ),
            None,
            String::new(),
        );
    }
    let total = ratios
        .iter()
        .flatten()
        .try_fold(None::<Ratio>, |acc, r| match acc {
            None => Some(Some(*r)),
            Some(a) => a.add(r).map(Some),
        })
        .flatten();
    match total {
        Some(r) => {
            let value = r.value("aucun dénominateur dans le réseau pour la période");
            (
                value,
                Some(r),
                format!("moyenne pondérée : {}", r.to_french()),
            )
        }
        None => (
            Value::not_applicable("aucun lieu du réseau n'a ce chiffre pour la période"),
            None,
            String::new(),
        ),
    }
}

/// The network's figure for every indicator of the catalogue, in catalogue order.
pub fn network(organisations: &[OrganisationIndicators]) -> Vec<NetworkFigure> {
    catalogue::catalogue()
        .into_iter()
        .map(|def| {
            let rows: Vec<&IndicatorRow> =
                organisations.iter().filter_map(|o| o.row(def.id)).collect();
            let now: Vec<&Value> = rows.iter().map(|r| &r.value).collect();
            let before: Vec<&Value> = rows.iter().map(|r| &r.previous_value).collect();
            let combination = Combination::of(def);
            match combination {
                Combination::Sum => {
                    let (value, note) = sum_figure(&now);
                    let (previous_value, _) = sum_figure(&before);
                    NetworkFigure {
                        def,
                        combination,
                        value,
                        previous_value,
                        ratio: None,
                        previous_ratio: None,
                        note,
                        breakdown: breakdown_sums(&rows),
                    }
                }
                Combination::Weighted => {
                    let ratios: Vec<Option<Ratio>> = rows.iter().map(|r| r.ratio).collect();
                    let previous: Vec<Option<Ratio>> =
                        rows.iter().map(|r| r.previous_ratio).collect();
                    let (value, ratio, note) = weighted_figure(&ratios, &now);
                    let (previous_value, previous_ratio, _) = weighted_figure(&previous, &before);
                    NetworkFigure {
                        def,
                        combination,
                        value,
                        previous_value,
                        ratio,
                        previous_ratio,
                        note,
                        breakdown: Vec::new(),
                    }
                }
            }
        })
        .collect()
}

/// Sums of each breakdown line over the organisations, in first-seen order.
fn breakdown_sums(rows: &[&IndicatorRow]) -> Vec<BreakdownRow> {
    let mut keys: Vec<(String, String)> = Vec::new();
    for r in rows {
        for b in &r.breakdown {
            if !keys.iter().any(|(k, _)| k == &b.key) {
                keys.push((b.key.clone(), b.label.clone()));
            }
        }
    }
    keys.sort_by_key(|(k, _)| crate::families::breakdown_rank(k));
    keys.into_iter()
        .map(|(key, label)| {
            let pick = |previous: bool| {
                let values: Vec<&Value> = rows
                    .iter()
                    .filter_map(|r| r.breakdown.iter().find(|b| b.key == key))
                    .map(|b| {
                        if previous {
                            &b.previous_value
                        } else {
                            &b.value
                        }
                    })
                    .collect();
                sum(&values).unwrap_or_else(|| Value::not_applicable("aucun lieu"))
            };
            BreakdownRow {
                value: pick(false),
                previous_value: pick(true),
                key,
                label,
            }
        })
        .collect()
}

/// The network as a [`Report`] for the workbook and CSV writers: one row per indicator with the
/// network's figure (its note says how it was made), then one breakdown line per organisation
/// (`key` = its slug) and per line of the organisation's own breakdown (`slug/key`).
pub fn workbook_report(
    funder_slug: &str,
    funder_name: &str,
    period: Period,
    generated_at: DateTime<Utc>,
    organisations: &[OrganisationIndicators],
    figures: &[NetworkFigure],
) -> Report {
    let rows = figures
        .iter()
        .map(|f| {
            let mut breakdown = Vec::new();
            for o in organisations {
                let Some(r) = o.row(f.def.id) else { continue };
                breakdown.push(BreakdownRow {
                    key: o.slug.clone(),
                    label: o.name.clone(),
                    value: r.value.clone(),
                    previous_value: r.previous_value.clone(),
                });
                for b in &r.breakdown {
                    breakdown.push(BreakdownRow {
                        key: format!("{}/{}", o.slug, b.key),
                        label: format!("{} — {}", o.name, b.label),
                        value: b.value.clone(),
                        previous_value: b.previous_value.clone(),
                    });
                }
            }
            IndicatorRow {
                id: f.def.id,
                family: f.def.family,
                label: f.def.label,
                unit: f.def.unit,
                value: f.value.clone(),
                previous_value: f.previous_value.clone(),
                note: Some(format!("réseau : {}", f.note)).filter(|_| !f.note.is_empty()),
                breakdown,
                ratio: f.ratio,
                previous_ratio: f.previous_ratio,
            }
        })
        .collect();
    Report {
        organisation_slug: funder_slug.to_string(),
        organisation_name: funder_name.to_string(),
        period,
        previous: period.previous(),
        generated_at,
        rows,
        series: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_percent_and_average_is_weighted_and_the_rest_adds_up() {
        for def in catalogue::catalogue() {
            let c = Combination::of(def);
            if def.unit == Unit::Percent {
                assert_eq!(c, Combination::Weighted, "{}", def.id);
            }
            // Every summed indicator's formula is a sum (Σ); every weighted one divides (÷).
            match c {
                Combination::Sum => assert!(def.formula.contains('Σ'), "{}", def.id),
                Combination::Weighted => assert!(def.formula.contains('÷'), "{}", def.id),
            }
        }
    }
}
