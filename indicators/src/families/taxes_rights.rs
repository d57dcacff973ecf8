//! Taxes and rights declared for the period, as the declarations computed them (the caller
//! fills `DeclaredAmounts` from the CNM, ASTP, SACEM and SACD documents).

use crate::catalogue::{Def, Family, Outcome};
use crate::inputs::Inputs;
use crate::value::{Unit, Value};
use releve_domain::Money;

const PERIODS: &str = "mois, année civile, saison";

pub static INDICATORS: &[Def] = &[
    Def {
        id: "taxes_rights.cnm_tax",
        family: Family::TaxesRights,
        label: "Taxe CNM déclarée",
        definition: "Taxe sur les spectacles de variétés (CNM) due pour les représentations de la période, telle que déclarée.",
        formula: "Σ taxe due des déclarations CNM de la période",
        unit: Unit::Euros,
        period: PERIODS,
        sources: "déclarations CNM produites par releve",
        edge_cases: "Aucune déclaration CNM pour la période : non applicable.",
        eval: cnm,
    },
    Def {
        id: "taxes_rights.astp_tax",
        family: Family::TaxesRights,
        label: "Taxe ASTP déclarée",
        definition: "Taxe sur les spectacles d'art dramatique, lyrique et chorégraphique (ASTP) due pour la période, telle que déclarée.",
        formula: "Σ taxe due des déclarations ASTP de la période",
        unit: Unit::Euros,
        period: PERIODS,
        sources: "déclarations ASTP produites par releve",
        edge_cases: "Aucune déclaration ASTP pour la période : non applicable.",
        eval: astp,
    },
    Def {
        id: "taxes_rights.sacem",
        family: Family::TaxesRights,
        label: "Droits SACEM estimés",
        definition: "Droits d'auteur SACEM estimés sur les états de recettes de la période (le montant facturé par la SACEM fait foi).",
        formula: "Σ droits estimés des états SACEM de la période",
        unit: Unit::Euros,
        period: PERIODS,
        sources: "états SACEM produits par releve",
        edge_cases: "Aucun état SACEM pour la période : non applicable.",
        eval: sacem,
    },
    Def {
        id: "taxes_rights.sacd",
        family: Family::TaxesRights,
        label: "Droits SACD estimés",
        definition: "Droits d'auteur SACD estimés sur les bordereaux de la période (le montant facturé par la SACD fait foi).",
        formula: "Σ droits estimés des bordereaux SACD de la période",
        unit: Unit::Euros,
        period: PERIODS,
        sources: "bordereaux SACD produits par releve",
        edge_cases: "La SACD calcule ses droits selon ses conditions générales (non publiées) : releve ne les estime pas, non applicable.",
        eval: sacd,
    },
];

fn declared(amount: Option<Money>, body: &str) -> Outcome {
    Outcome::of(match amount {
        Some(m) => Value::Money(m),
        None => Value::not_applicable(format!("aucune déclaration {body} pour la période")),
    })
}

fn cnm(i: &Inputs<'_>) -> Outcome {
    declared(i.declared.cnm_tax, "CNM")
}

fn astp(i: &Inputs<'_>) -> Outcome {
    declared(i.declared.astp_tax, "ASTP")
}

fn sacem(i: &Inputs<'_>) -> Outcome {
    declared(i.declared.sacem_estimate, "SACEM")
}

fn sacd(i: &Inputs<'_>) -> Outcome {
    Outcome::of(match i.declared.sacd_estimate {
        Some(m) => Value::Money(m),
        // The SACD's rates are in its general conditions, not public: releve does not guess.
        None => Value::not_applicable(
            "droits calculés par la SACD selon ses conditions générales : releve n'en fait pas d'estimation",
        ),
    })
}
