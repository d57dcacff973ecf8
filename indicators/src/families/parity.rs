//! Parity: share of women among people employed (payroll), among directors programmed and
//! among artists programmed (the programme's `director_sex`, `artists_total`, `artists_women`).
//!
//! Programme figures are counted once per show (not per performance): a show played ten times
//! with a woman director is one woman director programmed, which is how the DGCA parity
//! collection counts programming.

use super::{join_notes, plural_note};
use crate::catalogue::{Def, Family, Outcome};
use crate::inputs::Inputs;
use crate::ratio::Ratio;
use crate::value::{Unit, Value};
use releve_domain::employment::Sex;
use releve_domain::PerformanceFacts;
use std::collections::BTreeMap;

const PERIODS: &str = "année civile, saison (mois possible)";

pub static INDICATORS: &[Def] = &[
    Def {
        id: "parity.employed_women",
        family: Family::Parity,
        label: "Part des femmes parmi les artistes et techniciens employés",
        definition: "Part des femmes parmi les salariés (artistes et techniciens) employés sur les spectacles, d'après la paie. Effectifs par spectacle et par mois : une personne employée sur deux spectacles compte deux fois.",
        formula: "Σ femmes ÷ Σ (femmes + hommes) × 100, arrondi au dixième",
        unit: Unit::Percent,
        period: PERIODS,
        sources: "paie (DSN S21.G00.30.005, paie CSV, GUSO)",
        edge_cases: "Pas de source de paie : non applicable (« aucune source de paie »). Sexe inconnu pour tous : non applicable.",
        eval: employed_women,
    },
    Def {
        id: "parity.directors_women",
        family: Family::Parity,
        label: "Part des femmes parmi les metteurs en scène programmés",
        definition: "Part des spectacles programmés (représentations non annulées) dont la mise en scène, la chorégraphie ou la direction est assurée par une femme, sur les spectacles dont le programme le renseigne. Chaque spectacle compte une fois.",
        formula: "spectacles dirigés par une femme ÷ spectacles au sexe de la direction renseigné × 100",
        unit: Unit::Percent,
        period: PERIODS,
        sources: "programme (director_sex)",
        edge_cases: "Programme muet pour tous les spectacles : non applicable. Les spectacles non renseignés sont exclus et comptés en note.",
        eval: directors_women,
    },
    Def {
        id: "parity.artists_women",
        family: Family::Parity,
        label: "Part des femmes parmi les artistes programmés",
        definition: "Part des femmes parmi les artistes au plateau des spectacles programmés (représentations non annulées), quand le programme donne le nombre d'artistes et de femmes. Chaque spectacle compte une fois.",
        formula: "Σ artists_women ÷ Σ artists_total × 100, par spectacle renseigné",
        unit: Unit::Percent,
        period: PERIODS,
        sources: "programme (artists_total, artists_women)",
        edge_cases: "Aucun spectacle renseigné : non applicable. Un spectacle avec plus de femmes que d'artistes est incohérent : exclu et signalé en note.",
        eval: artists_women,
    },
];

fn employed_women(i: &Inputs<'_>) -> Outcome {
    let Some(employment) = i.employment else {
        return Outcome::of(Value::not_applicable("aucune source de paie"));
    };
    let women: u64 = employment.iter().map(|e| e.women).sum();
    let men: u64 = employment.iter().map(|e| e.men).sum();
    Outcome::of_ratio(
        Ratio::Percent {
            numerator: women,
            denominator: women + men,
        },
        "sexe des salariés inconnu dans la paie de la période",
    )
}

/// The first held performance of each show (by show id), in show id order.
fn shows<'a>(i: &Inputs<'a>) -> BTreeMap<&'a str, Vec<&'a PerformanceFacts>> {
    let mut map: BTreeMap<&str, Vec<&PerformanceFacts>> = BTreeMap::new();
    for p in i.held() {
        map.entry(p.show_id.as_str()).or_default().push(p);
    }
    map
}

fn directors_women(i: &Inputs<'_>) -> Outcome {
    let mut women = 0u64;
    let mut known = 0u64;
    let mut unknown = 0usize;
    for performances in shows(i).values() {
        match performances.iter().find_map(|p| p.director_sex) {
            Some(Sex::Female) => {
                women += 1;
                known += 1;
            }
            Some(Sex::Male) => known += 1,
            None => unknown += 1,
        }
    }
    Outcome::of_ratio(
        Ratio::Percent {
            numerator: women,
            denominator: known,
        },
        "le programme ne renseigne la direction d'aucun spectacle de la période",
    )
    .with_note(plural_note(
        unknown,
        "spectacle sans sexe de la direction renseigné exclu",
        "spectacles sans sexe de la direction renseigné exclus",
    ))
}

fn artists_women(i: &Inputs<'_>) -> Outcome {
    let mut women = 0u64;
    let mut total = 0u64;
    let mut unknown = 0usize;
    let mut inconsistent = 0usize;
    for performances in shows(i).values() {
        let figures = performances
            .iter()
            .find_map(|p| p.artists_total.zip(p.artists_women));
        match figures {
            Some((t, w)) if w <= t => {
                women += u64::from(w);
                total += u64::from(t);
            }
            Some(_) => inconsistent += 1,
            None => unknown += 1,
        }
    }
    Outcome::of_ratio(
        Ratio::Percent {
            numerator: women,
            denominator: total,
        },
        "le programme ne renseigne les artistes d'aucun spectacle de la période",
    )
    .with_note(join_notes([
        plural_note(
            unknown,
            "spectacle sans nombre d'artistes exclu",
            "spectacles sans nombre d'artistes exclus",
        ),
        plural_note(
            inconsistent,
            "spectacle incohérent (plus de femmes que d'artistes) exclu",
            "spectacles incohérents (plus de femmes que d'artistes) exclus",
        ),
    ]))
}
