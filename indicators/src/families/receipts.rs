//! Receipts: ticketing receipts excluding and including VAT, average price, own receipts.

use super::cancelled_note;
use crate::catalogue::{Def, Family, Outcome};
use crate::inputs::Inputs;
use crate::ratio::Ratio;
use crate::value::{Unit, Value};
use releve_domain::Money;

const PERIODS: &str = "mois, année civile, saison";

pub static INDICATORS: &[Def] = &[
    Def {
        id: "receipts.ticketing_excl_vat",
        family: Family::Receipts,
        label: "Recettes de billetterie HT",
        definition: "Recettes des billets payants valides des représentations non annulées, hors TVA (par taux, arrondi au centime comme dans les déclarations).",
        formula: "Σ recettes HT (Σ par taux de arrondi(TTC ÷ (1 + taux)))",
        unit: Unit::Euros,
        period: PERIODS,
        sources: "billetterie (prix et taux de TVA des billets)",
        edge_cases: "Billets remboursés exclus. Aucun billet payant : 0,00 €, un vrai zéro.",
        eval: excl_vat,
    },
    Def {
        id: "receipts.ticketing_incl_vat",
        family: Family::Receipts,
        label: "Recettes de billetterie TTC",
        definition: "Recettes des billets payants valides des représentations non annulées, toutes taxes comprises.",
        formula: "Σ prix TTC des billets payants",
        unit: Unit::Euros,
        period: PERIODS,
        sources: "billetterie",
        edge_cases: "Billets remboursés exclus.",
        eval: incl_vat,
    },
    Def {
        id: "receipts.average_price",
        family: Family::Receipts,
        label: "Prix moyen du billet",
        definition: "Recette TTC moyenne par billet payant (définition SIBIL ; distincte du « prix moyen affiché » de la SACD). Les billets gratuits ne comptent pas.",
        formula: "Σ recettes TTC ÷ Σ billets payants, arrondi au centime",
        unit: Unit::Euros,
        period: PERIODS,
        sources: "billetterie",
        edge_cases: "Aucun billet payant : non applicable (pas de division par zéro).",
        eval: average_price,
    },
    Def {
        id: "receipts.own",
        family: Family::Receipts,
        label: "Recettes propres",
        definition: "Recettes propres connues de releve : pour l'instant la seule billetterie HT. Les autres recettes propres (bar, restauration, programmes, coproductions, cessions vendues) ne sont pas connues et ne sont pas incluses.",
        formula: "Σ recettes de billetterie HT",
        unit: Unit::Euros,
        period: PERIODS,
        sources: "billetterie (la comptabilité n'est pas encore une source)",
        edge_cases: "Sous-estime les recettes propres tant que les autres recettes ne sont pas importées.",
        eval: own,
    },
];

fn held_sum(i: &Inputs<'_>, f: impl Fn(&releve_domain::PerformanceFacts) -> Money) -> Money {
    i.held().map(f).sum()
}

fn excl_vat(i: &Inputs<'_>) -> Outcome {
    Outcome::of(Value::Money(held_sum(i, |p| p.receipts_excl_vat)))
        .with_note(cancelled_note(i.performances))
}

fn incl_vat(i: &Inputs<'_>) -> Outcome {
    Outcome::of(Value::Money(held_sum(i, |p| p.receipts_incl_vat)))
        .with_note(cancelled_note(i.performances))
}

fn average_price(i: &Inputs<'_>) -> Outcome {
    let receipts = held_sum(i, |p| p.receipts_incl_vat);
    let paid: u64 = i.held().map(|p| p.paid_tickets).sum();
    Outcome::of_ratio(
        Ratio::Average {
            amount: receipts,
            count: paid,
        },
        "aucun billet payant dans la période",
    )
}

fn own(i: &Inputs<'_>) -> Outcome {
    Outcome::of(Value::Money(held_sum(i, |p| p.receipts_excl_vat))).with_note(Some(
        "billetterie HT seule ; autres recettes propres non connues".to_string(),
    ))
}
