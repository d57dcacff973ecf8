//! Runs started by the server — "collecter maintenant" on the *Sources* page and the monthly
//! schedule — go through the store's job queue like `releve run` (one job per organisation and
//! month: a second request while one is queued or running gets that one back), and are worked
//! in a background task by the same job code ([`crate::queue::work_jobs`] →
//! [`crate::run::execute_run_job`]).
//!
//! Where the files go: into the server's output folder (`serve --out DIR`, `demo --serve`),
//! whose files the declaration pages offer for download; without one, into `out/` beside the
//! configuration file (`OUT/<organisation>/<YYYY-MM>/`, formats.md §5).

use crate::config::Config;
use crate::import::ImportContext;
use crate::queue::{work_jobs, QueueSettings};
use crate::reference::load_reference;
use crate::run::RunOptions;
use crate::server::AppState;
use anyhow::{Context, Result};
use releve_domain::Month;
use releve_store::{Enqueued, JobFilter, JobRequest, Worker, RUN_JOB};
use std::path::PathBuf;
use std::sync::Arc;

/// The output folder of the server's runs: the server's own (`--out`), else `out/` beside the
/// configuration file.
pub fn output_dir(state: &AppState) -> PathBuf {
    if let Some(dir) = state.output() {
        return dir.to_path_buf();
    }
    let config: &Config = state.config();
    config
        .path
        .parent()
        .map(|p| p.join("out"))
        .unwrap_or_else(|| PathBuf::from("out"))
}

/// A queued run and the background task working it (`None` when the job was already queued
/// or running: whoever holds it finishes it).
pub struct Started {
    pub enqueued: Enqueued,
    pub task: Option<tokio::task::JoinHandle<()>>,
}

/// Queues the month's run of `org` (or finds the one already queued or running) and works it
/// in the background.
pub async fn start_run(
    state: &AppState,
    org: &str,
    month: Month,
    requested_by: &str,
    params: serde_json::Value,
) -> Result<Started> {
    let request = JobRequest {
        org: org.to_string(),
        month,
        kind: RUN_JOB.to_string(),
        requested_by: requested_by.to_string(),
        params,
    };
    let enqueued = state
        .store()
        .enqueue_job(&request, state.now())
        .await
        .context("mise en file du relevé")?;
    let task = if enqueued.created {
        let state = state.clone();
        let org = org.to_string();
        let id = enqueued.job.id;
        Some(tokio::spawn(async move {
            if let Err(e) = work_month(&state, &org, month).await {
                tracing::error!(org = %org, month = %month, error = %format!("{e:#}"), "workspace run failed");
            }
            wait_until_finished(&state, id).await;
        }))
    } else {
        None
    };
    Ok(Started { enqueued, task })
}

/// Waits (bounded, ten minutes) until job `id` is finished: the server's queue worker may have
/// claimed it before this request's own worker did, and whoever asked for the run waits for
/// its result either way.
async fn wait_until_finished(state: &AppState, id: i64) {
    use releve_store::JobState;
    for _ in 0..3000 {
        match state.store().job(id).await {
            Ok(Some(job)) if matches!(job.state, JobState::Queued | JobState::Running) => {}
            _ => return,
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// Works the queued runs of `org` for `month` until none is left.
pub async fn work_month(state: &AppState, org: &str, month: Month) -> Result<()> {
    let config = state.config().clone();
    let reference = Arc::new(load_reference(&config)?);
    let now = state.now();
    let options = RunOptions {
        out: output_dir(state),
        month: Some(month),
        org: Some(org.to_string()),
        generated_at: now,
        import: ImportContext::production(now, false)
            .with_stored_credentials(&config.submission.key_file),
        config,
    };
    let mut settings = QueueSettings::new(Some(1))?;
    settings.clock = state.clock();
    let filter = JobFilter {
        kind: Some(RUN_JOB.to_string()),
        month: Some(month),
        orgs: Some(vec![org.to_string()]),
    };
    let worker = Worker::this_process("releve serve");
    work_jobs(
        state.store(),
        &options,
        reference,
        worker,
        &settings,
        filter,
    )
    .await?;
    Ok(())
}
