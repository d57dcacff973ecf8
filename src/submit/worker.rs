//! The outbox worker of `releve serve`: every minute, one pass of [`process_due`] over the
//! configuration's organisations (the same code as `releve submit` without `--body`). A pass
//! that fails (database briefly unreachable) is logged and the next one tries again; claims
//! keep a `releve submit` run by cron at the same time from sending a row twice.
//! Each pass then sends the reminders and run reports due ([`crate::reminders::process_due`]).

use crate::config::Config;
use crate::submit::process_due;
use releve_domain::Clock;
use releve_store::Store;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Between two passes.
pub const EVERY: Duration = Duration::from_secs(60);

/// Runs passes until the task is dropped (the server stopping).
pub async fn run(config: Config, store: Store, clock: Arc<dyn Clock>, out: PathBuf) {
    loop {
        match process_due(&config, &store, clock.as_ref(), &out).await {
            Ok(report) => tracing::debug!(rows = report.rows.len(), "outbox pass done"),
            Err(e) => tracing::warn!(error = %format!("{e:#}"), "outbox pass failed"),
        }
        // Deadline reminders and run reports, on the same beat.
        if let Err(e) = crate::reminders::process_due(&config, &store, clock.as_ref()).await {
            tracing::warn!(error = %format!("{e:#}"), "reminders pass failed");
        }
        tokio::time::sleep(EVERY).await;
    }
}
