//! The SACD bordereau model, serialised as `sacd.json` (`formats.md` §5.4). The contract fields
//! of a line come first, in the contract's order; fields we add for the XML and the PDF follow.
//! Add, never rename.

use crate::Body;
use chrono::NaiveDate;
use releve_domain::{Money, Month, VatRate};
use serde::Serialize;

/// Nature of a performance on the bordereau.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Nature {
    /// Tout public.
    #[serde(rename = "TP")]
    ToutPublic,
    /// Jeune public.
    #[serde(rename = "JP")]
    JeunePublic,
    /// Scolaire.
    #[serde(rename = "S")]
    Scolaire,
    /// Lecture.
    #[serde(rename = "L")]
    Lecture,
}

impl Nature {
    pub fn code(self) -> &'static str {
        match self {
            Nature::ToutPublic => "TP",
            Nature::JeunePublic => "JP",
            Nature::Scolaire => "S",
            Nature::Lecture => "L",
        }
    }
}

/// One performance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SacdLine {
    pub performance_id: String,
    /// Paris date.
    pub date: NaiveDate,
    /// Paris time, `HH:MM`.
    pub time: String,
    pub nature: Nature,
    pub receipts_incl_vat: Money,
    /// The single VAT rate of the receipts; for a performance mixing rates, the rate carrying
    /// the largest receipts (`vat_mixed` is then true and a warning lists the breakdown);
    /// `null` when nothing was sold.
    pub vat_rate: Option<VatRate>,
    /// Sum over rates of the rounded amounts excluding VAT (exact whatever `vat_rate` shows).
    pub receipts_excl_vat: Money,
    pub vat_amount: Money,
    pub paid_tickets: u64,
    pub exempted_tickets: u64,
    /// Theoretical capacity (jauge); `null` when unknown (a warning says so).
    pub capacity: Option<u32>,
    /// Our approximation of the displayed average price: receipts incl. VAT ÷ paid tickets
    /// (the form's posted average weights each price category by its seats, which ticketing
    /// does not give); `0.00` without paid ticket.
    pub average_price: Money,
    /// 30 days after the performance (dated rule `sacd_deadline_days`).
    pub deadline: NaiveDate,
    /// Stable id of the performance in the teletransmission (`rep_ref_dec`).
    pub rep_ref: String,
    /// RFC 3339 with the Paris offset.
    pub starts_at: String,
    pub show_title: String,
    pub venue_name: String,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub vat_mixed: bool,
    pub producer_name: Option<String>,
    pub producer_siret: Option<String>,
    /// Contract money of this performance, from the programme (all excl. VAT).
    pub cession_price_excl_vat: Option<Money>,
    pub frais_approche_excl_vat: Option<Money>,
    pub coproduction_contribution_excl_vat: Option<Money>,
    pub guarantee_excl_vat: Option<Money>,
    /// VAT on the cession price (5.5 %, the rate of a cession contract for a live show) and its
    /// amount, round_half_up(price × rate); `null` without cession price.
    pub cession_vat_rate: Option<VatRate>,
    pub cession_vat_amount: Option<Money>,
    /// Section A: the SACD "dossier d'exploitation" number and professional or amateur.
    pub sacd_dossier: Option<String>,
    pub amateur: bool,
    /// Section H: works performed (`Titre — Auteur`) and duration, from the programme.
    pub works: Vec<String>,
    pub duration_minutes: Option<u32>,
    /// The producer's address, when the programme gives it (section F).
    pub producer_address: Option<String>,
}

impl SacdLine {
    /// Total expenses excl. VAT paid for the performance — cession price, frais d'approche,
    /// co-production contribution, box-office guarantee — the XML's `rep_mt_depenses` as the
    /// Ministry's pilot fills it (total expenses, frais d'approche included, circus-specific costs
    /// excluded: the programme has no such costs, so nothing is taken out).
    pub fn expenses_excl_vat(&self) -> Money {
        [
            self.cession_price_excl_vat,
            self.frais_approche_excl_vat,
            self.coproduction_contribution_excl_vat,
            self.guarantee_excl_vat,
        ]
        .into_iter()
        .flatten()
        .sum()
    }

    /// Whether the programme gave any contract money for this performance.
    pub fn has_contract_money(&self) -> bool {
        self.cession_price_excl_vat.is_some()
            || self.frais_approche_excl_vat.is_some()
            || self.coproduction_contribution_excl_vat.is_some()
            || self.guarantee_excl_vat.is_some()
    }
}

/// The cession money of one show over the month's performances (section D of the form).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShowMoney {
    pub show_title: String,
    pub producer_name: Option<String>,
    pub producer_siret: Option<String>,
    pub performances: usize,
    pub first_date: NaiveDate,
    pub last_date: NaiveDate,
    /// Prix de cession.
    pub cession_price_excl_vat: Money,
    pub frais_approche_excl_vat: Money,
    /// Apport en coproduction.
    pub coproduction_contribution_excl_vat: Money,
    /// Garantie de recette.
    pub guarantee_excl_vat: Money,
    /// Added: section A (dossier, professional/amateur), section F (producer's address) and
    /// section H (works, duration) of the form, from the show's first performance.
    pub sacd_dossier: Option<String>,
    pub amateur: bool,
    pub works: Vec<String>,
    pub duration_minutes: Option<u32>,
    pub producer_address: Option<String>,
}

/// A performance of the SACD field that is not on the bordereau, and why (in French).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotDeclared {
    pub performance_id: String,
    pub date: NaiveDate,
    pub show_title: String,
    pub reason: String,
}

/// A performance of the span left off this bordereau because another approved or sent
/// bordereau already declared it (SACD must not receive a performance twice).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AlreadyDeclared {
    pub performance_id: String,
    pub date: NaiveDate,
    pub show_title: String,
    /// Which bordereau declared it, in French (« bordereau du 14 novembre 2025 au 20 novembre
    /// 2025, version 1 »).
    pub declared_in: String,
}

/// Sums of the lines.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SacdTotals {
    pub performances: usize,
    pub paid_tickets: u64,
    pub exempted_tickets: u64,
    pub receipts_incl_vat: Money,
    pub receipts_excl_vat: Money,
    pub vat_amount: Money,
    pub cession_price_excl_vat: Money,
    pub frais_approche_excl_vat: Money,
    pub coproduction_contribution_excl_vat: Money,
    pub guarantee_excl_vat: Money,
}

impl SacdTotals {
    pub fn of(lines: &[SacdLine]) -> SacdTotals {
        let sum = |f: fn(&SacdLine) -> Option<Money>| lines.iter().filter_map(f).sum();
        SacdTotals {
            performances: lines.len(),
            paid_tickets: lines.iter().map(|l| l.paid_tickets).sum(),
            exempted_tickets: lines.iter().map(|l| l.exempted_tickets).sum(),
            receipts_incl_vat: lines.iter().map(|l| l.receipts_incl_vat).sum(),
            receipts_excl_vat: lines.iter().map(|l| l.receipts_excl_vat).sum(),
            vat_amount: lines.iter().map(|l| l.vat_amount).sum(),
            cession_price_excl_vat: sum(|l| l.cession_price_excl_vat),
            frais_approche_excl_vat: sum(|l| l.frais_approche_excl_vat),
            coproduction_contribution_excl_vat: sum(|l| l.coproduction_contribution_excl_vat),
            guarantee_excl_vat: sum(|l| l.guarantee_excl_vat),
        }
    }
}

/// The dates a bordereau over any period covers (`releve run --body sacd --from --to`), both
/// inclusive, Paris dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// What a bordereau covers: a month (`"month"`), or any period (`"period": {"from", "to"}`
/// instead of `"month"`, `formats.md` §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Span {
    Month { month: Month },
    Period { period: Period },
}

/// `sacd.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SacdFile {
    pub schema_version: u32,
    pub body: Body,
    pub organisation: String,
    /// The month of the facts (for a period: the month of its first day); never serialised,
    /// `span` says what the file covers.
    #[serde(skip)]
    pub month: Month,
    #[serde(flatten)]
    pub span: Span,
    /// The declarant's SACD identifier (`dec_ref`), from the configuration.
    pub declarant_id: Option<String>,
    /// The earliest deadline of the lines; `null` without line.
    pub deadline: Option<NaiveDate>,
    pub lines: Vec<SacdLine>,
    /// Per show, in order of first performance.
    pub shows: Vec<ShowMoney>,
    pub not_declared: Vec<NotDeclared>,
    /// Added: performances of the span already declared in another bordereau (a weekly one for
    /// the month's bordereau), not repeated here; absent when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub already_declared: Vec<AlreadyDeclared>,
    pub totals: SacdTotals,
}
