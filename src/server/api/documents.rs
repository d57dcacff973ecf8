//! Where the API finds a month's files, and how it answers a document.
//!
//! The API serves the files a run wrote, byte for byte (one code path: the renderers that
//! write `OUT/<organisation>/<YYYY-MM>/` serve the API). The folder is the one of the latest
//! finished run of that organisation and month, as the run recorded it (`runs.counts.folder`,
//! whatever `--out` a cron job gave); before any recorded run, `out/<organisation>/<YYYY-MM>/`
//! beside the configuration file, where `releve serve`'s own runs write. Declarations in JSON
//! come from the store's versions instead (the model stored with each version is the content
//! of `<body>.json`), so that every version stays readable.
//!
//! Documents carry an `ETag` (the SHA-256 of the bytes) and answer `304 Not Modified` to a
//! matching `If-None-Match`.

use crate::server::error::ApiError;
use crate::server::AppState;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use releve_domain::Month;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// The folder of the month's files: the latest finished run's, else the server's own.
pub async fn month_folder(state: &AppState, org: &str, month: Month) -> Result<PathBuf, ApiError> {
    let runs = state.store().runs(org).await?;
    let month_text = month.to_string();
    let recorded = runs
        .iter()
        .rev()
        .filter(|r| r.finished_at.is_some())
        .filter_map(|r| r.counts.as_ref())
        .filter(|c| c["month"].as_str() == Some(month_text.as_str()))
        .find_map(|c| c["folder"].as_str().map(PathBuf::from));
    Ok(recorded.unwrap_or_else(|| {
        crate::server::runs::output_dir(state)
            .join(org)
            .join(&month_text)
    }))
}

/// One file of the month's folder; a 404 in French when no run wrote it.
pub async fn month_file(
    state: &AppState,
    org: &str,
    month: Month,
    name: &str,
) -> Result<Vec<u8>, ApiError> {
    let path = month_folder(state, org, month).await?.join(name);
    match tokio::fs::read(&path).await {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!(
                "aucun fichier {name} pour {month} : le relevé de ce mois n'a pas encore été \
                 produit (POST /api/v1/organisations/{org}/runs)"
            ),
        )),
        Err(e) => Err(ApiError::internal(format!("{}: {e}", path.display()))),
    }
}

/// A month's JSON file as a value (to embed it in a larger answer).
pub async fn month_json(
    state: &AppState,
    org: &str,
    month: Month,
    name: &str,
) -> Result<serde_json::Value, ApiError> {
    let bytes = month_file(state, org, month, name).await?;
    serde_json::from_slice(&bytes).map_err(|e| ApiError::internal(format!("{name}: {e}")))
}

/// The media type of a file, by its extension.
pub fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("json") => "application/json",
        Some("csv") => "text/csv; charset=utf-8",
        Some("pdf") => "application/pdf",
        Some("xml") => "application/xml",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("html") => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A document answer: the bytes with their type and ETag, or `304` when the client has them.
pub fn document(request: &HeaderMap, bytes: Vec<u8>, name: &str) -> Response {
    let etag = format!("\"{}\"", hex::encode(Sha256::digest(&bytes)));
    let matches = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let etag_value = HeaderValue::from_str(&etag).expect("hex is a valid header value");
    if matches {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value)]).into_response();
    }
    let mut response = (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(name)),
            ),
            (header::ETAG, etag_value),
        ],
        bytes,
    )
        .into_response();
    if !name.ends_with(".json") {
        if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, value);
        }
    }
    response
}
