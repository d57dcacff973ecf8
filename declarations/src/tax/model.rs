//! The CNM/ASTP declaration model, serialised as `cnm.json` / `astp.json` (`formats.md` §5.2).
//! Field names are the public contract: add, never rename.

use crate::Body;
use chrono::NaiveDate;
use releve_domain::{Money, Month};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// What the tax is computed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BaseKind {
    /// Paid admission: ticketing receipts excl. VAT.
    Receipts,
    /// Free admission sold by this organisation: cession price excl. VAT.
    CessionPrice,
}

/// A percent rate, serialised as its shortest string (`"3.5"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Percent(pub Decimal);

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0.normalize())
    }
}

/// One taxable performance. Flat, so that it is also the CSV row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaxLine {
    pub performance_id: String,
    /// Local date in Paris.
    pub date: NaiveDate,
    /// RFC 3339 with the Paris offset (added to the contract).
    pub starts_at: String,
    pub show_title: String,
    pub venue_name: String,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub paid_tickets: u64,
    pub free_tickets: u64,
    pub receipts_incl_vat: Money,
    pub receipts_excl_vat: Money,
    pub base_kind: BaseKind,
    pub tax_base: Money,
    pub tax_rate: Percent,
    pub tax_due: Money,
    /// The producer/seller of the show, when the programme names it (ASTP form; added).
    pub producer_name: Option<String>,
    pub producer_siret: Option<String>,
    /// Why the performance is in this fraction when a rule other than the discipline table
    /// decided (humour and musicals, ASTP-member theatre); added.
    pub fraction_reason: Option<String>,
    /// The amounts rounded to the whole euro, to type into a portal that takes whole euros
    /// (dated rules `cnm_portal_whole_euros`, `astp_portal_whole_euros`); `null` otherwise.
    pub receipts_incl_vat_euros: Option<Money>,
    pub receipts_excl_vat_euros: Option<Money>,
    pub tax_base_euros: Option<Money>,
    pub tax_due_euros: Option<Money>,
    /// The show's block of the ASTP form over the month's lines: dates from/to, number of
    /// performances, tickets sold (added).
    pub show_first_date: Option<NaiveDate>,
    pub show_last_date: Option<NaiveDate>,
    pub show_performances: usize,
    pub show_paid_tickets: u64,
    /// The producer's address, when the programme gives it (ASTP form; added).
    pub producer_address: Option<String>,
}

impl TaxLine {
    pub(crate) fn with_whole_euros(&mut self) {
        self.receipts_incl_vat_euros = Some(self.receipts_incl_vat.round_euros());
        self.receipts_excl_vat_euros = Some(self.receipts_excl_vat.round_euros());
        self.tax_base_euros = Some(self.tax_base.round_euros());
        self.tax_due_euros = Some(self.tax_due.round_euros());
    }
}

/// The CSV header: the field names of [`TaxLine`], in order.
pub const LINE_COLUMNS: &[&str] = &[
    "performance_id",
    "date",
    "starts_at",
    "show_title",
    "venue_name",
    "postal_code",
    "city",
    "paid_tickets",
    "free_tickets",
    "receipts_incl_vat",
    "receipts_excl_vat",
    "base_kind",
    "tax_base",
    "tax_rate",
    "tax_due",
    "producer_name",
    "producer_siret",
    "fraction_reason",
    "receipts_incl_vat_euros",
    "receipts_excl_vat_euros",
    "tax_base_euros",
    "tax_due_euros",
    "show_first_date",
    "show_last_date",
    "show_performances",
    "show_paid_tickets",
    "producer_address",
];

/// A performance of this body's field that owes nothing here, and why (in French).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotTaxable {
    pub performance_id: String,
    /// Added to the contract, for readers of the JSON.
    pub date: NaiveDate,
    pub show_title: String,
    pub reason: String,
}

/// Sums of the lines.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TaxTotals {
    /// Number of lines.
    pub performances: usize,
    pub paid_tickets: u64,
    pub free_tickets: u64,
    pub receipts_incl_vat: Money,
    pub receipts_excl_vat: Money,
    pub tax_base: Money,
    pub tax_due: Money,
}

impl TaxTotals {
    pub fn of(lines: &[TaxLine]) -> TaxTotals {
        TaxTotals {
            performances: lines.len(),
            paid_tickets: lines.iter().map(|l| l.paid_tickets).sum(),
            free_tickets: lines.iter().map(|l| l.free_tickets).sum(),
            receipts_incl_vat: lines.iter().map(|l| l.receipts_incl_vat).sum(),
            receipts_excl_vat: lines.iter().map(|l| l.receipts_excl_vat).sum(),
            tax_base: lines.iter().map(|l| l.tax_base).sum(),
            tax_due: lines.iter().map(|l| l.tax_due).sum(),
        }
    }
}

/// `cnm.json` / `astp.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaxDeclaration {
    pub schema_version: u32,
    pub body: Body,
    /// Organisation slug.
    pub organisation: String,
    pub month: Month,
    pub deadline: NaiveDate,
    pub lines: Vec<TaxLine>,
    pub not_taxable: Vec<NotTaxable>,
    pub totals: TaxTotals,
    /// Yearly amount under which the body does not collect the tax (the declaration is still
    /// due); in force on the last day of the month (added).
    pub collection_threshold: Money,
    /// The body computes the tax and bills it (avis des sommes à payer): releve's figure is an
    /// estimate, and every document says so (added).
    pub estimate_note: String,
    /// Whether the body's portal takes whole euros (the `*_euros` fields are then filled).
    pub portal_whole_euros: bool,
}

/// The wording of the estimate on every CNM/ASTP document.
pub fn estimate_note(body: Body) -> String {
    format!(
        "Montants estimés par releve : {} calcule la taxe à partir de la déclaration et l'adresse en avis des \
         sommes à payer ; seul cet avis fait foi.",
        match body {
            Body::Cnm => "le CNM",
            _ => "l'ASTP",
        }
    )
}
