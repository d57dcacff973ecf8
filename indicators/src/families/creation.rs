//! Creation: performances of creations (first French presentation or new production, the
//! programme's `creation` column) and the State budget indicator of LOLF programme 131 "place
//! of creation in the programming": seats put on sale for creations ÷ all seats put on sale.
//! Seats put on sale are the capacities (jauges) of the performances; a performance whose
//! capacity is unknown is left out of both sums, and the note says how many.

use super::{cancelled_note, plural_note};
use crate::catalogue::{Def, Family, Outcome};
use crate::inputs::Inputs;
use crate::ratio::Ratio;
use crate::value::{Unit, Value};

pub static INDICATORS: &[Def] = &[
    Def {
        id: "creation.performances",
        family: Family::Creation,
        label: "Représentations de créations",
        definition: "Représentations non annulées d'une création (première présentation en France ou nouvelle production ; colonne creation du programme).",
        formula: "Σ représentations non annulées avec creation",
        unit: Unit::Count,
        period: "mois, année civile, saison",
        sources: "programme (creation)",
        edge_cases: "Sans ligne de programme, la représentation n'est pas une création.",
        eval: performances,
    },
    Def {
        id: "creation.seats_share",
        family: Family::Creation,
        label: "Part des places mises en vente pour les créations (P131)",
        definition: "Indicateur 1.1 du programme 131 « Création » du budget de l'État : places mises en vente pour des créations rapportées à l'ensemble des places mises en vente. Les places mises en vente sont les jauges des représentations non annulées ; seules les représentations à jauge connue comptent, au numérateur comme au dénominateur.",
        formula: "Σ jauge des créations ÷ Σ jauge de toutes les représentations × 100, sur les représentations à jauge connue, arrondi au dixième",
        unit: Unit::Percent,
        period: "saison (le PAP l'apprécie sur trois saisons) ; aussi mois et année civile",
        sources: "programme (creation, capacity)",
        edge_cases: "Aucune représentation à jauge connue : non applicable (« jauge inconnue »). Les représentations sans jauge (ou à jauge 0) sont exclues et comptées en note.",
        eval: seats_share,
    },
];

fn performances(i: &Inputs<'_>) -> Outcome {
    Outcome::of(Value::Count(i.held().filter(|p| p.creation).count() as u64))
        .with_note(cancelled_note(i.performances))
}

fn seats_share(i: &Inputs<'_>) -> Outcome {
    let mut creation_seats = 0u64;
    let mut all_seats = 0u64;
    let mut unknown = 0usize;
    for p in i.held() {
        // A capacity of 0 is a missing value written as zero, not an empty hall.
        match p.capacity.filter(|c| *c > 0) {
            Some(c) => {
                all_seats += u64::from(c);
                if p.creation {
                    creation_seats += u64::from(c);
                }
            }
            None => unknown += 1,
        }
    }
    let reason = if i.held().next().is_none() {
        "aucune représentation dans la période"
    } else {
        "jauge inconnue : aucune représentation de la période n'a de jauge renseignée"
    };
    Outcome::of_ratio(
        Ratio::Percent {
            numerator: creation_seats,
            denominator: all_seats,
        },
        reason,
    )
    .with_note(plural_note(
        unknown,
        "représentation sans jauge connue exclue",
        "représentations sans jauge connue exclues",
    ))
}
