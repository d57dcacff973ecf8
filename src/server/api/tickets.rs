//! `POST /api/v1/organisations/{org}/tickets`: the vendor push (scope `push` or `write`).
//! Parses the request, asks `access`, calls [`crate::push::receive`], renders.

use crate::push::{self, PushError};
use crate::server::access::{self, Action};
use crate::server::error::ApiError;
use crate::server::extract::ApiCaller;
use crate::server::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Answers carry `Idempotent-Replayed: true` when they repeat a recorded answer.
pub const REPLAYED: &str = "idempotent-replayed";

pub async fn push(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(org): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let org = access::organisation(&state, &caller, &org, Action::Push)?;
    let bytes = axum::body::to_bytes(body, push::MAX_BYTES)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!(
                    "envoi trop volumineux : au plus {} Mo par requête ; découpez l'envoi",
                    push::MAX_BYTES / (1024 * 1024)
                ),
            )
        })?;
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok());
    match push::receive(state.store(), org, key, &bytes, state.now()).await {
        Ok(answer) => {
            let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
            let mut response = (status, Json(answer.body)).into_response();
            if answer.replayed {
                response
                    .headers_mut()
                    .insert(REPLAYED, HeaderValue::from_static("true"));
            }
            Ok(response)
        }
        Err(PushError::Invalid(message)) => Err(ApiError::invalid(message)),
        Err(PushError::Conflict(message)) => Err(ApiError::conflict(message)),
        Err(PushError::TooLarge(message)) => Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            message,
        )),
        Err(PushError::Failed(e)) => Err(ApiError::from(e)),
    }
}
