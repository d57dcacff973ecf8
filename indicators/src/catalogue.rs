//! The catalogue: every indicator as data (id, French label, definition, formula, unit, period,
//! sources, edge cases) with the function that computes it. One file per family under
//! `families/`; this module assembles them in a fixed order and renders the documentation
//! table from the same data, so the docs cannot drift from the code.

use crate::families;
use crate::inputs::Inputs;
use crate::ratio::Ratio;
use crate::value::{Unit, Value};
use serde::Serialize;

/// A family of indicators (one sheet of the workbook, one section of the report).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Performances,
    Attendance,
    Receipts,
    Audiences,
    Creation,
    Parity,
    Employment,
    TaxesRights,
}

impl Family {
    pub const ALL: [Family; 8] = [
        Family::Performances,
        Family::Attendance,
        Family::Receipts,
        Family::Audiences,
        Family::Creation,
        Family::Parity,
        Family::Employment,
        Family::TaxesRights,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Family::Performances => "performances",
            Family::Attendance => "attendance",
            Family::Receipts => "receipts",
            Family::Audiences => "audiences",
            Family::Creation => "creation",
            Family::Parity => "parity",
            Family::Employment => "employment",
            Family::TaxesRights => "taxes_rights",
        }
    }

    /// French title (also the workbook sheet name: at most 31 characters, no `/`).
    pub fn label_fr(self) -> &'static str {
        match self {
            Family::Performances => "Représentations",
            Family::Attendance => "Fréquentation",
            Family::Receipts => "Recettes",
            Family::Audiences => "Jeune public et scolaires",
            Family::Creation => "Création",
            Family::Parity => "Parité",
            Family::Employment => "Emploi artistique",
            Family::TaxesRights => "Taxes et droits",
        }
    }
}

/// One line of a multi-valued indicator (one discipline, one audience…).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BreakdownEntry {
    /// Stable key (`theatre`, `jeune_public`).
    pub key: String,
    /// French label (`Théâtre`).
    pub label: String,
    pub value: Value,
}

/// What computing an indicator gives: the value, a note for the reader (what was left out and
/// why), and for multi-valued indicators the breakdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub value: Value,
    pub note: Option<String>,
    pub breakdown: Vec<BreakdownEntry>,
    /// For a ratio indicator, the sums it divides (so that organisations can be combined).
    pub ratio: Option<Ratio>,
}

impl Outcome {
    pub fn of(value: Value) -> Outcome {
        Outcome {
            value,
            note: None,
            breakdown: Vec::new(),
            ratio: None,
        }
    }

    /// A ratio indicator's outcome: its value by [`Ratio::value`], the sums kept beside it.
    pub fn of_ratio(ratio: Ratio, reason: &str) -> Outcome {
        Outcome {
            ratio: Some(ratio),
            ..Outcome::of(ratio.value(reason))
        }
    }

    pub fn with_note(mut self, note: Option<String>) -> Outcome {
        self.note = note;
        self
    }

    pub fn with_breakdown(mut self, breakdown: Vec<BreakdownEntry>) -> Outcome {
        self.breakdown = breakdown;
        self
    }
}

/// The seam of `architecture.md` §3: an indicator computes a value from the inputs of one
/// period, `NotApplicable` instead of dividing by zero.
pub trait Indicator: Sync {
    fn def(&self) -> &Def;
    /// Value, note and breakdown.
    fn evaluate(&self, inputs: &Inputs<'_>) -> Outcome;
    fn compute(&self, inputs: &Inputs<'_>) -> Value {
        self.evaluate(inputs).value
    }
}

/// An indicator as data.
pub struct Def {
    /// `family.name`, stable (`attendance.paid`).
    pub id: &'static str,
    pub family: Family,
    /// French label.
    pub label: &'static str,
    /// French definition, saying what is counted and what is left out.
    pub definition: &'static str,
    /// The formula, in words and symbols.
    pub formula: &'static str,
    pub unit: Unit,
    /// Which periods it makes sense for.
    pub period: &'static str,
    /// Where the data comes from.
    pub sources: &'static str,
    /// Edge cases: missing data, zero denominators, cancelled performances.
    pub edge_cases: &'static str,
    pub eval: fn(&Inputs<'_>) -> Outcome,
}

impl Indicator for Def {
    fn def(&self) -> &Def {
        self
    }

    fn evaluate(&self, inputs: &Inputs<'_>) -> Outcome {
        (self.eval)(inputs)
    }
}

/// The whole catalogue, in family order, then in the order of each family file.
pub fn catalogue() -> Vec<&'static Def> {
    Family::ALL
        .iter()
        .flat_map(|f| family_defs(*f).iter())
        .collect()
}

pub fn family_defs(family: Family) -> &'static [Def] {
    match family {
        Family::Performances => families::performances::INDICATORS,
        Family::Attendance => families::attendance::INDICATORS,
        Family::Receipts => families::receipts::INDICATORS,
        Family::Audiences => families::audiences::INDICATORS,
        Family::Creation => families::creation::INDICATORS,
        Family::Parity => families::parity::INDICATORS,
        Family::Employment => families::employment::INDICATORS,
        Family::TaxesRights => families::taxes_rights::INDICATORS,
    }
}

pub fn find(id: &str) -> Option<&'static Def> {
    catalogue().into_iter().find(|d| d.id == id)
}

/// The catalogue as a Markdown document (one table per family), for `docs/indicators.md`.
pub fn docs() -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = String::new();
    out.push_str("# Indicateurs harmonisés pour les tutelles\n\n");
    out.push_str(
        "Generated from the catalogue in `indicators/src/families/` (`releve_indicators::docs()`): \
         do not edit by hand.\n\n\
         Rules common to every indicator: cancelled performances never count; an indicator that \
         cannot be computed is *non applicable* with its reason, never zero; percentages are \
         rounded half-up to one decimal (62.45 → 62.5); amounts are in euros with two decimals; \
         every figure is shown beside the same figure for the previous period (previous month, \
         previous calendar year, previous season); a period for which no month of data was given \
         is *non applicable* throughout. A season runs from September to August unless \
         configured otherwise. Outputs: `indicators.json` and `indicators.csv` every month; for a \
         season also `indicators.xlsx` (one sheet per family), `indicators.html` and \
         `indicators.pdf` (French report with charts).\n",
    );
    for family in Family::ALL {
        out.push_str(&format!(
            "\n## {} (`{}`)\n\n",
            family.label_fr(),
            family.code()
        ));
        out.push_str(
            "| id | libellé | définition | formule | unité | période | sources | cas limites |\n",
        );
        out.push_str("|---|---|---|---|---|---|---|---|\n");
        for d in family_defs(family) {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} | {} | {} | {} |\n",
                d.id,
                cell(d.label),
                cell(d.definition),
                cell(d.formula),
                d.unit.code(),
                cell(d.period),
                cell(d.sources),
                cell(d.edge_cases)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_prefixed_by_family_and_documented() {
        let all = catalogue();
        let mut seen = HashSet::new();
        for d in &all {
            assert!(seen.insert(d.id), "duplicate id {}", d.id);
            assert!(
                d.id.starts_with(&format!("{}.", d.family.code())),
                "{} is not in its family",
                d.id
            );
            for text in [
                d.label,
                d.definition,
                d.formula,
                d.period,
                d.sources,
                d.edge_cases,
            ] {
                assert!(!text.trim().is_empty(), "{} has an empty field", d.id);
            }
        }
        for f in Family::ALL {
            assert!(!family_defs(f).is_empty(), "family {f:?} is empty");
            assert!(f.label_fr().chars().count() <= 31);
        }
    }

    #[test]
    fn docs_table_lists_every_indicator() {
        let md = docs();
        for d in catalogue() {
            assert!(md.contains(&format!("| `{}` |", d.id)), "{} missing", d.id);
        }
        assert!(md.contains("## Création (`creation`)"));
    }
}
