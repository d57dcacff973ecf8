//! Small mapping helpers shared by the vendor normalisers.

use releve_domain::PriceKind;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};
use std::str::FromStr;

/// Price family from a tariff label, when the vendor has no typed field: a free ticket is
/// `free`; otherwise the usual French labels. Unknown labels are `other` (never guessed as
/// full price, which would inflate the SIBIL full-price count).
pub fn price_kind_from_label(label: &str, free: bool) -> PriceKind {
    if free {
        return PriceKind::Free;
    }
    let l = releve_domain::text::normalise_key(label);
    if l.contains("plein") || l == "normal" || l.contains("tarif normal") {
        PriceKind::Full
    } else if l.contains("abonn") || l.contains("pass") || l.contains("forfait") {
        PriceKind::Subscription
    } else if [
        "reduit",
        "jeune",
        "etudiant",
        "enfant",
        "senior",
        "demandeur",
        "chomeur",
        "solidaire",
        "-26",
        "moins de",
    ]
    .iter()
    .any(|k| l.contains(k))
    {
        PriceKind::Reduced
    } else if l.contains("invitation") || l.contains("exonere") || l.contains("gratuit") {
        PriceKind::Free
    } else {
        PriceKind::Other
    }
}

/// A JSON scalar read as text: vendors send the same field as `"12"`, `12`, `false` or `null`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text(pub String);

impl Text {
    pub fn as_str(&self) -> &str {
        self.0.trim()
    }

    pub fn is_empty(&self) -> bool {
        self.as_str().is_empty()
    }

    pub fn decimal(&self) -> Option<Decimal> {
        Decimal::from_str(self.as_str()).ok()
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        use serde::de::Error;
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Null => Ok(Text(String::new())),
            serde_json::Value::Bool(false) => Ok(Text(String::new())),
            serde_json::Value::Bool(true) => Ok(Text("1".into())),
            serde_json::Value::Number(n) => Ok(Text(n.to_string())),
            serde_json::Value::String(s) => Ok(Text(s)),
            other => Err(D::Error::custom(format!(
                "valeur simple attendue, reçu {}",
                match other {
                    serde_json::Value::Array(_) => "une liste",
                    _ => "un objet",
                }
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_map_to_kinds() {
        assert_eq!(price_kind_from_label("Plein tarif", false), PriceKind::Full);
        assert_eq!(
            price_kind_from_label("Tarif réduit", false),
            PriceKind::Reduced
        );
        assert_eq!(
            price_kind_from_label("Abonné", false),
            PriceKind::Subscription
        );
        assert_eq!(price_kind_from_label("Plein tarif", true), PriceKind::Free);
        assert_eq!(
            price_kind_from_label("Dîner-spectacle", false),
            PriceKind::Other
        );
    }

    #[test]
    fn text_accepts_scalars_only() {
        let v: Vec<Text> = serde_json::from_str(r#"["1", 2.5, false, null, true]"#).unwrap();
        assert_eq!(
            v.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
            ["1", "2.5", "", "", "1"]
        );
        assert!(serde_json::from_str::<Text>("{}").is_err());
    }
}
