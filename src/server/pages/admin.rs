//! *Administration* (`/o/{org}/admin`, admins only): the organisation's members and their
//! roles (add or withdraw a membership), and its API tokens with their name, scope, creation
//! and last use — never their value, which only `releve token create` prints, once.
//!
//! Below them, the organisation's credentials (`credentials.rs`): which secrets its sources and
//! SIBIL read, where each comes from, and a form to store one sealed — never shown back.
//!
//! Adding someone who has no account creates it (as `releve user add` does) with a generated
//! password shown once on the page, to be handed over.

use crate::accounts_cmd::{add_user, Grant};
use crate::server::access::{self, Action, Role};
use crate::server::error::PageError;
use crate::server::extract::SignedIn;
use crate::server::pages::{base_context, render};
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use releve_domain::PARIS;
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub struct MemberForm {
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&PARIS).format("%d/%m/%Y %H:%M").to_string()
}

async fn render_admin(
    state: &AppState,
    user: &SignedIn,
    org: &str,
    name: &str,
    message: Option<(StatusCode, String)>,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let members: Vec<serde_json::Value> = state
        .store()
        .members(org)
        .await?
        .into_iter()
        .map(|(email, role)| {
            let label = Role::parse(&role).map_or(role.clone(), |r| r.label_fr().to_string());
            json!({"email": email, "role": role, "role_fr": label})
        })
        .collect();
    let tokens: Vec<serde_json::Value> = state
        .store()
        .api_tokens()
        .await?
        .into_iter()
        .filter(|t| t.org.as_deref() == Some(org))
        .map(|t| {
            json!({
                "name": t.name, "scope": t.scope, "created": when(t.created_at),
                "last_used": t.last_used_at.map(when),
                "revoked": t.revoked_at.map(when),
            })
        })
        .collect();
    let credentials = match state
        .config()
        .organisations
        .iter()
        .find(|o| o.organisation.slug == org)
    {
        Some(config) => crate::server::pages::credentials::view(state, config).await?,
        None => Vec::new(),
    };
    let roles: Vec<serde_json::Value> = Role::ALL
        .iter()
        .map(|r| json!({"code": r.code(), "label": r.label_fr()}))
        .collect();
    let mut context = base_context(state, user);
    context.insert("org", &json!({"slug": org, "name": name}));
    context.insert("members", &members);
    context.insert("tokens", &tokens);
    context.insert("credentials", &credentials);
    context.insert("roles", &roles);
    context.insert("error", &message.as_ref().map(|(_, m)| m));
    context.insert("notice", &notice);
    let status = message.map_or(StatusCode::OK, |(s, _)| s);
    Ok((status, render(state, "admin.html", &context)?).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    user: SignedIn,
    Path(org): Path<String>,
) -> Result<Response, PageError> {
    let config = access::organisation(&state, &user.caller(), &org, Action::Administer)?;
    let name = config.organisation.name.clone();
    render_admin(&state, &user, &org, &name, None, None).await
}

/// The page with an error (422) or a notice, after a form of another module (credentials).
pub async fn page_with(
    state: &AppState,
    user: &SignedIn,
    org: &str,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let config = access::organisation(state, &user.caller(), org, Action::Administer)?;
    let name = config.organisation.name.clone();
    let message = error.map(|m| (StatusCode::UNPROCESSABLE_ENTITY, m));
    render_admin(state, user, org, &name, message, notice).await
}

pub async fn add_member(
    State(state): State<AppState>,
    user: SignedIn,
    Path(org): Path<String>,
    Form(form): Form<MemberForm>,
) -> Result<Response, PageError> {
    let config = access::organisation(&state, &user.caller(), &org, Action::Administer)?;
    let name = config.organisation.name.clone();
    user.check_csrf(&form.csrf)?;
    let refuse = |m: String| Some((StatusCode::UNPROCESSABLE_ENTITY, m));
    let Some(role) = Role::parse(&form.role) else {
        let m = refuse("Choisissez un rôle.".into());
        return render_admin(&state, &user, &org, &name, m, None).await;
    };
    let email = releve_store::normalise_email(&form.email);
    let exists = state.store().user_by_email(&email).await?.is_some();
    let password = if exists {
        String::new()
    } else {
        crate::server::secrets::new_password()?
    };
    let grant = Grant::Role { org: &org, role };
    match add_user(state.store(), &email, &password, &grant).await {
        Err(e) => {
            let m = refuse(format!("{e:#}").replace("--email : ", ""));
            render_admin(&state, &user, &org, &name, m, None).await
        }
        Ok((created, granted)) => {
            let notice = match (created, granted) {
                (true, _) => format!(
                    "Compte créé pour {email} ({}) ; mot de passe à lui transmettre, affiché une seule fois : {password}",
                    role.label_fr()
                ),
                (false, true) => format!("{email} a désormais le rôle {}.", role.label_fr()),
                (false, false) => format!("{email} avait déjà le rôle {}.", role.label_fr()),
            };
            tracing::info!(org = %org, role = role.code(), "membership added from the workspace");
            render_admin(&state, &user, &org, &name, None, Some(notice)).await
        }
    }
}

pub async fn remove_member(
    State(state): State<AppState>,
    user: SignedIn,
    Path(org): Path<String>,
    Form(form): Form<MemberForm>,
) -> Result<Response, PageError> {
    let config = access::organisation(&state, &user.caller(), &org, Action::Administer)?;
    let name = config.organisation.name.clone();
    user.check_csrf(&form.csrf)?;
    let members = state.store().members(&org).await?;
    let admins = members.iter().filter(|(_, r)| r == "admin").count();
    if form.role == "admin" && admins <= 1 {
        let m = Some((
            StatusCode::CONFLICT,
            "C'est le dernier administrateur de l'organisation : donnez d'abord ce rôle à quelqu'un d'autre."
                .to_string(),
        ));
        return render_admin(&state, &user, &org, &name, m, None).await;
    }
    let email = releve_store::normalise_email(&form.email);
    if let Some(member) = state.store().user_by_email(&email).await? {
        state
            .store()
            .remove_membership(member.id, &org, &form.role)
            .await?;
        tracing::info!(org = %org, role = %form.role, "membership withdrawn from the workspace");
    }
    Ok(Redirect::to(&format!("/o/{org}/admin")).into_response())
}
