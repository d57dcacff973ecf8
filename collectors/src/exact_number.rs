//! Exact reading of JSON numbers that carry money or rates (Shotgun, Supersoniks/SoTicket,
//! Weezevent send euros and VAT fractions as JSON floats: `15.0`, `19.92`, `0.055`).
//!
//! The number's text is read as it appears in the body and parsed as a `Decimal`, never
//! through `f64`. How: serde_json's `raw_value` feature (enabled in this crate's
//! `Cargo.toml`) hands over the exact text of a value as a `RawValue`. The alternatives were
//! checked and rejected: serde_json's `arbitrary_precision` (and rust_decimal's
//! `serde-with-arbitrary-precision`, which needs it) also work, but they change how every
//! crate of the workspace sees `serde_json::Number` (features are unified), which can break
//! numbers inside untagged or flattened types and makes `Value` equality depend on how a
//! number is written (`1.0` ≠ `1.00`); rust_decimal's `serde-float`, like its default
//! `visit_f64`, goes through `f64`, and would also make every `Decimal` of the workspace
//! serialise as a JSON float. `raw_value` is additive: nothing else changes.
//!
//! Caveat: `RawValue` only sees the exact text when the body is parsed straight from its
//! string (`serde_json::from_str`, `api::json::parse`), not from a `serde_json::Value`.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use std::str::FromStr;

/// A JSON number (or a numeric string, as some vendors quote them) read exactly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExactDecimal(pub Decimal);

impl ExactDecimal {
    pub fn value(self) -> Decimal {
        self.0
    }
}

/// Parses the text of a JSON number or numeric string.
pub fn parse_number_text(text: &str) -> Option<Decimal> {
    let t = text.trim().trim_matches('"').trim();
    if t.is_empty() {
        return None;
    }
    Decimal::from_str(t)
        .or_else(|_| Decimal::from_scientific(t))
        .ok()
}

impl<'de> Deserialize<'de> for ExactDecimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ExactDecimal, D::Error> {
        use serde::de::Error;
        let raw: Box<RawValue> = Deserialize::deserialize(d)?;
        let text = raw.get();
        parse_number_text(text)
            .map(ExactDecimal)
            .ok_or_else(|| D::Error::custom(format!("nombre attendu, reçu {text}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[derive(Deserialize, Debug)]
    struct Row {
        price: ExactDecimal,
        #[serde(default)]
        rate: Option<ExactDecimal>,
    }

    #[test]
    fn reads_the_number_text_exactly() {
        let rows: Vec<Row> = serde_json::from_str(
            r#"[{"price":15.0,"rate":0.055},{"price":"22.50","rate":null},{"price":0.1}]"#,
        )
        .unwrap();
        assert_eq!(rows[0].price.0, dec!(15.0));
        assert_eq!(rows[0].rate, Some(ExactDecimal(dec!(0.055))));
        assert_eq!(rows[1].price.0, dec!(22.50));
        assert_eq!(rows[1].rate, None);
        // 0.1 has no exact f64; the text is kept: 0.1 × 3 = 0.3 exactly.
        assert_eq!(rows[2].price.0 * dec!(3), dec!(0.3));
    }

    #[test]
    fn keeps_digits_f64_would_lose() {
        // 17 significant digits: f64 would round this to 0.12345678901234568.
        let row: Row = serde_json::from_str(r#"{"price":0.12345678901234567}"#).unwrap();
        assert_eq!(row.price.0, dec!(0.12345678901234567));
        let row: Row = serde_json::from_str(r#"{"price":1.5e1}"#).unwrap();
        assert_eq!(row.price.0, dec!(15));
    }

    #[test]
    fn works_through_path_to_error_and_names_the_path() {
        let de = &mut serde_json::Deserializer::from_str(r#"[{"price":1.25},{"price":"abc"}]"#);
        let err = serde_path_to_error::deserialize::<_, Vec<Row>>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "[1].price");
        let de = &mut serde_json::Deserializer::from_str(r#"[{"price":1.25}]"#);
        let ok: Vec<Row> = serde_path_to_error::deserialize(de).unwrap();
        assert_eq!(ok[0].price.0, dec!(1.25));
    }
}
