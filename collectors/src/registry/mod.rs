//! The public company register ("Recherche d'entreprises", the State's open search API over
//! INSEE's Sirene register and INPI's national register): what it says of a SIRET or SIREN.
//!
//! # The register's contract (see `docs/reference/company-register.md`)
//!
//! - `GET {base}/search?q=NUMBER`, keyless. NUMBER is a SIREN (9 digits) or a SIRET (14 digits).
//!   Only that number is ever sent: no name, no personal data.
//! - Answer `{"results": [...], "total_results", "page", "per_page", "total_pages"}`. Each
//!   result is a legal unit: `siren`, `nom_complet`, `nom_raison_sociale`, `sigle`,
//!   `nature_juridique` (INSEE legal category; `7xxx` = public legal persons),
//!   `activite_principale` (NAF), `etat_administratif` (`A` active, `C` ceased), `siege` (the
//!   head office: `siret`, `adresse`, `code_postal`, `libelle_commune`, `etat_administratif`),
//!   `matching_etablissements` (the establishments that matched the query) and `complements`
//!   (`est_entrepreneur_spectacle`, `statut_entrepreneur_spectacle`, `est_service_public`,
//!   `est_collectivite_territoriale`, `est_association`, `est_ess`).
//! - Not found is a `200` with no result whose `siren` is the number's (the search is full
//!   text: other companies may come back and are ignored). Owners who refused publication
//!   ("non-diffusibles") are not returned either, so "not found" is a point to check, never a
//!   verdict.
//! - About 7 calls a second per client, then `429` with `Retry-After`: releve stays at 5 a
//!   second ([`RATE_LIMIT`]) and waits as told, through the shared HTTP layer
//!   ([`crate::http`]), with a short timeout: the register is an enrichment, never a
//!   dependency.
//!
//! What it can say: existence and state, legal name, head-office address, live-show licence
//! (from the Ministry's open list of licence holders), public body or local authority. What it
//! cannot say: whether an organiser is *subsidised* (a public body is a hint, an association
//! is not). Field names come from the API's public documentation; every field is optional
//! here, so an answer missing one is read, not refused.
//!
//! [`RegistryClient`] fetches (I/O, the answer kept as received); [`parse_answer`] reads an
//! answer (pure), so a cached answer is read exactly like a fresh one.

mod client;
mod error;
mod model;
mod number;

pub use client::{RawAnswer, RegistryClient, RegistryConfig, RATE_LIMIT, VENDOR};
pub use error::RegistryError;
pub use model::{parse_answer, Address, Company, Finding};
pub use number::{CompanyNumber, NumberError};

#[cfg(test)]
mod tests;
