//! `POST /api/v1/organisations/{org}/runs` (write): queues the month's run in the store's job
//! queue and wakes the server's worker; `202` with the job's id and state (a run of that month
//! already queued or running is answered, not queued twice). `GET /api/v1/runs/{run_id}`
//! (read): where that job is.

use crate::server::access::{self, Action};
use crate::server::api::json_body;
use crate::server::api::months::parse_month;
use crate::server::error::ApiError;
use crate::server::extract::ApiCaller;
use crate::server::{worker, AppState};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use releve_domain::calendar::rfc3339_paris;
use releve_store::{Job, JobRequest, RUN_JOB};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
struct RunRequest {
    month: String,
}

/// A job as the API shows it.
pub fn to_json(job: &Job) -> Value {
    json!({
        "run_id": job.id,
        "organisation": job.org,
        "month": job.month.to_string(),
        "status": job.state.code(),
        "exit_status": job.exit_status,
        "message": job.message,
        "requested_by": job.requested_by,
        "requested_at": rfc3339_paris(job.requested_at),
        "started_at": job.started_at.map(rfc3339_paris),
        "finished_at": job.finished_at.map(rfc3339_paris),
    })
}

#[utoipa::path(post, path = "/api/v1/organisations/{org}/runs", tag = "runs",
    security(("bearer" = [])),
    params(("org" = String, Path, description = "Organisation (slug)")),
    request_body(content = String, content_type = "application/json", description = "{\"month\": \"AAAA-MM\"}"),
    responses((status = 202, description = "{\"run_id\", \"status\": \"queued\"} : le relevé du mois, en file d'attente"),
        (status = 401), (status = 403, description = "Portée insuffisante (write requise)"),
        (status = 404, description = "Organisation inconnue pour ce jeton"), (status = 422, description = "Mois invalide"),
        (status = 429, description = "Trop de requêtes (Retry-After)")))]
pub async fn create(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(org): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let org = access::organisation(&state, &caller, &org, Action::Run)?;
    let request: RunRequest = json_body::parse(&body)?;
    let month = parse_month(request.month.trim())?;
    let enqueued = state
        .store()
        .enqueue_job(
            &JobRequest {
                org: org.organisation.slug.clone(),
                month,
                kind: RUN_JOB.to_string(),
                requested_by: format!("API, {}", caller.actor()),
                params: json!({}),
            },
            state.now(),
        )
        .await?;
    worker::wake(&state);
    tracing::info!(
        org = %org.organisation.slug,
        %month,
        job = enqueued.job.id,
        created = enqueued.created,
        "run requested over the API"
    );
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({
            "run_id": enqueued.job.id,
            "status": enqueued.job.state.code(),
        })),
    ))
}

#[utoipa::path(get, path = "/api/v1/runs/{run_id}", tag = "runs",
    security(("bearer" = [])),
    params(("run_id" = i64, Path, description = "Identifiant rendu par POST …/runs")),
    responses((status = 200, description = "{\"run_id\", \"organisation\", \"month\", \"status\": queued | running | succeeded | attention | failed, \"exit_status\"}"),
        (status = 401), (status = 404, description = "Relevé inconnu ou d'une autre organisation")))]
pub async fn show(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id: i64 = id.trim().parse().map_err(|_| ApiError::not_found())?;
    let job = state
        .store()
        .job(id)
        .await?
        .filter(|j| j.kind == RUN_JOB)
        .ok_or_else(ApiError::not_found)?;
    // Another organisation's run does not exist for this caller.
    access::organisation(&state, &caller, &job.org, Action::Read)?;
    Ok(Json(to_json(&job)))
}
