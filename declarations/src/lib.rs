//! releve-declarations: the five declarations, one folder per body, built purely from monthly
//! facts and rendered to files.
//!
//! A [`Declaration`] turns a [`BuildInput`] (facts, dated rules, generation time) into a
//! [`Draft`]: the model as JSON, the rendered files (JSON, CSV, XML, PDF), the issues that need
//! a person, and a one-line summary for the report. Building is pure: the clock is an input,
//! the same input gives byte-identical files. Renderers are shared (`render/`): the JSON and
//! CSV renderers are serde-driven, the PDF renderer lays out any declaration as an A4 form.
//!
//! The list of declarations is static: [`registry()`].

pub mod body;
pub mod input;
pub mod render;

pub mod amendment;
pub mod declared;
pub mod rectificatif;
pub mod report_pdf;

pub mod astp;
pub mod cnm;
pub mod sacd;
pub mod sacem;
pub mod sibil;
pub mod tax;

#[cfg(test)]
mod documents_tests;

pub use body::Body;
pub use declared::{declared_totals, DeclaredTotals};
pub use input::BuildInput;

use chrono::NaiveDate;
use releve_domain::{Issue, Money};
use serde::Serialize;

/// One file of a declaration, as it will be written in the month folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedFile {
    /// File name, e.g. `cnm.json`.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What the monthly report says about a declaration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub body: Body,
    /// Number of lines (performances, shows) declared.
    pub lines: usize,
    /// Amount owed to the body, when the body computes it from our figures (CNM, ASTP).
    pub amount_due: Option<Money>,
    /// Earliest deadline of the declaration.
    pub deadline: Option<NaiveDate>,
    /// One sentence in French: what is due, or why nothing is.
    pub note: String,
}

/// A built declaration, not yet approved.
#[derive(Clone, Debug)]
pub struct Draft {
    pub body: Body,
    /// The model, as written in `<body>.json`.
    pub model: serde_json::Value,
    pub files: Vec<RenderedFile>,
    pub issues: Vec<Issue>,
    pub summary: Summary,
}

#[derive(Debug, thiserror::Error)]
pub enum DeclarationError {
    #[error("{body} : règle manquante : {reason}")]
    Rules { body: Body, reason: String },
    #[error("{body} : rendu impossible ({format}) : {reason}")]
    Render {
        body: Body,
        format: &'static str,
        reason: String,
    },
}

/// One body's declaration.
pub trait Declaration: Send + Sync {
    fn body(&self) -> Body;
    fn build(&self, input: &BuildInput<'_>) -> Result<Draft, DeclarationError>;
}

/// Every declaration releve builds, in the order of the report.
pub fn registry() -> Vec<Box<dyn Declaration>> {
    vec![
        Box::new(cnm::Cnm),
        Box::new(astp::Astp),
        Box::new(sibil::Sibil),
        Box::new(sacem::Sacem),
        Box::new(sacd::Sacd),
    ]
}
