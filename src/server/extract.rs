//! Request extractors that name the caller; what the caller may do is decided by `access`.
//! - [`ApiCaller`]: the bearer token of an API request (401 when missing or unknown).
//! - [`SignedIn`]: the person behind the session cookie of a workspace page (redirect to the
//!   sign-in page otherwise).

use crate::server::access::{self, Caller, UserCaller};
use crate::server::cookies;
use crate::server::error::{ApiError, PageError};
use crate::server::AppState;
use axum::async_trait;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use std::net::SocketAddr;

/// The caller of an API route.
pub struct ApiCaller(pub Caller);

#[async_trait]
impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        Ok(ApiCaller(access::token_caller(state, header).await?))
    }
}

/// The signed-in person of a workspace page.
pub struct SignedIn(pub UserCaller);

impl SignedIn {
    /// The same person as a [`Caller`], for the `access` functions.
    pub fn caller(&self) -> Caller {
        Caller::User(self.0.clone())
    }

    /// Refuses a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), PageError> {
        if crate::server::secrets::same_token(submitted, &self.0.csrf_token) {
            Ok(())
        } else {
            Err(PageError::BadForm)
        }
    }
}

#[async_trait]
impl FromRequestParts<AppState> for SignedIn {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let token = cookies::get(&parts.headers, cookies::SESSION);
        match access::session_caller(state, token).await {
            Some(user) => Ok(SignedIn(user)),
            None => Err(PageError::SignIn {
                back_to: parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_else(|| "/".into()),
            }),
        }
    }
}

/// The client's address (for sign-in throttling), `unknown` when not served over TCP.
pub struct ClientAddress(pub String);

#[async_trait]
impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| a.ip().to_string())
            .unwrap_or_else(|| "unknown".into());
        Ok(ClientAddress(address))
    }
}
