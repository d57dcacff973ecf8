//! The read endpoints of one organisation's month (formats.md §6): the month's declarations
//! and issues, and the contents of `aggregates.json`, `issues.json`, `indicators.json` and of
//! each declaration, in JSON or (`?format=`) as the file itself. Where the bytes come from:
//! [`super::documents`].

use crate::server::access::{self, Action};
use crate::server::api::documents::{document, month_file, month_json};
use crate::server::error::ApiError;
use crate::server::extract::ApiCaller;
use crate::server::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use releve_declarations::Body;
use releve_domain::Month;
use releve_store::{VersionRecord, VersionStatus};
use serde::Deserialize;
use serde_json::{json, Value};

const BODIES: [Body; 5] = [Body::Sibil, Body::Cnm, Body::Astp, Body::Sacem, Body::Sacd];

pub fn parse_month(text: &str) -> Result<Month, ApiError> {
    text.parse::<Month>().map_err(|_| {
        ApiError::invalid(format!(
            "mois « {text} » invalide : attendu AAAA-MM, par exemple 2025-11"
        ))
    })
}

fn parse_body(text: &str) -> Result<Body, ApiError> {
    BODIES
        .into_iter()
        .find(|b| b.code() == text)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("déclaration « {text} » inconnue : sibil, cnm, astp, sacem ou sacd"),
            )
        })
}

/// The status of a version in the words of formats.md §6.
pub fn status_code(status: VersionStatus) -> &'static str {
    match status {
        VersionStatus::Draft => "draft",
        VersionStatus::Superseded => "superseded",
        VersionStatus::Approved => "approved",
        VersionStatus::Submitted => "sent",
        VersionStatus::Accepted => "accepted",
        VersionStatus::Rejected => "rejected",
    }
}

/// The deadline of a declaration: its own, else the earliest of its shows or lines (SACEM,
/// SACD have one per show or line).
fn deadline(model: &Value) -> Value {
    if let Some(d) = model["deadline"].as_str() {
        return json!(d);
    }
    ["shows", "lines"]
        .iter()
        .filter_map(|key| model[*key].as_array())
        .flatten()
        .filter_map(|item| item["deadline"].as_str())
        .min()
        .map(|d| json!(d))
        .unwrap_or(Value::Null)
}

fn latest(versions: &[VersionRecord], body: Body) -> Option<&VersionRecord> {
    versions
        .iter()
        .filter(|v| v.body == body.code())
        .max_by_key(|v| v.number)
}

/// `GET /organisations/{org}/months/{month}`.
pub async fn month(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((org, month)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let org = access::organisation(&state, &caller, &org, Action::Read)?;
    let slug = org.organisation.slug.as_str();
    let month = parse_month(&month)?;
    let versions = state.store().versions(slug, None, Some(month)).await?;
    let declarations: Vec<Value> = BODIES
        .iter()
        .filter_map(|body| latest(&versions, *body))
        .map(|v| {
            json!({
                "body": v.body,
                "version": v.number,
                "status": status_code(v.status),
                "amends": v.previous_approved,
                "deadline": deadline(&v.model),
            })
        })
        .collect();
    let issues = match month_json(&state, slug, month, "issues.json").await {
        Ok(file) => file["issues"].clone(),
        Err(e) if e.status == StatusCode::NOT_FOUND => json!([]),
        Err(e) => return Err(e),
    };
    if declarations.is_empty() && issues.as_array().is_some_and(Vec::is_empty) {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!(
                "aucun relevé pour {month} : lancez-le avec POST /api/v1/organisations/{slug}/runs"
            ),
        ));
    }
    Ok(Json(json!({
        "organisation": slug,
        "month": month.to_string(),
        "declarations": declarations,
        "issues": issues,
    })))
}

async fn file_of_month(
    state: AppState,
    caller: access::Caller,
    org: String,
    month: String,
    name: &str,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let org = access::organisation(&state, &caller, &org, Action::Read)?;
    let month = parse_month(&month)?;
    let bytes = month_file(&state, &org.organisation.slug, month, name).await?;
    Ok(document(&headers, bytes, name))
}

/// `GET …/months/{month}/aggregates`: `aggregates.json` of the latest run.
pub async fn aggregates(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((org, month)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    file_of_month(state, caller, org, month, "aggregates.json", headers).await
}

/// `GET …/months/{month}/issues`: `issues.json`.
pub async fn issues(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((org, month)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    file_of_month(state, caller, org, month, "issues.json", headers).await
}

/// `GET …/months/{month}/indicators`: `indicators.json`.
pub async fn indicators(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((org, month)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    file_of_month(state, caller, org, month, "indicators.json", headers).await
}

#[derive(Debug, Deserialize)]
pub struct DeclarationQuery {
    pub version: Option<String>,
    pub format: Option<String>,
}

/// `GET …/months/{month}/declarations/{body}[?version=N][&format=pdf|csv|xml]`.
pub async fn declaration(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((org, month, body)): Path<(String, String, String)>,
    Query(query): Query<DeclarationQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let org = access::organisation(&state, &caller, &org, Action::Read)?;
    let slug = org.organisation.slug.as_str();
    let month = parse_month(&month)?;
    let body = parse_body(&body)?;
    let wanted = match query.version.as_deref() {
        None => None,
        Some(text) => Some(text.trim().parse::<u32>().map_err(|_| {
            ApiError::invalid(format!(
                "version « {text} » invalide : un numéro de version (1, 2, …)"
            ))
        })?),
    };
    let versions = state
        .store()
        .versions(slug, Some(body.code()), Some(month))
        .await?;
    let version = match wanted {
        Some(n) => versions.iter().find(|v| v.number == n),
        None => latest(&versions, body),
    }
    .ok_or_else(|| {
        let what = match wanted {
            Some(n) => format!("pas de version {n} de la déclaration {} pour {month}", body.code()),
            None => format!(
                "pas de déclaration {} pour {month} : le relevé de ce mois n'a pas encore été produit",
                body.code()
            ),
        };
        ApiError::new(StatusCode::NOT_FOUND, "not_found", what)
    })?;
    match query.format.as_deref().map(str::trim) {
        None | Some("json") => {
            let mut model = version.model.clone();
            if let Some(object) = model.as_object_mut() {
                object.insert("version".into(), json!(version.number));
                object.insert("status".into(), json!(status_code(version.status)));
                object.insert("amends".into(), json!(version.previous_approved));
            }
            let bytes = releve_declarations::render::json::render(&model)
                .map_err(|e| ApiError::internal(format!("{e:?}")))?;
            Ok(document(&headers, bytes, &format!("{}.json", body.code())))
        }
        Some(format @ ("pdf" | "csv" | "xml")) => {
            let top = format!("{}.{format}", body.code());
            if !version.files.iter().any(|f| f.name == top) {
                return Err(ApiError::new(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    format!("la déclaration {} n'a pas de fichier {format}", body.code()),
                ));
            }
            let is_latest = latest(&versions, body).is_some_and(|l| l.number == version.number);
            // The top-level file is the latest draft; every approved version is frozen in
            // versions/ (formats.md §5 "Versions").
            let name = if wanted.is_none() || is_latest {
                top.clone()
            } else {
                format!("versions/{}.v{}.{format}", body.code(), version.number)
            };
            let bytes = month_file(&state, slug, month, &name).await?;
            Ok(document(&headers, bytes, &top))
        }
        Some(other) => Err(ApiError::invalid(format!(
            "format « {other} » inconnu : json (par défaut), pdf, csv ou xml"
        ))),
    }
}
