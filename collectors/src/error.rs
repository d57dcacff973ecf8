//! Errors that stop a whole source (as opposed to a bad row, which is quarantined).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CollectorError {
    #[error(
        "fichier introuvable ou illisible : {path} ({}{source})",
        io_hint(source)
    )]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} : en-tête invalide : {reason}")]
    Header { path: PathBuf, reason: String },
    /// The file's bytes cannot be decoded (e.g. a UTF-8 byte-order mark followed by invalid UTF-8).
    #[error("{path} : encodage illisible : {reason}")]
    Encoding { path: PathBuf, reason: String },
    #[error("{0}")]
    Other(String),
}

/// The cause in French, before the system's own words (kept for an operator to search).
fn io_hint(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "il n'existe pas : vérifiez le chemin `path` ; ",
        std::io::ErrorKind::PermissionDenied => "droits de lecture insuffisants ; ",
        std::io::ErrorKind::IsADirectory => {
            "c'est un dossier, pas un fichier : indiquez le fichier dans `path` ; "
        }
        _ => "",
    }
}
