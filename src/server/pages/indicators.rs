//! *Indicateurs* (`/o/{org}/indicateurs?saison=2025-2026`, by default the season of the latest
//! run): the season's indicators with their
//! charts — the indicators crate's own HTML report (figures, previous season beside, SVG
//! charts) in a frame — and the downloads (JSON, CSV, XLSX, PDF). The same files as
//! `releve indicators --season`, computed from the store at the time of the request.

use crate::indicators_cmd::period_files;
use crate::reference::load_reference;
use crate::server::access::{self, Action};
use crate::server::error::PageError;
use crate::server::extract::SignedIn;
use crate::server::pages::{base_context, render};
use crate::server::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use releve_domain::Month;
use releve_indicators::Period;
use serde::Deserialize;

/// The files offered, with their content type.
const FILES: &[(&str, &str)] = &[
    ("indicators.html", "text/html; charset=utf-8"),
    ("indicators.pdf", "application/pdf"),
    (
        "indicators.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("indicators.csv", "text/csv; charset=utf-8"),
    ("indicators.json", "application/json"),
];

/// The season that holds `month`, written `2025-2026` (or `2025` for a January start).
pub fn season_of(month: Month, start_month: u32) -> String {
    let first = if month.month() >= start_month {
        month.year()
    } else {
        month.year() - 1
    };
    if start_month == 1 {
        first.to_string()
    } else {
        format!("{first}-{}", first + 1)
    }
}

#[derive(Deserialize)]
pub struct SeasonQuery {
    #[serde(default)]
    pub saison: Option<String>,
}

/// The month of the organisation's latest run (the newest month with declarations), else the
/// previous month by the server's clock: the page opens on the season people last worked on.
async fn latest_month(state: &AppState, org: &str) -> Result<Month, PageError> {
    Ok(state
        .store()
        .versions(org, None, None)
        .await?
        .iter()
        .map(|v| v.month)
        .max()
        .unwrap_or_else(|| Month::previous_of(state.now())))
}

pub async fn page(
    State(state): State<AppState>,
    user: SignedIn,
    Path(org): Path<String>,
    Query(query): Query<SeasonQuery>,
) -> Result<Html<String>, PageError> {
    let config = access::organisation(&state, &user.caller(), &org, Action::Read)?;
    let start = state.config().season_start_month;
    let latest = latest_month(&state, &org).await?;
    let current = season_of(latest, start);
    let season = query.saison.unwrap_or(current);
    let mut context = base_context(&state, &user);
    match Period::parse_season(&season, start) {
        Ok(period) => {
            context.insert("period_fr", &period.to_french());
            context.insert("previous_fr", &period.previous().to_french());
            context.insert("error", &None::<String>);
        }
        Err(e) => {
            context.insert("period_fr", &season);
            context.insert("previous_fr", &"");
            context.insert("error", &Some(e.to_string()));
        }
    }
    let seasons: Vec<String> = (0..4)
        .map(|back| season_of(latest.plus(-12 * back), start))
        .collect();
    context.insert("org", &org);
    context.insert("org_name", &config.organisation.name);
    context.insert("season", &season);
    context.insert("seasons", &seasons);
    context.insert(
        "files",
        &FILES.iter().map(|(name, _)| *name).collect::<Vec<_>>(),
    );
    render(&state, "indicators.html", &context)
}

/// One of the season's files, as a download (the HTML report is shown in the page's frame).
pub async fn file(
    State(state): State<AppState>,
    user: SignedIn,
    Path((org, season, name)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let config = access::organisation(&state, &user.caller(), &org, Action::Read)?;
    let Some((_, content_type)) = FILES.iter().find(|(n, _)| *n == name) else {
        return Err(PageError::NotFound);
    };
    let period = Period::parse_season(&season, state.config().season_start_month)
        .map_err(|_| PageError::NotFound)?;
    let reference = load_reference(state.config())?;
    let files = period_files(state.store(), config, period, &reference, state.now()).await?;
    let Some((_, bytes)) = files.into_iter().find(|(n, _)| *n == name) else {
        return Err(PageError::NotFound);
    };
    let disposition = if name.ends_with(".html") {
        "inline".to_string()
    } else {
        format!("attachment; filename=\"{org}-saison-{season}-{name}\"")
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
