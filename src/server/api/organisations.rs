//! `GET /api/v1/organisations`: the organisations the token may read.

use crate::server::access;
use crate::server::error::ApiError;
use crate::server::extract::ApiCaller;
use crate::server::AppState;
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations",
    security(("bearer" = [])),
    responses((status = 200, description = "Les organisations que le jeton peut lire : {\"organisations\": [{slug, name, siret}]}"),
        (status = 401, description = "Jeton absent ou inconnu")))]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<Json<Value>, ApiError> {
    let organisations: Vec<Value> = access::readable_organisations(&state, &caller)
        .into_iter()
        .map(listed)
        .collect();
    Ok(Json(json!({ "organisations": organisations })))
}

/// How an organisation is listed: `{"slug", "name", "siret"}`.
pub fn listed(o: &crate::config::OrganisationConfig) -> Value {
    json!({
        "slug": o.organisation.slug,
        "name": o.organisation.name,
        "siret": o.organisation.siret.as_str(),
    })
}
