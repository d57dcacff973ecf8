//! The workspace (French HTML, server-rendered, works without JavaScript): one module per page.
//! Every handler takes a [`SignedIn`](crate::server::extract::SignedIn) and asks
//! [`access`](crate::server::access) for the organisation before reading anything; every form
//! carries the session's CSRF token, checked before acting.

pub mod admin;
pub mod calendar;
pub mod correction_fields;
mod corrections;
pub mod credentials;
mod dashboard;
mod declaration;
mod declaration_actions;
mod form_layout;
pub mod funder;
pub mod indicators;
mod journal;
mod login;
mod month;
pub mod performance;
mod producer;
mod sending;
mod sharing;
pub mod sources;
pub mod view;
pub mod work_list;

use crate::server::error::PageError;
use crate::server::extract::SignedIn;
use crate::server::templates::STYLESHEET;
use crate::server::AppState;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::page))
        .route("/connexion", get(login::form).post(login::submit))
        .route("/deconnexion", axum::routing::post(login::logout))
        .route("/o/:org", get(month::organisation))
        .route("/o/:org/journal", get(journal::page))
        .route("/o/:org/echeances.ics", get(calendar::page))
        .route("/o/:org/admin", get(admin::page))
        .route("/o/:org/admin/membres", post(admin::add_member))
        .route("/o/:org/admin/membres/retrait", post(admin::remove_member))
        .route("/o/:org/admin/identifiants", post(credentials::store))
        .route(
            "/o/:org/admin/identifiants/retrait",
            post(credentials::remove),
        )
        .route("/o/:org/:month", get(month::page))
        .route("/o/:org/:month/:body", get(declaration::page))
        .route(
            "/o/:org/:month/:body/approuver",
            post(declaration_actions::approve),
        )
        .route(
            "/o/:org/:month/:body/transmission",
            post(declaration_actions::submission),
        )
        .route(
            "/o/:org/:month/:body/versions/:number/:format",
            get(declaration::download),
        )
        .route("/o/:org/:month/:body/envoyer", post(sending::send))
        .route(
            "/o/:org/:month/:body/depot/:number/:file",
            get(sending::package_file),
        )
        .route("/static/releve.css", get(stylesheet))
        // Part B of issue 9: performances and corrections, work list, sources, indicators.
        .route("/o/:org/:month/p/:performance_id", get(performance::page))
        .route(
            "/o/:org/:month/p/:performance_id/corrections",
            axum::routing::post(corrections::from_performance),
        )
        .route(
            "/o/:org/:month/corrections",
            axum::routing::post(corrections::submit),
        )
        .route("/o/:org/:month/a-traiter", get(work_list::page))
        .route("/o/:org/sources", get(sources::page))
        .route("/o/:org/sources/tester", axum::routing::post(sources::test))
        .route(
            "/o/:org/sources/collecter",
            axum::routing::post(sources::collect),
        )
        .route("/o/:org/travaux/:id", get(sources::job_page))
        .route("/o/:org/travaux/:id/etat", get(sources::job_json))
        .route("/o/:org/producteurs/:number", get(producer::page))
        .route(
            "/o/:org/producteurs/:number/actualiser",
            post(producer::refresh),
        )
        .route(
            "/o/:org/producteurs/:number/confirmer",
            post(producer::confirm),
        )
        .route("/o/:org/indicateurs", get(indicators::page))
        .route("/o/:org/indicateurs/:season/:file", get(indicators::file))
        // Issue 18: sharing with funders, and the funder's own workspace.
        .route("/o/:org/partage", get(sharing::page).post(sharing::change))
        .route("/o/:org/partage/:funder/apercu", get(sharing::preview))
        .route("/f/:funder", get(funder::page))
        .route(
            "/f/:funder/telechargement/:season/:file",
            get(funder::download),
        )
        .route(
            "/f/:funder/questionnaires/:survey/:org",
            get(funder::survey),
        )
        .fallback(not_found)
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
}

async fn not_found() -> PageError {
    PageError::NotFound
}

/// The context every page gets: who is signed in, the CSRF token for its forms, and the
/// organisations of the navigation.
pub fn base_context(state: &AppState, user: &SignedIn) -> tera::Context {
    let mut context = tera::Context::new();
    let caller = user.caller();
    let organisations: Vec<serde_json::Value> =
        crate::server::access::readable_organisations(state, &caller)
            .into_iter()
            .map(|o| {
                serde_json::json!({
                    "slug": o.organisation.slug,
                    "name": o.organisation.name,
                })
            })
            .collect();
    context.insert("user_email", &user.0.email);
    context.insert("csrf_token", &user.0.csrf_token);
    context.insert("organisations", &organisations);
    let funders: Vec<serde_json::Value> = crate::server::access::readable_funders(state, &caller)
        .into_iter()
        .map(|f| serde_json::json!({"slug": f.slug, "name": f.name}))
        .collect();
    context.insert("funders", &funders);
    context
}

/// Renders a page template.
pub fn render(
    state: &AppState,
    template: &str,
    context: &tera::Context,
) -> Result<Html<String>, PageError> {
    Ok(Html(state.templates().render(template, context)?))
}
