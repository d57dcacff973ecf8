//! SACD: dramatic authors' rights (theatre, dance, musical theatre, street arts, circus…).
//!
//! - Basis: code de la propriété intellectuelle L131-4 (remuneration proportional to the
//!   exploitation) and L132-21 (the organiser declares receipts and expenses). SACD computes
//!   the rights (a percentage of receipts excl. VAT, or of the sums paid for the show when more
//!   favourable to the author); releve only declares the figures.
//! - Recipient: SACD, by the "bordereau de recettes et/ou de dépenses" (`sacd.pdf`) or by
//!   teletransmission of `sacd.xml`.
//! - Deadline: 30 days after each performance (dated rule `sacd_deadline_days`), the last day
//!   still on time; late declarations are invoiced a provision computed on the venue's
//!   capacity. At generation time a line whose deadline is past or at most
//!   `sacd_deadline_notice_days` (7) away is a blocking issue (`sacd.deadline.past|near`).
//! - Period: [`build_period`] builds the bordereau of any period (weekly schedule, `releve run
//!   --body sacd --from --to`), leaving out performances already in an approved bordereau.
//! - Lines: every performance of the month whose discipline is in the SACD repertoire (the
//!   discipline table, overridden per show by the programme's `sacd`); "review" gives a blocking
//!   issue and no line; a cancelled performance is listed in `not_declared`. Nature: `L` for a
//!   reading, else `S` school, `JP` young audience, `TP` everyone. VAT rate: see
//!   [`SacdLine::vat_rate`] (mixed rates: the largest share, with a warning). Average price: see
//!   [`SacdLine::average_price`]. Contract money (prix de cession, frais d'approche, apport en
//!   coproduction, garantie de recette, excl. VAT) per performance from the programme, summed
//!   per show.
//! - Where each field comes from: dates, times, tickets and receipts from ticketing (Paris
//!   calendar, `domain.md` §3 rounding); discipline, audience, capacity, producer and contract
//!   money from the programme; the SACD declarant id, SIRET and address from the organisation.
//! - Files: `sacd.json` (the model), `sacd.xml` ([`xml`]), `sacd.pdf` (the bordereau).

mod build;
mod form;
mod model;
pub mod xml;

#[cfg(test)]
mod tests;

pub use model::{
    AlreadyDeclared, Nature, NotDeclared, Period, SacdFile, SacdLine, SacdTotals, ShowMoney, Span,
};

/// Performances already in an approved or sent bordereau: performance id → which one, in French
/// (« bordereau du 14 novembre 2025 au 20 novembre 2025, version 1 »).
pub type Declared = std::collections::BTreeMap<String, String>;

use crate::render::json;
use crate::render::RenderError;
use crate::{Body, BuildInput, Declaration, DeclarationError, Draft, RenderedFile, Summary};

pub struct Sacd;

/// `rep_version` of a first sending.
pub const FIRST_VERSION: u32 = 1;

impl Declaration for Sacd {
    fn body(&self) -> Body {
        Body::Sacd
    }

    fn build(&self, input: &BuildInput<'_>) -> Result<Draft, DeclarationError> {
        build_version(input, FIRST_VERSION)
    }
}

/// Builds the bordereau with `rep_version` = `version` in `sacd.xml` (1 for the first sending,
/// the next number for an amendment).
pub fn build_version(input: &BuildInput<'_>, version: u32) -> Result<Draft, DeclarationError> {
    let span = Span::Month {
        month: input.facts.month,
    };
    build_over(input, span, version, &Declared::new())
}

/// The bordereau of `span` (the month of `input.facts`, or a period of them) with `rep_version`
/// = `version`, leaving out the performances in `declared` (already in another approved or sent
/// bordereau — for the month's bordereau, a weekly one): they are listed in `already_declared`
/// and on the PDF, each with an information point.
pub fn build_over(
    input: &BuildInput<'_>,
    span: Span,
    version: u32,
    declared: &Declared,
) -> Result<Draft, DeclarationError> {
    render(input, build::model_over(input, span, declared)?, version)
}

/// The bordereau of any period (`releve run --body sacd --from --to`, and the weekly schedule
/// of `releve serve`): the performances of `input.facts` whose Paris date lies in `period`
/// (both ends included), except those in `already_declared` (performance ids already in an
/// approved or sent bordereau, which SACD must not receive twice). The facts may cover more
/// than the period (e.g. the months it overlaps, merged); `sacd.json` then carries
/// `"period": {"from", "to"}` instead of `"month"`.
pub fn build_period(
    input: &BuildInput<'_>,
    period: Period,
    already_declared: &Declared,
) -> Result<Draft, DeclarationError> {
    build_over(
        input,
        Span::Period { period },
        FIRST_VERSION,
        already_declared,
    )
}

fn render(
    input: &BuildInput<'_>,
    built: build::Built,
    version: u32,
) -> Result<Draft, DeclarationError> {
    let body = Body::Sacd;
    let model = &built.model;
    let org = &input.facts.organisation;
    let xml = xml::render(model, org, input.generated_at, version).map_err(|e| {
        DeclarationError::Render {
            body,
            format: "xml",
            reason: e.to_string(),
        }
    })?;
    let pdf = form::form(model, org, input.generated_at)
        .render(input.generated_at)
        .map_err(|e| RenderError::from(e).for_body(body))?;
    let files = vec![
        RenderedFile {
            name: "sacd.json".into(),
            bytes: json::render(model).map_err(|e| e.for_body(body))?,
        },
        RenderedFile {
            name: "sacd.xml".into(),
            bytes: xml,
        },
        RenderedFile {
            name: "sacd.pdf".into(),
            bytes: pdf,
        },
    ];
    let summary = Summary {
        body,
        lines: model.lines.len(),
        amount_due: None,
        deadline: model.deadline,
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
fn note(model: &SacdFile) -> String {
    let n = model.lines.len();
    let already = match model.already_declared.len() {
        0 => String::new(),
        k => format!(
            " {k} représentation{s} de la période, déjà déclarée{s} dans un autre bordereau, n'y {} pas répétée{s}.",
            if k > 1 { "sont" } else { "est" },
            s = if k > 1 { "s" } else { "" },
        ),
    };
    let sentence = match model.deadline {
        Some(deadline) => format!(
            "SACD : {n} représentation{s} à déclarer (recette TTC {}), dans les 30 jours suivant chacune, la \
             première au plus tard le {}.",
            model.totals.receipts_incl_vat.to_french(),
            crate::render::fr::long_date(deadline),
            s = if n > 1 { "s" } else { "" },
        ),
        None => "SACD : aucune représentation du répertoire de la SACD ce mois-ci, rien à déclarer.".into(),
    };
    sentence + &already
}
