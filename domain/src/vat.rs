//! VAT rates on admissions, as percents (`5.5`, `2.1`, `10`, `20`, `0`).
//!
//! A rate is kept as a percent `Decimal` and serialised as its shortest string (`"5.5"`,
//! `"20"`). Only the rates French law applies to live-show tickets are accepted, so a typo
//! (`55`) is caught at import instead of silently shrinking the tax base.

use crate::money::{round_half_up, Money};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct VatRate(Decimal);

/// Rates accepted on tickets: 0 (exempt organiser), 0.9 and 1.05 (Corsica, overseas "très
/// réduit"), 2.1 (first 140 performances of a creation), 5.5 (general), 8.5 (overseas normal),
/// 10 and 20.
pub const KNOWN_RATES: [&str; 8] = ["0", "0.9", "1.05", "2.1", "5.5", "8.5", "10", "20"];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VatError {
    #[error("taux de TVA illisible : « {0} »")]
    Unreadable(String),
    #[error("taux de TVA inconnu : « {0} » (taux admis : 0, 2,1, 5,5, 10, 20 ; 0,9, 1,05 et 8,5 en Corse et outre-mer)")]
    Unknown(String),
}

impl VatRate {
    pub const ZERO: VatRate = VatRate(Decimal::ZERO);

    /// Reads `5.5`, `5,5`, `5.5 %`, `0.055` is *not* accepted (percent only).
    pub fn parse(text: &str) -> Result<VatRate, VatError> {
        let cleaned = text.trim().trim_end_matches('%').trim().replace(',', ".");
        let value =
            Decimal::from_str(&cleaned).map_err(|_| VatError::Unreadable(text.trim().into()))?;
        let rate = VatRate(value.normalize());
        if KNOWN_RATES
            .iter()
            .any(|k| Decimal::from_str(k).unwrap() == rate.0)
        {
            Ok(rate)
        } else {
            Err(VatError::Unknown(text.trim().into()))
        }
    }

    /// A rate given as a fraction by a vendor (`0.055`); converted to percent then checked.
    pub fn from_fraction(fraction: Decimal) -> Result<VatRate, VatError> {
        VatRate::parse(&(fraction * Decimal::ONE_HUNDRED).normalize().to_string())
    }

    pub fn percent(self) -> Decimal {
        self.0
    }

    /// Amount excluding VAT from an amount including it, rounded half-up to the cent:
    /// `round(incl / (1 + r/100), 2)` (`domain.md` §3).
    pub fn excl_from_incl(self, incl: Money) -> Money {
        let divisor = Decimal::ONE + self.0 / Decimal::ONE_HUNDRED;
        Money::new(round_half_up(incl.amount() / divisor, 2))
    }

    /// French display: `5,5 %`.
    pub fn to_french(self) -> String {
        format!("{}\u{a0}%", self.to_string().replace('.', ","))
    }
}

impl fmt::Display for VatRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

impl Serialize for VatRate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for VatRate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<VatRate, D::Error> {
        let text = String::deserialize(d)?;
        VatRate::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn parses_and_prints_rates() {
        assert_eq!(VatRate::parse("5,5").unwrap().to_string(), "5.5");
        assert_eq!(VatRate::parse("5.50 %").unwrap().to_string(), "5.5");
        assert_eq!(VatRate::parse("20").unwrap().to_string(), "20");
        assert_eq!(VatRate::parse("0").unwrap().to_string(), "0");
        assert_eq!(
            VatRate::from_fraction(dec!(0.021)).unwrap().to_string(),
            "2.1"
        );
        assert!(matches!(VatRate::parse("55"), Err(VatError::Unknown(_))));
        assert!(matches!(VatRate::parse("x"), Err(VatError::Unreadable(_))));
    }

    #[test]
    fn excl_follows_the_worked_example() {
        let r55 = VatRate::parse("5.5").unwrap();
        let r20 = VatRate::parse("20").unwrap();
        assert_eq!(
            r55.excl_from_incl(Money::from_cents(216000)).to_string(),
            "2047.39"
        );
        assert_eq!(
            r20.excl_from_incl(Money::from_cents(90000)).to_string(),
            "750.00"
        );
        assert_eq!(
            VatRate::ZERO
                .excl_from_incl(Money::from_cents(1234))
                .to_string(),
            "12.34"
        );
    }
}
