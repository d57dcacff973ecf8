//! `releve submit` (`formats.md` §1): with `--body`, queues that approved version for its
//! channel and processes it; without, processes every due row of the outbox. Prints each row
//! in French; exit status 1 while something is pending, rejected, or a deposit package waits
//! for its receipt.

use crate::config::Config;
use crate::status::Status;
use crate::submit::{process_due, queue_and_process, QueueRequest};
use anyhow::{anyhow, bail, Result};
use releve_domain::{Month, SystemClock};
use releve_store::{Span, Store};
use std::io::Write;
use std::path::Path;

const BODIES: [&str; 5] = ["sibil", "cnm", "astp", "sacem", "sacd"];

/// The command line's selection.
pub struct SubmitArgs<'a> {
    pub config: &'a Path,
    pub org: Option<&'a str>,
    pub month: Option<&'a str>,
    /// `--body sacd --from --to`: a SACD bordereau over that period.
    pub period: Option<releve_declarations::sacd::Period>,
    pub body: Option<&'a str>,
    pub version: Option<u32>,
    pub by: Option<&'a str>,
    pub out: &'a Path,
}

pub async fn submit(args: &SubmitArgs<'_>, out: &mut dyn Write) -> Result<Status> {
    let config = Config::load(args.config)?;
    let store = Store::connect(&config.database_url).await?;
    let clock = SystemClock;
    let report = match args.body {
        Some(body) => {
            if !BODIES.contains(&body) {
                bail!(
                    "--body : « {body} » inconnu (valeurs admises : {})",
                    BODIES.join(", ")
                );
            }
            let span = match args.period {
                Some(period) => crate::sacd_period::span_of(period),
                None => {
                    let month: Month = args
                        .month
                        .ok_or_else(|| anyhow!("--body demande --month AAAA-MM"))?
                        .parse()
                        .map_err(|e| anyhow!("--month : {e}"))?;
                    Span::Month(month)
                }
            };
            let by = args
                .by
                .ok_or_else(|| anyhow!("--body demande --by \"Nom, fonction\""))?;
            let org = config.one(args.org)?;
            let request = QueueRequest {
                org,
                body,
                month: span.month(),
                span,
                version: args.version,
                by,
                out: args.out,
            };
            queue_and_process(&config, &store, &clock, &request).await?
        }
        None => process_due(&config, &store, &clock, args.out).await?,
    };
    if report.rows.is_empty() {
        writeln!(out, "Rien à transmettre : la file d'envoi est vide.")?;
    }
    for line in report.lines_fr() {
        writeln!(out, "{line}")?;
    }
    if args.body.is_none() {
        // Without a body, the reminders and run reports due are sent too (formats.md §1).
        let reminders = crate::reminders::process_due(&config, &store, &clock).await?;
        for line in reminders.lines_fr() {
            writeln!(out, "{line}")?;
        }
    }
    Ok(if report.needs_attention() {
        Status::NeedsAttention
    } else {
        Status::Success
    })
}

/// After `releve submitted`: the deposit package of that version, if any, gets its receipt.
pub async fn record_receipt(
    store: &Store,
    org: &str,
    body: &str,
    month: impl Into<Span>,
    version: u32,
    receipt: &str,
) -> Result<bool> {
    let key = releve_store::idempotency_key(
        org,
        body,
        &month.into().to_string(),
        version,
        crate::submit::deposit::CODE,
    );
    Ok(store
        .record_submission_receipt(&key, receipt, releve_domain::Clock::now(&SystemClock))
        .await?)
}
