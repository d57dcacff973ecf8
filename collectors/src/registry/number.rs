//! The number a lookup is about: a SIRET (an establishment) or a SIREN (a legal unit), checked
//! locally with its Luhn key before anything is sent: a mistyped number never leaves releve.

use releve_domain::siret::luhn_valid;
use releve_domain::Siret;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CompanyNumber {
    Siret(String),
    Siren(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("« {0} » n'est ni un SIRET (14 chiffres) ni un SIREN (9 chiffres)")]
    Shape(String),
    #[error("« {0} » : la clé de contrôle (Luhn) est fausse, vérifiez les chiffres")]
    Checksum(String),
}

impl CompanyNumber {
    /// Digits only; spaces between groups are accepted (`812 345 676 00009`).
    pub fn parse(text: &str) -> Result<CompanyNumber, NumberError> {
        let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NumberError::Shape(text.trim().to_string()));
        }
        match digits.len() {
            14 => Siret::parse(&digits)
                .map(|s| CompanyNumber::Siret(s.as_str().to_string()))
                .map_err(|_| NumberError::Checksum(text.trim().to_string())),
            9 if luhn_valid(&digits) || digits == "356000000" => Ok(CompanyNumber::Siren(digits)),
            9 => Err(NumberError::Checksum(text.trim().to_string())),
            _ => Err(NumberError::Shape(text.trim().to_string())),
        }
    }

    pub fn digits(&self) -> &str {
        match self {
            CompanyNumber::Siret(d) | CompanyNumber::Siren(d) => d,
        }
    }

    pub fn siren(&self) -> &str {
        &self.digits()[..9]
    }

    pub fn is_siret(&self) -> bool {
        matches!(self, CompanyNumber::Siret(_))
    }

    /// `SIRET` or `SIREN`, for messages.
    pub fn kind(&self) -> &'static str {
        if self.is_siret() {
            "SIRET"
        } else {
            "SIREN"
        }
    }

    /// Grouped as printed on forms: `812 345 676` or `812 345 676 00009`.
    pub fn grouped(&self) -> String {
        let d = self.digits();
        let siren = format!("{} {} {}", &d[0..3], &d[3..6], &d[6..9]);
        match self {
            CompanyNumber::Siret(_) => format!("{siren} {}", &d[9..]),
            CompanyNumber::Siren(_) => siren,
        }
    }
}

impl fmt::Display for CompanyNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.digits())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sirets_and_sirens_are_checked_locally() {
        assert_eq!(
            CompanyNumber::parse("812 345 676 00009").unwrap(),
            CompanyNumber::Siret("81234567600009".into())
        );
        let siren = CompanyNumber::parse("812345676").unwrap();
        assert_eq!(siren, CompanyNumber::Siren("812345676".into()));
        assert_eq!(siren.grouped(), "812 345 676");
        assert_eq!(
            CompanyNumber::parse("81234567600009").unwrap().grouped(),
            "812 345 676 00009"
        );
        // Last digit changed: the Luhn sum is off by one.
        assert!(matches!(
            CompanyNumber::parse("812345677"),
            Err(NumberError::Checksum(_))
        ));
        assert!(matches!(
            CompanyNumber::parse("81234567600008"),
            Err(NumberError::Checksum(_))
        ));
        assert!(matches!(
            CompanyNumber::parse("8123456"),
            Err(NumberError::Shape(_))
        ));
        assert!(matches!(
            CompanyNumber::parse("Théâtre"),
            Err(NumberError::Shape(_))
        ));
    }
}
