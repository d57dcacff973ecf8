//! Linking programme rows to ticketed performances (`formats.md` §4).
//!
//! A row links by `performance_id` when given, otherwise by the same show title (case, accents
//! and spacing ignored) and a start time within 15 minutes. A row that links to nothing is a
//! performance of its own (free admission, no ticketing) and is reported unless marked
//! `free_admission` or `cancelled`. A row that could link to several performances, or to a
//! performance another row already took, is reported and not linked: never guessed.

use crate::calendar::{local_date, PARIS};
use crate::issue::Issue;
use crate::model::PerformanceRecord;
use crate::programme::ProgrammeEntry;
use crate::text::{normalise_key, slug};
use chrono::{Duration, NaiveDate};
use std::collections::{BTreeMap, HashMap};

/// Largest gap between a programme start time and a ticketing start time that still links.
pub const LINK_TOLERANCE_MINUTES: i64 = 15;

/// A performance after linking: what ticketing says, what the programme says, or both.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkedPerformance {
    pub performance_id: String,
    pub record: Option<PerformanceRecord>,
    pub programme: Option<ProgrammeEntry>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Linking {
    pub performances: Vec<LinkedPerformance>,
    /// Problems found, each with the date of the programme row it concerns.
    pub issues: Vec<(NaiveDate, Issue)>,
}

/// The id of a programme row that links to no ticketed performance.
pub fn programme_only_id(entry: &ProgrammeEntry) -> String {
    match &entry.performance_id {
        Some(id) => format!("{}:{}", entry.source, id),
        None => format!(
            "{}:{}-{}",
            entry.source,
            slug(&entry.show_title),
            entry.starts_at.with_timezone(&PARIS).format("%Y%m%dT%H%M")
        ),
    }
}

fn describe(entry: &ProgrammeEntry) -> String {
    format!(
        "« {} » du {}",
        entry.show_title,
        entry
            .starts_at
            .with_timezone(&PARIS)
            .format("%d/%m/%Y à %H:%M")
    )
}

pub fn link(records: &[PerformanceRecord], programme: &[ProgrammeEntry]) -> Linking {
    let mut by_external: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_title: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        by_external
            .entry(r.external_id.as_str())
            .or_default()
            .push(i);
        by_title
            .entry(normalise_key(&r.show_title))
            .or_default()
            .push(i);
    }
    let mut taken: BTreeMap<usize, &ProgrammeEntry> = BTreeMap::new();
    let mut own: Vec<&ProgrammeEntry> = Vec::new();
    let mut issues = Vec::new();
    let tolerance = Duration::minutes(LINK_TOLERANCE_MINUTES);

    for entry in programme {
        let date = local_date(entry.starts_at);
        let located = |issue: Issue| issue.at_source(&entry.source, Some(entry.line));
        let candidates: Vec<usize> = match &entry.performance_id {
            Some(id) => by_external.get(id.as_str()).cloned().unwrap_or_default(),
            None => by_title
                .get(&normalise_key(&entry.show_title))
                .map(|v| {
                    v.iter()
                        .copied()
                        .filter(|&i| (records[i].starts_at - entry.starts_at).abs() <= tolerance)
                        .collect()
                })
                .unwrap_or_default(),
        };
        match candidates.as_slice() {
            [] => {
                if !entry.free_admission && !entry.cancelled {
                    issues.push((
                        date,
                        located(Issue::warning(
                            "programme.unlinked",
                            format!(
                                "La ligne de programme {} ne correspond à aucune représentation de la billetterie. \
                                 Elle est comptée comme une représentation sans billetterie ; si c'est une erreur de titre, \
                                 d'heure ou d'identifiant, corrigez le programme. Si l'entrée est libre, indiquez free_admission = yes.",
                                describe(entry)
                            ),
                        )),
                    ));
                }
                own.push(entry);
            }
            [one] => {
                if let Some(previous) = taken.get(one) {
                    issues.push((
                        date,
                        located(Issue::blocking(
                            "programme.duplicate",
                            format!(
                                "La ligne de programme {} désigne la même représentation que la ligne {} : \
                                 elle n'est pas rattachée. Supprimez le doublon ou corrigez l'identifiant.",
                                describe(entry),
                                previous.line
                            ),
                        ))
                        .for_performance(&records[*one].performance_id()),
                    ));
                } else {
                    taken.insert(*one, entry);
                }
            }
            many => {
                let ids: Vec<String> = many.iter().map(|&i| records[i].performance_id()).collect();
                issues.push((
                    date,
                    located(Issue::blocking(
                        "programme.ambiguous",
                        format!(
                            "La ligne de programme {} peut correspondre à plusieurs représentations ({}) : \
                             elle n'est pas rattachée. Indiquez performance_id pour lever l'ambiguïté.",
                            describe(entry),
                            ids.join(", ")
                        ),
                    )),
                ));
            }
        }
    }

    let mut performances: Vec<LinkedPerformance> = records
        .iter()
        .enumerate()
        .map(|(i, r)| LinkedPerformance {
            performance_id: r.performance_id(),
            record: Some(r.clone()),
            programme: taken.get(&i).map(|e| (*e).clone()),
        })
        .collect();
    performances.extend(own.into_iter().map(|e| LinkedPerformance {
        performance_id: programme_only_id(e),
        record: None,
        programme: Some(e.clone()),
    }));
    Linking {
        performances,
        issues,
    }
}
