//! *Partage avec les financeurs* (`/o/{org}/partage`, admins only): the configured funders,
//! whether the organisation shares its indicators with each one now (and who decided it, when),
//! a button to share or withdraw (audited in the hash-chained audit log; it takes effect at the
//! funder's next request), and for each funder a preview of exactly what it will see of this
//! organisation (`/o/{org}/partage/{funder}/apercu`): the funder's own page, limited to this
//! organisation.

use crate::funders::view;
use crate::reference::load_reference;
use crate::server::access::{self, Action};
use crate::server::error::PageError;
use crate::server::extract::SignedIn;
use crate::server::pages::funder::{season, view_context, SeasonQuery};
use crate::server::pages::{base_context, render};
use crate::server::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use releve_domain::PARIS;
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub struct ShareForm {
    csrf: String,
    funder: String,
    /// `partager` or `retirer`.
    action: String,
}

pub async fn page(
    State(state): State<AppState>,
    user: SignedIn,
    Path(org): Path<String>,
) -> Result<Html<String>, PageError> {
    let config = access::organisation(&state, &user.caller(), &org, Action::Administer)?;
    let funders: Vec<serde_json::Value> = access::sharing_of(&state, config)
        .await?
        .into_iter()
        .map(|(f, shared, decision)| {
            let decided = decision.map(|d| {
                format!(
                    "{} par {} le {}",
                    if d.shared { "partagé" } else { "retiré" },
                    d.actor,
                    d.at.with_timezone(&PARIS).format("%d/%m/%Y à %H:%M")
                )
            });
            json!({
                "slug": f.slug, "name": f.name, "kind": f.kind, "shared": shared,
                "decided": decided.unwrap_or_else(|| "selon le fichier de configuration".to_string()),
            })
        })
        .collect();
    let mut context = base_context(&state, &user);
    context.insert(
        "org",
        &json!({"slug": org, "name": config.organisation.name}),
    );
    context.insert("funders", &funders);
    render(&state, "sharing.html", &context)
}

pub async fn change(
    State(state): State<AppState>,
    user: SignedIn,
    Path(org): Path<String>,
    Form(form): Form<ShareForm>,
) -> Result<Response, PageError> {
    access::organisation(&state, &user.caller(), &org, Action::Administer)?;
    user.check_csrf(&form.csrf)?;
    if !state.config().funders.iter().any(|f| f.slug == form.funder) {
        return Err(PageError::NotFound);
    }
    let shared = match form.action.as_str() {
        "partager" => true,
        "retirer" => false,
        _ => return Err(PageError::BadForm),
    };
    state
        .store()
        .set_funder_share(&org, &form.funder, shared, &user.0.email, state.now())
        .await?;
    tracing::info!(org = %org, funder = %form.funder, shared, "funder sharing changed from the workspace");
    Ok(Redirect::to(&format!("/o/{org}/partage")).into_response())
}

/// Exactly what the funder's page shows of this organisation, before (or after) sharing.
pub async fn preview(
    State(state): State<AppState>,
    user: SignedIn,
    Path((org, funder)): Path<(String, String)>,
    Query(query): Query<SeasonQuery>,
) -> Result<Html<String>, PageError> {
    let config = access::organisation(&state, &user.caller(), &org, Action::Administer)?;
    let funder = state
        .config()
        .funders
        .iter()
        .find(|f| f.slug == funder)
        .ok_or(PageError::NotFound)?;
    let (_, period) = season(&state, query.saison.as_deref())?;
    let reference = load_reference(state.config())?;
    let view = view::build(
        state.store(),
        &reference,
        funder,
        &[config],
        period,
        state.now(),
    )
    .await?;
    let mut context = view_context(&state, &user, &view)?;
    context.insert("preview", &Some(config.organisation.slug.clone()));
    context.insert("preview_name", &config.organisation.name);
    render(&state, "funder.html", &context)
}
