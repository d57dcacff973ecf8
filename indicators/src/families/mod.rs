//! One file per family of indicators; each exposes `INDICATORS: &[Def]`. Shared helpers for
//! breakdowns and notes live here.

pub mod attendance;
pub mod audiences;
pub mod creation;
pub mod employment;
pub mod parity;
pub mod performances;
pub mod receipts;
pub mod taxes_rights;

use crate::catalogue::BreakdownEntry;
use crate::value::Value;
use releve_domain::{Audience, Discipline, DisciplineTable, PerformanceFacts};
use std::collections::BTreeMap;

/// French label of a discipline (the discipline table's `label_fr`).
pub(crate) fn discipline_label(d: Discipline) -> String {
    DisciplineTable::default_table().routing(d).label_fr.clone()
}

pub(crate) fn audience_label(a: Audience) -> &'static str {
    match a {
        Audience::ToutPublic => "Tout public",
        Audience::JeunePublic => "Jeune public",
        Audience::Scolaire => "Scolaire",
    }
}

/// Key used for a performance whose discipline is unknown (no programme row).
pub(crate) const UNKNOWN_DISCIPLINE: &str = "non_renseignee";

/// Canonical position of a breakdown key: disciplines in table order, unknown discipline after
/// them, then audiences in their fixed order. Keeps the rows of two periods in one stable order.
pub(crate) fn breakdown_rank(key: &str) -> usize {
    if let Some(i) = Discipline::ALL.iter().position(|d| d.code() == key) {
        return i;
    }
    if key == UNKNOWN_DISCIPLINE {
        return Discipline::ALL.len();
    }
    const AUDIENCES: [Audience; 3] = [
        Audience::ToutPublic,
        Audience::JeunePublic,
        Audience::Scolaire,
    ];
    match AUDIENCES.iter().position(|a| a.code() == key) {
        Some(i) => Discipline::ALL.len() + 1 + i,
        None => usize::MAX,
    }
}

/// Sums `measure` per discipline, in the order of the discipline table, unknown last.
pub(crate) fn by_discipline<'a>(
    performances: impl Iterator<Item = &'a PerformanceFacts>,
    measure: impl Fn(&PerformanceFacts) -> u64,
) -> Vec<BreakdownEntry> {
    let mut known: BTreeMap<Discipline, u64> = BTreeMap::new();
    let mut unknown: Option<u64> = None;
    for p in performances {
        match p.discipline {
            Some(d) => *known.entry(d).or_default() += measure(p),
            None => *unknown.get_or_insert(0) += measure(p),
        }
    }
    let mut out: Vec<BreakdownEntry> = known
        .into_iter()
        .map(|(d, n)| BreakdownEntry {
            key: d.code().to_string(),
            label: discipline_label(d),
            value: Value::Count(n),
        })
        .collect();
    if let Some(n) = unknown {
        out.push(BreakdownEntry {
            key: UNKNOWN_DISCIPLINE.to_string(),
            label: "Discipline non renseignée".to_string(),
            value: Value::Count(n),
        });
    }
    out
}

/// Sums `measure` per audience (all three audiences always listed, in a fixed order).
pub(crate) fn by_audience<'a>(
    performances: impl Iterator<Item = &'a PerformanceFacts>,
    measure: impl Fn(&PerformanceFacts) -> u64,
) -> Vec<BreakdownEntry> {
    const ORDER: [Audience; 3] = [
        Audience::ToutPublic,
        Audience::JeunePublic,
        Audience::Scolaire,
    ];
    let mut sums = [0u64; 3];
    for p in performances {
        let i = ORDER.iter().position(|a| *a == p.audience).unwrap_or(0);
        sums[i] += measure(p);
    }
    ORDER
        .iter()
        .zip(sums)
        .map(|(a, n)| BreakdownEntry {
            key: a.code().to_string(),
            label: audience_label(*a).to_string(),
            value: Value::Count(n),
        })
        .collect()
}

/// `"2 représentations annulées exclues"`, or `None` when there is none.
pub(crate) fn cancelled_note(performances: &[PerformanceFacts]) -> Option<String> {
    let n = performances.iter().filter(|p| p.cancelled).count();
    plural_note(
        n,
        "représentation annulée exclue",
        "représentations annulées exclues",
    )
}

pub(crate) fn plural_note(n: usize, one: &str, many: &str) -> Option<String> {
    match n {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    }
}

/// Joins optional notes with `" ; "`.
pub(crate) fn join_notes(notes: impl IntoIterator<Item = Option<String>>) -> Option<String> {
    let parts: Vec<String> = notes.into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join(" ; "))
}
