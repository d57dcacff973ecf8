//! `releve run` through the store's job queue (`formats.md` §1, "Runs at the same time").
//!
//! The command queues one job per selected organisation for the month (or finds the one already
//! queued or running), then works the jobs of that month with `--jobs N` workers until none is
//! left, and waits (up to ten minutes) for those that another process is running: two cron runs,
//! a run from the workspace and a scheduled run never compute one organisation's month twice at
//! once. What another process ran is reported in French with who ran it; a job still held by a
//! live process when the wait is over is exit status 2. A job whose worker crashed is taken
//! again (see `releve_store::jobs`).
//!
//! The execution of one job is [`crate::run::execute_run_job`], which `releve serve` calls too.

use crate::reference::{load_reference, ReferenceData};
use crate::run::{execute_run_job, JobReport, RunOptions};
use crate::status::Status;
use anyhow::{anyhow, bail, Context, Result};
use chrono::{DateTime, Utc};
use releve_domain::calendar::PARIS;
use releve_domain::{Clock, Month, SystemClock};
use releve_store::{Job, JobFilter, JobOutcome, JobRequest, JobState, Store, Worker, RUN_JOB};
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

/// How the queue is worked.
#[derive(Clone)]
pub struct QueueSettings {
    /// Jobs run at once by this process (`--jobs N`).
    pub workers: usize,
    /// How long to wait for jobs another process is running.
    pub wait: Duration,
    /// A claimed job's lease; renewed every quarter of it while the job runs.
    pub lease: Duration,
    /// Pause between two looks at jobs running elsewhere.
    pub poll: Duration,
    pub clock: Arc<dyn Clock>,
}

/// The default wait for jobs running elsewhere (`formats.md` §1).
pub const DEFAULT_WAIT: Duration = Duration::from_secs(600);

impl QueueSettings {
    /// `workers` jobs at once; the wait may be shortened with `RELEVE_JOB_WAIT_SECONDS`
    /// (tests, or an operator who prefers to fail fast).
    pub fn new(workers: Option<usize>) -> Result<QueueSettings> {
        let workers = workers.unwrap_or(1);
        if workers == 0 {
            bail!("--jobs : au moins 1 (nombre d'organisations traitées en même temps)");
        }
        let wait = match std::env::var("RELEVE_JOB_WAIT_SECONDS") {
            Ok(text) => Duration::from_secs(text.trim().parse().map_err(|_| {
                anyhow!("RELEVE_JOB_WAIT_SECONDS : « {text} » n'est pas un nombre de secondes")
            })?),
            Err(_) => DEFAULT_WAIT,
        };
        Ok(QueueSettings {
            workers,
            wait,
            lease: Duration::from_secs(60),
            poll: Duration::from_millis(200),
            clock: Arc::new(SystemClock),
        })
    }
}

/// One selected organisation and the job that carries its month.
struct Tracked {
    slug: String,
    name: String,
    job_id: i64,
}

/// The monthly run of the selected organisations, through the queue.
pub async fn run_through_queue(
    options: &RunOptions,
    settings: &QueueSettings,
    out: &mut dyn Write,
) -> Result<Status> {
    let reference = Arc::new(load_reference(&options.config)?);
    let store = Store::connect(&options.config.database_url).await?;
    let month = options
        .month
        .unwrap_or_else(|| Month::previous_of(options.generated_at));
    let worker = Worker::this_process("releve run");
    let requested_by = requester(&worker);
    let mut tracked = Vec::new();
    for org in options.selected() {
        store.upsert_organisation(&org.organisation).await?;
        let request = JobRequest {
            org: org.organisation.slug.clone(),
            month,
            kind: RUN_JOB.to_string(),
            requested_by: requested_by.clone(),
            params: serde_json::json!({}),
        };
        let enqueued = store
            .enqueue_job(&request, settings.clock.now())
            .await
            .with_context(|| format!("mise en file du relevé de {}", org.organisation.name))?;
        tracked.push(Tracked {
            slug: org.organisation.slug.clone(),
            name: org.organisation.name.clone(),
            job_id: enqueued.job.id,
        });
    }
    let filter = JobFilter {
        kind: Some(RUN_JOB.to_string()),
        month: Some(month),
        orgs: Some(tracked.iter().map(|t| t.slug.clone()).collect()),
    };
    let context = WorkContext {
        store: store.clone(),
        options: Arc::new(options.clone()),
        reference,
        worker,
        settings: settings.clone(),
        filter,
    };

    let started = std::time::Instant::now();
    let mut mine: BTreeMap<i64, JobReport> = BTreeMap::new();
    let mut announced = HashSet::new();
    let jobs = loop {
        mine.extend(work_until_empty(&context).await?);
        let mut jobs = BTreeMap::new();
        for t in &tracked {
            let job = store
                .job(t.job_id)
                .await?
                .ok_or_else(|| anyhow!("tâche n° {} disparue de la file", t.job_id))?;
            jobs.insert(t.job_id, job);
        }
        let pending: Vec<(&Tracked, &Job)> = tracked
            .iter()
            .map(|t| (t, &jobs[&t.job_id]))
            .filter(|(_, job)| job.state.is_active())
            .collect();
        if pending.is_empty() {
            break jobs;
        }
        if started.elapsed() >= settings.wait {
            for (t, job) in &pending {
                writeln!(out, "{} — {}", t.name, still_held(job, settings.wait))?;
            }
            let names: Vec<&str> = pending.iter().map(|(t, _)| t.name.as_str()).collect();
            bail!(
                "verrou non obtenu à temps : le relevé de {} est toujours en cours dans un autre \
                 processus ; relancez plus tard",
                names.join(", ")
            );
        }
        for (t, job) in &pending {
            if announced.insert(job.id) {
                writeln!(out, "{} — {}", t.name, waiting_for(job, settings.wait))?;
                out.flush()?;
            }
        }
        tokio::time::sleep(settings.poll).await;
    };

    let mut status = Status::Success;
    let mut failed = Vec::new();
    for t in &tracked {
        let job = &jobs[&t.job_id];
        match mine.get(&t.job_id) {
            Some(report) => out.write_all(report.summary.as_bytes())?,
            None => writeln!(out, "{} — {}", t.name, done_elsewhere(job))?,
        }
        match job.exit_status {
            Some(0) => {}
            Some(1) => status = status.worst(Status::NeedsAttention),
            _ => failed.push(t.slug.clone()),
        }
    }
    if !failed.is_empty() {
        bail!(
            "le relevé n'a pas pu être produit pour : {}",
            failed.join(", ")
        );
    }
    Ok(status)
}

/// What the workers of one command share.
#[derive(Clone)]
struct WorkContext {
    store: Store,
    options: Arc<RunOptions>,
    reference: Arc<ReferenceData>,
    worker: Worker,
    settings: QueueSettings,
    filter: JobFilter,
}

/// Runs `settings.workers` workers until no job matching the filter can be claimed; returns
/// the reports of the jobs this process ran.
async fn work_until_empty(context: &WorkContext) -> Result<Vec<(i64, JobReport)>> {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..context.settings.workers {
        let context = context.clone();
        set.spawn(async move {
            let mut reports = Vec::new();
            loop {
                let now = context.settings.clock.now();
                let claimed = context
                    .store
                    .claim_job(
                        &context.filter,
                        &context.worker,
                        now,
                        context.settings.lease,
                    )
                    .await?;
                let Some(job) = claimed else { break };
                let report = work_one(&context, &job).await?;
                reports.push((job.id, report));
            }
            anyhow::Ok(reports)
        });
    }
    let mut all = Vec::new();
    while let Some(done) = set.join_next().await {
        all.extend(done.context("un travailleur de la file s'est arrêté")??);
    }
    Ok(all)
}

/// Runs one claimed job while renewing its lease, then records how it ended.
async fn work_one(context: &WorkContext, job: &Job) -> Result<JobReport> {
    releve_store::faults::point("job.claimed");
    let heartbeat = {
        let (store, job, settings) = (context.store.clone(), job.clone(), context.settings.clone());
        // A task of its own: the run may keep its thread busy for a while (parsing, PDFs).
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(settings.lease / 4).await;
                match store
                    .heartbeat_job(&job, settings.clock.now(), settings.lease)
                    .await
                {
                    Ok(true) => {}
                    Ok(false) => {
                        tracing::warn!(
                            job = job.id,
                            "job lease lost: taken over by another worker"
                        );
                        break;
                    }
                    Err(e) => tracing::warn!(job = job.id, error = %e, "job heartbeat failed"),
                }
            }
        })
    };
    let span = tracing::info_span!("job", id = job.id, org = %job.org, month = %job.month);
    let report = tracing::Instrument::instrument(
        execute_run_job(&context.store, job, &context.options, &context.reference),
        span,
    )
    .await;
    heartbeat.abort();
    releve_store::faults::point("job.finish");
    let outcome = &report.outcome;
    let recorded = context
        .store
        .finish_job(job, context.settings.clock.now(), outcome)
        .await?;
    if !recorded {
        tracing::warn!(
            job = job.id,
            "job finished after another worker took it over; its result was not recorded"
        );
    }
    Ok(report)
}

/// « releve run (utilisateur alice, processus 1234 sur srv-1) ».
fn requester(worker: &Worker) -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "inconnu".to_string());
    format!(
        "releve run (utilisateur {user}, processus {} sur {})",
        worker.pid, worker.host
    )
}

/// `05/12/2025 à 06:00:03`, Paris time.
fn paris(instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&PARIS)
        .format("%d/%m/%Y à %H:%M:%S")
        .to_string()
}

fn holder(job: &Job) -> String {
    match &job.worker {
        Some(w) => w.describe(),
        None => "aucun processus pour l'instant".to_string(),
    }
}

fn minutes(wait: Duration) -> String {
    let seconds = wait.as_secs();
    if seconds >= 60 && seconds.is_multiple_of(60) {
        format!("{} min", seconds / 60)
    } else {
        format!("{seconds} s")
    }
}

fn waiting_for(job: &Job, wait: Duration) -> String {
    match job.state {
        JobState::Running => format!(
            "relevé de {} en cours dans un autre processus ({}, commencé le {}, demandé par {}, \
             tâche n° {}) : attente de sa fin ({} au plus)",
            job.month.to_french(),
            holder(job),
            job.started_at.map(paris).unwrap_or_default(),
            job.requested_by,
            job.id,
            minutes(wait)
        ),
        _ => format!(
            "relevé de {} en file d'attente (tâche n° {}, demandée par {}) : attente ({} au plus)",
            job.month.to_french(),
            job.id,
            job.requested_by,
            minutes(wait)
        ),
    }
}

fn still_held(job: &Job, wait: Duration) -> String {
    format!(
        "verrou non obtenu après {} : le relevé de {} est toujours {} ({}, commencé le {}, \
         demandé par {}, tâche n° {}) ; rien n'a été fait pour cette organisation",
        minutes(wait),
        job.month.to_french(),
        job.state.label_fr(),
        holder(job),
        job.started_at
            .map(paris)
            .unwrap_or_else(|| "pas encore".to_string()),
        job.requested_by,
        job.id
    )
}

fn done_elsewhere(job: &Job) -> String {
    let message = job
        .message
        .as_deref()
        .map(|m| format!(" — {m}"))
        .unwrap_or_default();
    format!(
        "relevé de {} fait par un autre processus ({}, tâche n° {} demandée par {}, terminée le \
         {}) : {}{message}. Ses fichiers sont dans le dossier de sortie de ce processus.",
        job.month.to_french(),
        holder(job),
        job.id,
        job.requested_by,
        job.finished_at.map(paris).unwrap_or_default(),
        job.state.label_fr()
    )
}

/// Turns a job's result into the outcome recorded in the queue.
pub fn outcome_of(status: &Result<Status, String>) -> JobOutcome {
    match status {
        Ok(s) => JobOutcome::from_exit_status(i32::from(s.code()), None),
        Err(message) => JobOutcome::from_exit_status(2, Some(message.clone())),
    }
}

/// Works the queued jobs matching `filter` with `settings.workers` workers until none can be
/// claimed (leases renewed, results recorded): what `releve serve` does when a run is asked
/// from the workspace or by the schedule. Returns the reports of the jobs this call ran.
pub async fn work_jobs(
    store: &Store,
    options: &RunOptions,
    reference: Arc<ReferenceData>,
    worker: Worker,
    settings: &QueueSettings,
    filter: JobFilter,
) -> Result<Vec<(i64, JobReport)>> {
    let context = WorkContext {
        store: store.clone(),
        options: Arc::new(options.clone()),
        reference,
        worker,
        settings: settings.clone(),
        filter,
    };
    work_until_empty(&context).await
}
