//! How every hint names its source: « selon le répertoire des entreprises, consulté le … »,
//! and the same fact as structured [`Evidence`] in `issues.json`.

use super::lookup::Consultation;
use chrono::{DateTime, Utc};
use releve_collectors::registry::CompanyNumber;
use releve_declarations::render::fr;
use releve_domain::calendar::local_date;
use releve_domain::Evidence;
use std::collections::BTreeMap;

/// Every number looked up for a run, by digits.
pub type RegisterView = BTreeMap<String, Consultation>;

/// `evidence.source` of the register's hints.
pub const EVIDENCE_SOURCE: &str = "repertoire_entreprises";

/// « selon le répertoire des entreprises, consulté le 3 décembre 2026 » (Paris date).
pub fn according_to(consulted_at: DateTime<Utc>) -> String {
    format!(
        "selon le répertoire des entreprises, consulté le {}",
        fr::long_date(local_date(consulted_at))
    )
}

pub fn evidence(number: &CompanyNumber, consulted_at: DateTime<Utc>) -> Evidence {
    Evidence {
        source: EVIDENCE_SOURCE.to_string(),
        reference: number.digits().to_string(),
        consulted_on: local_date(consulted_at),
    }
}

/// A one-line address from the register's parts: `12 RUE DES LILAS, 44000 NANTES`.
pub fn one_line(street: Option<&str>, postal_code: Option<&str>, city: Option<&str>) -> String {
    let town = [postal_code, city]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    [
        street.map(str::to_string),
        (!town.is_empty()).then_some(town),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ")
}
