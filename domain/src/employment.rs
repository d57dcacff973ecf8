//! Artistic employment from payroll (DSN, payroll CSV, GUSO): engagements per contract and pay
//! period, and the per-show monthly facts of `formats.md` §5.1 (`employment`).
//!
//! People are known only by a pseudonymous key (a salted hash of their NIR/NTT); payroll is
//! personal data and is never logged.

use crate::calendar::Month;
use crate::money::Money;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Artist,
    Technician,
    Other,
}

/// One contract over one pay period, as payroll reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Engagement {
    /// Source key (`dsn`, `payroll_csv`).
    pub source: String,
    /// SIRET of the employer establishment.
    pub employer_siret: String,
    /// Declared month of the payroll file (`S20.G00.05.005`).
    pub month: Month,
    /// Pseudonymous person key (salted hash of NIR/NTT); never the number itself.
    pub person_key: String,
    pub sex: Option<Sex>,
    pub role: Role,
    /// Contract number (`S21.G00.40.009`), unique per employer.
    pub contract_id: String,
    /// Contract nature code (`S21.G00.40.007`, e.g. `02` CDD).
    pub contract_nature: Option<String>,
    /// PCS-ESE code (`S21.G00.40.004`).
    pub pcs_ese: Option<String>,
    /// CDDU / intermittent (annexes 8 and 10).
    pub intermittent: bool,
    /// Numéro d'objet of the show (`S21.G00.40.050`).
    pub numero_objet: Option<String>,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub hours: Decimal,
    /// Cachets, when the payroll gives them.
    pub cachets: Option<Decimal>,
    /// Gross pay (`S21.G00.51.013` with type `001`).
    pub gross_pay: Money,
    /// Congés Spectacles contribution (`S21.G00.81` code `066`), when present.
    pub conges_spectacles: Option<Money>,
}

/// Employment on one show in one month (`aggregates.json` → `employment`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmploymentFacts {
    pub show_title: String,
    pub numero_objet: Option<String>,
    /// Distinct people.
    pub artists: u64,
    pub technicians: u64,
    pub women: u64,
    pub men: u64,
    pub hours: Decimal,
    pub cachets: Decimal,
    pub gross_pay: Money,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conges_spectacles: Option<Money>,
    /// True when contract figures had to be spread over performance dates.
    pub estimated: bool,
}
