//! Corrections: values a person set by hand for one performance or for every performance of a
//! show (`formats.md` §6 "Corrections"), and programme rows linked to a performance by hand.
//!
//! A correction never replaces what a source said: the store keeps it beside the source value,
//! and this module lays it over the facts each time a month is built, so a later sync can change
//! the source value without ever undoing the correction. Pure: the binary loads the corrections
//! in force from the store and passes them in.
//!
//! Precedence: a performance's own correction wins over its show's, which wins over every source
//! value. Issues that a correction answers (unknown discipline, unknown capacity, free admission
//! with paid tickets once free admission is corrected away) are dropped from the facts.

use crate::calendar::local_date;
use crate::discipline::{Discipline, Fraction};
use crate::facts::{
    build_month_facts_linked, FactsInput, MonthFacts, PerformanceFacts, TalliedInput,
};
use crate::issue::Issue;
use crate::linking::link;
use crate::model::{Audience, PerformanceRecord, Producer};
use crate::money::Money;
use crate::programme::ProgrammeEntry;

/// What a correction applies to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CorrectionTarget {
    /// One performance, by its output id (`tickets_csv:P-2025-11-14`).
    Performance(String),
    /// Every performance of a show, by its `show_id` (as in the ticketing source, or the
    /// normalised title for a show known from the programme only).
    Show(String),
}

/// A corrected value of one programme column (`formats.md` §4), already validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CorrectedValue {
    Discipline(Discipline),
    Audience(Audience),
    Capacity(u32),
    ProducerName(String),
    ProducerSiret(String),
    ProducerSubsidised(bool),
    FreeAdmission(bool),
    CessionPriceExclVat(Money),
    Sacem(bool),
    Sacd(bool),
    Creation(bool),
    Cancelled(bool),
    TaxFraction(Fraction),
    EducationalSession(bool),
    AmateurUnpaid(bool),
    VenueType(String),
}

/// One correction in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldCorrection {
    pub target: CorrectionTarget,
    pub value: CorrectedValue,
}

/// A programme row (`source` and `line` as stored) linked by hand to a ticketed performance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManualLink {
    pub performance_id: String,
    pub programme_source: String,
    pub programme_line: u64,
}

/// Every correction in force for an organisation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Corrections {
    pub fields: Vec<FieldCorrection>,
    pub links: Vec<ManualLink>,
}

impl Corrections {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.links.is_empty()
    }
}

/// The month's facts with the corrections laid over them: manual links first (they decide
/// which programme row describes a performance), then the field corrections.
pub fn build_corrected_month_facts(input: FactsInput<'_>, corrections: &Corrections) -> MonthFacts {
    build_corrected_month_facts_tallied(input.tallied(), corrections)
}

/// [`build_corrected_month_facts`] from tickets counted beforehand (by the store).
pub fn build_corrected_month_facts_tallied(
    input: TalliedInput<'_>,
    corrections: &Corrections,
) -> MonthFacts {
    let linking = link_with(input.records, input.programme, &corrections.links);
    let mut facts = build_month_facts_linked(input, linking);
    apply_fields(&mut facts, &corrections.fields);
    facts
}

/// Linking where hand-made links win: a manually linked row is attached to its performance and
/// kept out of the automatic matching; a row the automatic matching had put on that performance
/// is detached with a warning. A link whose performance is not among `records` (another month)
/// is ignored and the row links as usual.
pub fn link_with(
    records: &[PerformanceRecord],
    programme: &[ProgrammeEntry],
    links: &[ManualLink],
) -> crate::linking::Linking {
    let known: std::collections::HashSet<String> = records
        .iter()
        .map(PerformanceRecord::performance_id)
        .collect();
    let manual_for = |entry: &ProgrammeEntry| {
        links.iter().find(|l| {
            l.programme_source == entry.source
                && l.programme_line == entry.line
                && known.contains(&l.performance_id)
        })
    };
    let (manual, automatic): (Vec<&ProgrammeEntry>, Vec<&ProgrammeEntry>) =
        programme.iter().partition(|e| manual_for(e).is_some());
    let automatic: Vec<ProgrammeEntry> = automatic.into_iter().cloned().collect();
    let mut linking = link(records, &automatic);
    for entry in manual {
        let Some(target) = manual_for(entry) else {
            continue;
        };
        let Some(linked) = linking
            .performances
            .iter_mut()
            .find(|p| p.performance_id == target.performance_id && p.record.is_some())
        else {
            continue;
        };
        if let Some(displaced) = linked.programme.replace(entry.clone()) {
            linking.issues.push((
                local_date(displaced.starts_at),
                Issue::warning(
                    "programme.displaced",
                    format!(
                        "La ligne {} du programme désignait la représentation {}, mais la ligne {} \
                         y a été rattachée à la main : la ligne {} n'est plus rattachée. Vérifiez \
                         le programme ou le rattachement manuel.",
                        displaced.line, target.performance_id, entry.line, displaced.line
                    ),
                )
                .at_source(&displaced.source, Some(displaced.line))
                .for_performance(&target.performance_id),
            ));
        }
    }
    linking
}

/// Lays the field corrections over the facts: show corrections first, then each performance's
/// own, so that the more precise one wins.
pub fn apply_fields(facts: &mut MonthFacts, corrections: &[FieldCorrection]) {
    if corrections.is_empty() {
        return;
    }
    let shows = corrections
        .iter()
        .filter(|c| matches!(c.target, CorrectionTarget::Show(_)));
    let performances = corrections
        .iter()
        .filter(|c| matches!(c.target, CorrectionTarget::Performance(_)));
    for correction in shows.chain(performances) {
        for p in facts.performances.iter_mut() {
            let applies = match &correction.target {
                CorrectionTarget::Performance(id) => &p.performance_id == id,
                CorrectionTarget::Show(id) => &p.show_id == id,
            };
            if applies {
                set(p, &correction.value);
            }
        }
    }
    let answered = |issue: &Issue| {
        let Some(id) = issue.performance_id.as_deref() else {
            return false;
        };
        let Some(p) = facts.performances.iter().find(|p| p.performance_id == id) else {
            return false;
        };
        match issue.code.as_str() {
            "discipline.missing" => p.discipline.is_some(),
            "capacity.missing" => p.capacity.is_some(),
            "free_admission.with_paid_tickets" => !p.free_admission,
            _ => false,
        }
    };
    let kept: Vec<Issue> = facts
        .issues
        .iter()
        .filter(|i| !answered(i))
        .cloned()
        .collect();
    facts.issues = kept;
}

fn producer(p: &mut PerformanceFacts) -> &mut Producer {
    p.producer.get_or_insert_with(Producer::default)
}

fn set(p: &mut PerformanceFacts, value: &CorrectedValue) {
    match value {
        CorrectedValue::Discipline(d) => p.discipline = Some(*d),
        CorrectedValue::Audience(a) => p.audience = *a,
        CorrectedValue::Capacity(c) => p.capacity = Some(*c),
        CorrectedValue::ProducerName(name) => producer(p).name = name.clone(),
        CorrectedValue::ProducerSiret(siret) => producer(p).siret = Some(siret.clone()),
        CorrectedValue::ProducerSubsidised(b) => producer(p).subsidised = Some(*b),
        CorrectedValue::FreeAdmission(b) => p.free_admission = *b,
        CorrectedValue::CessionPriceExclVat(m) => p.cession_price_excl_vat = Some(*m),
        CorrectedValue::Sacem(b) => p.sacem_override = Some(*b),
        CorrectedValue::Sacd(b) => p.sacd_override = Some(*b),
        CorrectedValue::Creation(b) => p.creation = *b,
        CorrectedValue::Cancelled(b) => p.cancelled = *b,
        CorrectedValue::TaxFraction(f) => p.tax_fraction_override = Some(*f),
        CorrectedValue::EducationalSession(b) => p.educational_session = *b,
        CorrectedValue::AmateurUnpaid(b) => p.amateur_unpaid = *b,
        CorrectedValue::VenueType(t) => p.venue.venue_type = Some(t.clone()),
    }
}

/// The value a performance's facts hold for a corrected field, written in `formats.md` §4's
/// syntax (`"theatre"`, `"yes"`, `"2000.00"`); `None` when the facts hold none. This is the
/// "old value" a correction records.
pub fn current_value(p: &PerformanceFacts, field: &str) -> Option<String> {
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    match field {
        "discipline" => p.discipline.map(|d| d.code().to_string()),
        "audience" => Some(p.audience.code().to_string()),
        "capacity" => p.capacity.map(|c| c.to_string()),
        "producer_name" => p.producer.as_ref().map(|pr| pr.name.clone()),
        "producer_siret" => p.producer.as_ref().and_then(|pr| pr.siret.clone()),
        "producer_subsidised" => p.producer.as_ref().and_then(|pr| pr.subsidised).map(yes_no),
        "free_admission" => Some(yes_no(p.free_admission)),
        "cession_price_excl_vat" => p.cession_price_excl_vat.map(|m| m.to_string()),
        "sacem" => p.sacem_override.map(yes_no),
        "sacd" => p.sacd_override.map(yes_no),
        "creation" => Some(yes_no(p.creation)),
        "cancelled" => Some(yes_no(p.cancelled)),
        "tax_fraction" => p
            .tax_fraction_override
            .map(|f| fraction_code(f).to_string()),
        "educational_session" => Some(yes_no(p.educational_session)),
        "amateur_unpaid" => Some(yes_no(p.amateur_unpaid)),
        "venue_type" => p.venue.venue_type.clone(),
        "programme_row" => p.sources.iter().find_map(|s| {
            s.split_once(" ligne ")
                .map(|(src, line)| format!("{src}:{line}"))
        }),
        _ => None,
    }
}

fn fraction_code(f: Fraction) -> &'static str {
    match f {
        Fraction::Cnm => "cnm",
        Fraction::Astp => "astp",
        Fraction::None => "none",
        Fraction::Review => "review",
    }
}

#[cfg(test)]
mod tests;
