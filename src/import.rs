//! Importing one configured source into the store: the collector streams records, they are
//! written in batches (memory stays flat whatever the file size), and the rows that could not
//! be mapped replace the source's open quarantine. A `tickets_csv` file is parsed on a thread
//! of its own (`parse_thread`) while the previous batch is being written.

mod parse_thread;

use anyhow::{anyhow, Result};
use chrono::{DateTime, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use releve_collectors::api::{self, EnvLookup, ProcessEnv};
use releve_collectors::http::{Sleeper, TokioSleeper};
use releve_collectors::{
    programme_csv, programme_ical, programme_jsonld, programme_sheets, tickets_csv, Record,
    SourceKind, SourceSpec,
};
use releve_domain::{PerformanceRecord, ProgrammeEntry, Quarantined, Ticket, VatRate};
use releve_store::{Store, StoredExchange};
use serde::Serialize;
use std::io::IsTerminal;
use std::sync::Arc;
use tracing::Instrument;

/// What collecting needs besides the source itself: where credentials come from, how to wait
/// between retries, the run's "now" (the sync cursor moves to it) and whether to draw progress.
#[derive(Clone)]
pub struct ImportContext {
    pub env: Arc<dyn EnvLookup>,
    pub sleeper: Arc<dyn Sleeper>,
    pub now: DateTime<Utc>,
    pub progress: bool,
    /// The master key file (`[secrets] key_file`): credentials stored from the workspace are
    /// used for variables `env` does not set. `None`: the environment only (demo, tests).
    pub key_file: Option<std::path::PathBuf>,
}

impl ImportContext {
    /// Credentials from the process environment, real waiting.
    pub fn production(now: DateTime<Utc>, progress: bool) -> ImportContext {
        ImportContext {
            env: Arc::new(ProcessEnv),
            sleeper: Arc::new(TokioSleeper),
            now,
            progress,
            key_file: None,
        }
    }

    /// Also the credentials stored from the workspace, sealed under this key file's key.
    pub fn with_stored_credentials(mut self, key_file: &std::path::Path) -> ImportContext {
        self.key_file = Some(key_file.to_path_buf());
        self
    }

    /// The context for one source of `org`: the environment, then the organisation's stored
    /// credentials for the variables this source reads. A stored value that does not open
    /// (wrong master key) fails that source, with the French reason.
    pub async fn for_source(
        &self,
        store: &Store,
        org: &str,
        spec: &releve_collectors::SourceSpec,
    ) -> Result<ImportContext> {
        let (Some(key_file), Some(prefix)) = (&self.key_file, &spec.credentials_env) else {
            return Ok(self.clone());
        };
        let names: Vec<String> = api::credentials::variables(spec.kind)
            .iter()
            .map(|(suffix, _)| format!("{prefix}_{suffix}"))
            .collect();
        let stored =
            crate::credentials::resolve(store, key_file, self.env.as_ref(), org, &names).await?;
        let mut ctx = self.clone();
        ctx.env = Arc::new(crate::credentials::WithStored {
            env: self.env.clone(),
            stored,
        });
        Ok(ctx)
    }
}

/// Records per database batch: one transaction each (a few MB of tickets at most).
const BATCH: usize = 5_000;

/// Tickets written (inserted or changed) by an import from which the database statistics are
/// refreshed at its end (PostgreSQL `ANALYZE`, for the queries that follow the import).
const STATISTICS_AFTER: u64 = 5_000;

/// What an import did, for the run record and the summary.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct ImportCounts {
    pub source: String,
    pub performances: u64,
    pub tickets: u64,
    pub programme_rows: u64,
    pub quarantined: u64,
    /// Payroll engagements (contract × pay period) read.
    pub engagements: u64,
}

/// Imports one source. An error means the whole source failed (unreadable file, bad header,
/// unreachable vendor); bad rows are not errors, they are quarantined.
pub async fn import_source(
    store: &Store,
    org: &str,
    spec: &SourceSpec,
    ctx: &ImportContext,
    assumed_vat: Option<VatRate>,
) -> Result<ImportCounts> {
    let span = tracing::info_span!("import", org, source = %spec.key);
    import_source_in_span(store, org, spec, ctx, assumed_vat)
        .instrument(span)
        .await
}

async fn import_source_in_span(
    store: &Store,
    org: &str,
    spec: &SourceSpec,
    ctx: &ImportContext,
    assumed_vat: Option<VatRate>,
) -> Result<ImportCounts> {
    if spec.kind.is_api() {
        return import_api(store, org, spec, ctx, assumed_vat).await;
    }
    if crate::payroll::is_payroll(spec.kind) {
        return crate::payroll::import_payroll(store, org, spec).await;
    }
    if spec.kind.is_push() {
        // The vendor pushed its tickets into the ledger already (API `…/tickets`).
        return Ok(ImportCounts {
            source: spec.key.clone(),
            ..Default::default()
        });
    }
    let progress = ctx.progress;
    let path = spec
        .path
        .as_deref()
        .ok_or_else(|| anyhow!("source {} : aucun chemin configuré", spec.key))?;
    match spec.kind {
        SourceKind::TicketsCsv => {
            let reader = tickets_csv::read(&spec.key, path)?;
            let bar = progress_bar(progress, reader.progress().1, &spec.key);
            let mut parsed = parse_thread::spawn(reader, |r| r.progress().0)?;
            let mut sink = Sink::new(store, org, &spec.key, false);
            while let Some(chunk) = parsed.next().await {
                bar.set_position(chunk.position);
                for record in chunk.records {
                    sink.push(record).await?;
                }
            }
            parsed.finish()?;
            bar.finish_and_clear();
            sink.finish().await
        }
        SourceKind::ProgrammeCsv => {
            let reader = programme_csv::read(&spec.key, path)?;
            let mut sink = Sink::new(store, org, &spec.key, true);
            for record in reader {
                sink.push(record).await?;
            }
            sink.finish().await
        }
        SourceKind::ProgrammeXlsx
        | SourceKind::ProgrammeOds
        | SourceKind::ProgrammeIcal
        | SourceKind::ProgrammeJsonld => {
            let records = match spec.kind {
                SourceKind::ProgrammeIcal => programme_ical::read(&spec.key, path)?,
                SourceKind::ProgrammeJsonld => programme_jsonld::read(&spec.key, path)?,
                _ => programme_sheets::read(&spec.key, path)?,
            };
            let mut sink = Sink::new(store, org, &spec.key, true);
            for record in records {
                sink.push(record).await?;
            }
            sink.finish().await
        }
        other => Err(anyhow!(
            "source {} : le type « {} » n'est pas lu par cette commande",
            spec.key,
            other.code()
        )),
    }
}

/// An incremental sync of a vendor API: records are saved, then the raw exchanges and the new
/// cursor in one transaction, so a failed sync leaves the cursor where it was. Quarantined
/// records add to the source's open quarantine (a later sync re-reads only what changed).
async fn import_api(
    store: &Store,
    org: &str,
    spec: &SourceSpec,
    ctx: &ImportContext,
    assumed_vat: Option<VatRate>,
) -> Result<ImportCounts> {
    let cursor = store.sync_cursor(org, &spec.key).await?;
    let outcome = api::sync(spec, cursor, ctx.now, ctx.env.as_ref(), ctx.sleeper.clone())
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let exchanges: Vec<StoredExchange> = outcome.raw.into_iter().map(to_stored).collect();
    let mut sink = Sink::new(store, org, &spec.key, false);
    sink.assumed_vat = assumed_vat;
    if rereads_history(spec.kind) {
        // Supersoniks/SoTicket statements give totals per tariff: a refund shows as a quantity
        // drop between two statements, visible only when every stored statement is read again.
        // Every sync reads all statements again, so a failure after this commit loses nothing.
        store
            .commit_sync(org, &spec.key, outcome.cursor, &exchanges)
            .await?;
        for record in renormalised(store, org, spec).await? {
            sink.push(record).await?;
        }
        return sink.finish().await;
    }
    // Incremental: this sync's problems add to those of earlier syncs; everything is saved
    // before the cursor moves, so a failure leaves the next sync to read the same changes again.
    sink.quarantine = store
        .quarantine(org)
        .await?
        .into_iter()
        .filter(|q| q.source == spec.key)
        .collect();
    for record in outcome.records {
        sink.push(record).await?;
    }
    let counts = sink.finish().await?;
    store
        .commit_sync(org, &spec.key, outcome.cursor, &exchanges)
        .await?;
    Ok(counts)
}

fn to_stored(e: api::RawExchange) -> StoredExchange {
    StoredExchange {
        vendor: e.vendor,
        endpoint: e.endpoint,
        request: e.request,
        status: e.status,
        body: e.body,
        fetched_at: e.fetched_at,
    }
}

fn to_raw(e: StoredExchange) -> api::RawExchange {
    api::RawExchange {
        vendor: e.vendor,
        endpoint: e.endpoint,
        request: e.request,
        status: e.status,
        body: e.body,
        fetched_at: e.fetched_at,
    }
}

/// Sources whose records are only right when all stored exchanges are normalised together.
fn rereads_history(kind: SourceKind) -> bool {
    matches!(kind, SourceKind::Supersoniks | SourceKind::Soticket)
}

/// The records of every stored raw exchange of an API source, normalised again (pure: no
/// vendor call). Used after a mapping fix, and after each Supersoniks/SoTicket sync.
pub async fn renormalised(store: &Store, org: &str, spec: &SourceSpec) -> Result<Vec<Record>> {
    let raw: Vec<api::RawExchange> = store
        .raw_exchanges(org, &spec.key)
        .await?
        .into_iter()
        .map(to_raw)
        .collect();
    Ok(api::normalise_stored(spec.kind, &spec.key, &raw))
}

/// Re-normalises the stored raw exchanges of an API source into the ledger, without calling
/// the vendor (`releve renormalise`).
pub async fn renormalise_source(
    store: &Store,
    org: &str,
    spec: &SourceSpec,
    assumed_vat: Option<VatRate>,
) -> Result<ImportCounts> {
    let mut sink = Sink::new(store, org, &spec.key, false);
    sink.assumed_vat = assumed_vat;
    for record in renormalised(store, org, spec).await? {
        sink.push(record).await?;
    }
    sink.finish().await
}

fn progress_bar(enabled: bool, total: u64, key: &str) -> ProgressBar {
    if !enabled || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} ({eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(format!("import {key}"));
    bar
}

/// Buffers records and writes them in batches.
struct Sink<'a> {
    store: &'a Store,
    org: &'a str,
    source: &'a str,
    performances: Vec<PerformanceRecord>,
    tickets: Vec<Ticket>,
    programme: Vec<ProgrammeEntry>,
    quarantine: Vec<Quarantined>,
    counts: ImportCounts,
    /// A programme import replaces the source's whole programme, even with zero rows.
    programme_source: bool,
    /// Configured VAT rate for paid tickets of a vendor whose API gives none (`vat_rate`).
    assumed_vat: Option<VatRate>,
    /// Tickets inserted or changed by this import.
    written: u64,
}

impl<'a> Sink<'a> {
    fn new(store: &'a Store, org: &'a str, source: &'a str, programme_source: bool) -> Sink<'a> {
        Sink {
            store,
            org,
            source,
            performances: Vec::new(),
            tickets: Vec::new(),
            programme: Vec::new(),
            quarantine: Vec::new(),
            counts: ImportCounts {
                source: source.to_string(),
                ..Default::default()
            },
            programme_source,
            assumed_vat: None,
            written: 0,
        }
    }

    async fn push(&mut self, record: Record) -> Result<()> {
        match record {
            Record::Performance(p) => {
                self.counts.performances += 1;
                self.performances.push(p);
            }
            Record::Ticket(mut t) => {
                if let Some(rate) = self.assumed_vat.filter(|_| !t.is_free()) {
                    t.vat_rate = rate;
                }
                self.counts.tickets += 1;
                self.tickets.push(t);
                if self.tickets.len() >= BATCH {
                    self.flush().await?;
                }
            }
            Record::Programme(p) => {
                self.counts.programme_rows += 1;
                self.programme.push(p);
            }
            Record::Quarantined(q) => {
                self.counts.quarantined += 1;
                // Counted once per import; the stored quarantine is deduplicated on finish.
                self.quarantine.push(q);
            }
        }
        Ok(())
    }

    /// Performances first: tickets refer to them.
    async fn flush(&mut self) -> Result<()> {
        if !self.performances.is_empty() {
            self.store
                .upsert_performances(self.org, &self.performances)
                .await?;
            self.performances.clear();
        }
        if !self.tickets.is_empty() {
            let done = self.store.upsert_tickets(self.org, &self.tickets).await?;
            releve_store::faults::point("import.flushed");
            self.written += done.inserted + done.updated;
            self.tickets.clear();
        }
        Ok(())
    }

    async fn finish(mut self) -> Result<ImportCounts> {
        self.flush().await?;
        if self.written >= STATISTICS_AFTER {
            // The facts' queries right after a large import need PostgreSQL's statistics of
            // the table as it now is (the import itself plans no per-row lookup).
            self.store.refresh_statistics().await?;
        }
        if self.programme_source {
            self.store
                .replace_programme(self.org, self.source, &self.programme)
                .await?;
        }
        self.quarantine.sort();
        self.quarantine.dedup();
        self.store
            .replace_quarantine(self.org, self.source, &self.quarantine)
            .await?;
        releve_store::faults::point("import.source");
        tracing::info!(
            performances = self.counts.performances,
            tickets = self.counts.tickets,
            programme_rows = self.counts.programme_rows,
            quarantined = self.counts.quarantined,
            "source imported"
        );
        Ok(self.counts)
    }
}
