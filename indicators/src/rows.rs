//! Computing the whole catalogue for a period with the previous period beside it, plus the
//! per-month series the season report charts.

use crate::catalogue::{catalogue, Family, Indicator, Outcome};
use crate::inputs::{MonthData, PeriodInputs};
use crate::period::Period;
use crate::ratio::Ratio;
use crate::value::{Unit, Value};
use releve_domain::{Money, Month};
use std::collections::BTreeMap;

/// One line of a multi-valued indicator, now and in the previous period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BreakdownRow {
    pub key: String,
    pub label: String,
    pub value: Value,
    pub previous_value: Value,
}

/// One indicator for a period, beside the previous period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndicatorRow {
    pub id: &'static str,
    pub family: Family,
    pub label: &'static str,
    pub unit: Unit,
    pub value: Value,
    pub previous_value: Value,
    /// Note on the current period's value (what was left out, estimates).
    pub note: Option<String>,
    /// Empty for single-valued indicators. Keys of both periods, in the catalogue's order
    /// (disciplines in table order, audiences tout public → jeune public → scolaire).
    pub breakdown: Vec<BreakdownRow>,
    /// For a ratio indicator, the sums behind `value` and behind `previous_value`.
    pub ratio: Option<Ratio>,
    pub previous_ratio: Option<Ratio>,
}

/// Reason given for every indicator of a period for which no month of data was given (before
/// releve was used, say): zero performances would be a silent, false zero.
pub const NO_DATA_CURRENT: &str = "aucune donnée pour la période";
pub const NO_DATA_PREVIOUS: &str = "aucune donnée pour la période précédente";

/// Computes every indicator for `period` and for `period.previous()` from monthly data.
/// Months outside both periods are ignored. A period with no month of data at all gives
/// `NotApplicable` everywhere; a period with some months gives figures for those months.
pub fn compute_rows(period: Period, months: &[MonthData]) -> Vec<IndicatorRow> {
    let current = PeriodInputs::gather(period, months);
    let previous = PeriodInputs::gather(period.previous(), months);
    let (ci, pi) = (current.inputs(), previous.inputs());
    let evaluate = |def: &dyn Indicator, data: &PeriodInputs, inputs, reason: &str| {
        if data.months_known.is_empty() {
            Outcome::of(Value::not_applicable(reason))
        } else {
            def.evaluate(inputs)
        }
    };
    catalogue()
        .into_iter()
        .map(|def| {
            let now = evaluate(def, &current, &ci, NO_DATA_CURRENT);
            let before = evaluate(def, &previous, &pi, NO_DATA_PREVIOUS);
            IndicatorRow {
                id: def.id,
                family: def.family,
                label: def.label,
                unit: def.unit,
                breakdown: merge_breakdowns(&now, &before, def.unit),
                ratio: now.ratio,
                previous_ratio: before.ratio,
                value: now.value,
                previous_value: before.value,
                note: now.note,
            }
        })
        .collect()
}

/// Pairs breakdown entries by key. A key absent from one period is a true zero there (the
/// breakdowns count things, and nothing of that kind happened), unless the whole indicator is
/// not applicable in that period: then so is each line.
fn merge_breakdowns(now: &Outcome, before: &Outcome, unit: Unit) -> Vec<BreakdownRow> {
    let missing = |o: &Outcome| match (&o.value, unit) {
        (Value::NotApplicable { .. }, _) => o.value.clone(),
        (_, Unit::Euros) => Value::Money(Money::ZERO),
        _ => Value::Count(0),
    };
    let mut rows: Vec<BreakdownRow> = now
        .breakdown
        .iter()
        .map(|e| BreakdownRow {
            key: e.key.clone(),
            label: e.label.clone(),
            value: e.value.clone(),
            previous_value: before
                .breakdown
                .iter()
                .find(|b| b.key == e.key)
                .map(|b| b.value.clone())
                .unwrap_or_else(|| missing(before)),
        })
        .collect();
    for b in &before.breakdown {
        if !rows.iter().any(|r| r.key == b.key) {
            rows.push(BreakdownRow {
                key: b.key.clone(),
                label: b.label.clone(),
                value: missing(now),
                previous_value: b.value.clone(),
            });
        }
    }
    // Stable order whatever period a key comes from (ties keep their order: sort is stable).
    rows.sort_by_key(|r| crate::families::breakdown_rank(&r.key));
    rows
}

/// Activity of one month, for the season charts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthSummary {
    pub month: Month,
    pub performances: u64,
    pub paid: u64,
    pub free: u64,
    pub receipts_incl_vat: Money,
    pub receipts_excl_vat: Money,
}

/// One summary per month of the period (months without data are zero: nothing happened or
/// nothing was given; the report lists the months with data).
pub fn month_series(period: Period, months: &[MonthData]) -> Vec<MonthSummary> {
    let mut by_month: BTreeMap<Month, MonthSummary> = period
        .months()
        .into_iter()
        .map(|m| {
            (
                m,
                MonthSummary {
                    month: m,
                    performances: 0,
                    paid: 0,
                    free: 0,
                    receipts_incl_vat: Money::ZERO,
                    receipts_excl_vat: Money::ZERO,
                },
            )
        })
        .collect();
    for data in months {
        let Some(s) = by_month.get_mut(&data.month()) else {
            continue;
        };
        for p in data.facts.performances.iter().filter(|p| !p.cancelled) {
            s.performances += 1;
            s.paid += p.paid_tickets;
            s.free += p.free_tickets;
            s.receipts_incl_vat += p.receipts_incl_vat;
            s.receipts_excl_vat += p.receipts_excl_vat;
        }
    }
    by_month.into_values().collect()
}
