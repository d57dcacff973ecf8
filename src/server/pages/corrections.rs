//! The correction forms of the workspace (performance page, *À traiter*): they parse the form,
//! check the role and the CSRF token, hand the correction to the one validating entry point of
//! the corrections (the same as the API's), then recompute the month's drafts with the code of
//! `releve run` for that organisation and month, and go back to the page with a notice — or
//! show the French reason of a refused value on the page.

use crate::corrections::{self, CorrectionError, CorrectionRequest};
use crate::server::access::{self, Action};
use crate::server::error::PageError;
use crate::server::extract::SignedIn;
use crate::server::pages::performance::{href, month_of};
use crate::server::runs::start_run;
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use releve_domain::Month;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct CorrectionForm {
    pub csrf: String,
    #[serde(default)]
    pub performance_id: Option<String>,
    #[serde(default)]
    pub show_id: Option<String>,
    /// `performance` (default) or `show`: every performance of the show.
    #[serde(default)]
    pub scope: Option<String>,
    pub field: String,
    /// Empty: the correction is withdrawn (the source value applies again).
    #[serde(default)]
    pub value: String,
    pub reason: String,
    /// Where to go back: `a-traiter`, else the performance page.
    #[serde(default)]
    pub back: Option<String>,
}

/// `POST /o/{org}/{month}/p/{performance_id}/corrections`.
pub async fn from_performance(
    State(state): State<AppState>,
    user: SignedIn,
    Path((org, month, performance_id)): Path<(String, String, String)>,
    Form(mut form): Form<CorrectionForm>,
) -> Result<Response, PageError> {
    form.performance_id = Some(performance_id);
    handle(&state, &user, &org, &month, form).await
}

/// `POST /o/{org}/{month}/corrections` (the work list's answers and manual links).
pub async fn submit(
    State(state): State<AppState>,
    user: SignedIn,
    Path((org, month)): Path<(String, String)>,
    Form(form): Form<CorrectionForm>,
) -> Result<Response, PageError> {
    handle(&state, &user, &org, &month, form).await
}

async fn handle(
    state: &AppState,
    user: &SignedIn,
    org: &str,
    month: &str,
    form: CorrectionForm,
) -> Result<Response, PageError> {
    let caller = user.caller();
    access::organisation(state, &caller, org, Action::Correct)?;
    user.check_csrf(&form.csrf)?;
    let month = month_of(month)?;
    let Some(performance_id) = form.performance_id.clone().filter(|p| !p.is_empty()) else {
        return Err(PageError::NotFound);
    };
    let back = match form.back.as_deref() {
        Some("a-traiter") => format!("/o/{org}/{month}/a-traiter"),
        _ => href(org, month, &performance_id),
    };
    match apply_form(state, user, org, month, &performance_id, &form).await? {
        Ok(()) => Ok(Redirect::to(&format!("{back}?fait=1")).into_response()),
        Err(message) => Ok(Redirect::to(&format!(
            "{back}?erreur={}",
            crate::server::error::encode_path(&message)
        ))
        .into_response()),
    }
}

/// Stores the correction through [`corrections::apply`] (the API's entry point) and recomputes
/// the month with the run's job; the inner error is the refused value's French reason. Also
/// the producer page's confirmation of a register suggestion.
pub(super) async fn apply_form(
    state: &AppState,
    user: &SignedIn,
    org: &str,
    month: Month,
    performance_id: &str,
    form: &CorrectionForm,
) -> Result<Result<(), String>, PageError> {
    let caller = user.caller();
    let config = access::organisation(state, &caller, org, Action::Correct)?;
    let whole_show = form.scope.as_deref() == Some("show");
    let value = form.value.trim();
    let request = CorrectionRequest {
        performance_id: (!whole_show).then(|| performance_id.to_string()),
        show_id: whole_show.then(|| form.show_id.clone().unwrap_or_default()),
        field: form.field.trim().to_string(),
        // An empty value withdraws the correction in force (formats.md §6, `null`).
        value: (!value.is_empty()).then(|| value.to_string()),
        reason: form.reason.trim().to_string(),
        by: user.0.email.clone(),
    };
    match corrections::apply(
        state.store(),
        config,
        &request,
        &caller.actor(),
        state.now(),
    )
    .await
    {
        Ok(_) => {}
        Err(refused @ CorrectionError::Invalid(_)) => return Ok(Err(refused.message())),
        Err(CorrectionError::Failed(e)) => return Err(PageError::from(e)),
    }
    // The month's drafts again, by the run's own job (collect, facts, declarations, files).
    let who = format!("{} (correction)", user.0.email);
    let started = start_run(
        state,
        org,
        month,
        &who,
        serde_json::json!({"from": "correction"}),
    )
    .await?;
    if let Some(task) = started.task {
        // Wait for it, so that the page shown next already has the new figures.
        let _ = task.await;
    }
    Ok(Ok(()))
}
