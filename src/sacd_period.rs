//! A SACD bordereau over any period (`releve run --body sacd --from YYYY-MM-DD --to YYYY-MM-DD`,
//! and the weekly schedule of `releve serve`): SACD wants each performance within 30 days, so a
//! venue declares every week rather than once a month.
//!
//! [`bordereau`] is the library entry point: the facts of the months the period overlaps, merged,
//! minus the performances already in an approved or sent SACD bordereau of those months, built by
//! `releve_declarations::sacd::build_period`. [`run_period`] collects the sources, builds it for
//! each selected organisation and writes `OUT/<org>/sacd/<FROM>_<TO>/sacd.json|xml|pdf`.

use crate::config::OrganisationConfig;
use crate::month::{load_facts, sacd_performances_sent};
use crate::outputs::write_atomically;
use crate::reference::{load_reference, ReferenceData};
use crate::run::{collect_sources, RunOptions};
use crate::status::Status;
use anyhow::{anyhow, bail, Result};
use chrono::{DateTime, NaiveDate, Utc};
use releve_declarations::sacd::{build_period, Period};
use releve_declarations::{BuildInput, Draft};
use releve_domain::{Month, MonthFacts, Severity};
use releve_store::Store;
use std::io::Write;

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

/// The bordereau of `period` for one organisation, from the store (the sources already
/// collected). Pure after loading; the weekly schedule calls it too.
pub async fn bordereau(
    store: &Store,
    org: &OrganisationConfig,
    reference: &ReferenceData,
    period: Period,
    generated_at: DateTime<Utc>,
) -> Result<Draft> {
    let months = months_of(period);
    let mut merged: Option<MonthFacts> = None;
    for month in &months {
        let facts = load_facts(store, org, *month).await?;
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
    let kept: std::collections::BTreeSet<&str> = facts
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
    let already = sacd_performances_sent(store, &org.organisation.slug, &months).await?;
    let input = BuildInput {
        facts: &facts,
        rules: &reference.rules,
        disciplines: &reference.disciplines,
        generated_at,
    };
    let mut draft = build_period(&input, period, &already)?;
    // The facts' own points about these performances (a missing discipline…) matter here too.
    draft.issues.extend(facts.issues.iter().cloned());
    Ok(draft)
}

/// `releve run --body sacd --from --to`: collect, build and write each organisation's bordereau.
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
        let slug = org.organisation.slug.as_str();
        store.upsert_organisation(&org.organisation).await?;
        let (_, failures) = collect_sources(&store, org, &options.import).await?;
        let draft = bordereau(&store, org, &reference, period, options.generated_at).await?;
        let folder = options
            .out
            .join(slug)
            .join("sacd")
            .join(format!("{}_{}", period.from, period.to));
        std::fs::create_dir_all(&folder)?;
        for file in &draft.files {
            write_atomically(&folder, &file.name, &file.bytes)?;
        }
        let lines = draft.model["lines"].as_array().map_or(0, Vec::len);
        writeln!(
            out,
            "{} — bordereau SACD du {} au {} : {lines} représentation(s), fichiers dans {}",
            org.organisation.name,
            crate::outputs::report::french_date(period.from),
            crate::outputs::report::french_date(period.to),
            folder.display()
        )?;
        for f in &failures {
            writeln!(out, "  ÉCHEC de la source {} : {}", f.source, f.message)?;
        }
        let blocking: Vec<_> = draft
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Blocking)
            .collect();
        for issue in &blocking {
            writeln!(out, "  bloquant : {}", issue.message)?;
        }
        if !blocking.is_empty() || !failures.is_empty() {
            status = status.worst(Status::NeedsAttention);
        }
    }
    Ok(status)
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
