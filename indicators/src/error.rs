//! The crate's error type. Messages are in French: they reach the administrator.

#[derive(Debug, thiserror::Error)]
pub enum IndicatorError {
    #[error("{0}")]
    Period(String),
    #[error("rapport HTML des indicateurs : le gabarit n'a pas pu être rendu ({0})")]
    Template(String),
    #[error("rapport PDF des indicateurs : {0}")]
    Pdf(String),
    #[error("fichier {file} des indicateurs : {reason}")]
    Output { file: &'static str, reason: String },
}
