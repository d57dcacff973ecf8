//! `POST /api/v1/organisations/{org}/corrections` (write) and `GET …/corrections` (read):
//! corrections stored beside the source values (formats.md §6). The validation is the one of
//! [`crate::corrections::apply`], shared with the workspace's corrections form.

use crate::corrections::{self, CorrectionError, CorrectionRequest};
use crate::server::access::{self, Action};
use crate::server::api::json_body;
use crate::server::error::ApiError;
use crate::server::extract::ApiCaller;
use crate::server::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use releve_domain::calendar::rfc3339_paris;
use releve_store::{CorrectionRecord, CorrectionTargetKind};
use serde_json::{json, Value};

/// A correction as the API lists it: `performance_id` or `show_id`, never both.
pub fn to_json(c: &CorrectionRecord) -> Value {
    let mut item = json!({
        "id": c.id,
        "field": c.field,
        "old_value": c.old_value,
        "value": c.value,
        "reason": c.reason,
        "by": c.by,
        "at": rfc3339_paris(c.at),
    });
    let key = match c.target_kind {
        CorrectionTargetKind::Performance => "performance_id",
        CorrectionTargetKind::Show => "show_id",
    };
    item[key] = json!(c.target_id);
    item
}

pub async fn create(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(org): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let org = access::organisation(&state, &caller, &org, Action::Correct)?;
    let request: CorrectionRequest = json_body::parse(&body)?;
    match corrections::apply(state.store(), org, &request, &caller.actor(), state.now()).await {
        Ok(record) => Ok((StatusCode::CREATED, Json(to_json(&record)))),
        Err(e @ CorrectionError::Invalid(_)) => Err(ApiError::invalid(e.message())),
        Err(CorrectionError::Failed(e)) => Err(ApiError::from(e)),
    }
}

pub async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(org): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let org = access::organisation(&state, &caller, &org, Action::Read)?;
    let all = state.store().corrections(&org.organisation.slug).await?;
    Ok(Json(json!({
        "organisation": org.organisation.slug,
        "corrections": all.iter().map(to_json).collect::<Vec<_>>(),
    })))
}
