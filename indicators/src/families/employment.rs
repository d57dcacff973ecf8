//! Artistic employment from payroll: headcounts, hours, cachets and gross pay of artists and
//! technicians employed on the shows. Not applicable when no payroll source is configured.

use crate::catalogue::{Def, Family, Outcome};
use crate::inputs::Inputs;
use crate::value::{Unit, Value};
use releve_domain::employment::EmploymentFacts;
use releve_domain::Money;
use rust_decimal::Decimal;

const PERIODS: &str = "mois, année civile, saison";
const SOURCES: &str = "paie (DSN, paie CSV, GUSO), par spectacle et par mois";
const NO_PAYROLL: &str = "aucune source de paie";
const EDGE: &str = "Pas de source de paie : non applicable (« aucune source de paie »). Chiffres estimés (contrat réparti sur les dates) signalés en note.";

pub static INDICATORS: &[Def] = &[
    Def {
        id: "employment.artists",
        family: Family::Employment,
        label: "Artistes employés",
        definition: "Artistes salariés sur les spectacles : personnes distinctes par spectacle et par mois, additionnées (une personne employée sur deux spectacles ou deux mois compte deux fois).",
        formula: "Σ artistes (par spectacle et par mois)",
        unit: Unit::Count,
        period: PERIODS,
        sources: SOURCES,
        edge_cases: EDGE,
        eval: artists,
    },
    Def {
        id: "employment.technicians",
        family: Family::Employment,
        label: "Techniciens employés",
        definition: "Techniciens salariés sur les spectacles : personnes distinctes par spectacle et par mois, additionnées.",
        formula: "Σ techniciens (par spectacle et par mois)",
        unit: Unit::Count,
        period: PERIODS,
        sources: SOURCES,
        edge_cases: EDGE,
        eval: technicians,
    },
    Def {
        id: "employment.hours",
        family: Family::Employment,
        label: "Heures travaillées",
        definition: "Heures rémunérées des salariés employés sur les spectacles.",
        formula: "Σ heures",
        unit: Unit::Hours,
        period: PERIODS,
        sources: SOURCES,
        edge_cases: EDGE,
        eval: hours,
    },
    Def {
        id: "employment.cachets",
        family: Family::Employment,
        label: "Cachets",
        definition: "Cachets versés aux artistes employés sur les spectacles.",
        formula: "Σ cachets",
        unit: Unit::Cachets,
        period: PERIODS,
        sources: SOURCES,
        edge_cases: EDGE,
        eval: cachets,
    },
    Def {
        id: "employment.gross_pay",
        family: Family::Employment,
        label: "Masse salariale brute",
        definition: "Salaires bruts des artistes et techniciens employés sur les spectacles.",
        formula: "Σ salaire brut",
        unit: Unit::Euros,
        period: PERIODS,
        sources: SOURCES,
        edge_cases: EDGE,
        eval: gross_pay,
    },
];

/// Applies `f` to the payroll of the period, or says there is none.
fn with_payroll(i: &Inputs<'_>, f: impl Fn(&[EmploymentFacts]) -> Value) -> Outcome {
    match i.employment {
        None => Outcome::of(Value::not_applicable(NO_PAYROLL)),
        Some(e) => {
            let estimated = e.iter().filter(|x| x.estimated).count();
            let note = (estimated > 0).then(|| {
                format!(
                    "chiffres en partie estimés ({estimated} spectacle-mois répartis sur les dates)"
                )
            });
            Outcome::of(f(e)).with_note(note)
        }
    }
}

fn artists(i: &Inputs<'_>) -> Outcome {
    with_payroll(i, |e| Value::Count(e.iter().map(|x| x.artists).sum()))
}

fn technicians(i: &Inputs<'_>) -> Outcome {
    with_payroll(i, |e| Value::Count(e.iter().map(|x| x.technicians).sum()))
}

fn hours(i: &Inputs<'_>) -> Outcome {
    with_payroll(i, |e| {
        Value::Number(e.iter().map(|x| x.hours).sum::<Decimal>())
    })
}

fn cachets(i: &Inputs<'_>) -> Outcome {
    with_payroll(i, |e| {
        Value::Number(e.iter().map(|x| x.cachets).sum::<Decimal>())
    })
}

fn gross_pay(i: &Inputs<'_>) -> Outcome {
    with_payroll(i, |e| {
        Value::Money(e.iter().map(|x| x.gross_pay).sum::<Money>())
    })
}
