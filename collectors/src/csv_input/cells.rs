//! Reading typed values out of cells, with the French reason to quarantine a row when a value
//! is missing or unreadable. Shared by every open CSV format so that the same mistake gets the
//! same message everywhere.

use super::Row;
use chrono::{DateTime, Utc};
use releve_domain::calendar::parse_instant;
use releve_domain::text::normalise_key;
use releve_domain::Money;

/// Why a row cannot be mapped: the column at fault (when one is) and what to do, in French.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellError {
    pub column: Option<&'static str>,
    pub reason: String,
}

pub type CellResult<T> = Result<T, CellError>;

impl CellError {
    /// An error about one column; the reason is prefixed with the column name.
    pub fn at(column: &'static str, reason: impl AsRef<str>) -> CellError {
        CellError {
            column: Some(column),
            reason: format!("colonne « {column} » : {}", reason.as_ref()),
        }
    }
}

impl<'a> Row<'a> {
    /// A cell that must not be empty.
    pub fn required(&self, column: &'static str) -> CellResult<&'a str> {
        self.get(column).ok_or_else(|| {
            CellError::at(
                column,
                "valeur manquante ; cette colonne est obligatoire, renseignez-la",
            )
        })
    }

    /// An amount (`12,50`, `12.50`, `1 234,50 €`), positive or zero, at most two decimals.
    pub fn money(&self, column: &'static str) -> CellResult<Option<Money>> {
        let Some(text) = self.get(column) else {
            return Ok(None);
        };
        Money::parse(text).map(Some).map_err(|e| {
            CellError::at(
                column,
                format!(
                    "{e} ; attendu : un montant positif ou nul en euros, avec au plus deux \
                     décimales, par exemple 12,50 ou 12.50"
                ),
            )
        })
    }

    /// An instant: RFC 3339 with offset, or a Paris local time (`2025-11-14 20:30`).
    pub fn instant(&self, column: &'static str) -> CellResult<Option<DateTime<Utc>>> {
        let Some(text) = self.get(column) else {
            return Ok(None);
        };
        parse_instant(text)
            .map(Some)
            .map_err(|e| CellError::at(column, e.to_string()))
    }

    /// A required instant.
    pub fn required_instant(&self, column: &'static str) -> CellResult<DateTime<Utc>> {
        self.required(column)?;
        Ok(self.instant(column)?.expect("cell checked non-empty"))
    }

    /// `yes`/`no` in the spellings of [`parse_yes_no`]; `None` when the cell is empty.
    pub fn yes_no(&self, column: &'static str) -> CellResult<Option<bool>> {
        let Some(text) = self.get(column) else {
            return Ok(None);
        };
        parse_yes_no(text).map(Some).ok_or_else(|| {
            CellError::at(
                column,
                format!(
                    "valeur « {text} » non reconnue ; attendu : yes ou no (oui/non, true/false, \
                     1/0 sont acceptés), ou une cellule vide"
                ),
            )
        })
    }

    /// A flag whose empty cell means no.
    pub fn flag(&self, column: &'static str) -> CellResult<bool> {
        Ok(self.yes_no(column)?.unwrap_or(false))
    }

    /// A whole number (`400`, `1 200`).
    pub fn count(&self, column: &'static str) -> CellResult<Option<u32>> {
        let Some(text) = self.get(column) else {
            return Ok(None);
        };
        let digits: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(n) = digits.parse() {
                return Ok(Some(n));
            }
        }
        Err(CellError::at(
            column,
            format!(
                "nombre illisible « {text} » ; attendu : un nombre entier positif, par exemple 400"
            ),
        ))
    }
}

/// `yes`, `oui`, `true`, `1` → true; `no`, `non`, `false`, `0` → false (case and accents
/// ignored); anything else → `None`.
pub fn parse_yes_no(text: &str) -> Option<bool> {
    match normalise_key(text).as_str() {
        "yes" | "oui" | "true" | "vrai" | "1" => Some(true),
        "no" | "non" | "false" | "faux" | "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_no_spellings() {
        for t in ["yes", "YES", "Oui", "true", "1", " vrai "] {
            assert_eq!(parse_yes_no(t), Some(true), "{t}");
        }
        for t in ["no", "Non", "FALSE", "0", "faux"] {
            assert_eq!(parse_yes_no(t), Some(false), "{t}");
        }
        assert_eq!(parse_yes_no("peut-être"), None);
        assert_eq!(parse_yes_no("2"), None);
    }
}
