//! *Producteur* (`/o/{org}/producteurs/{siret_or_siren}`, issue 19): what the public company
//! register says of a partner — name, addresses, activity, state, live-show licence, public
//! body — with its source and the date of the answer (the same library call and lines as
//! `releve siret`, [`crate::registry::describe_with_config`]); the register's points and
//! suggestions about that number in a month's `issues.json` (`?mois=`, default the latest
//! month with declarations), each with its source; and:
//! - **Actualiser** (administrators): asks the register again at once (`releve siret --refresh`);
//! - **Confirmer** a suggestion (administrators and preparers, like any correction): stores it
//!   through the corrections' one entry point ([`crate::corrections::apply`], audited like a
//!   manual correction) and recomputes the month. Only a suggestion present in the month's
//!   points for that number can be confirmed this way.

use super::corrections::{apply_form, CorrectionForm};
use crate::server::access::{self, Action};
use crate::server::error::PageError;
use crate::server::extract::SignedIn;
use crate::server::outputs;
use crate::server::pages::{base_context, render};
use crate::server::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use releve_collectors::registry::CompanyNumber;
use releve_domain::Month;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    mois: Option<String>,
    #[serde(default)]
    fait: Option<String>,
    #[serde(default)]
    erreur: Option<String>,
}

#[derive(Deserialize)]
pub struct RefreshForm {
    csrf: String,
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    csrf: String,
    mois: String,
    /// The position of the suggestion among the month's register points for this number.
    point: usize,
}

fn href(org: &str, number: &CompanyNumber) -> String {
    format!("/o/{org}/producteurs/{}", number.digits())
}

/// The month the page reads its points from.
async fn month_of_page(
    state: &AppState,
    org: &str,
    asked: Option<&str>,
) -> Result<Option<Month>, PageError> {
    match asked {
        Some(text) => text.parse().map(Some).map_err(|_| PageError::NotFound),
        None => Ok(state
            .store()
            .versions(org, None, None)
            .await?
            .iter()
            .map(|v| v.month)
            .max()),
    }
}

/// The register's points of the month about `number` (`evidence.reference`), in file order.
async fn points_about(
    state: &AppState,
    org: &str,
    month: Month,
    number: &CompanyNumber,
) -> Vec<Value> {
    outputs::month_issues(state, org, month)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|i| i["evidence"]["reference"] == number.digits())
        .collect()
}

pub async fn page(
    State(state): State<AppState>,
    user: SignedIn,
    Path((org, number)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let caller = user.caller();
    let config = access::organisation(&state, &caller, &org, Action::Read)?;
    let number = CompanyNumber::parse(&number).map_err(|_| PageError::NotFound)?;
    let report = crate::registry::describe_with_config(
        state.config(),
        state.store(),
        number.digits(),
        false,
        state.now(),
    )
    .await
    .map_err(PageError::from)?;
    let month = month_of_page(&state, &org, query.mois.as_deref()).await?;
    let points: Vec<Value> = match month {
        Some(m) => points_about(&state, &org, m, &number)
            .await
            .iter()
            .enumerate()
            .map(|(i, p)| {
                json!({
                    "index": i,
                    "message": p["message"],
                    "severity": match p["severity"].as_str() {
                        Some("warning") => "à vérifier",
                        Some("blocking") => "bloquant",
                        _ => "information",
                    },
                    "suggestion": p["suggestion"].is_object().then(|| json!({
                        "field": p["suggestion"]["field"], "value": p["suggestion"]["value"],
                    })),
                    "performance_id": p["performance_id"],
                })
            })
            .collect(),
        None => Vec::new(),
    };
    let mut context = base_context(&state, &user);
    context.insert(
        "org",
        &json!({"slug": org, "name": config.organisation.name}),
    );
    context.insert("title", &report.title());
    context.insert("href", &href(&org, &number));
    context.insert(
        "lines",
        &report
            .lines()
            .into_iter()
            .map(|(label, value)| json!({"label": label, "value": value}))
            .collect::<Vec<_>>(),
    );
    context.insert("source", &report.source_text());
    context.insert("month", &month.map(|m| m.to_string()));
    context.insert(
        "month_fr",
        &month.map(releve_declarations::render::fr::month),
    );
    context.insert("points", &points);
    context.insert("may_refresh", &caller.may(&org, Action::Administer));
    context.insert("may_confirm", &caller.may(&org, Action::Correct));
    context.insert(
        "notice",
        &match query.fait.as_deref() {
            Some("actualise") => Some("Réponse du répertoire des entreprises actualisée."),
            Some("confirme") => Some(
                "Suggestion confirmée : la correction est enregistrée au journal et le mois a été recalculé.",
            ),
            _ => None,
        },
    );
    context.insert("error", &query.erreur);
    Ok(render(&state, "producer.html", &context)?.into_response())
}

/// `POST …/actualiser`: the register asked again now (administrators).
pub async fn refresh(
    State(state): State<AppState>,
    user: SignedIn,
    Path((org, number)): Path<(String, String)>,
    Form(form): Form<RefreshForm>,
) -> Result<Response, PageError> {
    access::organisation(&state, &user.caller(), &org, Action::Administer)?;
    user.check_csrf(&form.csrf)?;
    let number = CompanyNumber::parse(&number).map_err(|_| PageError::NotFound)?;
    crate::registry::describe_with_config(
        state.config(),
        state.store(),
        number.digits(),
        true,
        state.now(),
    )
    .await
    .map_err(PageError::from)?;
    Ok(Redirect::to(&format!("{}?fait=actualise", href(&org, &number))).into_response())
}

/// `POST …/confirmer`: one suggestion of the month's points stored as a correction.
pub async fn confirm(
    State(state): State<AppState>,
    user: SignedIn,
    Path((org, number)): Path<(String, String)>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, PageError> {
    access::organisation(&state, &user.caller(), &org, Action::Correct)?;
    user.check_csrf(&form.csrf)?;
    let number = CompanyNumber::parse(&number).map_err(|_| PageError::NotFound)?;
    let month: Month = form.mois.parse().map_err(|_| PageError::NotFound)?;
    let points = points_about(&state, &org, month, &number).await;
    let Some(point) = points.get(form.point) else {
        return Err(PageError::NotFound);
    };
    let s = &point["suggestion"];
    let (Some(field), Some(value)) = (s["field"].as_str(), s["value"].as_str()) else {
        return Err(PageError::NotFound);
    };
    let performance_id = point["performance_id"].as_str().unwrap_or_default();
    let show_id = s["show_id"].as_str();
    let consulted = point["evidence"]["consulted_on"]
        .as_str()
        .and_then(|d| d.parse().ok())
        .map(releve_declarations::render::fr::date)
        .unwrap_or_else(|| "date inconnue".into());
    let correction = CorrectionForm {
        csrf: form.csrf.clone(),
        performance_id: Some(performance_id.to_string()),
        show_id: show_id.map(str::to_string),
        scope: show_id.map(|_| "show".to_string()),
        field: field.to_string(),
        value: value.to_string(),
        reason: format!(
            "Suggestion du répertoire des entreprises confirmée ({} {}, réponse du {consulted})",
            number.kind(),
            number.grouped()
        ),
        back: None,
    };
    let page = href(&org, &number);
    match apply_form(&state, &user, &org, month, performance_id, &correction).await? {
        Ok(()) => Ok(Redirect::to(&format!("{page}?mois={month}&fait=confirme")).into_response()),
        Err(message) => Ok((
            StatusCode::SEE_OTHER,
            [(
                axum::http::header::LOCATION,
                format!(
                    "{page}?mois={month}&erreur={}",
                    crate::server::error::encode_path(&message)
                ),
            )],
        )
            .into_response()),
    }
}
