//! Failures of one vendor call, after retries. Messages are for administrators (French) and
//! name the vendor and endpoint; URLs in them are always scrubbed.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    #[error("{vendor} : impossible de joindre {endpoint} ({message}) après {attempts} tentative(s) ; vérifiez l'adresse (base_url) et la connexion réseau, puis relancez")]
    Transport {
        vendor: String,
        endpoint: String,
        message: String,
        attempts: u32,
    },
    #[error("{vendor} : accès refusé sur {endpoint} (HTTP {status}) ; vérifiez les identifiants de la source (variables d'environnement) et leurs droits")]
    Unauthorized {
        vendor: String,
        endpoint: String,
        status: u16,
    },
    #[error("{vendor} : le service limite les appels sur {endpoint} ({detail}) ; abandon après {attempts} tentative(s), relancez plus tard")]
    Throttled {
        vendor: String,
        endpoint: String,
        detail: String,
        attempts: u32,
    },
    #[error("{vendor} : erreur du serveur sur {endpoint} (HTTP {status}) après {attempts} tentative(s) ; relancez plus tard")]
    Server {
        vendor: String,
        endpoint: String,
        status: u16,
        attempts: u32,
    },
    #[error("{vendor} : réponse HTTP {status} inattendue sur {endpoint} : {excerpt}")]
    Status {
        vendor: String,
        endpoint: String,
        status: u16,
        excerpt: String,
    },
}

impl HttpError {
    /// Whether running the sync again later may succeed without anyone changing anything.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            HttpError::Transport { .. } | HttpError::Throttled { .. } | HttpError::Server { .. }
        )
    }
}

/// The first characters of a body, on one line, for an error message.
pub(crate) fn excerpt(body: &str) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 160 {
        format!("{}…", flat.chars().take(160).collect::<String>())
    } else {
        flat
    }
}
