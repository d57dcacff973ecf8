//! The value of one indicator: a figure of a given kind, or "not applicable" with the reason.
//!
//! Never a silent zero: an indicator that cannot be computed (no capacity known, no paid ticket,
//! no payroll source…) is `NotApplicable` with a French reason the funder can read. Percentages
//! are rounded half-up to one decimal (`62.45` → `62.5`), amounts to the cent.

use releve_documents::fr;
use releve_domain::money::round_half_up;
use releve_domain::Money;
use rust_decimal::Decimal;
use serde::Serialize;

/// What an indicator is measured in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A whole number of things (performances, tickets, people).
    Count,
    /// A percentage, one decimal.
    Percent,
    /// Euros, two decimals.
    Euros,
    /// Hours worked, decimal.
    Hours,
    /// Cachets (the intermittents' unit of engagement), decimal.
    Cachets,
}

impl Unit {
    pub fn code(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Percent => "percent",
            Unit::Euros => "euros",
            Unit::Hours => "hours",
            Unit::Cachets => "cachets",
        }
    }

    /// French name for documents.
    pub fn label_fr(self) -> &'static str {
        match self {
            Unit::Count => "nombre",
            Unit::Percent => "%",
            Unit::Euros => "euros",
            Unit::Hours => "heures",
            Unit::Cachets => "cachets",
        }
    }
}

/// The result of one indicator for one period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A decimal quantity (hours, cachets).
    Number(Decimal),
    Count(u64),
    Money(Money),
    /// Already rounded half-up to one decimal.
    Percent(Decimal),
    /// Cannot be computed; the reason is in French.
    NotApplicable {
        reason: String,
    },
}

impl Value {
    pub fn not_applicable(reason: impl Into<String>) -> Value {
        Value::NotApplicable {
            reason: reason.into(),
        }
    }

    /// `numerator / denominator × 100`, rounded half-up to one decimal; `NotApplicable` with
    /// `reason` when the denominator is zero (never divide by zero).
    pub fn percent_of(numerator: u64, denominator: u64, reason: &str) -> Value {
        if denominator == 0 {
            return Value::not_applicable(reason);
        }
        let ratio = Decimal::from(numerator) * Decimal::ONE_HUNDRED / Decimal::from(denominator);
        Value::Percent(round_half_up(ratio, 1))
    }

    pub fn is_applicable(&self) -> bool {
        !matches!(self, Value::NotApplicable { .. })
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            Value::NotApplicable { reason } => Some(reason),
            _ => None,
        }
    }

    /// Machine text: counts as integers, amounts with two decimals, percents with one,
    /// `None` when not applicable.
    pub fn machine_text(&self) -> Option<String> {
        match self {
            Value::Number(d) => Some(d.normalize().to_string()),
            Value::Count(n) => Some(n.to_string()),
            Value::Money(m) => Some(m.to_string()),
            Value::Percent(p) => Some(format!("{:.1}", p)),
            Value::NotApplicable { .. } => None,
        }
    }

    /// JSON form: counts as numbers, everything else as strings (amounts `"1234.50"`, percents
    /// `"62.5"`), `null` when not applicable (the reason goes beside it).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Count(n) => serde_json::Value::from(*n),
            Value::NotApplicable { .. } => serde_json::Value::Null,
            other => serde_json::Value::String(other.machine_text().unwrap_or_default()),
        }
    }

    /// French display: `1 234`, `1 234,50 €`, `62,5 %`, `n. a.`.
    pub fn to_french(&self) -> String {
        match self {
            Value::Number(d) => fr::number(*d),
            Value::Count(n) => fr::count(*n),
            Value::Money(m) => fr::money(*m),
            Value::Percent(p) => fr::percent(*p),
            Value::NotApplicable { .. } => "non applicable".to_string(),
        }
    }

    /// A magnitude for drawing charts only (never for arithmetic on money).
    pub fn chart_magnitude(&self) -> f64 {
        let d = match self {
            Value::Number(d) | Value::Percent(d) => *d,
            Value::Count(n) => Decimal::from(*n),
            Value::Money(m) => m.amount(),
            Value::NotApplicable { .. } => Decimal::ZERO,
        };
        d.to_string().parse::<f64>().unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn percent_rounds_half_up_and_never_divides_by_zero() {
        // 1 / 8 = 12.5 % exactly; 1 / 3 = 33.333… → 33.3; 5 / 8 = 62.5; 1249 / 2000 = 62.45 → 62.5
        assert_eq!(Value::percent_of(1, 8, "x"), Value::Percent(dec!(12.5)));
        assert_eq!(Value::percent_of(1, 3, "x"), Value::Percent(dec!(33.3)));
        assert_eq!(
            Value::percent_of(1249, 2000, "x"),
            Value::Percent(dec!(62.5))
        );
        assert_eq!(
            Value::percent_of(3, 0, "jauge inconnue"),
            Value::not_applicable("jauge inconnue")
        );
    }

    #[test]
    fn texts_for_machines_and_people() {
        assert_eq!(Value::Percent(dec!(50)).machine_text().unwrap(), "50.0");
        assert_eq!(
            Value::Money(Money::from_cents(123450)).to_json(),
            serde_json::json!("1234.50")
        );
        assert_eq!(Value::Count(12).to_json(), serde_json::json!(12));
        assert_eq!(
            Value::not_applicable("r").to_json(),
            serde_json::Value::Null
        );
        assert_eq!(Value::Count(12345).to_french(), "12\u{202f}345");
        assert_eq!(Value::Percent(dec!(62.5)).to_french(), "62,5\u{a0}%");
        assert_eq!(Value::Number(dec!(1234.50)).to_french(), "1\u{202f}234,5");
    }
}
