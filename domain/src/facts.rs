//! Monthly facts: one record per performance whose Paris date falls in the month, with ticket
//! counts and receipts per VAT rate computed by the rounding rule of `domain.md` §3, enriched
//! by the programme (discipline, audience, producer, flags). Declarations and indicators are
//! computed from these facts only, so they always agree with each other.
//!
//! The tickets reach the facts as per-performance tallies (`tally`): counted and summed by the
//! store for a month of any size, or folded here from tickets in memory (tests, small callers);
//! the rounding happens after, per rate, on the sums.

use crate::calendar::{local_date, Month, PARIS};
use crate::discipline::{Discipline, Fraction};
use crate::employment::Sex;
use crate::issue::Issue;
use crate::linking::{link, LinkedPerformance, Linking};
use crate::model::{Audience, Organisation, PerformanceRecord, Producer, Ticket, Venue};
use crate::money::Money;
use crate::programme::ProgrammeEntry;
use crate::programme::{ContractType, OtherReceipt};
use crate::vat::VatRate;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
pub use tally::{Tallies, TicketGroup, TicketTally};

/// Receipts of one performance at one VAT rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VatBreakdown {
    pub rate: VatRate,
    pub receipts_incl_vat: Money,
    /// `round_half_up(incl / (1 + rate/100), 2)`.
    pub receipts_excl_vat: Money,
    pub paid_tickets: u64,
}

impl VatBreakdown {
    pub fn vat(&self) -> Money {
        self.receipts_incl_vat - self.receipts_excl_vat
    }
}

/// Everything known about one performance for the month.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PerformanceFacts {
    pub performance_id: String,
    pub show_id: String,
    pub show_title: String,
    pub venue: Venue,
    pub starts_at: DateTime<Utc>,
    /// Local date in Paris.
    pub date: NaiveDate,
    /// `None` when no programme row gives it (a blocking issue says so).
    pub discipline: Option<Discipline>,
    pub audience: Audience,
    pub capacity: Option<u32>,
    /// Valid tickets with a price above zero.
    pub paid_tickets: u64,
    /// Valid tickets at price zero (invitations, exonérés).
    pub free_tickets: u64,
    pub receipts_incl_vat: Money,
    /// Sum over rates of the rounded amounts excluding VAT.
    pub receipts_excl_vat: Money,
    /// Per rate, sorted by rate.
    pub vat: Vec<VatBreakdown>,
    pub full_price_tickets: u64,
    pub full_price_receipts_incl_vat: Money,
    pub reduced_tickets: u64,
    pub subscription_tickets: u64,
    /// Refunded or cancelled tickets, for the record (they never count).
    pub void_tickets: u64,
    pub producer: Option<Producer>,
    pub free_admission: bool,
    pub cession_price_excl_vat: Option<Money>,
    pub cancelled: bool,
    pub creation: bool,
    pub sacem_override: Option<bool>,
    pub sacd_override: Option<bool>,
    pub tax_fraction_override: Option<Fraction>,
    pub educational_session: bool,
    pub amateur_unpaid: bool,
    pub numero_objet: Vec<String>,
    pub contract_type: Option<ContractType>,
    pub frais_approche_excl_vat: Option<Money>,
    pub coproduction_contribution_excl_vat: Option<Money>,
    pub guarantee_excl_vat: Option<Money>,
    pub off_site: bool,
    pub director_sex: Option<Sex>,
    pub artists_total: Option<u32>,
    pub artists_women: Option<u32>,
    /// The programme's per-venue override of the organisation's `astp_member_theatre`.
    pub astp_member_theatre: Option<bool>,
    /// Receipts other than admissions (SACEM état), VAT included, each with its rate.
    pub other_receipts: Vec<OtherReceipt>,
    pub public_domain: bool,
    pub works: Vec<String>,
    pub duration_minutes: Option<u32>,
    pub sacd_dossier: Option<String>,
    pub amateur: bool,
    /// At least one ticket (of any status) came from a ticketing source.
    pub ticketed: bool,
    /// Where the facts come from: ticketing source and programme row (`programme_csv` line 12).
    pub sources: Vec<String>,
}

impl PerformanceFacts {
    pub fn total_tickets(&self) -> u64 {
        self.paid_tickets + self.free_tickets
    }

    pub fn vat_amount(&self) -> Money {
        self.receipts_incl_vat - self.receipts_excl_vat
    }

    /// The single rate of the performance, or `None` when it mixes rates or sold nothing.
    pub fn single_vat_rate(&self) -> Option<VatRate> {
        match self.vat.as_slice() {
            [one] => Some(one.rate),
            _ => None,
        }
    }
}

/// The facts of one organisation for one month.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonthFacts {
    pub organisation: Organisation,
    pub month: Month,
    /// Sorted by start time, then performance id.
    pub performances: Vec<PerformanceFacts>,
    /// Linking problems and missing data for this month's performances.
    pub issues: Vec<Issue>,
}

/// What the facts are built from. Records, tickets and programme rows may cover more than the
/// month: only performances whose Paris date is in the month are kept.
pub struct FactsInput<'a> {
    pub organisation: &'a Organisation,
    pub month: Month,
    pub records: &'a [PerformanceRecord],
    pub tickets: &'a [Ticket],
    pub programme: &'a [ProgrammeEntry],
}

impl<'a> FactsInput<'a> {
    /// The same input with its tickets counted one by one.
    pub fn tallied(&self) -> TalliedInput<'a> {
        TalliedInput {
            organisation: self.organisation,
            month: self.month,
            records: self.records,
            tallies: Tallies::of_tickets(self.tickets),
            programme: self.programme,
        }
    }
}

/// [`FactsInput`] with the tickets already counted per performance (by the store, `GROUP BY`):
/// what a month of any size is built from without holding its tickets.
pub struct TalliedInput<'a> {
    pub organisation: &'a Organisation,
    pub month: Month,
    pub records: &'a [PerformanceRecord],
    pub tallies: Tallies,
    pub programme: &'a [ProgrammeEntry],
}

fn describe(title: &str, starts_at: DateTime<Utc>) -> String {
    format!(
        "« {} » du {}",
        title,
        starts_at.with_timezone(&PARIS).format("%d/%m/%Y à %H:%M")
    )
}

pub fn build_month_facts(input: FactsInput<'_>) -> MonthFacts {
    build_month_facts_tallied(input.tallied())
}

/// The facts from tickets counted beforehand.
pub fn build_month_facts_tallied(input: TalliedInput<'_>) -> MonthFacts {
    let linking = link(input.records, input.programme);
    build_month_facts_linked(input, linking)
}

/// The facts from a linking made by the caller (`corrections` links programme rows by hand
/// before this); `input.programme` is not read again.
pub fn build_month_facts_linked(input: TalliedInput<'_>, linking: Linking) -> MonthFacts {
    let month = input.month;
    let in_month = |t: DateTime<Utc>| month.contains(local_date(t));
    let mut issues: Vec<Issue> = linking
        .issues
        .into_iter()
        .filter(|(date, _)| month.contains(*date))
        .map(|(_, issue)| issue)
        .collect();

    let mut tallies = input.tallies;
    let mut performances = Vec::new();
    for linked in linking.performances {
        let starts_at = match (&linked.programme, &linked.record) {
            (_, Some(r)) => r.starts_at,
            (Some(p), None) => p.starts_at,
            (None, None) => continue,
        };
        if !in_month(starts_at) {
            continue;
        }
        let t = linked
            .record
            .as_ref()
            .and_then(|r| tallies.take(&r.source, &r.external_id))
            .unwrap_or_default();
        let facts = facts_of(linked, starts_at, t, &mut issues);
        performances.push(facts);
    }
    performances.sort_by(|a, b| {
        a.starts_at
            .cmp(&b.starts_at)
            .then_with(|| a.performance_id.cmp(&b.performance_id))
    });
    issues.sort();
    issues.dedup();
    MonthFacts {
        organisation: input.organisation.clone(),
        month,
        performances,
        issues,
    }
}

fn facts_of(
    linked: LinkedPerformance,
    starts_at: DateTime<Utc>,
    t: TicketTally,
    issues: &mut Vec<Issue>,
) -> PerformanceFacts {
    let LinkedPerformance {
        performance_id,
        record,
        programme,
    } = linked;
    let vat: Vec<VatBreakdown> = t
        .by_rate
        .iter()
        .map(|(rate, (incl, count))| VatBreakdown {
            rate: *rate,
            receipts_incl_vat: *incl,
            receipts_excl_vat: rate.excl_from_incl(*incl),
            paid_tickets: *count,
        })
        .collect();
    let receipts_incl_vat: Money = vat.iter().map(|v| v.receipts_incl_vat).sum();
    let receipts_excl_vat: Money = vat.iter().map(|v| v.receipts_excl_vat).sum();

    let show_title = programme
        .as_ref()
        .map(|p| p.show_title.clone())
        .or_else(|| record.as_ref().map(|r| r.show_title.clone()))
        .unwrap_or_default();
    let show_id = record
        .as_ref()
        .map(|r| r.show_id.clone())
        .unwrap_or_else(|| crate::text::normalise_key(&show_title));
    let venue = merge_venue(
        record.as_ref().map(|r| &r.venue),
        programme.as_ref().map(|p| &p.venue),
    );
    let capacity = programme
        .as_ref()
        .and_then(|p| p.capacity)
        .or_else(|| record.as_ref().and_then(|r| r.capacity));
    let mut sources = Vec::new();
    if let Some(r) = &record {
        sources.push(r.source.clone());
    }
    if let Some(p) = &programme {
        sources.push(format!("{} ligne {}", p.source, p.line));
    }

    let what = describe(&show_title, starts_at);
    if programme.is_none() {
        issues.push(
            Issue::blocking(
                "discipline.missing",
                format!(
                    "La représentation {what} ({performance_id}) n'a pas de ligne de programme : sa discipline est \
                     inconnue, elle ne peut être affectée à aucune déclaration. Ajoutez-la au programme."
                ),
            )
            .for_performance(&performance_id),
        );
    }
    if capacity.is_none() {
        issues.push(
            Issue::warning(
                "capacity.missing",
                format!("La jauge de la représentation {what} est inconnue (colonne capacity du programme)."),
            )
            .for_performance(&performance_id),
        );
    }
    let free_admission = programme.as_ref().is_some_and(|p| p.free_admission);
    if free_admission && t.paid > 0 {
        issues.push(
            Issue::warning(
                "free_admission.with_paid_tickets",
                format!(
                    "La représentation {what} est marquée en entrée libre mais {} billets payants ont été vendus : \
                     les taxes sont calculées sur ces recettes. Vérifiez le programme.",
                    t.paid
                ),
            )
            .for_performance(&performance_id),
        );
    }

    let p = programme.as_ref();
    PerformanceFacts {
        performance_id,
        show_id,
        show_title,
        venue,
        starts_at,
        date: local_date(starts_at),
        discipline: p.map(|p| p.discipline),
        audience: p.map(|p| p.audience).unwrap_or_default(),
        capacity,
        paid_tickets: t.paid,
        free_tickets: t.free,
        receipts_incl_vat,
        receipts_excl_vat,
        vat,
        full_price_tickets: t.full,
        full_price_receipts_incl_vat: t.full_incl,
        reduced_tickets: t.reduced,
        subscription_tickets: t.subscription,
        void_tickets: t.void,
        producer: p.and_then(|p| p.producer.clone()),
        free_admission,
        cession_price_excl_vat: p.and_then(|p| p.cession_price_excl_vat),
        cancelled: p.is_some_and(|p| p.cancelled) || record.as_ref().is_some_and(|r| r.cancelled),
        creation: p.is_some_and(|p| p.creation),
        sacem_override: p.and_then(|p| p.sacem),
        sacd_override: p.and_then(|p| p.sacd),
        tax_fraction_override: p.and_then(|p| p.tax_fraction),
        educational_session: p.is_some_and(|p| p.educational_session),
        amateur_unpaid: p.is_some_and(|p| p.amateur_unpaid),
        numero_objet: p.map(|p| p.numero_objet.clone()).unwrap_or_default(),
        contract_type: p.and_then(|p| p.contract_type),
        frais_approche_excl_vat: p.and_then(|p| p.frais_approche_excl_vat),
        coproduction_contribution_excl_vat: p.and_then(|p| p.coproduction_contribution_excl_vat),
        guarantee_excl_vat: p.and_then(|p| p.guarantee_excl_vat),
        off_site: p.is_some_and(|p| p.off_site),
        director_sex: p.and_then(|p| p.director_sex),
        artists_total: p.and_then(|p| p.artists_total),
        artists_women: p.and_then(|p| p.artists_women),
        astp_member_theatre: p.and_then(|p| p.astp_member_theatre),
        other_receipts: p.map(|p| p.other_receipts.clone()).unwrap_or_default(),
        public_domain: p.is_some_and(|p| p.public_domain),
        works: p.map(|p| p.works.clone()).unwrap_or_default(),
        duration_minutes: p.and_then(|p| p.duration_minutes),
        sacd_dossier: p.and_then(|p| p.sacd_dossier.clone()),
        amateur: p.is_some_and(|p| p.amateur),
        ticketed: record.is_some() && t.any(),
        sources,
    }
}

/// The programme's venue fields win (the venue keeps its own calendar); ticketing fills gaps.
fn merge_venue(ticketing: Option<&Venue>, programme: Option<&Venue>) -> Venue {
    match (ticketing, programme) {
        (None, None) => Venue::default(),
        (Some(t), None) => t.clone(),
        (None, Some(p)) => p.clone(),
        (Some(t), Some(p)) => Venue {
            name: if p.name.trim().is_empty() {
                t.name.clone()
            } else {
                p.name.clone()
            },
            address: p.address.clone().or_else(|| t.address.clone()),
            postal_code: p.postal_code.clone().or_else(|| t.postal_code.clone()),
            city: p.city.clone().or_else(|| t.city.clone()),
            venue_type: p.venue_type.clone().or_else(|| t.venue_type.clone()),
        },
    }
}

mod tally;

#[cfg(test)]
mod tests;
