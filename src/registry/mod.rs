//! The public company register in releve: which numbers are looked up and when, how the month
//! is completed and checked from the answers, and what `releve siret` (and the workspace's
//! producer page) show. The register's own contract is in `releve_collectors::registry`; the
//! cache is the store's `registry_answers` table.
//!
//! When: `releve run` looks up, for each organisation, its own SIRET and the producers'
//! SIRET/SIREN of the month's programme — from the cache when the answer is less than 30 days
//! old, else from the register; `releve check` checks the organisations' SIRET and name
//! without writing the cache; `releve siret` asks for one number (`--refresh` to skip the
//! cache). `[registry] enabled = false` turns every lookup off; a register that cannot be
//! reached is said once and the run goes on exactly as without it: the register only ever
//! completes names and addresses left empty and adds `info`/`warning` issues, never a figure.

pub mod check;
pub mod enrich;
pub mod hints;
pub mod lookup;
pub mod month;
pub mod names;
pub mod report;
pub mod siret_cmd;
pub mod source;

#[cfg(test)]
mod tests;

pub use lookup::{Consultation, Register};
pub use report::{describe, describe_with_config, SiretReport};
pub use source::RegisterView;

use releve_collectors::registry::CompanyNumber;
use releve_domain::MonthFacts;
use std::collections::BTreeSet;

/// The numbers a month's run asks about: the organisation's SIRET, then every producer's
/// SIRET or SIREN in the month's facts (already Luhn-checked when the programme was read).
pub fn numbers_of(facts: &MonthFacts) -> BTreeSet<CompanyNumber> {
    let mut numbers = BTreeSet::new();
    numbers.insert(CompanyNumber::Siret(
        facts.organisation.siret.as_str().to_string(),
    ));
    for p in &facts.performances {
        if let Some(n) = p
            .producer
            .as_ref()
            .and_then(|pr| pr.siret.as_deref())
            .and_then(|s| CompanyNumber::parse(s).ok())
        {
            numbers.insert(n);
        }
    }
    numbers
}
