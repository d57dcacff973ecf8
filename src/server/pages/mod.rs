//! The workspace (French HTML, server-rendered, works without JavaScript): one module per page.
//! Every handler takes a [`SignedIn`](crate::server::extract::SignedIn) and asks
//! [`access`](crate::server::access) for the organisation before reading anything; every form
//! carries the session's CSRF token, checked before acting.

mod admin;
mod dashboard;
mod declaration;
mod declaration_actions;
mod form_layout;
mod journal;
mod login;
mod month;
mod view;

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
        .route("/o/:org/admin", get(admin::page))
        .route("/o/:org/admin/membres", post(admin::add_member))
        .route("/o/:org/admin/membres/retrait", post(admin::remove_member))
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
        .route("/static/releve.css", get(stylesheet))
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
