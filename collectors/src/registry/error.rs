//! Why a lookup gave no answer. Messages are for administrators (French) and always end with
//! what happens next: the run goes on without the register.

use crate::http::HttpError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    #[error("répertoire des entreprises injoignable ({0}) ; le relevé continue sans lui")]
    Unreachable(HttpError),
    #[error("répertoire des entreprises : réponse illisible pour le numéro {number} ({detail}) ; le relevé continue sans cette information")]
    Malformed { number: String, detail: String },
}

impl RegistryError {
    /// The register itself is out of reach (network, timeout, throttling, server error): later
    /// lookups of the same run would fail the same way and are not attempted.
    pub fn is_outage(&self) -> bool {
        matches!(self, RegistryError::Unreachable(e) if e.is_retryable())
    }
}
