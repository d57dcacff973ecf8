//! Young and school audiences: performances and attendance for `jeune_public` and `scolaire`
//! (the programme's audience column; school sessions are SACD nature S).

use crate::catalogue::{Def, Family, Outcome};
use crate::inputs::Inputs;
use crate::value::{Unit, Value};
use releve_domain::Audience;

const PERIODS: &str = "mois, année civile, saison";
const SOURCES: &str = "programme (audience) et billetterie";

pub static INDICATORS: &[Def] = &[
    Def {
        id: "audiences.young_performances",
        family: Family::Audiences,
        label: "Représentations jeune public",
        definition: "Représentations non annulées dont le public est « jeune_public » (hors séances scolaires, comptées à part).",
        formula: "Σ représentations non annulées, audience = jeune_public",
        unit: Unit::Count,
        period: PERIODS,
        sources: SOURCES,
        edge_cases: "Public non renseigné : tout public, donc non compté ici.",
        eval: young_performances,
    },
    Def {
        id: "audiences.young_attendance",
        family: Family::Audiences,
        label: "Entrées jeune public",
        definition: "Entrées (payantes et gratuites) des représentations jeune public non annulées.",
        formula: "Σ (payants + gratuits), audience = jeune_public",
        unit: Unit::Count,
        period: PERIODS,
        sources: SOURCES,
        edge_cases: "Accompagnateurs adultes compris s'ils ont un billet.",
        eval: young_attendance,
    },
    Def {
        id: "audiences.school_performances",
        family: Family::Audiences,
        label: "Séances scolaires",
        definition: "Représentations non annulées dont le public est « scolaire » (séances en temps scolaire).",
        formula: "Σ représentations non annulées, audience = scolaire",
        unit: Unit::Count,
        period: PERIODS,
        sources: SOURCES,
        edge_cases: "Public non renseigné : tout public, donc non compté ici.",
        eval: school_performances,
    },
    Def {
        id: "audiences.school_attendance",
        family: Family::Audiences,
        label: "Entrées scolaires",
        definition: "Entrées (payantes et gratuites) des séances scolaires non annulées.",
        formula: "Σ (payants + gratuits), audience = scolaire",
        unit: Unit::Count,
        period: PERIODS,
        sources: SOURCES,
        edge_cases: "Élèves accueillis sans billet non comptés.",
        eval: school_attendance,
    },
];

fn count(i: &Inputs<'_>, a: Audience) -> Outcome {
    Outcome::of(Value::Count(
        i.held().filter(|p| p.audience == a).count() as u64
    ))
}

fn attendance(i: &Inputs<'_>, a: Audience) -> Outcome {
    Outcome::of(Value::Count(
        i.held()
            .filter(|p| p.audience == a)
            .map(|p| p.total_tickets())
            .sum(),
    ))
}

fn young_performances(i: &Inputs<'_>) -> Outcome {
    count(i, Audience::JeunePublic)
}

fn young_attendance(i: &Inputs<'_>) -> Outcome {
    attendance(i, Audience::JeunePublic)
}

fn school_performances(i: &Inputs<'_>) -> Outcome {
    count(i, Audience::Scolaire)
}

fn school_attendance(i: &Inputs<'_>) -> Outcome {
    attendance(i, Audience::Scolaire)
}
