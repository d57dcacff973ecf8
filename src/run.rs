//! The monthly job (`releve run`): for each organisation, collect every configured source,
//! build the month's facts on the Paris calendar, build every declaration, and write the
//! outputs of `formats.md` §5. One failing source does not stop the others; it is reported and
//! the exit status is 1.

use crate::config::{Config, OrganisationConfig};
use crate::import::{import_source, ImportContext, ImportCounts};
use crate::lifecycle::record_drafts;
use crate::outputs::{self, MonthOutputs};
use crate::payroll;
use crate::status::Status;
use anyhow::{anyhow, bail, Context, Result};
use chrono::{DateTime, Duration, Utc};
use releve_declarations::sacem;
use releve_declarations::{registry, Body, BuildInput, Draft, RenderedFile};
use releve_domain::employment_facts::EmploymentReport;
use releve_domain::facts::{build_month_facts, FactsInput};
use releve_domain::{Clock, DisciplineTable, Issue, Month, MonthFacts, Rules, SystemClock};
use releve_indicators::{DeclaredAmounts, MonthData};
use releve_store::{RunOutcome, Store, VersionStatus};
use std::io::Write;
use std::path::{Path, PathBuf};
use tracing::Instrument;

/// Everything a monthly run needs, resolved from the command line.
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
        let import = ImportContext::production(generated_at, true);
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

/// Rules, discipline table and SACEM delegations in force for this configuration.
pub struct ReferenceData {
    pub rules: Rules,
    pub disciplines: DisciplineTable,
    pub sacem_agencies: sacem::AgencyTable,
}

pub fn load_reference(config: &Config) -> Result<ReferenceData> {
    let (rules, disciplines) = load_reference_data(config)?;
    let sacem_agencies = match &config.sacem_agencies_file {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| {
                format!("table des délégations SACEM illisible : {}", path.display())
            })?;
            sacem::AgencyTable::parse(&text)
                .with_context(|| format!("table des délégations SACEM {}", path.display()))?
        }
        None => sacem::AgencyTable::default_table().clone(),
    };
    Ok(ReferenceData {
        rules,
        disciplines,
        sacem_agencies,
    })
}

/// The rules and discipline table in force for this configuration.
pub fn load_reference_data(config: &Config) -> Result<(Rules, DisciplineTable)> {
    let rules = match &config.rules_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("fichier de règles illisible : {}", path.display()))?;
            Rules::parse(&text).with_context(|| format!("fichier de règles {}", path.display()))?
        }
        None => Rules::default_rules().clone(),
    };
    let table = match &config.disciplines_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("table des disciplines illisible : {}", path.display()))?;
            DisciplineTable::parse(&text)
                .with_context(|| format!("table des disciplines {}", path.display()))?
        }
        None => DisciplineTable::default_table().clone(),
    };
    Ok((rules, table))
}

pub async fn run_monthly(options: &RunOptions, out: &mut dyn Write) -> Result<Status> {
    let reference = load_reference(&options.config)?;
    let store = Store::connect(&options.config.database_url).await?;
    let month = options
        .month
        .unwrap_or_else(|| Month::previous_of(options.generated_at));
    let mut status = Status::Success;
    for org in &options.config.organisations {
        if options
            .org
            .as_ref()
            .is_some_and(|slug| slug != &org.organisation.slug)
        {
            continue;
        }
        let span = tracing::info_span!("run", org = %org.organisation.slug, month = %month);
        let result = run_organisation(&store, org, month, options, &reference)
            .instrument(span)
            .await?;
        outputs::summary::print(out, &result)?;
        status = status.worst(result.status());
    }
    Ok(status)
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
    let run_id = store.start_run(slug, "run", options.generated_at).await?;
    let (imports, failures) = collect_sources(store, org, &options.import).await;
    let build = build_month(store, org, month, reference, options.generated_at).await?;
    let previous = build_month(
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
        &indicator_months(&previous, &build),
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
    let recorded = record_drafts(store, slug, month, &drafts, options.generated_at).await?;
    if let Some(rep_version) = recorded.sacd_rep_version {
        // A correction of an approved SACD bordereau is re-sent with rep_version + 1.
        let input = BuildInput {
            facts: &facts,
            rules: &reference.rules,
            disciplines: &reference.disciplines,
            generated_at: options.generated_at,
        };
        let corrected = releve_declarations::sacd::build_version(&input, rep_version)?;
        if let Some(d) = drafts.iter_mut().find(|d| d.body == Body::Sacd) {
            d.files = corrected.files;
        }
    }
    let mut extra_issues = failure_issues;
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
    outputs.add_files(
        indicator_files
            .into_iter()
            .map(|(name, bytes)| RenderedFile { name, bytes }),
    );
    outputs.add_files(recorded.files);
    let folder = options.out.join(slug).join(month.to_string());
    outputs.write(&folder)?;

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
    });
    let outcome = match run.status() {
        Status::Success => RunOutcome::Success,
        Status::NeedsAttention => RunOutcome::NeedsAttention,
    };
    store
        .finish_run(run_id, options.generated_at, &counts, outcome)
        .await?;
    Ok(run)
}

/// Imports every source of an organisation; a failing source is reported, the others go on.
pub async fn collect_sources(
    store: &Store,
    org: &OrganisationConfig,
    ctx: &ImportContext,
) -> (Vec<ImportCounts>, Vec<SourceFailure>) {
    let mut imports = Vec::new();
    let mut failures = Vec::new();
    for spec in &org.sources {
        let assumed_vat = org.assumed_vat.get(&spec.key).copied();
        match import_source(store, &org.organisation.slug, spec, ctx, assumed_vat).await {
            Ok(counts) => imports.push(counts),
            Err(e) => {
                tracing::warn!(source = %spec.key, error = %e, "source failed");
                failures.push(SourceFailure {
                    source: spec.key.clone(),
                    message: format!("{e:#}"),
                });
            }
        }
    }
    (imports, failures)
}

/// A month's facts and the declarations built from them.
pub struct MonthBuild {
    pub facts: MonthFacts,
    pub drafts: Vec<Draft>,
    /// Employment per show, when the organisation has a payroll source.
    pub employment: Option<EmploymentReport>,
}

impl MonthBuild {
    /// What the indicators need: the facts and the amounts declared to each body.
    pub fn indicator_data(&self) -> MonthData {
        let mut declared = DeclaredAmounts::default();
        for draft in &self.drafts {
            let amount = draft.summary.amount_due;
            match draft.body {
                Body::Cnm => declared.cnm_tax = amount,
                Body::Astp => declared.astp_tax = amount,
                // SACEM computes the rights itself; releve's figure is the estimate per show.
                Body::Sacem => declared.sacem_estimate = sacem_estimate(&draft.model),
                Body::Sacd => declared.sacd_estimate = amount,
                Body::Sibil => {}
            }
        }
        MonthData {
            facts: self.facts.clone(),
            employment: self.employment.as_ref().map(|e| e.facts.clone()),
            declared,
        }
    }
}

/// The months given to the indicators: the month, and the previous one when it has any
/// performance (otherwise the previous figures are "no data", not zeros).
fn indicator_months(previous: &MonthBuild, month: &MonthBuild) -> Vec<MonthData> {
    let mut months = Vec::new();
    if !previous.facts.performances.is_empty() {
        months.push(previous.indicator_data());
    }
    months.push(month.indicator_data());
    months
}

/// The `idExtBilletterie` of the month's SIBIL versions that were approved or sent.
async fn sibil_ids_sent(
    store: &Store,
    org: &str,
    month: Month,
) -> Result<std::collections::BTreeSet<String>> {
    let versions = store
        .versions(org, Some(Body::Sibil.code()), Some(month))
        .await?;
    Ok(versions
        .iter()
        .filter(|v| !matches!(v.status, VersionStatus::Draft | VersionStatus::Superseded))
        .filter_map(|v| v.model["declarations"].as_array())
        .flatten()
        .filter_map(|d| d["idExtBilletterie"].as_str().map(str::to_string))
        .collect())
}

/// Sum of the per-show rights estimates of a SACEM model (`shows[].rights_estimate.amount`).
fn sacem_estimate(model: &serde_json::Value) -> Option<releve_domain::Money> {
    let shows = model["shows"].as_array()?;
    shows
        .iter()
        .map(|show| {
            let amount = show["rights_estimate"]["amount"].as_str()?;
            amount
                .parse::<rust_decimal::Decimal>()
                .ok()
                .map(releve_domain::Money::new)
        })
        .sum()
}

/// Builds the facts and every declaration of a month from the store (pure after loading).
pub async fn build_month(
    store: &Store,
    org: &OrganisationConfig,
    month: Month,
    reference: &ReferenceData,
    generated_at: DateTime<Utc>,
) -> Result<MonthBuild> {
    let facts = load_facts(store, org, month).await?;
    let employment = if payroll::has_payroll(org) {
        let previous = load_facts(store, org, month.previous()).await?;
        let next = load_facts(store, org, month.next()).await?;
        Some(payroll::month_employment(store, org, month, &[&previous, &facts, &next]).await?)
    } else {
        None
    };
    let input = BuildInput {
        facts: &facts,
        rules: &reference.rules,
        disciplines: &reference.disciplines,
        generated_at,
    };
    let mut drafts = Vec::new();
    for declaration in registry() {
        let draft = match declaration.body() {
            // The SACEM state goes to the delegation of the configured table and, with payroll,
            // also lists the engagement contracts' gross pay.
            Body::Sacem => {
                let expenses = employment
                    .as_ref()
                    .map(|report| payroll::engagement_expenses(&facts, &report.facts))
                    .unwrap_or_default();
                sacem::build_with_engagements(&input, &reference.sacem_agencies, &expenses)?
            }
            // A cancelled performance goes to SIBIL as ANNULE only if SIBIL had it.
            Body::Sibil => {
                let sent = sibil_ids_sent(store, &org.organisation.slug, month).await?;
                releve_declarations::sibil::build_with_history(&input, Some(&sent))?
            }
            _ => declaration.build(&input)?,
        };
        drafts.push(draft);
    }
    Ok(MonthBuild {
        facts,
        drafts,
        employment,
    })
}

/// The month's facts from the store. Records are read one day beyond each end of the month so
/// that programme rows near midnight still link (15-minute tolerance); facts keep the month only.
pub async fn load_facts(
    store: &Store,
    org: &OrganisationConfig,
    month: Month,
) -> Result<MonthFacts> {
    let slug = org.organisation.slug.as_str();
    let from = month.start_utc() - Duration::days(1);
    let to = month.end_utc() + Duration::days(1);
    let records = store.performances_between(slug, from, to).await?;
    let tickets = store.tickets_between(slug, from, to).await?;
    let programme = store.programme_between(slug, from, to).await?;
    Ok(build_month_facts(FactsInput {
        organisation: &org.organisation,
        month,
        records: &records,
        tickets: &tickets,
        programme: &programme,
    }))
}
