//! SIRET numbers (14 digits: SIREN + NIC), validated with the Luhn checksum.
//!
//! La Poste's establishments (SIREN 356000000) do not follow Luhn; their rule is that the digit
//! sum is a multiple of 5, and it is accepted too.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Siret(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SiretError {
    #[error("SIRET « {0} » : il faut 14 chiffres (SIREN de 9 chiffres + NIC de 5 chiffres)")]
    Length(String),
    #[error("SIRET « {0} » : la clé de contrôle (Luhn) est fausse, vérifiez les chiffres")]
    Checksum(String),
}

/// Luhn checksum over a string of ASCII digits.
pub fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0;
    for (i, c) in digits.bytes().rev().enumerate() {
        let mut d = (c - b'0') as u32;
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

impl Siret {
    /// Accepts spaces between groups (`812 345 676 00009`).
    pub fn parse(text: &str) -> Result<Siret, SiretError> {
        let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != 14 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SiretError::Length(text.trim().to_string()));
        }
        let la_poste = digits.starts_with("356000000")
            && digits.bytes().map(|b| (b - b'0') as u32).sum::<u32>() % 5 == 0;
        if !luhn_valid(&digits) && !la_poste {
            return Err(SiretError::Checksum(text.trim().to_string()));
        }
        Ok(Siret(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn siren(&self) -> &str {
        &self.0[..9]
    }
}

impl fmt::Display for Siret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Siret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Siret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Siret, D::Error> {
        Siret::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_luhn() {
        // formats.md example: SIREN 812345676 + NIC 00009
        assert!(Siret::parse("81234567600009").is_ok());
        assert_eq!(
            Siret::parse("812 345 676 00009").unwrap().siren(),
            "812345676"
        );
        assert!(matches!(
            Siret::parse("81234567600008"),
            Err(SiretError::Checksum(_))
        ));
        assert!(matches!(
            Siret::parse("8123456760000"),
            Err(SiretError::Length(_))
        ));
        assert!(matches!(
            Siret::parse("8123456760000A"),
            Err(SiretError::Length(_))
        ));
        // La Poste: digit sum multiple of 5.
        assert!(Siret::parse("35600000000001").is_ok());
    }
}
