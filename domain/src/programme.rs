//! A programme row: one performance of the season as the venue's calendar describes it
//! (`programme_csv`, spreadsheets, iCalendar, schema.org). It carries what ticketing does not
//! know: discipline, audience, producer, contracts, flags.

use crate::discipline::{Discipline, Fraction};
use crate::employment::Sex;
use crate::model::{Audience, Producer, Venue};
use crate::money::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeEntry {
    /// The source key the row came from.
    pub source: String,
    /// Row number in the file (header = line 1), for messages.
    pub line: u64,
    /// Id of the performance in the ticketing source, when given.
    pub performance_id: Option<String>,
    pub show_title: String,
    pub starts_at: DateTime<Utc>,
    pub venue: Venue,
    pub capacity: Option<u32>,
    pub discipline: Discipline,
    pub audience: Audience,
    pub producer: Option<Producer>,
    pub free_admission: bool,
    pub cession_price_excl_vat: Option<Money>,
    /// Per-show override of the SACEM default of the discipline.
    pub sacem: Option<bool>,
    /// Per-show override of the SACD default of the discipline.
    pub sacd: Option<bool>,
    /// Per-show override of the CNM/ASTP fraction (for disciplines marked "review").
    pub tax_fraction: Option<Fraction>,
    pub creation: bool,
    /// Numéros d'objet carried by payroll contracts for this show.
    pub numero_objet: Vec<String>,
    pub cancelled: bool,
    /// Performance integrated into teaching sessions of a school (CNM/ASTP exemption).
    pub educational_session: bool,
    /// Amateur troupe paying no artist (ASTP exemption).
    pub amateur_unpaid: bool,
    /// Kind of artistic contract behind the performance (SACEM expenses).
    pub contract_type: Option<ContractType>,
    /// Frais d'approche (travel, lodging, transport of sets), VAT excluded (SACD, SACEM).
    pub frais_approche_excl_vat: Option<Money>,
    /// Co-production contribution, VAT excluded (SACD "apport en coproduction").
    pub coproduction_contribution_excl_vat: Option<Money>,
    /// Box-office guarantee, VAT excluded (SACD "garantie de recette").
    pub guarantee_excl_vat: Option<Money>,
    /// Performance outside the venue's walls ("hors les murs").
    pub off_site: bool,
    /// Sex of the director / choreographer / lead artist, when the programme says so (parity).
    pub director_sex: Option<Sex>,
    /// Artists on stage, and how many of them are women, when the programme says so (parity).
    pub artists_total: Option<u32>,
    pub artists_women: Option<u32>,
    /// Overrides the organisation's `astp_member_theatre` for this venue (humour and musicals
    /// in an ASTP-member theatre go to ASTP, décret 2004-117 art. 1 II).
    #[serde(default)]
    pub astp_member_theatre: Option<bool>,
    /// Receipts other than admissions for the SACEM état (bar, catering, programmes, other),
    /// VAT included, each with its rate.
    #[serde(default)]
    pub other_receipts: Vec<OtherReceipt>,
    /// Every work performed is in the public domain (no SACEM/SACD rights).
    #[serde(default)]
    pub public_domain: bool,
    /// Works performed, `Titre — Auteur` each (SACD bordereau section H).
    #[serde(default)]
    pub works: Vec<String>,
    #[serde(default)]
    pub duration_minutes: Option<u32>,
    /// SACD "dossier d'exploitation" number.
    #[serde(default)]
    pub sacd_dossier: Option<String>,
    /// Amateur performance (SACD bordereau: nature amateur rather than professional).
    #[serde(default)]
    pub amateur: bool,
}

/// Where a receipt other than admissions comes from (rows of the SACEM état).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OtherOrigin {
    /// Consommations (bar).
    Bar,
    /// Restauration.
    Catering,
    /// Vente de programmes.
    Programmes,
    /// Autres recettes.
    Other,
}

/// One receipt other than admissions, VAT included, at its rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherReceipt {
    pub origin: OtherOrigin,
    pub incl_vat: Money,
    pub vat_rate: crate::vat::VatRate,
}

/// Kind of contract under which a show is presented (SACEM "dépenses" table).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContractType {
    Cession,
    Engagement,
    Coproduction,
    #[serde(rename = "coréalisation")]
    Corealisation,
    Autre,
}

impl ContractType {
    pub fn parse(text: &str) -> Option<ContractType> {
        match crate::text::normalise_key(text).as_str() {
            "cession" => Some(ContractType::Cession),
            "engagement" => Some(ContractType::Engagement),
            "coproduction" => Some(ContractType::Coproduction),
            "corealisation" | "co-realisation" => Some(ContractType::Corealisation),
            "autre" | "other" => Some(ContractType::Autre),
            _ => None,
        }
    }

    /// As written in `sacem.json` (`formats.md` §5.4).
    pub fn code(self) -> &'static str {
        match self {
            ContractType::Cession => "cession",
            ContractType::Engagement => "engagement",
            ContractType::Coproduction => "coproduction",
            ContractType::Corealisation => "coréalisation",
            ContractType::Autre => "autre",
        }
    }
}
