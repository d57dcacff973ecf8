//! The monthly schedule of `releve serve` (`[schedule]`, formats.md §2): on `day` at `time`
//! (Paris), the previous month's run for every organisation, through the job queue like any
//! run (so it is recorded in `jobs` and `runs`, and never computes an organisation twice at
//! once).
//!
//! Surviving a restart: each scheduled job carries the instant it was due for
//! (`params.scheduled_for`). A tick looks at the latest due instant at or before now; if no job
//! of that organisation and month carries it, the run is queued. So a run missed while the
//! server was stopped runs once at the next start, and a restart after it ran does not run it
//! again. Only the latest due instant is caught up: months missed further back are for a person
//! to run (the *Sources* page), not for a burst of runs at start-up.
//!
//! The clock is the server's injected clock: a test calls [`tick`] with a fixed clock, no sleep.
//!
//! With `sacd_weekday`, the same loop also runs the weekly SACD bordereaux
//! ([`crate::server::schedule_sacd`]).

use crate::config::ScheduleConfig;
use crate::server::runs::{start_run, Started};
use crate::server::AppState;
use anyhow::Result;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use releve_domain::{Month, PARIS};

/// Who the scheduled jobs are requested by.
pub const REQUESTER: &str = "planification mensuelle (releve serve)";

/// `day` at `hour:minute`, Paris, in `month`. A wall-clock time skipped by the change to summer
/// time is taken one hour later; one repeated by the change to winter time, at its first
/// occurrence.
fn due_in(schedule: &ScheduleConfig, month: Month) -> DateTime<Utc> {
    let date = NaiveDate::from_ymd_opt(month.year(), month.month(), schedule.day)
        .unwrap_or_else(|| month.first_day());
    at_time(schedule, date)
}

/// `date` at the schedule's `hour:minute`, Paris, as an instant (the weekly SACD job's too).
pub fn at_time(schedule: &ScheduleConfig, date: NaiveDate) -> DateTime<Utc> {
    let naive = date
        .and_hms_opt(schedule.hour, schedule.minute, 0)
        .unwrap_or_else(|| date.and_hms_opt(0, 0, 0).expect("midnight exists"));
    PARIS
        .from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            PARIS
                .from_local_datetime(&(naive + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
}

/// The latest scheduled instant at or before `now`.
pub fn latest_due(schedule: &ScheduleConfig, now: DateTime<Utc>) -> DateTime<Utc> {
    let this_month = Month::of_instant(now);
    let due = due_in(schedule, this_month);
    if due <= now {
        due
    } else {
        due_in(schedule, this_month.previous())
    }
}

/// Queues the scheduled runs that are due and not yet queued; returns what it started.
pub async fn tick(state: &AppState) -> Result<Vec<Started>> {
    let Some(schedule) = state.config().schedule.clone() else {
        return Ok(Vec::new());
    };
    let due = latest_due(&schedule, state.now());
    // The month declared is the one before the month of the due instant (Paris).
    let month = Month::of_instant(due).previous();
    let mark = due.to_rfc3339();
    let mut started = Vec::new();
    for org in &state.config().organisations {
        let slug = org.organisation.slug.as_str();
        let jobs = state.store().jobs(Some(slug), Some(month)).await?;
        if jobs
            .iter()
            .any(|j| j.params["scheduled_for"].as_str() == Some(mark.as_str()))
        {
            continue;
        }
        tracing::info!(org = slug, month = %month, due = %mark, "scheduled run due");
        let run = start_run(
            state,
            slug,
            month,
            REQUESTER,
            serde_json::json!({"scheduled_for": mark}),
        )
        .await?;
        started.push(run);
    }
    Ok(started)
}

/// The schedule's loop in `releve serve`: a tick at start, then every 30 seconds (the monthly
/// runs, then the weekly SACD bordereaux).
pub async fn run_forever(state: AppState) {
    if state.config().schedule.is_none() {
        return;
    }
    loop {
        if let Err(e) = tick(&state).await {
            tracing::warn!(error = %format!("{e:#}"), "schedule tick failed");
        }
        if let Err(e) = crate::server::schedule_sacd::tick(&state).await {
            tracing::warn!(error = %format!("{e:#}"), "weekly SACD tick failed");
        }
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
    }
}
