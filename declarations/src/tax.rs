//! The tax on live shows (taxe sur les spectacles vivants, CIBS L452-14 ff.), shared by its two
//! fractions: variétés → CNM ([`crate::cnm`]), art dramatique, lyrique et chorégraphique →
//! ASTP ([`crate::astp`]). Both are one line per performance, grouped monthly, with the same
//! JSON shape (`formats.md` §5.2) and the same computation (`domain.md` §3, §5):
//!
//! - a performance belongs to the body its discipline routes to (discipline table, overridden
//!   per show by the programme's `tax_fraction`); "review" yields a blocking issue and no line;
//!   a performance without discipline already has a blocking issue from the facts and is left
//!   out;
//! - cancelled and school-teaching performances owe nothing (`not_taxable`); for ASTP also
//!   unpaid amateur troupes, and subsidised organisers unless the show was bought from a
//!   private unsubsidised producer (`producer_subsidised = no`);
//! - paid admission: base = receipts excl. VAT, owed by the ticketing holder; free admission:
//!   base = cession price excl. VAT, owed by the seller, so a line only when this organisation
//!   sold the show (producer SIRET = ours), otherwise `not_taxable` naming the seller;
//! - `tax_due` = round_half_up(base × rate / 100) per line, rate in force on the performance
//!   date; totals are sums of the lines, so the form always adds up;
//! - deadline: last day of the 3rd month after the month (dated rule `tax_deadline_months`).
//!
//! Files: `<body>.json` (the model), `<body>.csv` (one row per taxable line, the line fields
//! of the JSON, nothing else: the not-taxable list is in the JSON and the PDF), `<body>.pdf`
//! (A4 landscape form ready to copy into the body's portal and to keep).

pub(crate) mod build;
mod form;
mod model;

#[cfg(test)]
mod tests;

pub use model::{BaseKind, NotTaxable, Percent, TaxDeclaration, TaxLine, TaxTotals, LINE_COLUMNS};

use crate::render::RenderError;
use crate::render::{csv, fr, json};
use crate::{Body, BuildInput, DeclarationError, Draft, RenderedFile, Summary};

/// Builds the declaration of `body` (CNM or ASTP) for the month of the facts.
pub(crate) fn build(body: Body, input: &BuildInput<'_>) -> Result<Draft, DeclarationError> {
    let built = build::model(body, input)?;
    let model = &built.model;
    let code = body.code();
    let org = &input.facts.organisation;
    let pdf = form::form(model, org, input.generated_at)
        .render(input.generated_at)
        .map_err(|e| RenderError::from(e).for_body(body))?;
    let files = vec![
        RenderedFile {
            name: format!("{code}.json"),
            bytes: json::render(model).map_err(|e| e.for_body(body))?,
        },
        RenderedFile {
            name: format!("{code}.csv"),
            bytes: csv::render(LINE_COLUMNS, &model.lines).map_err(|e| e.for_body(body))?,
        },
        RenderedFile {
            name: format!("{code}.pdf"),
            bytes: pdf,
        },
    ];
    let summary = Summary {
        body,
        lines: model.lines.len(),
        amount_due: Some(model.totals.tax_due),
        deadline: Some(model.deadline),
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

/// One sentence for the monthly report.
fn note(model: &TaxDeclaration) -> String {
    let name = model.body.code().to_uppercase();
    let lines = model.lines.len();
    let deadline = crate::render::fr::date(model.deadline);
    if lines > 0 {
        format!(
            "{name} : {lines} représentation{s} taxable{s}, taxe estimée à {amount} (calculée et appelée par \
             l'organisme), à déclarer au plus tard le {deadline}.",
            s = if lines > 1 { "s" } else { "" },
            amount = model.totals.tax_due.to_french(),
        )
    } else if !model.not_taxable.is_empty() {
        format!(
            "{name} : aucune représentation taxable ce mois-ci ({} non taxable{}), rien à déclarer.",
            model.not_taxable.len(),
            if model.not_taxable.len() > 1 { "s" } else { "" }
        )
    } else {
        format!("{name} : aucune représentation de ce champ ce mois-ci, rien à déclarer.")
    }
}

/// `« Les Vagues » du 14/11/2025 à 20:30 (tickets_csv:P1)`, for messages.
pub(crate) fn describe(p: &releve_domain::PerformanceFacts) -> String {
    format!(
        "« {} » du {} ({})",
        p.show_title,
        fr::date_time(p.starts_at),
        p.performance_id
    )
}
