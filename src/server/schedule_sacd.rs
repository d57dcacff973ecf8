//! The weekly SACD job of `releve serve` (`[schedule] sacd_weekday`, formats.md §2): every week
//! on that day at the schedule's `time` (Paris), each organisation's SACD bordereau for the
//! performances of the 7 days before (Paris dates), so that no performance waits for the monthly
//! run and misses SACD's 30 days. The bordereau is a version of its period, like one made with
//! `releve run --body sacd --from --to` ([`crate::sacd_period::period_for_org`]); a person
//! approves and sends it.
//!
//! Never twice, once after a stop: each weekly job is a job of the store's queue (kind
//! [`KIND`], filed under the month of the week's last day) carrying the instant it was due for
//! (`params.scheduled_for`) and its period. A tick first finishes any such job of this week's or
//! the previous week's months that a stopped server left queued or running (its lease passed),
//! then queues and works the latest due week if no job carries its instant. Only the latest week is
//! caught up: earlier ones are for a person (`releve run --body sacd --from --to`).
//!
//! The clock is the server's injected clock: a test calls [`tick`] with a fixed clock, no sleep.

use crate::config::ScheduleConfig;
use crate::import::ImportContext;
use crate::reference::load_reference;
use crate::run::RunOptions;
use crate::sacd_period::{period_for_org, summary_fr};
use crate::server::runs::output_dir;
use crate::server::schedule::at_time;
use crate::server::AppState;
use anyhow::{anyhow, Result};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use releve_declarations::sacd::Period;
use releve_domain::{Month, PARIS};
use releve_store::{Job, JobFilter, JobOutcome, JobRequest, Worker};

/// The job kind of a weekly SACD bordereau.
pub const KIND: &str = "sacd_period";

/// Who the weekly jobs are requested by.
pub const REQUESTER: &str = "planification hebdomadaire SACD (releve serve)";

/// How long a weekly job is held before another worker may take it again.
const LEASE: std::time::Duration = std::time::Duration::from_secs(600);

/// The latest weekly instant at or before `now`: the last `weekday` (0 = Monday) at the
/// schedule's time, Paris.
pub fn latest_weekly_due(
    schedule: &ScheduleConfig,
    weekday: u32,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    let today = now.with_timezone(&PARIS).date_naive();
    let back = (today.weekday().num_days_from_monday() + 7 - weekday % 7) % 7;
    let date = today - Duration::days(i64::from(back));
    let due = at_time(schedule, date);
    if due <= now {
        due
    } else {
        at_time(schedule, date - Duration::days(7))
    }
}

/// The week a due instant declares: the 7 days before its Paris date.
pub fn week_of(due: DateTime<Utc>) -> Period {
    let day = due.with_timezone(&PARIS).date_naive();
    Period {
        from: day - Duration::days(7),
        to: day - Duration::days(1),
    }
}

/// Queues and works the weekly bordereaux that are due; returns the jobs it finished.
pub async fn tick(state: &AppState) -> Result<Vec<Job>> {
    let Some(schedule) = state.config().schedule.clone() else {
        return Ok(Vec::new());
    };
    let Some(weekday) = schedule.sacd_weekday else {
        return Ok(Vec::new());
    };
    let due = latest_weekly_due(&schedule, weekday, state.now());
    let period = week_of(due);
    let mark = due.to_rfc3339();
    // Jobs are filed under the month of their last day: this week's, and the week before's
    // (what a server stopped during it may have left).
    let mut months = vec![Month::of_date(period.from - Duration::days(7))];
    months.push(Month::of_date(period.to));
    months.dedup();
    let mut done = Vec::new();
    for org in &state.config().organisations {
        let slug = org.organisation.slug.as_str();
        // What a stopped server left: taken again and finished first.
        for month in &months {
            done.extend(work_claimable(state, slug, *month).await?);
        }
        let jobs = state.store().jobs(Some(slug), None).await?;
        if jobs
            .iter()
            .any(|j| j.kind == KIND && j.params["scheduled_for"].as_str() == Some(mark.as_str()))
        {
            continue;
        }
        tracing::info!(org = slug, from = %period.from, to = %period.to, due = %mark, "weekly SACD bordereau due");
        let request = JobRequest {
            org: slug.to_string(),
            month: Month::of_date(period.to),
            kind: KIND.to_string(),
            requested_by: REQUESTER.to_string(),
            params: serde_json::json!({
                "scheduled_for": mark,
                "from": period.from.to_string(),
                "to": period.to.to_string(),
            }),
        };
        state.store().enqueue_job(&request, state.now()).await?;
        done.extend(work_claimable(state, slug, request.month).await?);
    }
    Ok(done)
}

/// Claims and works every claimable weekly job of `org` filed under `month` (queued, or left
/// running by a worker that is gone); returns them as finished.
async fn work_claimable(state: &AppState, org: &str, month: Month) -> Result<Vec<Job>> {
    let filter = JobFilter {
        kind: Some(KIND.to_string()),
        month: Some(month),
        orgs: Some(vec![org.to_string()]),
    };
    let worker = Worker::this_process("releve serve (SACD hebdomadaire)");
    let mut finished = Vec::new();
    while let Some(job) = state
        .store()
        .claim_job(&filter, &worker, state.now(), LEASE)
        .await?
    {
        let outcome = match work(state, &job).await {
            Ok((code, message)) => JobOutcome::from_exit_status(code, Some(message)),
            Err(e) => JobOutcome::from_exit_status(2, Some(format!("{e:#}"))),
        };
        state
            .store()
            .finish_job(&job, state.now(), &outcome)
            .await?;
        if let Some(job) = state.store().job(job.id).await? {
            finished.push(job);
        }
    }
    Ok(finished)
}

/// One weekly job: the period's bordereau of its organisation, recorded and written.
async fn work(state: &AppState, job: &Job) -> Result<(i32, String)> {
    let date = |key: &str| -> Result<NaiveDate> {
        job.params[key]
            .as_str()
            .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
            .ok_or_else(|| anyhow!("tâche {} : « {key} » illisible", job.id))
    };
    let period = Period {
        from: date("from")?,
        to: date("to")?,
    };
    let config = state.config().clone();
    let org = config
        .organisations
        .iter()
        .find(|o| o.organisation.slug == job.org)
        .ok_or_else(|| anyhow!("organisation {} absente de la configuration", job.org))?;
    let reference = load_reference(&config)?;
    let now = state.now();
    let options = RunOptions {
        out: output_dir(state),
        month: None,
        org: Some(job.org.clone()),
        generated_at: now,
        import: ImportContext::production(now, false),
        config: config.clone(),
    };
    let run = period_for_org(state.store(), org, &reference, &options, period).await?;
    let message = summary_fr(&org.organisation.name, period, &run).join("\n");
    Ok((i32::from(run.status().code()), message))
}
