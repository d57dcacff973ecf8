//! *Sources* (`/o/{org}/sources`): each configured source with its kind, last sync, counts and
//! last error (from the recorded runs); "tester la connexion" (the code of `releve check`) and
//! "collecter maintenant" (the month's run through the job queue, in the background, with its
//! progress on `/o/{org}/travaux/{id}` — refreshed by a little script, or by the page itself
//! without JavaScript).

use crate::check::check_source_with;
use crate::server::access::{self, Action};
use crate::server::error::PageError;
use crate::server::extract::SignedIn;
use crate::server::pages::performance::month_of;
use crate::server::pages::{base_context, render};
use crate::server::runs::start_run;
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Form, Json};
use releve_domain::{Month, PARIS};
use releve_store::{Job, RunRecord};
use serde::Deserialize;
use serde_json::json;

fn paris(instant: chrono::DateTime<chrono::Utc>) -> String {
    instant
        .with_timezone(&PARIS)
        .format("%d/%m/%Y à %H:%M")
        .to_string()
}

/// What the recorded runs say of one source: the last run that imported it, and its error if
/// the last run that tried it failed on it.
fn source_history(key: &str, runs: &[RunRecord]) -> serde_json::Value {
    let mut last_sync = serde_json::Value::Null;
    let mut last_error = serde_json::Value::Null;
    for run in runs.iter().rev() {
        let Some(counts) = &run.counts else { continue };
        let imported = counts["imports"]
            .as_array()
            .and_then(|a| a.iter().find(|i| i["source"] == key));
        let failed = counts["failures"]
            .as_array()
            .and_then(|a| a.iter().find(|f| f["source"] == key));
        if let (Some(f), true) = (failed, last_error.is_null() && last_sync.is_null()) {
            last_error = json!({
                "at": run.finished_at.map(paris),
                "message": f["message"],
            });
        }
        if let Some(i) = imported {
            last_sync = json!({
                "at": run.finished_at.map(paris),
                "performances": i["performances"], "tickets": i["tickets"],
                "programme_rows": i["programme_rows"], "quarantined": i["quarantined"],
                "engagements": i["engagements"],
            });
            break;
        }
    }
    json!({"last_sync": last_sync, "last_error": last_error})
}

fn job_view(job: &Job) -> serde_json::Value {
    json!({
        "id": job.id,
        "month": job.month.to_string(),
        "month_fr": job.month.to_french(),
        "state": job.state.code(),
        "label": job.state.label_fr(),
        "active": job.state.is_active(),
        "requested_by": job.requested_by,
        "requested_at": paris(job.requested_at),
        "started_at": job.started_at.map(paris),
        "finished_at": job.finished_at.map(paris),
        "exit_status": job.exit_status,
        "message": job.message,
    })
}

#[derive(Deserialize, Default)]
pub struct SourcesQuery {
    #[serde(default)]
    pub test: Option<String>,
}

async fn sources_page(
    state: &AppState,
    user: &SignedIn,
    org: &str,
    tests: Option<Vec<serde_json::Value>>,
) -> Result<Html<String>, PageError> {
    let caller = user.caller();
    let config = access::organisation(state, &caller, org, Action::Read)?;
    let can_run = access::organisation(state, &caller, org, Action::Run).is_ok();
    let runs = state.store().runs(org).await?;
    let mut sources = Vec::new();
    for spec in &config.sources {
        let mut view = source_history(&spec.key, &runs);
        view["key"] = json!(spec.key);
        view["kind"] = json!(spec.kind.code());
        view["cursor"] = json!(state.store().sync_cursor(org, &spec.key).await?.map(paris));
        sources.push(view);
    }
    let mut jobs = state.store().jobs(Some(org), None).await?;
    jobs.sort_by_key(|j| std::cmp::Reverse(j.id));
    let jobs: Vec<_> = jobs.iter().take(10).map(job_view).collect();
    let mut context = base_context(state, user);
    context.insert("org", org);
    context.insert("org_name", &config.organisation.name);
    context.insert("sources", &sources);
    context.insert("jobs", &jobs);
    context.insert("can_run", &can_run);
    context.insert("tests", &tests);
    context.insert(
        "default_month",
        &Month::previous_of(state.now()).to_string(),
    );
    render(state, "sources.html", &context)
}

pub async fn page(
    State(state): State<AppState>,
    user: SignedIn,
    Path(org): Path<String>,
) -> Result<Html<String>, PageError> {
    sources_page(&state, &user, &org, None).await
}

#[derive(Deserialize)]
pub struct CsrfForm {
    pub csrf: String,
}

/// "Tester la connexion": every source opened as `releve check` does, nothing written.
pub async fn test(
    State(state): State<AppState>,
    user: SignedIn,
    Path(org): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Html<String>, PageError> {
    let caller = user.caller();
    let config = access::organisation(&state, &caller, &org, Action::Run)?;
    user.check_csrf(&form.csrf)?;
    let mut results = Vec::new();
    // The environment, then the credentials stored on the administration page.
    let base = crate::import::ImportContext::production(state.now(), false)
        .with_stored_credentials(&state.config().submission.key_file);
    for spec in &config.sources {
        let checked = match base.for_source(state.store(), &org, spec).await {
            Ok(ctx) => check_source_with(spec, ctx.env.as_ref()).await,
            Err(e) => Err(format!("{e:#}")),
        };
        let (ok, text) = match checked {
            Ok(what) => (true, what),
            Err(problem) => (false, problem),
        };
        results.push(json!({"key": spec.key, "ok": ok, "text": text}));
    }
    sources_page(&state, &user, &org, Some(results)).await
}

#[derive(Deserialize)]
pub struct CollectForm {
    pub csrf: String,
    pub month: String,
}

/// "Collecter maintenant": queues the month's run (or finds the one in progress) and goes to
/// its progress page.
pub async fn collect(
    State(state): State<AppState>,
    user: SignedIn,
    Path(org): Path<String>,
    Form(form): Form<CollectForm>,
) -> Result<Response, PageError> {
    let caller = user.caller();
    access::organisation(&state, &caller, &org, Action::Run)?;
    user.check_csrf(&form.csrf)?;
    let month = month_of(form.month.trim())?;
    let who = format!("{} (espace de travail)", user.0.email);
    let started = start_run(&state, &org, month, &who, json!({"from": "workspace"})).await?;
    Ok(Redirect::to(&format!("/o/{org}/travaux/{}", started.enqueued.job.id)).into_response())
}

async fn job_of(state: &AppState, user: &SignedIn, org: &str, id: i64) -> Result<Job, PageError> {
    access::organisation(state, &user.caller(), org, Action::Read)?;
    match state.store().job(id).await? {
        // Another organisation's job is a page that does not exist.
        Some(job) if job.org == org => Ok(job),
        _ => Err(PageError::NotFound),
    }
}

/// The progress of a run: refreshes itself while the run is queued or running.
pub async fn job_page(
    State(state): State<AppState>,
    user: SignedIn,
    Path((org, id)): Path<(String, i64)>,
) -> Result<Html<String>, PageError> {
    let job = job_of(&state, &user, &org, id).await?;
    let config = access::organisation(&state, &user.caller(), &org, Action::Read)?;
    let mut context = base_context(&state, &user);
    context.insert("org", &org);
    context.insert("org_name", &config.organisation.name);
    context.insert("job", &job_view(&job));
    render(&state, "job.html", &context)
}

/// The same, as JSON, for the page's script.
pub async fn job_json(
    State(state): State<AppState>,
    user: SignedIn,
    Path((org, id)): Path<(String, i64)>,
) -> Result<Json<serde_json::Value>, PageError> {
    let job = job_of(&state, &user, &org, id).await?;
    Ok(Json(job_view(&job)))
}
