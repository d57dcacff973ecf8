//! Performances: how many took place, by discipline, by audience, in and out of the venue.
//! Cancelled performances never count (they are reported apart, for the record).

use super::{by_audience, by_discipline, cancelled_note};
use crate::catalogue::{Def, Family, Outcome};
use crate::inputs::Inputs;
use crate::value::{Unit, Value};

const SOURCES: &str = "billetterie et programme (faits mensuels par représentation)";
const PERIODS: &str = "mois, année civile, saison";

pub static INDICATORS: &[Def] = &[
    Def {
        id: "performances.total",
        family: Family::Performances,
        label: "Représentations",
        definition: "Nombre de représentations données dans la période (date locale à Paris). Les représentations annulées sont exclues.",
        formula: "Σ représentations non annulées",
        unit: Unit::Count,
        period: PERIODS,
        sources: SOURCES,
        edge_cases: "Annulées exclues (leur nombre est donné en note). Aucune représentation : 0, qui est un vrai zéro.",
        eval: total,
    },
    Def {
        id: "performances.by_discipline",
        family: Family::Performances,
        label: "Représentations par discipline",
        definition: "Représentations non annulées, ventilées par discipline (table des disciplines, colonne discipline du programme).",
        formula: "Σ représentations non annulées, par discipline",
        unit: Unit::Count,
        period: PERIODS,
        sources: "programme (discipline) et billetterie",
        edge_cases: "Une représentation sans ligne de programme a une discipline inconnue : elle figure sous « Discipline non renseignée ». Seules les disciplines présentes sont listées.",
        eval: by_discipline_eval,
    },
    Def {
        id: "performances.by_audience",
        family: Family::Performances,
        label: "Représentations par public",
        definition: "Représentations non annulées, ventilées par public : tout public, jeune public, scolaire (colonne audience du programme).",
        formula: "Σ représentations non annulées, par public",
        unit: Unit::Count,
        period: PERIODS,
        sources: "programme (audience)",
        edge_cases: "Public non renseigné : tout public. Les trois publics sont toujours listés.",
        eval: by_audience_eval,
    },
    Def {
        id: "performances.in_venue",
        family: Family::Performances,
        label: "Représentations dans les murs",
        definition: "Représentations non annulées données dans le lieu (colonne off_site du programme à non).",
        formula: "Σ représentations non annulées sans off_site",
        unit: Unit::Count,
        period: PERIODS,
        sources: "programme (off_site)",
        edge_cases: "Sans ligne de programme, la représentation est comptée dans les murs.",
        eval: in_venue,
    },
    Def {
        id: "performances.off_site",
        family: Family::Performances,
        label: "Représentations hors les murs",
        definition: "Représentations non annulées données hors du lieu (décentralisation, itinérance, tournée ; colonne off_site du programme).",
        formula: "Σ représentations non annulées avec off_site",
        unit: Unit::Count,
        period: PERIODS,
        sources: "programme (off_site)",
        edge_cases: "Sans ligne de programme, la représentation n'est pas comptée hors les murs.",
        eval: off_site,
    },
    Def {
        id: "performances.cancelled",
        family: Family::Performances,
        label: "Représentations annulées",
        definition: "Représentations prévues dans la période puis annulées (programme ou billetterie). Exclues de tous les autres indicateurs.",
        formula: "Σ représentations annulées",
        unit: Unit::Count,
        period: PERIODS,
        sources: "programme (cancelled) et billetterie",
        edge_cases: "Donné pour mémoire.",
        eval: cancelled,
    },
];

fn total(i: &Inputs<'_>) -> Outcome {
    Outcome::of(Value::Count(i.held().count() as u64)).with_note(cancelled_note(i.performances))
}

fn by_discipline_eval(i: &Inputs<'_>) -> Outcome {
    total(i).with_breakdown(by_discipline(i.held(), |_| 1))
}

fn by_audience_eval(i: &Inputs<'_>) -> Outcome {
    total(i).with_breakdown(by_audience(i.held(), |_| 1))
}

fn in_venue(i: &Inputs<'_>) -> Outcome {
    Outcome::of(Value::Count(i.held().filter(|p| !p.off_site).count() as u64))
}

fn off_site(i: &Inputs<'_>) -> Outcome {
    Outcome::of(Value::Count(i.held().filter(|p| p.off_site).count() as u64))
}

fn cancelled(i: &Inputs<'_>) -> Outcome {
    Outcome::of(Value::Count(
        i.performances.iter().filter(|p| p.cancelled).count() as u64,
    ))
}
