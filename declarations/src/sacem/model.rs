//! The SACEM model, serialised as `sacem.json` (`formats.md` §5.4). Field names are the
//! public contract: add, never rename.

use super::agency::Agency;
use crate::tax::Percent;
use chrono::NaiveDate;
use releve_domain::{Money, Month, VatRate};
use serde::Serialize;

/// Origin of a receipt line on the form: `entrees` from ticketing, the others from the
/// programme (`bar_incl_vat`, `catering_incl_vat`, `programmes_incl_vat`, `other_incl_vat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptOrigin {
    Entrees,
    Consommations,
    Restauration,
    Programmes,
    Autres,
}

/// One receipt line: one origin at one VAT rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Receipt {
    pub origin: ReceiptOrigin,
    pub vat_rate: VatRate,
    pub excl_vat: Money,
    pub vat: Money,
    pub incl_vat: Money,
}

/// One artistic-expense line: one contract type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Expense {
    /// `cession`, `engagement`, `coproduction`, `coréalisation`, `autre`.
    pub contract: String,
    pub vat_rate: VatRate,
    pub excl_vat: Money,
    pub vat: Money,
    pub incl_vat: Money,
}

/// Sums of receipt or expense lines (added).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Amounts {
    pub excl_vat: Money,
    pub vat: Money,
    pub incl_vat: Money,
}

/// What the indicative estimate is computed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EstimateBase {
    /// Receipts of entries excl. VAT.
    Receipts,
    /// No receipts: the artistic expense budget excl. VAT.
    Expenses,
}

/// An indicative estimate of the rights: SACEM computes the real amount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RightsEstimate {
    pub rate: Percent,
    /// Added: what `base` is.
    pub base_kind: EstimateBase,
    pub base: Money,
    pub amount: Money,
    pub note: String,
}

/// One "état des recettes et des dépenses": one show, its performances of the month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Show {
    /// Added: the show key (amendments compare shows on it).
    pub show_id: String,
    pub show_title: String,
    pub first_date: NaiveDate,
    pub last_date: NaiveDate,
    pub performances: usize,
    /// Added: the performances declared, sorted by start time.
    pub performance_ids: Vec<String>,
    pub paid_tickets: u64,
    pub free_tickets: u64,
    /// Added: venue of the first performance, its capacity (jauge), producer and genre.
    pub venue_name: String,
    pub capacity: Option<u32>,
    pub producer: Option<String>,
    pub genre: String,
    pub receipts: Vec<Receipt>,
    pub receipts_total: Amounts,
    pub expenses: Vec<Expense>,
    pub expenses_total: Amounts,
    pub rights_estimate: RightsEstimate,
    pub deadline: NaiveDate,
    /// Added: the regional delegation this show's state goes to, the one of its venue's postal
    /// code (`domain.md` §5), else of the organisation's; `None` when no delegation matches.
    pub agency: Option<Agency>,
    /// Added: the postal code that delegation was chosen by.
    pub agency_postal_code: Option<String>,
    /// Added: every work of the show is in the public domain (the estimate is zero).
    pub public_domain: bool,
    /// Added: the producer's SIRET and address ("nom et coordonnées" on the form).
    pub producer_siret: Option<String>,
    pub producer_address: Option<String>,
}

/// `sacem.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SacemDeclaration {
    pub schema_version: u32,
    /// Organisation slug.
    pub organisation: String,
    pub month: Month,
    /// The delegation of the first show's venue; `None` when no delegation matches the postal
    /// code (a warning says so). When the month's shows go to several delegations, each show
    /// carries its own (`Show::agency`) and a warning lists them.
    pub agency: Option<Agency>,
    /// Added: the postal code the agency was chosen by.
    pub agency_postal_code: Option<String>,
    /// Added: the organisation's SACEM client number, when configured.
    pub sacem_client_id: Option<String>,
    /// Sorted by first performance, then show id.
    pub shows: Vec<Show>,
}

impl SacemDeclaration {
    /// The earliest deadline of the shows.
    pub fn deadline(&self) -> Option<NaiveDate> {
        self.shows.iter().map(|s| s.deadline).min()
    }

    /// Sum of the indicative estimates.
    pub fn estimate_total(&self) -> Money {
        self.shows.iter().map(|s| s.rights_estimate.amount).sum()
    }
}
