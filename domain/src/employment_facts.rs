//! Employment per show and month (`formats.md` §5.1 `employment`) from payroll engagements and
//! the performances of the programme. Pure and deterministic.
//!
//! # Rules
//!
//! - An engagement is linked to a show by its numéro d'objet: the show whose performances carry
//!   that number (`numero_objet` of the programme; compared without case or spaces). A number
//!   carried by several shows goes to the first by show id, with a warning.
//! - The engagement's figures (hours, cachets, gross pay, Congés Spectacles) go to the months of
//!   the show's performance dates that its pay period covers (cancelled performances are not
//!   dates). When all those dates are in one month and that month is also the payroll month, the
//!   figures go there whole. Otherwise they are spread over the covered dates pro rata of the
//!   number of dates per month, and the show-month is flagged `estimated`; a pay period that
//!   covers none of the show's dates (rehearsals, a payroll month without performance) is spread
//!   over all of the show's dates, also as an estimate.
//! - Spreading rounds each month's part to the cent (hours and cachets to 0.01) and gives the
//!   rounding remainder to the last month, so that the parts add up to the whole.
//! - Headcounts are distinct person keys among the engagements with a part in the show-month:
//!   artists, technicians (by role), women, men (by sex; unknown sex counts in neither).
//! - Engagements of the payroll month that cannot be linked (no numéro d'objet, or a number no
//!   show carries) are reported as warnings in French, never dropped silently and never guessed.
//!
//! Callers pass the engagements of every payroll month that may cover the month's performances
//! (the month itself and its neighbours) and the performances of those months.

use crate::calendar::Month;
use crate::employment::{EmploymentFacts, Engagement, Role, Sex};
use crate::facts::PerformanceFacts;
use crate::issue::Issue;
use crate::money::{round_half_up, Money};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// One performance date of a show, as employment needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShowDate {
    pub show_id: String,
    pub show_title: String,
    pub numero_objet: Vec<String>,
    pub date: NaiveDate,
    pub cancelled: bool,
}

impl From<&PerformanceFacts> for ShowDate {
    fn from(p: &PerformanceFacts) -> ShowDate {
        ShowDate {
            show_id: p.show_id.clone(),
            show_title: p.show_title.clone(),
            numero_objet: p.numero_objet.clone(),
            date: p.date,
            cancelled: p.cancelled,
        }
    }
}

/// The `employment` facts of a month and what could not be linked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmploymentReport {
    /// One entry per show with employment in the month, sorted by title then numéro d'objet.
    pub facts: Vec<EmploymentFacts>,
    /// Warnings (`employment.unlinked`, `employment.ambiguous_numero_objet`), in French.
    pub issues: Vec<Issue>,
}

/// Employment facts of `month` from engagements and the performances' facts.
pub fn employment_facts(
    month: Month,
    engagements: &[Engagement],
    performances: &[PerformanceFacts],
) -> EmploymentReport {
    let dates: Vec<ShowDate> = performances.iter().map(ShowDate::from).collect();
    employment_facts_from_dates(month, engagements, &dates)
}

fn normalise(numero: &str) -> String {
    numero
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase()
}

struct Show {
    title: String,
    /// Numéro d'objet as written in the programme (first one seen).
    numero: String,
    dates: BTreeSet<NaiveDate>,
}

#[derive(Default)]
struct Acc {
    artists: BTreeSet<String>,
    technicians: BTreeSet<String>,
    women: BTreeSet<String>,
    men: BTreeSet<String>,
    hours: Decimal,
    cachets: Decimal,
    gross: Money,
    conges: Option<Money>,
    estimated: bool,
}

/// Same as [`employment_facts`], from show dates.
pub fn employment_facts_from_dates(
    month: Month,
    engagements: &[Engagement],
    dates: &[ShowDate],
) -> EmploymentReport {
    let mut issues = Vec::new();
    // Shows by id, and numéro d'objet → show ids.
    let mut shows: BTreeMap<&str, Show> = BTreeMap::new();
    let mut by_numero: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for d in dates {
        let show = shows.entry(&d.show_id).or_insert_with(|| Show {
            title: d.show_title.clone(),
            numero: String::new(),
            dates: BTreeSet::new(),
        });
        if !d.cancelled {
            show.dates.insert(d.date);
        }
        for n in &d.numero_objet {
            if show.numero.is_empty() {
                show.numero = n.clone();
            }
            by_numero
                .entry(normalise(n))
                .or_default()
                .insert(&d.show_id);
        }
    }
    for (numero, ids) in &by_numero {
        if ids.len() > 1 {
            issues.push(Issue::warning(
                "employment.ambiguous_numero_objet",
                format!(
                    "le numéro d'objet {numero} est porté par plusieurs spectacles ({}) ; la paie \
                     est rattachée au premier. Un numéro d'objet désigne un seul spectacle : \
                     corrigez la programmation",
                    ids.iter().copied().collect::<Vec<_>>().join(", ")
                ),
            ));
        }
    }
    let mut acc: BTreeMap<&str, Acc> = BTreeMap::new();
    for e in engagements {
        let reportable = e.month == month;
        let Some(numero) = e.numero_objet.as_deref().filter(|n| !n.trim().is_empty()) else {
            if reportable {
                issues.push(unlinked(e, "n'a pas de numéro d'objet"));
            }
            continue;
        };
        let Some(show_id) = by_numero
            .get(&normalise(numero))
            .and_then(|ids| ids.iter().next().copied())
        else {
            if reportable {
                issues.push(unlinked(
                    e,
                    &format!("porte le numéro d'objet {numero}, qu'aucun spectacle de la programmation ne porte"),
                ));
            }
            continue;
        };
        let show = &shows[show_id];
        let covered: Vec<NaiveDate> = show
            .dates
            .iter()
            .copied()
            .filter(|d| *d >= e.period_start && *d <= e.period_end)
            .collect();
        let spread_over = if covered.is_empty() {
            show.dates.iter().copied().collect()
        } else {
            covered.clone()
        };
        if spread_over.is_empty() {
            continue;
        }
        // Dates per month, in month order.
        let mut per_month: BTreeMap<Month, u64> = BTreeMap::new();
        for d in &spread_over {
            *per_month.entry(Month::of_date(*d)).or_default() += 1;
        }
        let Some(&count) = per_month.get(&month) else {
            continue;
        };
        let whole = !covered.is_empty() && per_month.len() == 1 && e.month == month;
        let total = spread_over.len() as u64;
        let last = *per_month.keys().next_back().expect("not empty");
        let before: u64 = per_month.range(..month).map(|(_, n)| *n).sum();
        let part = |value: Decimal| share(value, before, count, total, month == last);
        let a = acc.entry(show_id).or_default();
        a.estimated |= !whole;
        a.hours += part(e.hours);
        a.cachets += part(e.cachets.unwrap_or_default());
        a.gross += Money::new(part(e.gross_pay.amount()));
        if let Some(c) = e.conges_spectacles {
            *a.conges.get_or_insert(Money::ZERO) += Money::new(part(c.amount()));
        }
        let key = e.person_key.clone();
        match e.role {
            Role::Artist => {
                a.artists.insert(key.clone());
            }
            Role::Technician => {
                a.technicians.insert(key.clone());
            }
            Role::Other => {}
        }
        match e.sex {
            Some(Sex::Female) => {
                a.women.insert(key);
            }
            Some(Sex::Male) => {
                a.men.insert(key);
            }
            None => {}
        }
    }
    let mut facts: Vec<EmploymentFacts> = acc
        .into_iter()
        .map(|(id, a)| {
            let show = &shows[id];
            EmploymentFacts {
                show_title: show.title.clone(),
                numero_objet: (!show.numero.is_empty()).then(|| show.numero.clone()),
                artists: a.artists.len() as u64,
                technicians: a.technicians.len() as u64,
                women: a.women.len() as u64,
                men: a.men.len() as u64,
                hours: a.hours,
                cachets: a.cachets,
                gross_pay: a.gross,
                conges_spectacles: a.conges,
                estimated: a.estimated,
            }
        })
        .collect();
    facts.sort_by(|a, b| (&a.show_title, &a.numero_objet).cmp(&(&b.show_title, &b.numero_objet)));
    issues.sort();
    EmploymentReport { facts, issues }
}

/// The part of `value` for a month holding `count` of `total` dates, `before` dates being in
/// earlier months: rounded to 0.01, the last month taking the remainder so parts add up.
fn share(value: Decimal, before: u64, count: u64, total: u64, is_last: bool) -> Decimal {
    if count == total {
        return value;
    }
    let portion = |n: u64| round_half_up(value * Decimal::from(n) / Decimal::from(total), 2);
    if is_last {
        value - portion(before)
    } else {
        // Cumulative rounding: each month gets round(cum_after) - round(cum_before), so the
        // parts telescope to the whole.
        portion(before + count) - portion(before)
    }
}

fn unlinked(e: &Engagement, what: &str) -> Issue {
    Issue::warning(
        "employment.unlinked",
        format!(
            "paie {} : le contrat {} (période du {} au {}) {what} ; il n'est compté dans l'emploi \
             d'aucun spectacle. Renseignez le numéro d'objet dans le logiciel de paie et dans la \
             colonne numero_objet de la programmation",
            e.month.to_french(),
            e.contract_id,
            e.period_start.format("%d/%m/%Y"),
            e.period_end.format("%d/%m/%Y"),
        ),
    )
    .at_source(&e.source, None)
}

#[cfg(test)]
mod tests;
