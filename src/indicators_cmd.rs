//! `releve indicators`: the funders' indicators over a season or a calendar year, with the
//! previous period beside each figure. Sources are collected first (as a run would), then the
//! figures of every month of the period and of the previous one are computed from the store
//! (facts counted by the database, declared totals from the declarations' models, no
//! declaration file rendered: `month::indicator_month`); files go to
//! `OUT/<organisation>/season-2025-2026/` (or `year-2025/`).

use crate::config::OrganisationConfig;
use crate::month::indicator_month;
use crate::reference::load_reference;
use crate::reference::ReferenceData;
use crate::run::{collect_sources, RunOptions};
use crate::status::Status;
use anyhow::{bail, Context, Result};
use chrono::{DateTime, Utc};
use releve_indicators::{season_outputs, MonthData, OutputFile, Period};
use releve_store::Store;
use std::io::Write;

pub async fn run(
    options: &RunOptions,
    season: Option<&str>,
    year: Option<i32>,
    out: &mut dyn Write,
) -> Result<Status> {
    let period = match (season, year) {
        (Some(text), _) => Period::parse_season(text, options.config.season_start_month)?,
        (None, Some(y)) => Period::Year(y),
        (None, None) => bail!("indiquez la période : --season 2025-2026 ou --year 2025"),
    };
    let folder_name = match (season, year) {
        (Some(text), _) => format!("season-{text}"),
        _ => format!("year-{}", year.unwrap_or_default()),
    };
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
        store.upsert_organisation(&org.organisation).await?;
        let (_, failures) = collect_sources(&store, org, &options.import).await?;
        for f in &failures {
            writeln!(out, "  ÉCHEC de la source {} : {}", f.source, f.message)?;
            status = Status::NeedsAttention;
        }
        let files = period_files(&store, org, period, &reference, options.generated_at).await?;
        let folder = options.out.join(&org.organisation.slug).join(&folder_name);
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("impossible de créer {}", folder.display()))?;
        crate::outputs::remove_leftover_temporaries(&folder)?;
        for (name, bytes) in files {
            let bytes = crate::outputs::csv_style::convert(options.config.csv, &name, bytes)?;
            crate::outputs::write_atomically(&folder, &name, &bytes)?;
        }
        writeln!(
            out,
            "{} — indicateurs {} : {}",
            org.organisation.name,
            period.to_french(),
            folder.display()
        )?;
    }
    Ok(status)
}

/// The indicator files of a season or year (JSON, CSV, XLSX, HTML with its charts, PDF), with
/// the previous period beside each figure, from what the store holds (nothing is collected):
/// what `releve indicators` writes and the workspace's *Indicateurs* page shows.
pub async fn period_files(
    store: &Store,
    org: &OrganisationConfig,
    period: Period,
    reference: &ReferenceData,
    generated_at: DateTime<Utc>,
) -> Result<Vec<OutputFile>> {
    let mut previous: Vec<MonthData> = Vec::new();
    for month in period.previous().months() {
        previous.push(indicator_month(store, org, month, reference, generated_at).await?);
    }
    // A previous period without any performance is "no data", not zeros.
    let mut months: Vec<MonthData> = if previous.iter().all(|m| m.facts.performances.is_empty()) {
        Vec::new()
    } else {
        previous
    };
    for month in period.months() {
        months.push(indicator_month(store, org, month, reference, generated_at).await?);
    }
    Ok(season_outputs(
        &org.organisation,
        period,
        &months,
        generated_at,
    )?)
}
