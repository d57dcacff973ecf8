//! Money: an exact decimal amount in euros.
//!
//! Amounts are `rust_decimal::Decimal` in memory and integer cents in the database. Rounding is
//! always explicit and half-up at two decimals (`domain.md` §3). Serialised as a string with
//! exactly two decimals (`"1234.50"`), which is the contract of every JSON output.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub};
use std::str::FromStr;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal);

/// Why a text could not be read as an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("montant illisible : « {0} »")]
    Unreadable(String),
    #[error("montant avec plus de deux décimales : « {0} »")]
    TooPrecise(String),
    #[error("montant négatif : « {0} »")]
    Negative(String),
}

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Wraps an exact amount (no rounding).
    pub fn new(amount: Decimal) -> Money {
        Money(amount)
    }

    pub fn from_cents(cents: i64) -> Money {
        Money(Decimal::new(cents, 2))
    }

    /// Integer cents; `None` if the amount carries more than two decimals or overflows.
    pub fn to_cents(self) -> Option<i64> {
        let scaled = self.0 * Decimal::ONE_HUNDRED;
        if scaled.fract() != Decimal::ZERO {
            return None;
        }
        scaled.trunc().to_i64()
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    pub fn is_positive(self) -> bool {
        self.0 > Decimal::ZERO
    }

    /// Rounds half-up (away from zero on a tie) to the cent.
    pub fn round_cents(self) -> Money {
        Money(round_half_up(self.0, 2))
    }

    /// Rounds half-up to the whole euro (`1234.50` → `1235.00`): the figure to type into a portal
    /// that takes whole euros.
    pub fn round_euros(self) -> Money {
        Money(round_half_up(self.0, 0))
    }

    /// `round_half_up(self × rate / 100)`, the rule for every tax line.
    pub fn percent(self, rate_percent: Decimal) -> Money {
        Money(round_half_up(
            self.0 * rate_percent / Decimal::ONE_HUNDRED,
            2,
        ))
    }

    /// `round_half_up(self / count)`; `None` when `count` is zero (never divide by zero).
    pub fn average(self, count: u64) -> Option<Money> {
        if count == 0 {
            return None;
        }
        Some(Money(round_half_up(self.0 / Decimal::from(count), 2)))
    }

    /// Reads an amount as people write it: `12.50`, `12,50`, `1 234,50`, `12 €`. At most two
    /// decimals; negative amounts are refused (a refund is a status, not a negative price).
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let cleaned: String = text
            .trim()
            .trim_end_matches('€')
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .map(|c| if c == ',' { '.' } else { c })
            .collect();
        if cleaned.is_empty() || cleaned.matches('.').count() > 1 {
            return Err(MoneyError::Unreadable(text.trim().to_string()));
        }
        let value = Decimal::from_str(&cleaned)
            .map_err(|_| MoneyError::Unreadable(text.trim().to_string()))?;
        if value.scale() > 2 && value.normalize().scale() > 2 {
            return Err(MoneyError::TooPrecise(text.trim().to_string()));
        }
        if value.is_sign_negative() && !value.is_zero() {
            return Err(MoneyError::Negative(text.trim().to_string()));
        }
        Ok(Money(value.normalize()))
    }
}

/// Half-up rounding at `dp` decimals (ties away from zero).
pub fn round_half_up(value: Decimal, dp: u32) -> Decimal {
    value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rounded = round_half_up(self.0, 2);
        write!(f, "{:.2}", rounded)
    }
}

impl Money {
    /// French display: `1 234,50 €` (narrow no-break space for thousands).
    pub fn to_french(self) -> String {
        let s = self.to_string();
        let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
        format!("{},{frac}\u{a0}€", group_thousands(int))
    }
}

/// An integer written the French way, thousands grouped by narrow no-break spaces:
/// `-1234567` → `-1 234 567`. The one grouping of the workspace: `Money::to_french` and the
/// French formatter of the documents (`releve_documents::fr`) both use it.
pub fn group_thousands(integer: &str) -> String {
    let (sign, digits) = match integer.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", integer),
    };
    let mut grouped = String::from(sign);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('\u{202f}');
        }
        grouped.push(c);
    }
    grouped
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        let text = String::deserialize(d)?;
        Decimal::from_str(&text)
            .map(Money)
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn parses_french_and_english_amounts() {
        assert_eq!(Money::parse("12,50").unwrap(), Money::from_cents(1250));
        assert_eq!(Money::parse("12.5").unwrap(), Money::from_cents(1250));
        assert_eq!(
            Money::parse("1 234,00 €").unwrap(),
            Money::from_cents(123400)
        );
        assert_eq!(Money::parse("0").unwrap(), Money::ZERO);
        assert!(matches!(
            Money::parse("12.345"),
            Err(MoneyError::TooPrecise(_))
        ));
        assert!(matches!(Money::parse("-3"), Err(MoneyError::Negative(_))));
        assert!(matches!(
            Money::parse("abc"),
            Err(MoneyError::Unreadable(_))
        ));
        assert!(matches!(
            Money::parse("1.2.3"),
            Err(MoneyError::Unreadable(_))
        ));
    }

    #[test]
    fn rounds_half_up_at_the_cent() {
        assert_eq!(
            Money::new(dec!(2047.393)).round_cents().to_string(),
            "2047.39"
        );
        assert_eq!(Money::new(dec!(0.005)).round_cents().to_string(), "0.01");
        assert_eq!(Money::new(dec!(0.0049)).round_cents().to_string(), "0.00");
        // domain.md §3 worked example: 2797.39 × 3.5 % = 97.90865 → 97.91
        assert_eq!(
            Money::new(dec!(2797.39)).percent(dec!(3.5)).to_string(),
            "97.91"
        );
    }

    #[test]
    fn average_never_divides_by_zero() {
        assert_eq!(
            Money::from_cents(306000).average(150).unwrap().to_string(),
            "20.40"
        );
        assert_eq!(
            Money::from_cents(100).average(3).unwrap().to_string(),
            "0.33"
        );
        assert!(Money::from_cents(100).average(0).is_none());
    }

    #[test]
    fn cents_round_trip_and_display() {
        let m = Money::from_cents(123456);
        assert_eq!(m.to_cents(), Some(123456));
        assert_eq!(m.to_string(), "1234.56");
        assert_eq!(m.to_french(), "1\u{202f}234,56\u{a0}€");
        assert_eq!(Money::new(dec!(1.234)).to_cents(), None);
        assert_eq!(
            serde_json::to_string(&Money::from_cents(5)).unwrap(),
            "\"0.05\""
        );
    }
}
