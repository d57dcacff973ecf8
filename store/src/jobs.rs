//! Table `jobs` (migration 0006): the queue through which every piece of background work goes,
//! so that two processes never do the same work at once.
//!
//! A job is one (organisation, month, kind) — today the kind is [`RUN`], a month's run of one
//! organisation; submissions and reminders can join with their own kind. Its life:
//!
//! ```text
//! queued ──claim──► running ──finish──► succeeded | attention | failed
//!                     │  ▲
//!                     └──┘ lease passed or holder gone: claimed again (attempts + 1)
//! ```
//!
//! The API, shared by `releve run`, `releve serve` and the machine API:
//! - [`Store::enqueue_job`]: queues a job unless one for the same (org, month, kind) is already
//!   queued or running, in which case that one is returned (`created: false`). A partial unique
//!   index makes this hold even when two processes enqueue at the same instant.
//! - [`Store::claim_job`]: takes the oldest claimable job matching a [`JobFilter`] for a
//!   [`Worker`], atomically: `ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED` on PostgreSQL (several
//!   machines may share a month; the claim locks the one row it takes, so that concurrent
//!   workers take the next ones instead of finding every candidate locked), `BEGIN IMMEDIATE`
//!   on SQLite (one writer at a time). Claimable: queued, or running
//!   with a lease that has passed, or running for a process of this machine that no longer
//!   exists (a `kill -9`: taken again at once instead of after the lease).
//! - [`Store::heartbeat_job`]: the worker renews its lease while it works; `false` means the job
//!   was taken over and the worker's result must not be recorded.
//! - [`Store::finish_job`]: records the end state, exit status and message.
//! - [`Store::job`], [`Store::jobs`]: one job by id; the jobs of an organisation and/or month.
//!
//! Why a lease and not only a database lock: PostgreSQL advisory locks and SQLite transactions
//! would hold a connection for the whole run and say nothing about who holds them; the row
//! says which process, since when and for whom, which is what a waiting user needs to read.

use crate::codec::{instant_from_db, instant_to_db};
use crate::connect::{Backend, Store};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use releve_domain::Month;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::time::Duration;

/// The kind of a month's run of one organisation (`releve run`, a scheduled or workspace run).
pub const RUN: &str = "run";

/// Where a job is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Running,
    Succeeded,
    /// Finished, but something needs a person (exit status 1).
    Attention,
    Failed,
}

impl JobState {
    pub fn code(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Succeeded => "succeeded",
            JobState::Attention => "attention",
            JobState::Failed => "failed",
        }
    }

    fn from_code(code: &str) -> Option<JobState> {
        Some(match code {
            "queued" => JobState::Queued,
            "running" => JobState::Running,
            "succeeded" => JobState::Succeeded,
            "attention" => JobState::Attention,
            "failed" => JobState::Failed,
            _ => return None,
        })
    }

    /// Queued or running: the job still holds its (org, month, kind).
    pub fn is_active(self) -> bool {
        matches!(self, JobState::Queued | JobState::Running)
    }

    /// In French, for summaries: « en file d'attente », « réussi »…
    pub fn label_fr(self) -> &'static str {
        match self {
            JobState::Queued => "en file d'attente",
            JobState::Running => "en cours",
            JobState::Succeeded => "réussi",
            JobState::Attention => "terminé, à vérifier",
            JobState::Failed => "échoué",
        }
    }
}

/// A process that works jobs: what it is (`releve run`, `releve serve`), on which machine,
/// with which process id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Worker {
    pub label: String,
    pub host: String,
    pub pid: u32,
}

impl Worker {
    /// This process, named by `label`.
    pub fn this_process(label: &str) -> Worker {
        Worker {
            label: label.to_string(),
            host: host_name(),
            pid: std::process::id(),
        }
    }

    /// « releve run, processus 1234 sur srv-1 ».
    pub fn describe(&self) -> String {
        format!("{}, processus {} sur {}", self.label, self.pid, self.host)
    }
}

/// The machine's name: the kernel's, else `$HOSTNAME`, else « machine inconnue ».
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "machine inconnue".to_string())
}

/// What to queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobRequest {
    pub org: String,
    pub month: Month,
    pub kind: String,
    /// Who asked, in words: « releve run (utilisateur alice, processus 1234 sur srv-1) »,
    /// « Marie Dupont (espace de travail) ».
    pub requested_by: String,
    /// Free-form parameters for the worker (JSON object).
    pub params: serde_json::Value,
}

/// Which jobs a worker may take. `None` means any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobFilter {
    pub kind: Option<String>,
    pub month: Option<Month>,
    /// Only these organisations (a `releve run` works only those of its configuration).
    pub orgs: Option<Vec<String>>,
}

/// A job as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub id: i64,
    pub org: String,
    pub month: Month,
    pub kind: String,
    pub state: JobState,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub params: serde_json::Value,
    /// The worker that holds (or last held) it.
    pub worker: Option<Worker>,
    /// How many times it was claimed; above 1, an earlier worker stopped without finishing.
    pub attempts: i64,
    pub started_at: Option<DateTime<Utc>>,
    pub heartbeat_at: Option<DateTime<Utc>>,
    pub lease_until: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// 0, 1 or 2, as the command's exit status.
    pub exit_status: Option<i32>,
    pub message: Option<String>,
}

/// The answer of [`Store::enqueue_job`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enqueued {
    pub job: Job,
    /// `false`: a job for the same (org, month, kind) was already queued or running.
    pub created: bool,
}

/// How a job ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobOutcome {
    /// `Succeeded`, `Attention` or `Failed`.
    pub state: JobState,
    pub exit_status: i32,
    pub message: Option<String>,
}

impl JobOutcome {
    /// The outcome matching an exit status: 0 succeeded, 1 attention, anything else failed.
    pub fn from_exit_status(exit_status: i32, message: Option<String>) -> JobOutcome {
        let state = match exit_status {
            0 => JobState::Succeeded,
            1 => JobState::Attention,
            _ => JobState::Failed,
        };
        JobOutcome {
            state,
            exit_status,
            message,
        }
    }
}

const COLUMNS: &str = "id, org, month, kind, state, requested_by, requested_at, params_json, \
     worker, worker_host, worker_pid, attempts, started_at, heartbeat_at, lease_until, \
     finished_at, exit_status, message";

impl Store {
    /// Queues a job, or returns the one already queued or running for its (org, month, kind).
    pub async fn enqueue_job(
        &self,
        request: &JobRequest,
        now: DateTime<Utc>,
    ) -> Result<Enqueued, StoreError> {
        let month = request.month.to_string();
        // On PostgreSQL two transactions may both find no active job and both insert: the
        // unique index refuses the second, which then finds the first on its next attempt.
        for _ in 0..5 {
            let mut tx = self.begin_write().await?;
            let existing = sqlx::query(&format!(
                "SELECT {COLUMNS} FROM jobs WHERE org = $1 AND month = $2 AND kind = $3 \
                 AND state IN ('queued', 'running')"
            ))
            .bind(&request.org)
            .bind(&month)
            .bind(&request.kind)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(row) = existing {
                let job = job_from_row(&row)?;
                tx.commit().await?;
                return Ok(Enqueued {
                    job,
                    created: false,
                });
            }
            let inserted = sqlx::query(
                "INSERT INTO jobs (org, month, kind, state, requested_by, requested_at, \
                 params_json, attempts) VALUES ($1, $2, $3, 'queued', $4, $5, $6, 0) RETURNING id",
            )
            .bind(&request.org)
            .bind(&month)
            .bind(&request.kind)
            .bind(&request.requested_by)
            .bind(instant_to_db(now))
            .bind(serde_json::to_string(&request.params)?)
            .fetch_one(&mut *tx)
            .await;
            match inserted {
                Ok(row) => {
                    let id: i64 = row.try_get("id")?;
                    tx.commit().await?;
                    let job = self.job(id).await?.ok_or(StoreError::UnknownJob(id))?;
                    return Ok(Enqueued { job, created: true });
                }
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    tx.rollback().await?;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(StoreError::JobContention)
    }

    /// Takes the oldest claimable job matching `filter` for `worker`, with a lease of `lease`
    /// from `now`. `None`: nothing to take (everything done, or held by live workers).
    pub async fn claim_job(
        &self,
        filter: &JobFilter,
        worker: &Worker,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Option<Job>, StoreError> {
        if filter.orgs.as_ref().is_some_and(|orgs| orgs.is_empty()) {
            return Ok(None);
        }
        let now_db = instant_to_db(now);
        let mut tx = self.begin_write().await?;
        // Jobs of this machine whose lease still runs but whose process is gone (a `kill -9`):
        // asked first, because only this process can look at `/proc`; the claim below then
        // takes one row with a LIMIT, so that on PostgreSQL it locks that row only and other
        // workers (threads of `--jobs N`, other processes) skip it and take the next ones.
        let held_here = sqlx::query(
            "SELECT DISTINCT worker_pid FROM jobs WHERE state = 'running' AND lease_until >= $1 \
             AND worker_host = $2 AND worker_pid IS NOT NULL",
        )
        .bind(now_db)
        .bind(&worker.host)
        .fetch_all(&mut *tx)
        .await?;
        let mut gone = Vec::new();
        for row in &held_here {
            let pid: i64 = row.try_get("worker_pid")?;
            let holder = Worker {
                label: String::new(),
                host: worker.host.clone(),
                pid: u32::try_from(pid).unwrap_or(0),
            };
            if holder.pid != 0 && holder_is_gone(&holder, worker) {
                gone.push(pid);
            }
        }
        let mut sql = format!(
            "SELECT {COLUMNS} FROM jobs WHERE (state = 'queued' OR (state = 'running' AND \
             (lease_until IS NULL OR lease_until < $1"
        );
        let mut next = 2;
        if !gone.is_empty() {
            let list = crate::batch::placeholder_list(gone.len(), next + 1);
            sql.push_str(&format!(
                " OR (worker_host = ${next} AND worker_pid IN ({list}))"
            ));
            next += 1 + gone.len();
        }
        sql.push_str(")))");
        if filter.kind.is_some() {
            sql.push_str(&format!(" AND kind = ${next}"));
            next += 1;
        }
        if filter.month.is_some() {
            sql.push_str(&format!(" AND month = ${next}"));
            next += 1;
        }
        if let Some(orgs) = &filter.orgs {
            sql.push_str(&format!(
                " AND org IN ({})",
                crate::batch::placeholder_list(orgs.len(), next)
            ));
        }
        sql.push_str(" ORDER BY id LIMIT 1");
        if self.backend() == Backend::Postgres {
            // The one row another worker is claiming is skipped, not waited for.
            sql.push_str(" FOR UPDATE SKIP LOCKED");
        }
        let mut query = sqlx::query(&sql).bind(now_db);
        if !gone.is_empty() {
            query = query.bind(&worker.host);
            for pid in &gone {
                query = query.bind(*pid);
            }
        }
        if let Some(kind) = &filter.kind {
            query = query.bind(kind);
        }
        if let Some(month) = &filter.month {
            query = query.bind(month.to_string());
        }
        for org in filter.orgs.iter().flatten() {
            query = query.bind(org);
        }
        let row = query.fetch_optional(&mut *tx).await?;
        crate::faults::point("job.claiming");
        let chosen = row
            .as_ref()
            .map(job_from_row)
            .transpose()?
            .filter(|job| is_claimable(job, worker, now));
        let Some(job) = chosen else {
            tx.commit().await?;
            return Ok(None);
        };
        let lease_until = now_db.saturating_add(lease_seconds(lease));
        sqlx::query(
            "UPDATE jobs SET state = 'running', worker = $1, worker_host = $2, worker_pid = $3, \
             attempts = attempts + 1, started_at = $4, heartbeat_at = $4, lease_until = $5, \
             finished_at = NULL, exit_status = NULL, message = NULL WHERE id = $6",
        )
        .bind(&worker.label)
        .bind(&worker.host)
        .bind(i64::from(worker.pid))
        .bind(now_db)
        .bind(lease_until)
        .bind(job.id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if job.state == JobState::Running {
            tracing::warn!(
                job = job.id,
                org = %job.org,
                previous = job.worker.as_ref().map(Worker::describe).unwrap_or_default(),
                "job taken over from a worker that stopped without finishing"
            );
        }
        let claimed = self
            .job(job.id)
            .await?
            .ok_or(StoreError::UnknownJob(job.id))?;
        Ok(Some(claimed))
    }

    /// Renews the lease of a job the caller claimed. `false`: the job is no longer the
    /// caller's (taken over after its lease passed, or finished).
    pub async fn heartbeat_job(
        &self,
        job: &Job,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<bool, StoreError> {
        let now_db = instant_to_db(now);
        let done = sqlx::query(
            "UPDATE jobs SET heartbeat_at = $1, lease_until = $2 \
             WHERE id = $3 AND state = 'running' AND attempts = $4",
        )
        .bind(now_db)
        .bind(now_db.saturating_add(lease_seconds(lease)))
        .bind(job.id)
        .bind(job.attempts)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records the end of a job the caller claimed. `false`: it was taken over meanwhile and
    /// the other worker's result stands.
    pub async fn finish_job(
        &self,
        job: &Job,
        now: DateTime<Utc>,
        outcome: &JobOutcome,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE jobs SET state = $1, exit_status = $2, message = $3, finished_at = $4, \
             lease_until = NULL WHERE id = $5 AND state = 'running' AND attempts = $6",
        )
        .bind(outcome.state.code())
        .bind(i64::from(outcome.exit_status))
        .bind(outcome.message.as_deref())
        .bind(instant_to_db(now))
        .bind(job.id)
        .bind(job.attempts)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// One job by id.
    pub async fn job(&self, id: i64) -> Result<Option<Job>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM jobs WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(job_from_row).transpose()
    }

    /// The jobs of an organisation and/or a month (all when both are `None`), oldest first.
    pub async fn jobs(
        &self,
        org: Option<&str>,
        month: Option<Month>,
    ) -> Result<Vec<Job>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM jobs WHERE ($1 = '' OR org = $1) AND ($2 = '' OR month = $2)"
        ))
        .bind(org.unwrap_or(""))
        .bind(month.map(|m| m.to_string()).unwrap_or_default())
        .fetch_all(&self.pool)
        .await?;
        let mut jobs = rows
            .iter()
            .map(job_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        jobs.sort_by_key(|j| j.id);
        Ok(jobs)
    }
}

/// Whether `worker` may take `job` now.
fn is_claimable(job: &Job, worker: &Worker, now: DateTime<Utc>) -> bool {
    match job.state {
        JobState::Queued => true,
        JobState::Running => {
            let lease_passed = job.lease_until.is_none_or(|until| until < now);
            lease_passed
                || job
                    .worker
                    .as_ref()
                    .is_some_and(|w| holder_is_gone(w, worker))
        }
        _ => false,
    }
}

/// A holder on this machine whose process no longer exists has crashed (or was killed): its
/// job need not wait for the lease. Only Linux's `/proc` is consulted; elsewhere, and for
/// holders on other machines, the lease decides. A reused process id only delays the
/// takeover until the lease passes, never steals a live job.
fn holder_is_gone(holder: &Worker, me: &Worker) -> bool {
    if holder.host != me.host || holder.pid == me.pid || !cfg!(target_os = "linux") {
        return false;
    }
    let proc = std::path::Path::new("/proc");
    proc.join("self").exists() && !proc.join(holder.pid.to_string()).exists()
}

fn lease_seconds(lease: Duration) -> i64 {
    i64::try_from(lease.as_secs().max(1)).unwrap_or(i64::MAX)
}

fn job_from_row(row: &AnyRow) -> Result<Job, StoreError> {
    const TABLE: &str = "jobs";
    let id: i64 = row.try_get("id")?;
    let key = || id.to_string();
    let corrupt = |detail: String| StoreError::Corrupt {
        table: TABLE,
        key: id.to_string(),
        detail,
    };
    let optional_instant = |column: &str| -> Result<Option<DateTime<Utc>>, StoreError> {
        match row.try_get::<Option<i64>, _>(column)? {
            Some(s) => Ok(Some(instant_from_db(s, TABLE, key)?)),
            None => Ok(None),
        }
    };
    let state_code: String = row.try_get("state")?;
    let state = JobState::from_code(&state_code)
        .ok_or_else(|| corrupt(format!("état inconnu « {state_code} »")))?;
    let month_text: String = row.try_get("month")?;
    let month = month_text
        .parse::<Month>()
        .map_err(|e| corrupt(format!("mois « {month_text} » : {e}")))?;
    let params_json: String = row.try_get("params_json")?;
    let params = serde_json::from_str(&params_json).map_err(|e| corrupt(e.to_string()))?;
    let worker = match (
        row.try_get::<Option<String>, _>("worker")?,
        row.try_get::<Option<String>, _>("worker_host")?,
        row.try_get::<Option<i64>, _>("worker_pid")?,
    ) {
        (Some(label), Some(host), Some(pid)) => Some(Worker {
            label,
            host,
            pid: u32::try_from(pid).map_err(|_| corrupt(format!("processus {pid}")))?,
        }),
        _ => None,
    };
    let exit_status = match row.try_get::<Option<i64>, _>("exit_status")? {
        Some(code) => Some(i32::try_from(code).map_err(|_| corrupt(format!("statut {code}")))?),
        None => None,
    };
    Ok(Job {
        id,
        org: row.try_get("org")?,
        month,
        kind: row.try_get("kind")?,
        state,
        requested_by: row.try_get("requested_by")?,
        requested_at: instant_from_db(row.try_get("requested_at")?, TABLE, key)?,
        params,
        worker,
        attempts: row.try_get("attempts")?,
        started_at: optional_instant("started_at")?,
        heartbeat_at: optional_instant("heartbeat_at")?,
        lease_until: optional_instant("lease_until")?,
        finished_at: optional_instant("finished_at")?,
        exit_status,
        message: row.try_get("message")?,
    })
}

#[cfg(test)]
mod tests;
