//! Errors that stop one API source. Messages are French, for the administrator: what failed,
//! where (vendor, endpoint, JSON path, variable), and what to do.

use crate::http::HttpError;
use crate::CollectorError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error("source « {source_key} » : la variable d'environnement {variable} est absente ou vide ; elle doit contenir {what} (credentials_env = \"{prefix}\")")]
    MissingCredential {
        source_key: String,
        prefix: String,
        variable: String,
        what: String,
    },
    #[error("source « {source_key} » : `credentials_env` manque dans la configuration ; indiquez le préfixe des variables d'environnement qui portent les identifiants")]
    MissingCredentialsEnv { source_key: String },
    #[error("source « {source_key} » : `base_url` manque ; pour {kind}, indiquez l'adresse de la billetterie du client")]
    MissingBaseUrl { source_key: String, kind: String },
    #[error("source « {source_key} » : `base_url` invalide « {url} » ({reason})")]
    BaseUrl {
        source_key: String,
        url: String,
        reason: String,
    },
    #[error("{vendor} : réponse illisible sur {endpoint}, au chemin JSON « {path} » : {message} ; signalez-le à l'équipe releve avec cette ligne")]
    Malformed {
        vendor: String,
        endpoint: String,
        path: String,
        message: String,
    },
    #[error("{vendor} : {message}")]
    Vendor {
        vendor: String,
        message: String,
        retryable: bool,
    },
    #[error(
        "la source « {kind} » n'a pas encore de collecteur d'API dans cette version de releve"
    )]
    NotImplemented { kind: String },
}

impl ApiError {
    /// Whether running the sync again later may succeed without anyone changing anything.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Http(e) => e.is_retryable(),
            ApiError::Vendor { retryable, .. } => *retryable,
            _ => false,
        }
    }
}

impl From<ApiError> for CollectorError {
    fn from(e: ApiError) -> CollectorError {
        CollectorError::Other(e.to_string())
    }
}
