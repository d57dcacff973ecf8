//! `GET /api/v1/organisations/{org}/deadlines.ics`: the deadlines feed of the workspace
//! (`pages::calendar`) for calendar applications, with a `read` token.

use crate::server::access::{self, Action};
use crate::server::error::ApiError;
use crate::server::extract::ApiCaller;
use crate::server::pages::calendar::{calendar_response, feed};
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::response::Response;

#[utoipa::path(get, path = "/api/v1/organisations/{org}/deadlines.ics", tag = "months",
    security(("bearer" = [])),
    params(("org" = String, Path)),
    responses((status = 200, description = "text/calendar (RFC 5545): one all-day event per declaration on its last day on time (Europe/Paris), UID stable per body and month"),
        (status = 401), (status = 404)))]
pub async fn deadlines(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(org): Path<String>,
) -> Result<Response, ApiError> {
    let org = access::organisation(&state, &caller, &org, Action::Read)?;
    let text = feed(&state, org).await?;
    Ok(calendar_response(&org.organisation.slug, text))
}
