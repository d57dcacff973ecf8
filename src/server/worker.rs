//! The queue worker of `releve serve`: a background task that works every queued run of the
//! organisations of the configuration, with the same job code as `releve run`
//! ([`crate::queue::work_jobs`] → [`crate::run::execute_run_job`]). Runs asked over the API
//! (`POST …/runs`) wake it at once; otherwise it looks at the queue every [`IDLE_POLL`], so
//! that jobs queued by another process (a `releve run` that gave up waiting, another `serve`)
//! and jobs whose worker crashed (their lease passed) are taken too: a job is never lost. On
//! PostgreSQL several `serve` processes share the queue; the store's claim (`FOR UPDATE SKIP
//! LOCKED`) gives each job to one of them only.
//!
//! Where the files go: the server's output folder ([`output_dir`]: `serve --out`, else `out/`
//! beside the configuration file), the folder the workspace's own runs use too; the API then
//! serves them (see `api/documents.rs`).
//!
//! At shutdown the task is dropped: a job in progress keeps its lease until it passes, then any
//! worker takes it again from the start (runs are idempotent).

use crate::import::ImportContext;
use crate::queue::{work_jobs, QueueSettings};
use crate::reference::load_reference;
use crate::run::RunOptions;
use crate::server::runs::output_dir;
use crate::server::AppState;
use anyhow::Result;
use releve_store::{JobFilter, Worker, RUN_JOB};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::sync::{broadcast, Notify};

/// Longest wait between two looks at the queue when nobody wakes the worker.
pub const IDLE_POLL: Duration = Duration::from_secs(5);

/// How the API talks to the worker of its store: a wake-up, and the ids of finished jobs.
pub struct Signals {
    wake: Notify,
    finished: broadcast::Sender<i64>,
}

/// The signals of the server on `database_url` (one set per store, so that several servers in
/// one process — tests — never mix their job ids).
pub fn signals(database_url: &str) -> Arc<Signals> {
    static ALL: OnceLock<Mutex<HashMap<String, Arc<Signals>>>> = OnceLock::new();
    let mut all = ALL
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    all.entry(database_url.to_string())
        .or_insert_with(|| {
            Arc::new(Signals {
                wake: Notify::new(),
                finished: broadcast::channel(256).0,
            })
        })
        .clone()
}

/// Asks the worker to look at the queue now.
pub fn wake(state: &AppState) {
    signals(&state.config().database_url).wake.notify_one();
}

/// The ids of the jobs the worker finishes from now on.
pub fn finished_jobs(state: &AppState) -> broadcast::Receiver<i64> {
    signals(&state.config().database_url).finished.subscribe()
}

/// Starts the worker task.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let worker = Worker::this_process("releve serve");
        let signals = signals(&state.config().database_url);
        loop {
            match work_available(&state, &worker).await {
                Ok(done) => {
                    for id in done {
                        let _ = signals.finished.send(id);
                    }
                }
                Err(e) => tracing::error!(error = %format!("{e:#}"), "queue worker pass failed"),
            }
            // A wake-up that came during the pass is kept by `Notify` and ends this wait at once.
            let _ = tokio::time::timeout(IDLE_POLL, signals.wake.notified()).await;
        }
    })
}

/// One pass: works queued runs of this configuration's organisations until none is left;
/// returns the ids of the jobs it ran.
pub async fn work_available(state: &AppState, worker: &Worker) -> Result<Vec<i64>> {
    let config = state.config().clone();
    let filter = JobFilter {
        kind: Some(RUN_JOB.to_string()),
        month: None,
        orgs: Some(
            config
                .organisations
                .iter()
                .map(|o| o.organisation.slug.clone())
                .collect(),
        ),
    };
    let reference = Arc::new(load_reference(&config)?);
    let now = state.now();
    let options = RunOptions {
        out: output_dir(state),
        month: None,
        org: None,
        generated_at: now,
        import: ImportContext::production(now, false)
            .with_stored_credentials(&config.submission.key_file),
        config,
    };
    let mut settings = QueueSettings::new(Some(1))?;
    settings.clock = state.clock();
    let reports = work_jobs(
        state.store(),
        &options,
        reference,
        worker.clone(),
        &settings,
        filter,
    )
    .await?;
    Ok(reports.into_iter().map(|(id, _)| id).collect())
}
