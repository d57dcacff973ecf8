//! The final error line of a command, in French: anyhow's chain of contexts with operating
//! system errors said in French (std gives "Permission denied (os error 13)"), each cause once
//! (a cause already quoted by the context above it is not repeated).

use std::io::ErrorKind;

/// `error` and its causes as one French line.
pub fn describe(error: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in error.chain() {
        let text = match cause.downcast_ref::<std::io::Error>() {
            Some(io) => io_fr(io),
            None => cause.to_string(),
        };
        let already = parts.iter().any(|p| p.contains(text.as_str()));
        if !text.is_empty() && !already {
            parts.push(text);
        }
    }
    parts.join(" : ")
}

/// An operating system error in French.
pub fn io_fr(e: &std::io::Error) -> String {
    let what = match e.kind() {
        ErrorKind::NotFound => "fichier ou dossier introuvable",
        ErrorKind::PermissionDenied => "permission refusée",
        ErrorKind::AlreadyExists => "existe déjà",
        ErrorKind::IsADirectory => "c'est un dossier, pas un fichier",
        ErrorKind::NotADirectory => "ce n'est pas un dossier",
        ErrorKind::DirectoryNotEmpty => "dossier non vide",
        ErrorKind::ReadOnlyFilesystem => "système de fichiers en lecture seule",
        ErrorKind::StorageFull => "disque plein",
        ErrorKind::ConnectionRefused => "connexion refusée",
        ErrorKind::ConnectionReset => "connexion interrompue",
        ErrorKind::TimedOut => "délai dépassé",
        ErrorKind::AddrInUse => "adresse déjà utilisée",
        ErrorKind::InvalidData => "données illisibles (encodage ou format invalide)",
        ErrorKind::UnexpectedEof => "fichier tronqué",
        ErrorKind::Interrupted => "opération interrompue",
        _ => return format!("erreur du système ({e})"),
    };
    what.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn os_errors_are_said_once_in_french() {
        let e = std::fs::read("/nonexistent/releve.toml")
            .context("fichier de configuration introuvable ou illisible : /nonexistent/releve.toml")
            .unwrap_err();
        assert_eq!(
            describe(&e),
            "fichier de configuration introuvable ou illisible : /nonexistent/releve.toml : \
             fichier ou dossier introuvable"
        );
        let denied = std::io::Error::from(ErrorKind::PermissionDenied);
        let e = anyhow::Error::new(denied).context("impossible d'écrire out/cnm.pdf");
        assert_eq!(
            describe(&e),
            "impossible d'écrire out/cnm.pdf : permission refusée"
        );
        assert!(!describe(&e).contains("os error"));
    }
}
