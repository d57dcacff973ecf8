//! Error answers of the server. The API answers `{"error": {"code", "message"}}` with the
//! status codes of formats.md §6 and the message in French; the workspace answers a French HTML
//! page. Internal errors are logged with their cause and answered without it (no detail of the
//! database or the file system reaches a client).

use crate::server::access::Denied;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::json;

/// An error of the JSON API.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Seconds, for `429`.
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn not_found() -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "ressource introuvable (ou inaccessible avec ce jeton)",
        )
    }

    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
    }

    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "conflict", message)
    }

    /// An unexpected failure: logged in full, answered without detail.
    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %error, "API request failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "erreur interne du serveur ; l'incident est journalisé, réessayez plus tard",
        )
    }
}

impl From<Denied> for ApiError {
    fn from(denied: Denied) -> ApiError {
        match denied {
            Denied::Unauthenticated => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "jeton d'accès absent ou inconnu : envoyez l'en-tête Authorization: Bearer <jeton> (releve token create)",
            ),
            Denied::NotFound => ApiError::not_found(),
            Denied::Forbidden => ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "la portée de ce jeton ne permet pas cette action",
            ),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> ApiError {
        ApiError::internal(format!("{error:#}"))
    }
}

impl From<releve_store::StoreError> for ApiError {
    fn from(error: releve_store::StoreError) -> ApiError {
        ApiError::internal(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            if let Ok(value) = header::HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

/// An error of the workspace (HTML).
#[derive(Debug)]
pub enum PageError {
    /// Not signed in: go to the sign-in page, then come back.
    SignIn {
        back_to: String,
    },
    NotFound,
    Forbidden,
    /// A form that fails its CSRF check (expired page or forged request).
    BadForm,
    TooManyAttempts,
    Internal(String),
}

impl PageError {
    pub fn internal(error: impl std::fmt::Display) -> PageError {
        PageError::Internal(error.to_string())
    }
}

impl From<Denied> for PageError {
    fn from(denied: Denied) -> PageError {
        match denied {
            Denied::Unauthenticated => PageError::SignIn {
                back_to: "/".into(),
            },
            Denied::NotFound => PageError::NotFound,
            Denied::Forbidden => PageError::Forbidden,
        }
    }
}

impl From<anyhow::Error> for PageError {
    fn from(error: anyhow::Error) -> PageError {
        PageError::Internal(format!("{error:#}"))
    }
}

impl From<releve_store::StoreError> for PageError {
    fn from(error: releve_store::StoreError) -> PageError {
        PageError::Internal(error.to_string())
    }
}

impl From<tera::Error> for PageError {
    fn from(error: tera::Error) -> PageError {
        PageError::Internal(format!("modèle de page : {error:?}"))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, title, text) = match self {
            PageError::SignIn { back_to } => {
                let target = format!("/connexion?suite={}", encode_path(&back_to));
                return Redirect::to(&target).into_response();
            }
            PageError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page introuvable",
                "Cette page n'existe pas, ou vous n'y avez pas accès.",
            ),
            PageError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Action non autorisée",
                "Votre rôle dans cette organisation ne permet pas cette action. Demandez-la à un administrateur ou au signataire.",
            ),
            PageError::BadForm => (
                StatusCode::FORBIDDEN,
                "Formulaire expiré",
                "Ce formulaire a expiré ou ne vient pas de releve. Rechargez la page et recommencez.",
            ),
            PageError::TooManyAttempts => (
                StatusCode::TOO_MANY_REQUESTS,
                "Trop de tentatives",
                "Trop de tentatives de connexion : attendez quinze minutes avant de réessayer.",
            ),
            PageError::Internal(detail) => {
                tracing::error!(error = %detail, "workspace request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Erreur interne",
                    "Une erreur interne est survenue ; elle est journalisée. Réessayez plus tard.",
                )
            }
        };
        let html = format!(
            "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title} — releve</title><link rel=\"stylesheet\" href=\"/static/releve.css\"></head>\
             <body><main class=\"page-error\"><h1>{title}</h1><p>{text}</p><p><a href=\"/\">Retour au tableau de bord</a></p></main></body></html>"
        );
        (status, Html(html)).into_response()
    }
}

/// Percent-encodes a local path for a query string (`/a b` → `%2Fa%20b`).
pub fn encode_path(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
