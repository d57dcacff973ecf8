//! SACEM: "état des recettes et des dépenses — établissements de concerts et de spectacles,
//! théâtres et assimilés" (SACEM form réf. 300 269), one state per show.
//!
//! - Basis: the contrat général de représentation; rights are a percentage of the receipts, or
//!   of the expense budget for sessions without receipts, computed by SACEM. releve prints an
//!   **indicative estimate** only (dated rule `sacem_estimate_rate`, 8.80 % general concert
//!   rate), on the receipts of entries excl. VAT, or the artistic expenses excl. VAT when there
//!   is no receipt. That choice of base is uncertain (SACEM's "règles générales" may take the
//!   larger of the two) and is documented on every estimate.
//! - Which performances: those of the month (not cancelled) whose discipline is in SACEM's
//!   repertoire (discipline table, overridden per show by the programme's `sacem = yes|no`);
//!   "review" gives a blocking issue and the performance is not listed. They are grouped by show
//!   (`show_id`), one section per show, with the dates from/to and the number of performances.
//! - Receipts: origin `entrees` per VAT rate (excl., VAT, incl.) from ticketing. The other
//!   origins of the form (consommations, restauration, programmes, autres) are not known from
//!   ticketing, so they are never filled today; the model has room for them.
//! - Expenses (artistic contracts): cession price + frais d'approche under the show's contract
//!   type (cession when the programme gives a price but no type), the co-production
//!   contribution, and engagement contracts when payroll gives them
//!   ([`build_with_engagements`]); contract prices carry VAT at [`CONTRACT_VAT_RATE`] (5.5 %),
//!   wages none.
//! - Recipient: the regional delegation of the first declared performance's venue postal code
//!   (else the organisation's), from the table `data/sacem_agencies.csv` (to be verified); no
//!   match gives a warning.
//! - Deadline: last day of the month after the show's last performance in the month (dated rule
//!   `sacem_deadline_months`).
//! - Channel: the PDF by e-mail to the delegation, with the ticketing statement and the
//!   artistic contracts attached.
//!
//! Files: `sacem.json` (`formats.md` §5.4) and `sacem.pdf` (the form, in French).

mod agency;
pub(crate) mod build;
mod form;
mod model;

#[cfg(test)]
mod tests;

pub use agency::{department_of, Agency, AgencyTable, AgencyTableError};
pub use build::{EngagementExpense, CONTRACT_VAT_RATE, ENGAGEMENT_VAT_RATE, ESTIMATE_NOTE};
pub use model::{
    Amounts, EstimateBase, Expense, Receipt, ReceiptOrigin, RightsEstimate, SacemDeclaration, Show,
};

use crate::render::RenderError;
use crate::render::{fr, json};
use crate::{Body, BuildInput, Declaration, DeclarationError, Draft, RenderedFile, Summary};

pub struct Sacem;

impl Declaration for Sacem {
    fn body(&self) -> Body {
        Body::Sacem
    }

    fn build(&self, input: &BuildInput<'_>) -> Result<Draft, DeclarationError> {
        build_with_engagements(input, AgencyTable::default_table(), &[])
    }
}

/// Builds the SACEM declaration with the engagement-contract expenses of each show (from
/// payroll; empty when there is none) and a delegation table.
pub fn build_with_engagements(
    input: &BuildInput<'_>,
    agencies: &AgencyTable,
    engagements: &[EngagementExpense],
) -> Result<Draft, DeclarationError> {
    let body = Body::Sacem;
    let built = build::model(input, agencies, engagements)?;
    let model = &built.model;
    let pdf = form::form(model, &input.facts.organisation, input.generated_at)
        .render(input.generated_at)
        .map_err(|e| RenderError::from(e).for_body(body))?;
    let files = vec![
        RenderedFile {
            name: "sacem.json".into(),
            bytes: json::render(model).map_err(|e| e.for_body(body))?,
        },
        RenderedFile {
            name: "sacem.pdf".into(),
            bytes: pdf,
        },
    ];
    let summary = Summary {
        body,
        lines: model.shows.len(),
        // SACEM computes the rights; the estimate is in the note, never an amount due.
        amount_due: None,
        deadline: model.deadline(),
        note: note(model),
    };
    Ok(Draft {
        body,
        model: json::value(model).map_err(|e| e.for_body(body))?,
        files,
        issues: built.issues,
        summary,
    })
}

fn note(model: &SacemDeclaration) -> String {
    let n = model.shows.len();
    if n == 0 {
        return "SACEM : aucun spectacle du répertoire de la SACEM ce mois-ci, rien à déclarer."
            .into();
    }
    // Each state goes to its show's delegation: name them all when there are several.
    let mut names: Vec<String> = model
        .shows
        .iter()
        .map(|s| {
            s.agency
                .as_ref()
                .map(|a| fr::to_delegation(&a.name))
                .unwrap_or_else(|| "à la délégation régionale (à déterminer)".into())
        })
        .collect();
    names.sort();
    names.dedup();
    let to = match names.as_slice() {
        [one] => one.clone(),
        [init @ .., last] => format!(
            "{} et {last} (chacun à la délégation de sa salle)",
            init.join(", ")
        ),
        [] => "à la délégation régionale (à déterminer)".into(),
    };
    format!(
        "SACEM : {n} état{s} des recettes et des dépenses à adresser {to}, au plus tard le {deadline} ; \
         droits estimés à titre indicatif à {estimate} (montant calculé par la SACEM).",
        s = if n > 1 { "s" } else { "" },
        deadline = model.deadline().map(fr::date).unwrap_or_default(),
        estimate = model.estimate_total().to_french(),
    )
}
