//! Shared renderers: one declaration model, several files.
//!
//! - [`json`]: the model as pretty JSON (2-space indent, trailing newline), the contract of
//!   `formats.md` §5.
//! - [`csv`]: serde-driven flat rows (comma, `.` decimals, UTF-8 without BOM, `\n` line ends,
//!   header = the JSON field names), for portals that take a spreadsheet.
//! - [`pdf`]: A4 French forms — the shared document layer `releve_documents::pdf`, re-exported
//!   under its old path.
//! - [`fr`]: the shared French formatter `releve_documents::fr`, re-exported under its old path.
//!
//! Every renderer is deterministic: the same model (and generation time) gives the same bytes.

pub mod csv;
pub mod json;
pub use releve_documents::{fr, pdf};

#[cfg(test)]
pub(crate) mod testing;

use crate::{Body, DeclarationError};

/// Why a model could not be rendered (a programming error in a model, not a user error).
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("JSON : {0}")]
    Json(String),
    #[error("CSV : {0}")]
    Csv(String),
    #[error("PDF : {0}")]
    Pdf(String),
}

impl From<releve_documents::DocumentError> for RenderError {
    fn from(e: releve_documents::DocumentError) -> RenderError {
        match e {
            releve_documents::DocumentError::Pdf(reason) => RenderError::Pdf(reason),
        }
    }
}

impl RenderError {
    pub fn format(&self) -> &'static str {
        match self {
            RenderError::Json(_) => "json",
            RenderError::Csv(_) => "csv",
            RenderError::Pdf(_) => "pdf",
        }
    }

    /// The declaration error for `body`.
    pub fn for_body(self, body: Body) -> DeclarationError {
        let format = self.format();
        let reason = match self {
            RenderError::Json(r) | RenderError::Csv(r) | RenderError::Pdf(r) => r,
        };
        DeclarationError::Render {
            body,
            format,
            reason,
        }
    }
}
