//! The monthly job (`releve run`): for each organisation, collect every configured source,
//! build the month's facts on the Paris calendar, build every declaration, and write the
//! outputs of `formats.md` §5. One failing source does not stop the others; it is reported and
//! the exit status is 1.

use crate::config::{Config, OrganisationConfig};
use crate::import::{import_source, ImportContext, ImportCounts};
use crate::lifecycle::{record_drafts, sha256_hex};
use crate::month::{build_month, indicator_month, indicator_months};
use crate::outputs::{self, MonthOutputs};
use crate::reference::ReferenceData;
use crate::status::Status;
use anyhow::{anyhow, bail, Result};
use chrono::{DateTime, Utc};
use releve_declarations::{Body, BuildInput, RenderedFile};
use releve_domain::{Clock, Issue, Month, SystemClock};
use releve_store::{Job, JobOutcome, RunOutcome, Store};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Everything a monthly run needs, resolved from the command line.
#[derive(Clone)]
pub struct RunOptions {
    pub config: Config,
    pub month: Option<Month>,
    pub org: Option<String>,
    pub out: PathBuf,
    /// The generation time printed on documents; also the "now" of the run.
    pub generated_at: DateTime<Utc>,
    /// Credentials, waiting and progress for collecting.
    pub import: ImportContext,
}

impl RunOptions {
    pub fn from_cli(
        config: &Path,
        month: Option<String>,
        org: Option<String>,
        out: PathBuf,
        generated_at: Option<String>,
    ) -> Result<RunOptions> {
        let config = Config::load(config)?;
        let month = month
            .map(|m| m.parse::<Month>())
            .transpose()
            .map_err(|e| anyhow!("--month : {e}"))?;
        let generated_at = match generated_at {
            Some(text) => DateTime::parse_from_rfc3339(&text)
                .map_err(|_| {
                    anyhow!("--generated-at : « {text} » n'est pas une date RFC 3339 (par exemple 2025-12-05T06:00:00+01:00)")
                })?
                .with_timezone(&Utc),
            None => SystemClock.now(),
        };
        if let Some(slug) = &org {
            if !config
                .organisations
                .iter()
                .any(|o| &o.organisation.slug == slug)
            {
                bail!("--org : l'organisation « {slug} » n'est pas dans la configuration");
            }
        }
        // Vendor cursors and run records follow the real clock: `--generated-at` only dates the
        // documents (reproducing a past run must not move a sync cursor back).
        let import = ImportContext::production(SystemClock.now(), true)
            .with_stored_credentials(&config.submission.key_file);
        Ok(RunOptions {
            config,
            month,
            org,
            out,
            generated_at,
            import,
        })
    }
}

impl RunOptions {
    /// The organisations this run is for (`--org`, or all of the configuration).
    pub fn selected(&self) -> impl Iterator<Item = &OrganisationConfig> {
        self.config.organisations.iter().filter(|org| {
            self.org
                .as_ref()
                .is_none_or(|slug| slug == &org.organisation.slug)
        })
    }
}

/// The monthly run of the selected organisations, one job each through the store's queue,
/// one at a time (`releve run --jobs N` gives more workers: [`crate::queue`]).
pub async fn run_monthly(options: &RunOptions, out: &mut dyn Write) -> Result<Status> {
    announce_incomplete_month(options, out)?;
    let settings = crate::queue::QueueSettings::new(None)?;
    crate::queue::run_through_queue(options, &settings, out).await
}

/// A month not over yet gives incomplete figures: say so before anything else.
pub fn announce_incomplete_month(options: &RunOptions, out: &mut dyn Write) -> Result<()> {
    let month = options
        .month
        .unwrap_or_else(|| Month::previous_of(options.generated_at));
    let current = Month::of_instant(options.import.now);
    if month > current {
        writeln!(
            out,
            "Attention : {} est dans le futur (nous sommes en {}) : aucune vente n'est encore définitive, \
             les fichiers ne sont que des prévisions.",
            month.to_french(),
            current.to_french()
        )?;
    } else if month == current {
        writeln!(
            out,
            "Attention : {} n'est pas terminé : les chiffres changeront d'ici la fin du mois.",
            month.to_french()
        )?;
    }
    Ok(())
}

/// What running one job produced: its outcome for the queue and its French summary.
pub struct JobReport {
    pub outcome: JobOutcome,
    pub summary: String,
}

/// Executes one claimed job of kind `run`: the month `job.month` of the organisation
/// `job.org`, with the sources, output folder and generation time of `options`. This is the
/// one function that computes a month; `releve run` and `releve serve` both call it (after
/// [`Store::claim_job`](releve_store::Store::claim_job), before `finish_job`).
pub async fn execute_run_job(
    store: &Store,
    job: &Job,
    options: &RunOptions,
    reference: &ReferenceData,
) -> JobReport {
    let Some(org) = options
        .config
        .organisations
        .iter()
        .find(|o| o.organisation.slug == job.org)
    else {
        let message = format!(
            "l'organisation « {} » n'est pas dans la configuration de ce processus",
            job.org
        );
        return JobReport {
            summary: format!("{} — ÉCHEC du relevé : {message}\n", job.org),
            outcome: crate::queue::outcome_of(&Err(message)),
        };
    };
    let result = run_organisation(store, org, job.month, options, reference).await;
    let mut summary = Vec::new();
    let status = match result {
        Ok(run) => match outputs::summary::print(&mut summary, &run) {
            Ok(()) => Ok(run.status()),
            Err(e) => Err(format!("{e:#}")),
        },
        Err(e) => {
            let message = format!("{e:#}");
            let _ = writeln!(
                summary,
                "{} — ÉCHEC du relevé : {message}",
                org.organisation.name
            );
            Err(message)
        }
    };
    JobReport {
        outcome: crate::queue::outcome_of(&status),
        summary: String::from_utf8_lossy(&summary).into_owned(),
    }
}

/// The place of a body in the report (the registry's order).
fn registry_position(body: Body) -> usize {
    releve_declarations::registry()
        .iter()
        .position(|d| d.body() == body)
        .unwrap_or(usize::MAX)
}

/// A source that could not be imported.
#[derive(Debug, Clone)]
pub struct SourceFailure {
    pub source: String,
    pub message: String,
}

/// What one organisation's run produced.
pub struct OrganisationRun {
    pub outputs: MonthOutputs,
    pub folder: PathBuf,
    pub imports: Vec<ImportCounts>,
    pub failures: Vec<SourceFailure>,
}

impl OrganisationRun {
    pub fn status(&self) -> Status {
        let attention = !self.failures.is_empty()
            || self.outputs.quarantined > 0
            || self
                .outputs
                .issues
                .iter()
                .any(|i| i.severity == releve_domain::Severity::Blocking);
        if attention {
            Status::NeedsAttention
        } else {
            Status::Success
        }
    }
}

async fn run_organisation(
    store: &Store,
    org: &OrganisationConfig,
    month: Month,
    options: &RunOptions,
    reference: &ReferenceData,
) -> Result<OrganisationRun> {
    let slug = org.organisation.slug.as_str();
    store.upsert_organisation(&org.organisation).await?;
    let run_id = store.start_run(slug, "run", options.import.now).await?;
    match run_started(store, org, month, options, reference, run_id).await {
        Ok(run) => Ok(run),
        Err(e) => {
            let failure = RunOutcome::Failed {
                message: format!("{e:#}"),
            };
            let at = SystemClock.now().max(options.import.now);
            // The run record says what failed; the error itself is reported by the caller.
            if let Err(record) = store
                .finish_run(run_id, at, &serde_json::json!({}), failure)
                .await
            {
                tracing::warn!(error = %record, "run record not closed");
            }
            Err(e)
        }
    }
}

async fn run_started(
    store: &Store,
    org: &OrganisationConfig,
    month: Month,
    options: &RunOptions,
    reference: &ReferenceData,
    run_id: i64,
) -> Result<OrganisationRun> {
    let slug = org.organisation.slug.as_str();
    let (imports, failures) = collect_sources(store, org, &options.import).await?;
    // The company register completes names and addresses left empty, before the declarations.
    let register = crate::registry::month::consult_month(
        store,
        org,
        month,
        &options.config.registry,
        &options.import,
    )
    .await?;
    // The declarations are completed from the register's cache that this consultation filled
    // (the same completion an approval rebuilds).
    let build = build_month(store, org, month, reference, options.generated_at).await?;
    let register_issues = build.register_issues.clone();
    releve_store::faults::point("run.facts");
    // The previous month only feeds the indicators: its figures, not its files.
    let previous = indicator_month(
        store,
        org,
        month.previous(),
        reference,
        options.generated_at,
    )
    .await?;
    let indicator_files = releve_indicators::month_outputs(
        &org.organisation,
        month,
        &indicator_months(previous, &build),
        options.generated_at,
    )?;
    let facts = build.facts;
    let mut drafts = build.drafts;
    let employment = build.employment.map(|e| (e.facts, e.issues));
    let quarantine = store.quarantine(slug).await?;
    let failure_issues: Vec<Issue> = failures
        .iter()
        .map(|f| {
            Issue::blocking(
                "source.failed",
                format!("La source {} n'a pas pu être lue : {}", f.source, f.message),
            )
            .at_source(&f.source, None)
        })
        .collect();
    // A source that could not be read gives no draft for the bodies it feeds.
    let withheld = crate::outputs::completeness::withheld_bodies(org, &failures);
    drafts.retain(|d| !withheld.contains(&d.body));
    let recorded = record_drafts(store, slug, month, &drafts, options.import.now).await?;
    releve_store::faults::point("run.drafts");
    if let Some(rep_version) = recorded.sacd_rep_version {
        // A correction of an approved SACD bordereau is re-sent with rep_version + 1.
        let input = BuildInput {
            facts: &facts,
            rules: &reference.rules,
            disciplines: &reference.disciplines,
            generated_at: options.generated_at,
        };
        // The same exclusions as the draft: what a period bordereau already declared.
        let declared =
            crate::month::sacd_declared(store, slug, &[month], releve_store::Span::Month(month))
                .await?;
        let span = releve_declarations::sacd::Span::Month { month };
        let corrected =
            releve_declarations::sacd::build_over(&input, span, rep_version, &declared)?;
        if let Some(d) = drafts.iter_mut().find(|d| d.body == Body::Sacd) {
            d.files = corrected.files;
            // Same model, so the same version: its file hashes now match the files written.
            let hashes: Vec<(String, String)> = d
                .files
                .iter()
                .map(|f| (f.name.clone(), sha256_hex(&f.bytes)))
                .collect();
            store
                .record_draft(
                    slug,
                    Body::Sacd.code(),
                    month,
                    &d.model,
                    &hashes,
                    options.import.now,
                )
                .await?;
        }
    }
    // A draft that follows an approved version is titled as its rectificatif (or replacement).
    crate::lifecycle::stamp_corrections(
        store,
        org,
        month,
        reference,
        options,
        &recorded,
        &mut drafts,
    )
    .await?;
    drafts.extend(
        withheld
            .iter()
            .map(|b| crate::outputs::completeness::withheld_draft(*b)),
    );
    drafts.sort_by_key(|d| registry_position(d.body));
    let mut extra_issues = failure_issues;
    extra_issues.extend(register_issues);
    extra_issues.extend(crate::registry::hints::points(
        &facts,
        &drafts,
        &register.view,
        register.outage.as_deref(),
    ));
    extra_issues.extend(recorded.issues);
    if let Some((_, issues)) = &employment {
        extra_issues.extend(issues.iter().cloned());
    }
    let mut outputs = outputs::build(
        &facts,
        employment.as_ref().map(|(facts, _)| facts.as_slice()),
        &drafts,
        &quarantine,
        extra_issues,
        &recorded.statuses,
        options.generated_at,
    )?;
    let mut indicator_files: Vec<RenderedFile> = indicator_files
        .into_iter()
        .map(|(name, bytes)| RenderedFile { name, bytes })
        .collect();
    outputs::csv_style::apply(reference.csv, &mut indicator_files)?;
    outputs.add_files(indicator_files);
    outputs.add_files(recorded.files);
    outputs.corrections = recorded.sentences;
    outputs.withheld = withheld;
    let folder = options.out.join(slug).join(month.to_string());
    releve_store::faults::point("run.outputs");
    outputs.write(&folder)?;
    releve_store::faults::point("run.written");

    let run = OrganisationRun {
        outputs,
        folder,
        imports,
        failures,
    };
    let counts = serde_json::json!({
        "imports": run.imports,
        "performances": facts.performances.len(),
        "issues": run.outputs.issues.len(),
        "quarantined": run.outputs.quarantined,
        "failed_sources": run.failures.iter().map(|f| f.source.clone()).collect::<Vec<_>>(),
        // The workspace's Sources page shows each source's last error.
        "failures": run.failures.iter().map(|f| serde_json::json!({"source": f.source, "message": f.message})).collect::<Vec<_>>(),
        // Where the files went: the API serves the month's files from the latest run's folder.
        "month": month.to_string(),
        "folder": std::path::absolute(&run.folder).unwrap_or_else(|_| run.folder.clone()),
        // Where the files went, so that `releve approve` freezes them beside the drafts.
        "out": std::path::absolute(&options.out).unwrap_or_else(|_| options.out.clone()),
    });
    let outcome = match run.status() {
        Status::Success => RunOutcome::Success,
        Status::NeedsAttention => RunOutcome::NeedsAttention,
    };
    store
        .finish_run(
            run_id,
            SystemClock.now().max(options.import.now),
            &counts,
            outcome,
        )
        .await?;
    Ok(run)
}

/// Imports every source of an organisation; a failing source is reported, the others go on.
/// A lost database connection is not a source's failure: it ends the whole run (the next run
/// imports again), instead of drafts withheld for a source that was fine.
pub async fn collect_sources(
    store: &Store,
    org: &OrganisationConfig,
    ctx: &ImportContext,
) -> Result<(Vec<ImportCounts>, Vec<SourceFailure>)> {
    let mut imports = Vec::new();
    let mut failures = Vec::new();
    for spec in &org.sources {
        let assumed_vat = org.assumed_vat.get(&spec.key).copied();
        let imported = match ctx.for_source(store, &org.organisation.slug, spec).await {
            Ok(ctx) => import_source(store, &org.organisation.slug, spec, &ctx, assumed_vat).await,
            Err(e) => Err(e),
        };
        match imported {
            Ok(counts) => imports.push(counts),
            Err(e) if connection_lost(&e) => return Err(e),
            Err(e) => {
                tracing::warn!(source = %spec.key, error = %e, "source failed");
                failures.push(SourceFailure {
                    source: spec.key.clone(),
                    message: format!("{e:#}"),
                });
            }
        }
    }
    Ok((imports, failures))
}

/// Whether `error` comes from a lost database connection ([`StoreError::ConnectionLost`]).
pub fn connection_lost(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<releve_store::StoreError>(),
            Some(releve_store::StoreError::ConnectionLost(_))
        )
    })
}
