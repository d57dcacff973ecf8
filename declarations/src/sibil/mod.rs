//! SIBIL: the Ministry of Culture's ticketing information system (Système d'Information
//! BILletterie).
//!
//! - Legal basis: article 48 of loi 2016-925 (LCAP) and décret 2017-926: the holder of the
//!   ticketing sends, per performance, the price paid (or "free"), the show, its domain, the
//!   venue and its type.
//! - Recipient: Ministère de la Culture (DGCA), through the SIBIL REST API v2.
//! - Deadline: before the 10th day of the first month of the next calendar quarter (dated rule
//!   `sibil_deadline_day`: 2025-Q4 → 10 January 2026).
//! - Rules (`domain.md` §5): one declaration per performance of the month with at least one
//!   ticket issued (paid + free ≥ 1), so that no declaration spans two quarters
//!   (`nbRepresentations` = 1); totals = paid + free; receipts **including** VAT; average
//!   prices round_half_up(incl ÷ paid, 2), `0.00` when nothing was paid; `jeunePublic` for
//!   young and school audiences; `typeLieu` from the venue (`AUTRE` only when unknown, with a
//!   warning); domain label from the discipline table (no discipline: blocking issue, not
//!   declared); a cancelled performance that had tickets (even all refunded since) is sent
//!   as `ANNULE`: the build is pure and cannot know whether an earlier run declared it, and
//!   re-sending the same `idExtBilletterie` as `ANNULE` is how SIBIL learns of a cancellation.
//! - `idExtBilletterie`: see [`external_id`] (stable across runs, 18 characters).
//! - Files: `sibil.json` only (the API is the channel). [`client`] sends it: authenticate,
//!   map domain labels to the environment's ids, create or update each declaration on its
//!   `idExtBilletterie`.

mod build;
pub mod client;
mod model;

#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod test_server;
#[cfg(test)]
mod tests;

pub use build::external_id;
pub use model::{Lieu, SibilDeclaration, SibilFile, Spectacle, Status, VENUE_TYPES};

use crate::render::json;
use crate::{Body, BuildInput, Declaration, DeclarationError, Draft, RenderedFile, Summary};
use std::collections::BTreeSet;

pub struct Sibil;

impl Declaration for Sibil {
    fn body(&self) -> Body {
        Body::Sibil
    }

    fn build(&self, input: &BuildInput<'_>) -> Result<Draft, DeclarationError> {
        build_with_history(input, None)
    }
}

/// Builds the SIBIL declarations knowing which `idExtBilletterie` of the month were already
/// approved or sent: a cancelled performance is sent as `ANNULE` only if it was.
pub fn build_with_history(
    input: &BuildInput<'_>,
    sent: Option<&BTreeSet<String>>,
) -> Result<Draft, DeclarationError> {
    {
        let body = Body::Sibil;
        let built = build::model(input, sent)?;
        let model = built.model;
        let files = vec![RenderedFile {
            name: "sibil.json".into(),
            bytes: json::render(&model).map_err(|e| e.for_body(body))?,
        }];
        let summary = Summary {
            body,
            lines: model.declarations.len(),
            amount_due: None,
            deadline: Some(model.deadline),
            note: note(&model),
        };
        Ok(Draft {
            body,
            model: json::value(&model).map_err(|e| e.for_body(body))?,
            files,
            issues: built.issues,
            summary,
        })
    }
}

/// One sentence for the monthly report.
fn note(model: &SibilFile) -> String {
    let n = model.declarations.len();
    let deadline = crate::render::fr::long_date(model.deadline);
    if n == 0 {
        return format!(
            "SIBIL : aucune représentation avec billets émis ce mois-ci ; rien à déclarer pour ce mois \
             (trimestre {}, échéance le {deadline}).",
            model.quarter
        );
    }
    let cancelled = model
        .declarations
        .iter()
        .filter(|d| d.statut_declaration == Status::Annule)
        .count();
    let mut note = format!(
        "SIBIL : {n} déclaration{s} de représentation à transmettre au plus tard le {deadline} (trimestre {q})",
        s = if n > 1 { "s" } else { "" },
        q = model.quarter
    );
    if cancelled > 0 {
        note.push_str(&format!(
            ", dont {cancelled} annulée{}",
            if cancelled > 1 { "s" } else { "" }
        ));
    }
    note.push('.');
    note
}
