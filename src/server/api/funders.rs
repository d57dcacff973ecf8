//! The funder routes of formats.md §6 (scope `funder`):
//! - `GET /api/v1/funders/{funder}/organisations`: the organisations that share their
//!   indicators with the funder now;
//! - `GET /api/v1/funders/{funder}/indicators?season=YYYY-YYYY[&format=xlsx|csv]`: each sharing
//!   organisation's own `indicators.json` items for the season, with where they come from, and
//!   the network's figures (totals where an indicator adds up, weighted averages where it does
//!   not); `format=xlsx|csv` gives the workbook (one sheet per family) or the CSV, and records
//!   the download (the funder then sees what changed since).
//!
//! `access` decides everything: another funder is a 404, an organisation's token a 403, and an
//! organisation that does not share is simply absent.

use crate::funders::view::{self, FunderView};
use crate::reference::load_reference;
use crate::server::access;
use crate::server::error::ApiError;
use crate::server::extract::ApiCaller;
use crate::server::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use releve_indicators::network::NetworkFigure;
use releve_indicators::Period;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Deserialize)]
pub struct IndicatorsQuery {
    pub season: Option<String>,
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/funders/{funder}/organisations", tag = "funders",
    security(("bearer" = [])),
    params(("funder" = String, Path, description = "slug du financeur")),
    responses((status = 200, description = "{\"funder\", \"organisations\": [{slug, name, siret}]}: celles qui partagent leurs indicateurs avec ce financeur"),
        (status = 401), (status = 403, description = "Jeton sans la portée funder"), (status = 404)))]
pub async fn organisations(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(funder): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let funder = access::funder(&state, &caller, &funder)?;
    let organisations: Vec<Value> = access::organisations_shared_with(&state, funder)
        .await?
        .into_iter()
        .map(super::organisations::listed)
        .collect();
    Ok(Json(
        json!({ "funder": funder.slug, "organisations": organisations }),
    ))
}

/// The funder's view of a season, over the organisations that share with it now (`access`).
pub async fn build_view(
    state: &AppState,
    funder: &crate::config::FunderConfig,
    period: Period,
) -> anyhow::Result<FunderView> {
    let organisations = access::organisations_shared_with(state, funder).await?;
    let reference = load_reference(state.config())?;
    view::build(
        state.store(),
        &reference,
        funder,
        &organisations,
        period,
        state.now(),
    )
    .await
}

/// The JSON form of a network figure.
pub fn figure_json(f: &NetworkFigure) -> Value {
    json!({
        "id": f.def.id,
        "family": f.def.family.code(),
        "label": f.def.label,
        "unit": f.def.unit.code(),
        "combination": f.combination.code(),
        "value": f.value.to_json(),
        "value_reason": f.value.reason(),
        "previous_value": f.previous_value.to_json(),
        "previous_reason": f.previous_value.reason(),
        "ratio": f.ratio.map(|r| r.to_json()),
        "previous_ratio": f.previous_ratio.map(|r| r.to_json()),
        "note": f.note,
        "breakdown": f.breakdown.iter().map(|b| json!({
            "key": b.key, "label": b.label,
            "value": b.value.to_json(), "previous_value": b.previous_value.to_json(),
        })).collect::<Vec<_>>(),
    })
}

/// The API's JSON of a funder's season.
pub fn view_json(view: &FunderView) -> Value {
    let organisations: Vec<Value> = view
        .organisations
        .iter()
        .map(|o| {
            let run = o.freshness.run.as_ref().map(|r| {
                json!({
                    "run_id": r.id,
                    "month": r.counts.as_ref().and_then(|c| c["month"].as_str()),
                    "finished_at": r.finished_at.map(releve_domain::calendar::rfc3339_paris),
                })
            });
            json!({
                "slug": o.config.organisation.slug,
                "name": o.config.organisation.name,
                "generated_at": o.json["generated_at"],
                "run": run,
                "fingerprint": o.freshness.fingerprint,
                "last_download": o.freshness.last_download.map(releve_domain::calendar::rfc3339_paris),
                "changed_since_last_download": o.freshness.changed_since_download,
                "indicators": o.json["rows"],
            })
        })
        .collect();
    // Only the indicators that give the network a figure: those that add up, and the ratios
    // combined by their sums.
    let totals: Vec<Value> = view
        .figures
        .iter()
        .filter(|f| f.value.is_applicable() || f.previous_value.is_applicable())
        .map(figure_json)
        .collect();
    json!({
        "funder": view.funder.slug,
        "season": view.season,
        "organisations": organisations,
        "totals": totals,
    })
}

#[utoipa::path(get, path = "/api/v1/funders/{funder}/indicators", tag = "funders",
    security(("bearer" = [])),
    params(("funder" = String, Path, description = "slug du financeur"),
        ("season" = String, Query, description = "AAAA-AAAA"),
        ("format" = Option<String>, Query, description = "xlsx ou csv")),
    responses((status = 200, description = "{\"funder\", \"season\", \"organisations\": [{slug, indicators}], \"totals\"}, ou le classeur / le CSV"),
        (status = 401), (status = 403, description = "Jeton sans la portée funder"), (status = 404), (status = 422)))]
pub async fn indicators(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(funder): Path<String>,
    Query(query): Query<IndicatorsQuery>,
) -> Result<Response, ApiError> {
    let funder = access::funder(&state, &caller, &funder)?;
    let text = query.season.as_deref().unwrap_or_default();
    let period = Period::parse_season(text, state.config().season_start_month).map_err(|_| {
        ApiError::invalid(format!(
            "paramètre season « {text} » invalide : attendu AAAA-AAAA, par exemple season=2025-2026"
        ))
    })?;
    let format = query.format.as_deref().unwrap_or("json");
    if !matches!(format, "json" | "xlsx" | "csv") {
        return Err(ApiError::invalid(format!(
            "paramètre format « {format} » invalide : xlsx ou csv"
        )));
    }
    let view = build_view(&state, funder, period).await?;
    if format == "json" {
        return Ok(Json(view_json(&view)).into_response());
    }
    let file = format!("indicateurs.{format}");
    let now = state.now();
    let (content_type, bytes, name) = view
        .download(&file, state.config().csv, now)?
        .ok_or_else(ApiError::not_found)?;
    view.record_download(state.store(), now).await?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
