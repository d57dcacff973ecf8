//! The two sums behind a ratio indicator (a rate, a share, an average price), written beside
//! its value in `indicators.json` (`"ratio": {"numerator", "denominator"}`).
//!
//! They exist so that several organisations' ratios can be combined correctly — a network's
//! fill rate is Σ entries ÷ Σ seats, never the mean of the venues' rates — and so that the
//! combination uses the very formula of the catalogue: [`Ratio::value`] is what the families
//! call to compute their own figure.

use crate::value::Value;
use releve_domain::Money;

/// Numerator and denominator of a ratio indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ratio {
    /// `numerator ÷ denominator × 100`, rounded half-up to one decimal.
    Percent { numerator: u64, denominator: u64 },
    /// `amount ÷ count`, rounded half-up to the cent (the average price of a ticket).
    Average { amount: Money, count: u64 },
}

impl Ratio {
    /// The indicator's value: `NotApplicable` with `reason` when the denominator is zero.
    pub fn value(&self, reason: &str) -> Value {
        match *self {
            Ratio::Percent {
                numerator,
                denominator,
            } => Value::percent_of(numerator, denominator, reason),
            Ratio::Average { amount, count } => match amount.average(count) {
                Some(avg) => Value::Money(avg),
                None => Value::not_applicable(reason),
            },
        }
    }

    /// The ratio of two sets of figures put together (sums of numerators and denominators);
    /// `None` when they are not of the same kind.
    pub fn add(&self, other: &Ratio) -> Option<Ratio> {
        match (*self, *other) {
            (
                Ratio::Percent {
                    numerator: a,
                    denominator: b,
                },
                Ratio::Percent {
                    numerator: c,
                    denominator: d,
                },
            ) => Some(Ratio::Percent {
                numerator: a + c,
                denominator: b + d,
            }),
            (
                Ratio::Average {
                    amount: a,
                    count: b,
                },
                Ratio::Average {
                    amount: c,
                    count: d,
                },
            ) => Some(Ratio::Average {
                amount: a + c,
                count: b + d,
            }),
            _ => None,
        }
    }

    /// JSON form: `{"numerator": 312, "denominator": 400}`; an amount is a two-decimal string.
    pub fn to_json(&self) -> serde_json::Value {
        match *self {
            Ratio::Percent {
                numerator,
                denominator,
            } => serde_json::json!({ "numerator": numerator, "denominator": denominator }),
            Ratio::Average { amount, count } => {
                serde_json::json!({ "numerator": amount.to_string(), "denominator": count })
            }
        }
    }

    /// Reads the JSON form back (`None` if it is not one).
    pub fn from_json(json: &serde_json::Value) -> Option<Ratio> {
        let denominator = json.get("denominator")?.as_u64()?;
        match json.get("numerator")? {
            serde_json::Value::Number(n) => Some(Ratio::Percent {
                numerator: n.as_u64()?,
                denominator,
            }),
            serde_json::Value::String(s) => Some(Ratio::Average {
                amount: Money::parse(s).ok()?,
                count: denominator,
            }),
            _ => None,
        }
    }

    /// French wording of the sums, for notes: `1 234 ÷ 2 000`.
    pub fn to_french(&self) -> String {
        match *self {
            Ratio::Percent {
                numerator,
                denominator,
            } => format!(
                "{} ÷ {}",
                Value::Count(numerator).to_french(),
                Value::Count(denominator).to_french()
            ),
            Ratio::Average { amount, count } => format!(
                "{} ÷ {} billets",
                amount.to_french(),
                Value::Count(count).to_french()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn sums_then_divides_and_reads_back() {
        let a = Ratio::Percent {
            numerator: 300,
            denominator: 400,
        };
        let b = Ratio::Percent {
            numerator: 100,
            denominator: 1000,
        };
        // 75 % and 10 %: the mean would be 42.5 %, the network is 400 / 1400 = 28.6 %.
        assert_eq!(a.add(&b).unwrap().value("x"), Value::Percent(dec!(28.6)));
        let m = Ratio::Average {
            amount: Money::parse("100.00").unwrap(),
            count: 3,
        };
        assert_eq!(m.value("x"), Value::Money(Money::parse("33.33").unwrap()));
        assert!(a.add(&m).is_none());
        for r in [a, m] {
            assert_eq!(Ratio::from_json(&r.to_json()), Some(r));
        }
        assert!(Ratio::Percent {
            numerator: 0,
            denominator: 0
        }
        .value("jauge inconnue")
        .reason()
        .is_some());
    }
}
