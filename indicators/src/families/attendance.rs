//! Attendance: paid and free tickets, total, by discipline, and the fill rate.
//!
//! The fill rate only uses performances whose capacity (jauge) is known and whose tickets come
//! from a ticketing source: a performance without capacity or without ticketing would make the
//! ratio say something false, so it is left out of both numerator and denominator, and the note
//! says how many were left out.

use super::{by_discipline, cancelled_note, join_notes, plural_note};
use crate::catalogue::{Def, Family, Outcome};
use crate::inputs::Inputs;
use crate::ratio::Ratio;
use crate::value::{Unit, Value};

const SOURCES: &str = "billetterie (billets valides ; mêmes chiffres que SIBIL)";
const PERIODS: &str = "mois, année civile, saison";

pub static INDICATORS: &[Def] = &[
    Def {
        id: "attendance.paid",
        family: Family::Attendance,
        label: "Entrées payantes",
        definition: "Billets valides à prix supérieur à zéro des représentations non annulées.",
        formula: "Σ billets payants",
        unit: Unit::Count,
        period: PERIODS,
        sources: SOURCES,
        edge_cases: "Billets remboursés ou annulés exclus. Représentations annulées exclues.",
        eval: paid,
    },
    Def {
        id: "attendance.free",
        family: Family::Attendance,
        label: "Entrées gratuites (exonérées)",
        definition: "Billets valides à prix zéro (invitations, exonérés) des représentations non annulées.",
        formula: "Σ billets gratuits",
        unit: Unit::Count,
        period: PERIODS,
        sources: SOURCES,
        edge_cases: "Une entrée libre sans billetterie n'est pas comptée (aucun billet émis).",
        eval: free,
    },
    Def {
        id: "attendance.total",
        family: Family::Attendance,
        label: "Entrées totales",
        definition: "Entrées payantes et gratuites des représentations non annulées.",
        formula: "Σ (billets payants + billets gratuits)",
        unit: Unit::Count,
        period: PERIODS,
        sources: SOURCES,
        edge_cases: "Représentations annulées exclues.",
        eval: total,
    },
    Def {
        id: "attendance.by_discipline",
        family: Family::Attendance,
        label: "Entrées par discipline",
        definition: "Entrées totales (payantes et gratuites) des représentations non annulées, par discipline.",
        formula: "Σ (billets payants + billets gratuits), par discipline",
        unit: Unit::Count,
        period: PERIODS,
        sources: "billetterie et programme (discipline)",
        edge_cases: "Discipline inconnue : « Discipline non renseignée ».",
        eval: total_by_discipline,
    },
    Def {
        id: "attendance.fill_rate",
        family: Family::Attendance,
        label: "Taux de remplissage",
        definition: "Part des places occupées (entrées payantes et gratuites) dans la jauge, sur les représentations non annulées dont la jauge est connue et dont les billets viennent d'une billetterie. Les représentations sans jauge connue ou sans billetterie sont exclues du numérateur comme du dénominateur.",
        formula: "Σ (payants + gratuits) ÷ Σ jauge × 100, sur les représentations à jauge connue et billetterie, arrondi au dixième",
        unit: Unit::Percent,
        period: PERIODS,
        sources: "billetterie et programme (capacity)",
        edge_cases: "Aucune représentation à jauge connue : non applicable (« jauge inconnue »). Une jauge 0 compte comme inconnue. Le nombre de représentations exclues est donné en note. Peut dépasser 100 % si la jauge déclarée est inférieure aux entrées.",
        eval: fill_rate,
    },
];

fn paid(i: &Inputs<'_>) -> Outcome {
    Outcome::of(Value::Count(i.held().map(|p| p.paid_tickets).sum()))
        .with_note(cancelled_note(i.performances))
}

fn free(i: &Inputs<'_>) -> Outcome {
    Outcome::of(Value::Count(i.held().map(|p| p.free_tickets).sum()))
        .with_note(cancelled_note(i.performances))
}

fn total(i: &Inputs<'_>) -> Outcome {
    Outcome::of(Value::Count(i.held().map(|p| p.total_tickets()).sum()))
        .with_note(cancelled_note(i.performances))
}

fn total_by_discipline(i: &Inputs<'_>) -> Outcome {
    total(i).with_breakdown(by_discipline(i.held(), |p| p.total_tickets()))
}

fn fill_rate(i: &Inputs<'_>) -> Outcome {
    let held: Vec<_> = i.held().collect();
    if held.is_empty() {
        return Outcome::of(Value::not_applicable(
            "aucune représentation dans la période",
        ));
    }
    let mut attendance = 0u64;
    let mut seats = 0u64;
    let mut no_capacity = 0usize;
    let mut no_ticketing = 0usize;
    for p in held {
        match p.capacity {
            None | Some(0) => no_capacity += 1,
            Some(_) if !p.ticketed => no_ticketing += 1,
            Some(c) => {
                attendance += p.total_tickets();
                seats += u64::from(c);
            }
        }
    }
    let note = join_notes([
        plural_note(
            no_capacity,
            "représentation sans jauge connue exclue",
            "représentations sans jauge connue exclues",
        ),
        plural_note(
            no_ticketing,
            "représentation sans billetterie exclue",
            "représentations sans billetterie exclues",
        ),
    ]);
    let reason = if no_capacity > 0 && no_ticketing == 0 {
        "jauge inconnue : aucune représentation de la période n'a de jauge renseignée"
    } else {
        "jauge inconnue ou billetterie absente pour toutes les représentations de la période"
    };
    Outcome::of_ratio(
        Ratio::Percent {
            numerator: attendance,
            denominator: seats,
        },
        reason,
    )
    .with_note(note)
}
