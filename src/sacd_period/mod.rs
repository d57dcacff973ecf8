//! A SACD bordereau over any period (`releve run --body sacd --from YYYY-MM-DD --to YYYY-MM-DD`,
//! and the weekly schedule of `releve serve`): SACD wants each performance within 30 days, so a
//! venue declares every week rather than once a month.
//!
//! - [`load_period`] reads the months the period overlaps from the store (the same completed
//!   facts as a month's run), keeps the period's performances, and finds what other approved or
//!   sent bordereaux already declared (the month's, another period's: never sent twice).
//! - [`build_period_body`] builds the bordereau from them, synchronously (so that a document
//!   stamp can wrap it), with `releve_declarations::sacd::build_over`.
//! - Each bordereau is a **version** of its own span (`releve_store::Span::Period`), like a
//!   month's: recorded at every run ([`record`]), approved and frozen by [`approve`]
//!   (`releve approve --body sacd --from --to`), sent through the outbox (`releve submit --body
//!   sacd --from --to`). A correction of an approved one is re-sent with `rep_version` + 1.
//! - [`period_for_org`] collects the sources, builds, records and writes
//!   `OUT/<org>/sacd/<FROM>_<TO>/sacd.json|xml|pdf` for one organisation; [`run_period`] does it
//!   for each selected organisation and prints the summary.

pub mod approve;
pub mod record;

use crate::config::OrganisationConfig;
use crate::month::{load_month, sacd_declared};
use crate::outputs::write_atomically;
use crate::reference::{load_reference, ReferenceData};
use crate::run::{collect_sources, RunOptions};
use crate::status::Status;
use anyhow::{anyhow, bail, Result};
use chrono::{DateTime, NaiveDate, Utc};
use releve_declarations::sacd::{build_over, Declared, Period, Span as SacdSpan, FIRST_VERSION};
use releve_declarations::{BuildInput, Draft};
use releve_domain::{Month, MonthFacts, Severity};
use releve_store::{RunOutcome, Span, Store, VersionRecord};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Reads `--body sacd --from … --to …`; any other body or a missing end is a clear error.
pub fn period_of(body: Option<&str>, from: Option<&str>, to: Option<&str>) -> Result<Period> {
    if from.is_none() && to.is_none() {
        bail!(
            "--body {} sans --from ni --to : le relevé mensuel produit toutes les déclarations du mois ; pour \
             un bordereau SACD sur une période, ajoutez --from AAAA-MM-JJ --to AAAA-MM-JJ",
            body.unwrap_or_default()
        );
    }
    match body {
        Some("sacd") => {}
        Some(other) => bail!(
            "--body {other} : seule la SACD se déclare sur une période quelconque (--from, --to) ; les autres \
             déclarations suivent le mois (--month)"
        ),
        None => bail!("--from et --to ne servent qu'au bordereau SACD : ajoutez --body sacd"),
    }
    let date = |name: &str, text: Option<&str>| -> Result<NaiveDate> {
        let text = text
            .ok_or_else(|| anyhow!("--body sacd sur une période : {name} manque (AAAA-MM-JJ)"))?;
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| anyhow!("{name} : « {text} » n'est pas une date AAAA-MM-JJ"))
    };
    let period = Period {
        from: date("--from", from)?,
        to: date("--to", to)?,
    };
    if period.from > period.to {
        bail!(
            "--from {} est après --to {} : la période est vide",
            period.from,
            period.to
        );
    }
    Ok(period)
}

/// The months a period overlaps, in order.
fn months_of(period: Period) -> Vec<Month> {
    let mut months = vec![Month::of_date(period.from)];
    let last = Month::of_date(period.to);
    while *months.last().expect("one month at least") < last {
        let next = months.last().expect("one month at least").next();
        months.push(next);
    }
    months
}

/// The store's span of a period.
pub fn span_of(period: Period) -> Span {
    Span::Period {
        from: period.from,
        to: period.to,
    }
}

/// `OUT/<org>/sacd/<FROM>_<TO>`: where a period's files (and its `versions/`) are.
pub fn period_folder(root: &Path, slug: &str, period: Period) -> PathBuf {
    span_folder(root, slug, span_of(period))
}

/// The folder of a version's files: `OUT/<org>/<YYYY-MM>` for a month,
/// `OUT/<org>/sacd/<FROM>_<TO>` for a SACD period.
pub fn span_folder(root: &Path, slug: &str, span: Span) -> PathBuf {
    match span {
        Span::Month(month) => root.join(slug).join(month.to_string()),
        Span::Period { .. } => root.join(slug).join("sacd").join(span.to_string()),
    }
}

/// What a period's bordereau is built from, loaded from the store.
pub struct PeriodInputs {
    pub period: Period,
    /// The facts of the months the period overlaps, merged, with the period's performances
    /// only (and the points about them).
    pub facts: MonthFacts,
    /// Performances already in another approved or sent bordereau, and which.
    pub declared: Declared,
    /// Performances of this period's own approved or sent versions: declared, so their deadline
    /// is no longer a point to act on.
    pub own_sent: BTreeSet<String>,
}

/// Loads a period: each month it overlaps as a month's run reads it (facts completed from the
/// register's cache, VAT checks), merged and cut to the period.
pub async fn load_period(
    store: &Store,
    org: &OrganisationConfig,
    reference: &ReferenceData,
    period: Period,
    now: DateTime<Utc>,
) -> Result<PeriodInputs> {
    let months = months_of(period);
    let slug = org.organisation.slug.as_str();
    let mut merged: Option<MonthFacts> = None;
    for month in &months {
        let facts = load_month(store, org, *month, reference, now).await?.facts;
        match &mut merged {
            None => merged = Some(facts),
            Some(all) => {
                all.performances.extend(facts.performances);
                all.issues.extend(facts.issues);
            }
        }
    }
    let mut facts = merged.expect("one month at least");
    facts
        .performances
        .retain(|p| p.date >= period.from && p.date <= period.to);
    let kept: BTreeSet<&str> = facts
        .performances
        .iter()
        .map(|p| p.performance_id.as_str())
        .collect();
    let issues: Vec<_> = facts
        .issues
        .iter()
        .filter(|i| {
            i.performance_id
                .as_deref()
                .is_some_and(|id| kept.contains(id))
        })
        .cloned()
        .collect();
    facts.issues = issues;
    let span = span_of(period);
    let declared = sacd_declared(store, slug, &months, span).await?;
    let own_sent = store
        .versions_of(slug, "sacd", span)
        .await?
        .iter()
        .filter(|v| v.status.is_frozen_base())
        .filter_map(|v| v.model["lines"].as_array())
        .flatten()
        .filter_map(|l| l["performance_id"].as_str().map(str::to_string))
        .collect();
    Ok(PeriodInputs {
        period,
        facts,
        declared,
        own_sent,
    })
}

/// The bordereau from loaded inputs, with `rep_version` = `rep_version`. Synchronous and pure.
pub fn build_period_body(
    inputs: &PeriodInputs,
    reference: &ReferenceData,
    generated_at: DateTime<Utc>,
    rep_version: u32,
) -> Result<Draft> {
    let input = BuildInput {
        facts: &inputs.facts,
        rules: &reference.rules,
        disciplines: &reference.disciplines,
        generated_at,
    };
    let span = SacdSpan::Period {
        period: inputs.period,
    };
    let mut draft = build_over(&input, span, rep_version, &inputs.declared)?;
    // A line of this period's own approved or sent version has been declared.
    draft.issues.retain(|i| {
        !(i.code.starts_with("sacd.deadline.")
            && i.performance_id
                .as_ref()
                .is_some_and(|id| inputs.own_sent.contains(id)))
    });
    // The facts' own points about these performances (a missing discipline…) matter here too.
    draft.issues.extend(inputs.facts.issues.iter().cloned());
    Ok(draft)
}

/// The first-sending bordereau of `period` for one organisation, from the store (the sources
/// already collected), not recorded.
pub async fn bordereau(
    store: &Store,
    org: &OrganisationConfig,
    reference: &ReferenceData,
    period: Period,
    generated_at: DateTime<Utc>,
) -> Result<Draft> {
    let inputs = load_period(store, org, reference, period, generated_at).await?;
    build_period_body(&inputs, reference, generated_at, FIRST_VERSION)
}

/// One organisation's period done: the bordereau as written, its version, where.
pub struct PeriodRun {
    pub draft: Draft,
    pub version: VersionRecord,
    /// In French: « brouillon (v1) », « version 2 à approuver — rectificatif … ».
    pub status: String,
    pub folder: PathBuf,
    pub failures: Vec<crate::run::SourceFailure>,
}

impl PeriodRun {
    /// Blocking points, or a source that failed: exit status 1.
    pub fn status(&self) -> Status {
        let blocking = self
            .draft
            .issues
            .iter()
            .any(|i| i.severity == Severity::Blocking);
        if blocking || !self.failures.is_empty() {
            Status::NeedsAttention
        } else {
            Status::Success
        }
    }
}

/// Collects `org`'s sources, builds the period's bordereau, records it as a version and writes
/// its files (recorded in `runs` as command `sacd_period`, with the output folder).
pub async fn period_for_org(
    store: &Store,
    org: &OrganisationConfig,
    reference: &ReferenceData,
    options: &RunOptions,
    period: Period,
) -> Result<PeriodRun> {
    let slug = org.organisation.slug.as_str();
    store.upsert_organisation(&org.organisation).await?;
    let run_id = store
        .start_run(slug, "sacd_period", options.import.now)
        .await?;
    let (_, failures) = collect_sources(store, org, &options.import).await?;
    let inputs = load_period(store, org, reference, period, options.generated_at).await?;
    let mut draft = build_period_body(&inputs, reference, options.generated_at, FIRST_VERSION)?;
    let (version, status) = record::record(
        store,
        org,
        reference,
        &inputs,
        &mut draft,
        options.generated_at,
        options.import.now,
    )
    .await?;
    let folder = period_folder(&options.out, slug, period);
    std::fs::create_dir_all(&folder)?;
    for file in &draft.files {
        write_atomically(&folder, &file.name, &file.bytes)?;
    }
    let counts = serde_json::json!({
        "out": options.out,
        "period": span_of(period).to_string(),
        "failed_sources": failures.iter().map(|f| f.source.clone()).collect::<Vec<_>>(),
    });
    let blocking = draft
        .issues
        .iter()
        .any(|i| i.severity == Severity::Blocking);
    let outcome = if failures.is_empty() && !blocking {
        RunOutcome::Success
    } else {
        RunOutcome::NeedsAttention
    };
    store
        .finish_run(run_id, options.import.now, &counts, outcome)
        .await?;
    Ok(PeriodRun {
        draft,
        version,
        status,
        folder,
        failures,
    })
}

/// `releve run --body sacd --from --to`: each selected organisation's bordereau, and a summary.
pub async fn run_period(
    options: &RunOptions,
    period: Period,
    out: &mut dyn Write,
) -> Result<Status> {
    let reference = load_reference(&options.config)?;
    let store = Store::connect(&options.config.database_url).await?;
    let mut status = Status::Success;
    for org in &options.config.organisations {
        if options
            .org
            .as_ref()
            .is_some_and(|slug| slug != &org.organisation.slug)
        {
            continue;
        }
        let run = period_for_org(&store, org, &reference, options, period).await?;
        for line in summary_fr(&org.organisation.name, period, &run) {
            writeln!(out, "{line}")?;
        }
        status = status.worst(run.status());
    }
    Ok(status)
}

/// The French summary of one organisation's period.
pub fn summary_fr(name: &str, period: Period, run: &PeriodRun) -> Vec<String> {
    let lines = run.draft.model["lines"].as_array().map_or(0, Vec::len);
    let what = match lines {
        0 => "rien à déclarer".to_string(),
        n => format!("{n} représentation(s)"),
    };
    let mut text = vec![format!(
        "{name} — bordereau SACD du {} au {} : {what}, {}, fichiers dans {}",
        crate::outputs::report::french_date(period.from),
        crate::outputs::report::french_date(period.to),
        run.status,
        run.folder.display()
    )];
    let already = run.draft.model["already_declared"]
        .as_array()
        .map_or(0, Vec::len);
    if already > 0 {
        text.push(format!(
            "  {already} représentation(s) de la période déjà déclarée(s) dans un autre bordereau, non répétée(s)"
        ));
    }
    for f in &run.failures {
        text.push(format!("  ÉCHEC de la source {} : {}", f.source, f.message));
    }
    for issue in run
        .draft
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Blocking)
    {
        text.push(format!("  bloquant : {}", issue.message));
    }
    if run.version.status == releve_store::VersionStatus::Draft && lines > 0 {
        text.push(format!(
            "  À faire : relire le bordereau, puis releve approve --body sacd --from {} --to {} --by \"Nom, fonction\" \
             et releve submit --body sacd --from {} --to {} --by \"Nom, fonction\"",
            period.from, period.to, period.from, period.to
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_across_two_months_reads_both() {
        let p = period_of(Some("sacd"), Some("2025-11-24"), Some("2025-12-07")).unwrap();
        let months: Vec<String> = months_of(p).iter().map(Month::to_string).collect();
        assert_eq!(months, ["2025-11", "2025-12"]);
    }

    #[test]
    fn only_sacd_has_a_period_and_both_ends_are_needed() {
        let e = period_of(Some("cnm"), Some("2025-11-01"), Some("2025-11-07")).unwrap_err();
        assert!(e.to_string().contains("seule la SACD"));
        let e = period_of(Some("sacd"), Some("2025-11-01"), None).unwrap_err();
        assert!(e.to_string().contains("--to manque"));
        let e = period_of(Some("sacd"), Some("2025-11-08"), Some("2025-11-01")).unwrap_err();
        assert!(e.to_string().contains("la période est vide"));
        let e = period_of(Some("sacd"), Some("8/11/2025"), Some("2025-11-09")).unwrap_err();
        assert!(e.to_string().contains("AAAA-MM-JJ"));
    }
}
