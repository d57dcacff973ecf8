//! *Identifiants* on the administration page (admins only): the secrets each API source and
//! the SIBIL channel of the organisation read — by variable name, with where each value comes
//! from (the environment, which wins; stored here, with who and when; or missing). An admin
//! may store a value (sealed at once by `crate::credentials`) or remove a stored one. A value
//! is never shown back, logged, or put in a page: the form fields are always empty.

use crate::config::OrganisationConfig;
use crate::server::access::{self, Action};
use crate::server::error::PageError;
use crate::server::extract::SignedIn;
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use releve_collectors::api::credentials::variables;
use releve_domain::PARIS;
use serde::Deserialize;
use serde_json::{json, Value};

/// A variable the organisation's configuration reads: its name, what it is, for which use.
struct Wanted {
    name: String,
    what: String,
    used_by: String,
}

fn wanted(org: &OrganisationConfig) -> Vec<Wanted> {
    let mut list = Vec::new();
    for spec in &org.sources {
        let Some(prefix) = &spec.credentials_env else {
            continue;
        };
        for (suffix, what) in variables(spec.kind) {
            list.push(Wanted {
                name: format!("{prefix}_{suffix}"),
                what: what.to_string(),
                used_by: format!("source {}", spec.key),
            });
        }
    }
    if let Some(prefix) = &org.sibil_credentials_env {
        for (suffix, what) in [
            (
                "USERNAME",
                "le nom d'utilisateur du compte SIBIL (type billetterie)",
            ),
            (
                "PASSWORD",
                "le mot de passe du compte SIBIL (type billetterie)",
            ),
        ] {
            list.push(Wanted {
                name: format!("{prefix}_{suffix}"),
                what: what.to_string(),
                used_by: "transmission SIBIL".into(),
            });
        }
    }
    list
}

/// The rows of the *Identifiants* table (no value, ever).
pub async fn view(state: &AppState, org: &OrganisationConfig) -> Result<Vec<Value>, PageError> {
    let slug = &org.organisation.slug;
    let stored = state.store().stored_credentials(Some(slug)).await?;
    Ok(wanted(org)
        .into_iter()
        .map(|w| {
            let in_env = std::env::var(&w.name).is_ok_and(|v| !v.trim().is_empty());
            let row = stored.iter().find(|s| s.name == w.name);
            let status = match (in_env, row) {
                (true, _) => "définie dans l'environnement du serveur (elle l'emporte)".to_string(),
                (false, Some(r)) => format!(
                    "enregistré le {} par {}",
                    r.updated_at
                        .with_timezone(&PARIS)
                        .format("%d/%m/%Y à %H:%M"),
                    r.updated_by
                ),
                (false, None) => "manquant".to_string(),
            };
            json!({
                "name": w.name, "what": w.what, "used_by": w.used_by,
                "status": status, "stored": row.is_some(), "missing": !in_env && row.is_none(),
            })
        })
        .collect())
}

#[derive(Deserialize)]
pub struct CredentialForm {
    csrf: String,
    name: String,
    #[serde(default)]
    value: String,
}

/// The variable a form names, once the caller is known to administer `org` (else a 404 or
/// 403 from `access`), the form's CSRF token checked, and the name one the configuration
/// reads (anything else is a 404).
fn checked_name<'f>(
    state: &AppState,
    user: &SignedIn,
    org: &str,
    form: &'f CredentialForm,
) -> Result<&'f str, PageError> {
    let config = access::organisation(state, &user.caller(), org, Action::Administer)?;
    user.check_csrf(&form.csrf)?;
    let name = form.name.trim();
    if !wanted(config).iter().any(|w| w.name == name) {
        return Err(PageError::NotFound);
    }
    Ok(name)
}

/// Stores (sealed) a value for one of the organisation's variables.
pub async fn store(
    State(state): State<AppState>,
    user: SignedIn,
    Path(org): Path<String>,
    Form(form): Form<CredentialForm>,
) -> Result<Response, PageError> {
    let name = checked_name(&state, &user, &org, &form)?;
    if form.value.trim().is_empty() {
        let message = format!("{name} : saisissez une valeur (le champ est vide).");
        return crate::server::pages::admin::page_with(&state, &user, &org, Some(message), None)
            .await;
    }
    crate::credentials::store_value(
        state.store(),
        &state.config().submission.key_file,
        &org,
        name,
        &form.value,
        &user.0.email,
        state.now(),
    )
    .await?;
    let notice = format!("{name} enregistré (chiffré). Sa valeur ne sera plus affichée.");
    crate::server::pages::admin::page_with(&state, &user, &org, None, Some(notice)).await
}

/// Removes a stored value (the environment, if set, still applies).
pub async fn remove(
    State(state): State<AppState>,
    user: SignedIn,
    Path(org): Path<String>,
    Form(form): Form<CredentialForm>,
) -> Result<Response, PageError> {
    let name = checked_name(&state, &user, &org, &form)?;
    state.store().delete_credential(&org, name).await?;
    tracing::info!(org = %org, variable = name, "stored credential removed");
    Ok(Redirect::to(&format!("/o/{org}/admin#identifiants")).into_response())
}
