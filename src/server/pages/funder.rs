//! The funder's workspace (`/f/{funder}`), read-only:
//! - `/f/{funder}?saison=2025-2026`: the organisations that share their indicators with the
//!   funder, each one's figures of the season beside the previous season, the network's totals
//!   (or weighted averages), charts, where each figure comes from (run, date), what changed
//!   since the funder's last download, and the downloads;
//! - `/f/{funder}/telechargement/{season}/{file}`: `indicateurs.xlsx` (one sheet per family)
//!   or `indicateurs.csv`, recorded as downloaded;
//! - `/f/{funder}/questionnaires/{survey}/{org}?saison=…&annee=…`: a survey pre-filled for one
//!   organisation, with what is behind each answer and the questions « à saisir ».
//!
//! Every handler asks `access` for the funder, then for the organisations that share with it
//! (another funder, or an organisation that does not share, is a 404). [`render_view`] is also
//! the venue's preview (`sharing.rs`): the same page, limited to that venue.

use crate::funders::surveys;
use crate::funders::view::{source_fr, FunderView};
use crate::reference::load_reference;
use crate::server::access;
use crate::server::api::funders::build_view;
use crate::server::error::PageError;
use crate::server::extract::SignedIn;
use crate::server::pages::indicators::season_of;
use crate::server::pages::{base_context, render};
use crate::server::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use releve_documents::chart::{to_svg, BarChart};
use releve_domain::{Month, PARIS};
use releve_indicators::network::{Combination, NetworkFigure};
use releve_indicators::{Family, Period, Value};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub struct SeasonQuery {
    #[serde(default)]
    pub saison: Option<String>,
    #[serde(default)]
    pub annee: Option<i32>,
}

/// The season asked for (default: the one holding the previous month), parsed.
pub fn season(state: &AppState, asked: Option<&str>) -> Result<(String, Period), PageError> {
    let start = state.config().season_start_month;
    let text = asked
        .map(str::to_string)
        .unwrap_or_else(|| season_of(Month::previous_of(state.now()), start));
    let period = Period::parse_season(&text, start).map_err(|_| PageError::NotFound)?;
    Ok((text, period))
}

/// The seasons offered in the selector: the current one and the three before.
fn seasons(state: &AppState) -> Vec<String> {
    let start = state.config().season_start_month;
    (0..4)
        .map(|back| season_of(Month::previous_of(state.now()).plus(-12 * back), start))
        .collect()
}

fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&PARIS)
        .format("%d/%m/%Y à %H:%M")
        .to_string()
}

/// The charts of the page, by the documents' one chart helper: one bar per organisation
/// and one for the network.
fn charts(view: &FunderView) -> Vec<String> {
    const CHARTED: [(&str, &str); 3] = [
        ("chart-funder-attendance", "attendance.total"),
        ("chart-funder-fill-rate", "attendance.fill_rate"),
        ("chart-funder-receipts", "receipts.ticketing_incl_vat"),
    ];
    CHARTED
        .iter()
        .filter_map(|(id, indicator)| {
            let figure = view.figures.iter().find(|f| f.def.id == *indicator)?;
            let title = format!("{} — {}", figure.def.label, view.period.to_french());
            let mut chart = BarChart::single(figure.def.label.to_string(), 0.4);
            for o in &view.organisations {
                if let Some(row) = o.indicators.row(indicator) {
                    chart.row(
                        o.config.organisation.name.clone(),
                        vec![row.value.chart_magnitude()],
                        row.value.to_french(),
                    );
                }
            }
            chart.row(
                "Réseau",
                vec![figure.value.chart_magnitude()],
                figure.value.to_french(),
            );
            Some(to_svg(&chart, id, &title))
        })
        .collect()
}

fn cell(v: &Value) -> serde_json::Value {
    json!({"text": v.to_french(), "reason": v.reason(), "na": !v.is_applicable()})
}

fn network_cell(f: &NetworkFigure) -> serde_json::Value {
    let how = match f.combination {
        Combination::Sum => "total",
        Combination::Weighted => "moyenne pondérée",
    };
    json!({
        "now": cell(&f.value), "before": cell(&f.previous_value),
        "how": how, "note": f.note,
    })
}

/// The page's context for a view (shared by the funder's page and the venue's preview).
pub fn view_context(
    state: &AppState,
    user: &SignedIn,
    view: &FunderView,
) -> Result<tera::Context, PageError> {
    let mut context = base_context(state, user);
    let organisations: Vec<serde_json::Value> = view
        .organisations
        .iter()
        .map(|o| {
            json!({
                "slug": o.config.organisation.slug,
                "name": o.config.organisation.name,
                "siret": o.config.organisation.siret.as_str(),
                "city": o.config.organisation.city,
                "source": source_fr(&o.freshness),
                "last_download": o.freshness.last_download.map(when),
                "changed": o.freshness.changed_since_download,
            })
        })
        .collect();
    let families: Vec<serde_json::Value> = Family::ALL
        .iter()
        .map(|family| {
            let rows: Vec<serde_json::Value> = view
                .figures
                .iter()
                .filter(|f| f.def.family == *family)
                .map(|f| {
                    let cells: Vec<serde_json::Value> = view
                        .organisations
                        .iter()
                        .map(|o| match o.indicators.row(f.def.id) {
                            Some(r) => json!({"now": cell(&r.value), "before": cell(&r.previous_value), "note": r.note}),
                            None => json!({"now": cell(&Value::not_applicable("absent")), "before": cell(&Value::not_applicable("absent"))}),
                        })
                        .collect();
                    json!({
                        "id": f.def.id, "label": f.def.label, "unit": f.def.unit.label_fr(),
                        "definition": f.def.definition,
                        "cells": cells, "network": network_cell(f),
                    })
                })
                .collect();
            json!({"code": family.code(), "label": family.label_fr(), "rows": rows})
        })
        .collect();
    let survey_list: Vec<serde_json::Value> = surveys::load(state.config())?
        .into_iter()
        .map(|s| json!({"id": s.id, "title": s.title, "issuer": s.issuer}))
        .collect();
    context.insert(
        "funder",
        &json!({"slug": view.funder.slug, "name": view.funder.name}),
    );
    context.insert("season", &view.season);
    context.insert("seasons", &seasons(state));
    context.insert("period_fr", &view.period.to_french());
    context.insert("previous_fr", &view.period.previous().to_french());
    context.insert("venues", &organisations);
    context.insert("families", &families);
    context.insert("charts", &charts(view));
    context.insert("surveys", &survey_list);
    context.insert("preview", &None::<String>);
    Ok(context)
}

pub async fn page(
    State(state): State<AppState>,
    user: SignedIn,
    Path(funder): Path<String>,
    Query(query): Query<SeasonQuery>,
) -> Result<Html<String>, PageError> {
    let funder = access::funder(&state, &user.caller(), &funder)?;
    let (_, period) = season(&state, query.saison.as_deref())?;
    let view = build_view(&state, funder, period).await?;
    let context = view_context(&state, &user, &view)?;
    render(&state, "funder.html", &context)
}

/// The workbook or the CSV of the season, recorded as downloaded.
pub async fn download(
    State(state): State<AppState>,
    user: SignedIn,
    Path((funder, season_text, file)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let funder = access::funder(&state, &user.caller(), &funder)?;
    let (_, period) = season(&state, Some(&season_text))?;
    let view = build_view(&state, funder, period).await?;
    let now = state.now();
    let (content_type, bytes, name) = view
        .download(&file, state.config().csv, now)?
        .ok_or(PageError::NotFound)?;
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

/// A survey pre-filled for one sharing organisation.
pub async fn survey(
    State(state): State<AppState>,
    user: SignedIn,
    Path((funder, survey_id, org)): Path<(String, String, String)>,
    Query(query): Query<SeasonQuery>,
) -> Result<Html<String>, PageError> {
    let funder = access::funder(&state, &user.caller(), &funder)?;
    let org = access::funder_organisation(&state, funder, &org).await??;
    let survey = surveys::load(state.config())?
        .into_iter()
        .find(|s| s.id == survey_id)
        .ok_or(PageError::NotFound)?;
    let (season_text, period) = season(&state, query.saison.as_deref())?;
    // A calendar-year question is about the year the season started in, unless asked.
    let year = query.annee.unwrap_or(period.first_month().year());
    let reference = load_reference(state.config())?;
    let filled = surveys::prefill(
        state.store(),
        &reference,
        org,
        &survey,
        period,
        year,
        state.now(),
    )
    .await?;
    let answers: Vec<serde_json::Value> = filled
        .answers
        .iter()
        .map(|a| {
            json!({
                "id": a.question.id, "label": a.question.label, "text": a.text,
                "to_enter": a.to_enter(), "perimeter": a.perimeter_fr,
                "indicator": a.indicator.map(|d| d.id), "behind": a.behind,
            })
        })
        .collect();
    let to_enter: Vec<&str> = filled
        .to_enter()
        .iter()
        .map(|a| a.question.label.as_str())
        .collect();
    let mut context = base_context(&state, &user);
    context.insert("funder", &json!({"slug": funder.slug, "name": funder.name}));
    context.insert(
        "survey",
        &json!({"id": survey.id, "title": survey.title, "issuer": survey.issuer,
                "description": survey.description, "reference": survey.reference}),
    );
    context.insert(
        "venue",
        &json!({"slug": org.organisation.slug, "name": org.organisation.name}),
    );
    context.insert("season", &season_text);
    context.insert("year", &year);
    context.insert("answers", &answers);
    context.insert("to_enter", &to_enter);
    render(&state, "survey.html", &context)
}
