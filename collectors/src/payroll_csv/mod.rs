//! `payroll_csv`: the open payroll format, for payrolls without a DSN export and for GUSO
//! employers (outside DSN). One row per contract and pay period; each good row gives one
//! [`Engagement`], each bad row one [`Quarantined`] (line, column, French reason, raw row).
//!
//! # File
//!
//! Same input rules as the other open CSV formats ([`crate::csv_input`]): header row required,
//! UTF-8 (BOM tolerated) or Windows-1252, delimiter `,` or `;` detected on the header, header
//! names trimmed and case ignored, extra columns ignored, blank lines skipped.
//!
//! # Columns
//!
//! | column | required | read as |
//! |---|---|---|
//! | `employer_siret` | yes | SIRET, 14 digits (spaces allowed), Luhn-checked |
//! | `month` | yes | payroll month `YYYY-MM` (also `MM/YYYY`) |
//! | `person_id` | yes | NIR/NTT or an internal id, hashed with the pseudonym salt like DSN numbers ([`crate::dsn::pseudonym_key`]) |
//! | `sex` | no | `f` / `femme` or `m` / `h` / `homme` |
//! | `role` | yes | `artist` \| `technician` \| `other` (`artiste`, `technicien`, `autre`) |
//! | `contract_id` | yes | contract number |
//! | `contract_nature` | no | DSN nature code (`02` CDD…) |
//! | `pcs_ese` | no | PCS-ESE code |
//! | `intermittent` | no | yes/no, empty = no |
//! | `numero_objet` | no | numéro d'objet of the show |
//! | `period_start`, `period_end` | yes | `YYYY-MM-DD` or `DD/MM/YYYY`, end ≥ start |
//! | `hours` | no | decimal ≥ 0, empty = 0 |
//! | `cachets` | no | decimal ≥ 0, empty = not given |
//! | `gross_pay` | yes | amount in euros |
//! | `conges_spectacles` | no | amount in euros |
//!
//! The same contract in user terms is in `FORMAT.md` next to this file (for the README).
//! Re-importing a file replaces, per (employer SIRET, month) present in it, what was imported
//! before ([`batches`]). The person id never appears in quarantine reasons; the raw row of a
//! quarantined line is kept as for every CSV source (it is the user's own file).

use crate::csv_input::{CellError, CellResult, ColumnSpec, CsvInput, Row};
use crate::dsn::{pseudonym_key, PayrollBatch};
use crate::CollectorError;
use chrono::NaiveDate;
use releve_domain::employment::{Engagement, Role, Sex};
use releve_domain::text::normalise_key;
use releve_domain::{Month, Quarantined, Siret};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

const EMPLOYER_SIRET: &str = "employer_siret";
const MONTH: &str = "month";
const PERSON_ID: &str = "person_id";
const SEX: &str = "sex";
const ROLE: &str = "role";
const CONTRACT_ID: &str = "contract_id";
const CONTRACT_NATURE: &str = "contract_nature";
const PCS_ESE: &str = "pcs_ese";
const INTERMITTENT: &str = "intermittent";
const NUMERO_OBJET: &str = "numero_objet";
const PERIOD_START: &str = "period_start";
const PERIOD_END: &str = "period_end";
const HOURS: &str = "hours";
const CACHETS: &str = "cachets";
const GROSS_PAY: &str = "gross_pay";
const CONGES_SPECTACLES: &str = "conges_spectacles";

const SPEC: ColumnSpec = ColumnSpec {
    required: &[
        EMPLOYER_SIRET,
        MONTH,
        PERSON_ID,
        ROLE,
        CONTRACT_ID,
        PERIOD_START,
        PERIOD_END,
        GROSS_PAY,
    ],
    optional: &[
        SEX,
        CONTRACT_NATURE,
        PCS_ESE,
        INTERMITTENT,
        NUMERO_OBJET,
        HOURS,
        CACHETS,
        CONGES_SPECTACLES,
    ],
};

/// One row's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PayrollRow {
    Engagement(Engagement),
    Quarantined(Quarantined),
}

/// Opens a `payroll_csv` file (encoding, delimiter, header checked).
pub fn read(source_key: &str, path: &Path, salt: &str) -> Result<PayrollReader, CollectorError> {
    Ok(PayrollReader {
        source: source_key.to_string(),
        salt: salt.to_string(),
        input: CsvInput::open(path, &SPEC)?,
    })
}

/// The rows of a `payroll_csv` file, one at a time.
pub struct PayrollReader {
    source: String,
    salt: String,
    input: CsvInput,
}

impl Iterator for PayrollReader {
    type Item = PayrollRow;

    fn next(&mut self) -> Option<PayrollRow> {
        let row = match self.input.next_row()? {
            Ok(row) => row,
            Err(failure) => return Some(PayrollRow::Quarantined(failure.quarantine(&self.source))),
        };
        Some(match parse(&self.source, &self.salt, &row) {
            Ok(e) => PayrollRow::Engagement(e),
            Err(error) => PayrollRow::Quarantined(row.quarantine(&self.source, error)),
        })
    }
}

/// Groups engagements into one batch per (employer SIRET, month), sorted by month then SIRET.
pub fn batches(engagements: Vec<Engagement>) -> Vec<PayrollBatch> {
    let mut map: BTreeMap<(Month, String), Vec<Engagement>> = BTreeMap::new();
    for e in engagements {
        map.entry((e.month, e.employer_siret.clone()))
            .or_default()
            .push(e);
    }
    map.into_iter()
        .map(|((month, employer_siret), engagements)| PayrollBatch {
            employer_siret,
            month,
            engagements,
        })
        .collect()
}

fn parse(source: &str, salt: &str, row: &Row<'_>) -> CellResult<Engagement> {
    let siret_text = row.required(EMPLOYER_SIRET)?;
    let digits: String = siret_text.chars().filter(|c| !c.is_whitespace()).collect();
    let employer_siret = Siret::parse(&digits)
        .map_err(|_| {
            CellError::at(
                EMPLOYER_SIRET,
                format!("SIRET invalide « {siret_text} » ; attendu : 14 chiffres dont la clé de contrôle est juste"),
            )
        })?
        .as_str()
        .to_string();
    let month = month(row)?;
    let person = row.required(PERSON_ID)?;
    let sex = sex(row)?;
    let role = role(row)?;
    let contract_id = row.required(CONTRACT_ID)?.to_string();
    let contract_nature = row.get(CONTRACT_NATURE).map(str::to_string);
    let pcs_ese = row.get(PCS_ESE).map(str::to_string);
    let intermittent = row.flag(INTERMITTENT)?;
    let numero_objet = row.get(NUMERO_OBJET).map(str::to_string);
    let period_start = date(row, PERIOD_START)?;
    let period_end = date(row, PERIOD_END)?;
    if period_end < period_start {
        return Err(CellError::at(
            PERIOD_END,
            "fin de période antérieure au début ; vérifiez period_start et period_end",
        ));
    }
    let hours = quantity(row, HOURS)?.unwrap_or_default();
    let cachets = quantity(row, CACHETS)?;
    let gross_pay = row.money(GROSS_PAY)?.ok_or_else(|| {
        CellError::at(
            GROSS_PAY,
            "valeur manquante ; cette colonne est obligatoire, renseignez-la",
        )
    })?;
    let conges_spectacles = row.money(CONGES_SPECTACLES)?;
    Ok(Engagement {
        source: source.to_string(),
        employer_siret,
        month,
        person_key: pseudonym_key(salt, person),
        sex,
        role,
        contract_id,
        contract_nature,
        pcs_ese,
        intermittent,
        numero_objet,
        period_start,
        period_end,
        hours,
        cachets,
        gross_pay,
        conges_spectacles,
    })
}

fn month(row: &Row<'_>) -> CellResult<Month> {
    let text = row.required(MONTH)?;
    let parsed = NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&format!("01/{text}"), "%d/%m/%Y"))
        .ok();
    parsed.map(Month::of_date).ok_or_else(|| {
        CellError::at(
            MONTH,
            format!("mois illisible « {text} » ; attendu : AAAA-MM, par exemple 2026-03"),
        )
    })
}

fn date(row: &Row<'_>, column: &'static str) -> CellResult<NaiveDate> {
    let text = row.required(column)?;
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .map_err(|_| {
            CellError::at(
                column,
                format!("date illisible « {text} » ; attendu : AAAA-MM-JJ ou JJ/MM/AAAA"),
            )
        })
}

fn quantity(row: &Row<'_>, column: &'static str) -> CellResult<Option<Decimal>> {
    let Some(text) = row.get(column) else {
        return Ok(None);
    };
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    match Decimal::from_str(&cleaned) {
        Ok(d) if d >= Decimal::ZERO => Ok(Some(d)),
        _ => Err(CellError::at(
            column,
            format!(
                "nombre illisible « {text} » ; attendu : un nombre positif, par exemple 24 ou 7,5"
            ),
        )),
    }
}

fn sex(row: &Row<'_>) -> CellResult<Option<Sex>> {
    let Some(text) = row.get(SEX) else {
        return Ok(None);
    };
    match normalise_key(text).as_str() {
        "f" | "femme" | "female" => Ok(Some(Sex::Female)),
        "m" | "h" | "homme" | "male" => Ok(Some(Sex::Male)),
        _ => Err(CellError::at(
            SEX,
            format!("valeur « {text} » non reconnue ; attendu : f (femme) ou m (homme)"),
        )),
    }
}

fn role(row: &Row<'_>) -> CellResult<Role> {
    let text = row.required(ROLE)?;
    match normalise_key(text).as_str() {
        "artist" | "artiste" => Ok(Role::Artist),
        "technician" | "technicien" | "technicienne" => Ok(Role::Technician),
        "other" | "autre" => Ok(Role::Other),
        _ => Err(CellError::at(
            ROLE,
            format!("rôle inconnu « {text} » ; attendu : artist, technician ou other"),
        )),
    }
}

#[cfg(test)]
mod tests;
