//! What a funder reads of a season: each sharing organisation's own `indicators.json` (from
//! [`crate::indicators_cmd::period_files`], the code path of `releve indicators --season` and of
//! the venue's *Indicateurs* page, never recomputed differently), the network's figures
//! (`releve_indicators::network`), and where each organisation's figures come from: the
//! latest monthly run of the period, a fingerprint of the figures, and whether they changed
//! since the funder last downloaded them.
//!
//! Which organisations are given here is decided by the caller through `server::access`.

use crate::config::{FunderConfig, OrganisationConfig};
use crate::indicators_cmd::period_files;
use crate::reference::ReferenceData;
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use releve_indicators::network::{self, NetworkFigure, OrganisationIndicators};
use releve_indicators::{OutputFile, Period};
use releve_store::{RunRecord, Store};
use sha2::{Digest, Sha256};

/// Where one organisation's figures come from.
#[derive(Clone, Debug)]
pub struct Freshness {
    /// The latest finished monthly run of the period or of the previous one (`None`: the
    /// figures come from what the store holds without any recorded run, e.g. data imported by
    /// hand).
    pub run: Option<RunRecord>,
    /// SHA-256 of the figures (the `rows` of `indicators.json`, without the generation time).
    pub fingerprint: String,
    /// When the funder last downloaded this organisation's season, if ever.
    pub last_download: Option<DateTime<Utc>>,
    /// The figures differ from those of the last download.
    pub changed_since_download: bool,
}

/// One sharing organisation in the funder's view.
#[derive(Clone, Debug)]
pub struct OrganisationView {
    pub config: OrganisationConfig,
    /// Its own `indicators.json`, as bytes (served as is by the API) and read back.
    pub json: serde_json::Value,
    pub indicators: OrganisationIndicators,
    pub freshness: Freshness,
}

/// A funder's season.
#[derive(Clone, Debug)]
pub struct FunderView {
    pub funder: FunderConfig,
    pub period: Period,
    /// The season's id (`2025-2026`).
    pub season: String,
    pub organisations: Vec<OrganisationView>,
    pub figures: Vec<NetworkFigure>,
}

/// The season's `indicators.json` of one organisation (with the previous season beside).
pub async fn organisation_json(
    store: &Store,
    org: &OrganisationConfig,
    period: Period,
    reference: &ReferenceData,
    generated_at: DateTime<Utc>,
) -> Result<Vec<u8>> {
    let files: Vec<OutputFile> = period_files(store, org, period, reference, generated_at).await?;
    files
        .into_iter()
        .find(|(name, _)| name == "indicators.json")
        .map(|(_, bytes)| bytes)
        .context("le calcul des indicateurs n'a pas produit indicators.json")
}

/// SHA-256 (hex) of the figures of an `indicators.json` (its `rows`): the generation time
/// changes at every request, the figures only when the data does.
pub fn fingerprint(json: &serde_json::Value) -> String {
    let rows = serde_json::to_vec(&json["rows"]).unwrap_or_default();
    hex::encode(Sha256::digest(rows))
}

/// The latest finished run of the organisation for a month of `period` or of the previous
/// period (the months its figures are made of).
pub async fn latest_run(store: &Store, slug: &str, period: Period) -> Result<Option<RunRecord>> {
    let months: Vec<String> = period
        .previous()
        .months()
        .into_iter()
        .chain(period.months())
        .map(|m| m.to_string())
        .collect();
    let runs = store.runs(slug).await?;
    Ok(runs
        .into_iter()
        .filter(|r| r.command == "run" && r.finished_at.is_some())
        .filter(|r| {
            r.counts
                .as_ref()
                .and_then(|c| c["month"].as_str())
                .is_some_and(|m| months.iter().any(|x| x == m))
        })
        .max_by_key(|r| (r.finished_at, r.id)))
}

/// Builds the funder's view of `season` over `organisations` (already checked by `access`).
pub async fn build(
    store: &Store,
    reference: &ReferenceData,
    funder: &FunderConfig,
    organisations: &[&OrganisationConfig],
    period: Period,
    now: DateTime<Utc>,
) -> Result<FunderView> {
    let season = period.to_string();
    let downloads = store.funder_downloads(&funder.slug, &season).await?;
    let mut views = Vec::new();
    for org in organisations {
        let slug = &org.organisation.slug;
        let bytes = organisation_json(store, org, period, reference, now).await?;
        let json: serde_json::Value = serde_json::from_slice(&bytes)?;
        let indicators = network::read_json(slug, &org.organisation.name, &bytes)?;
        let fingerprint = fingerprint(&json);
        let last = downloads.get(slug.as_str());
        let freshness = Freshness {
            run: latest_run(store, slug, period).await?,
            changed_since_download: last.is_some_and(|d| d.fingerprint != fingerprint),
            last_download: last.map(|d| d.at),
            fingerprint,
        };
        views.push(OrganisationView {
            config: (*org).clone(),
            json,
            indicators,
            freshness,
        });
    }
    let figures = network::network(
        &views
            .iter()
            .map(|v| v.indicators.clone())
            .collect::<Vec<_>>(),
    );
    Ok(FunderView {
        funder: funder.clone(),
        period,
        season,
        organisations: views,
        figures,
    })
}

impl FunderView {
    /// The organisations' indicators, with the run they come from in each one's name (the
    /// downloads carry their freshness).
    fn labelled(&self) -> Vec<OrganisationIndicators> {
        self.organisations
            .iter()
            .map(|v| {
                let mut o = v.indicators.clone();
                o.name = format!("{} ({})", o.name, source_fr(&v.freshness));
                o
            })
            .collect()
    }

    /// The workbook (one sheet per family) and CSV of the network, by the indicators crate's
    /// own writers.
    pub fn downloads(&self, generated_at: DateTime<Utc>) -> Result<(Vec<u8>, Vec<u8>)> {
        let report = network::workbook_report(
            &self.funder.slug,
            &self.funder.name,
            self.period,
            generated_at,
            &self.labelled(),
            &self.figures,
        );
        let xlsx = releve_indicators::output::xlsx::render(&report)?;
        let csv = releve_indicators::output::csv::render(&report)?;
        Ok((xlsx, csv))
    }

    /// The download `file` (`indicateurs.xlsx` or `indicateurs.csv`): its content type, bytes
    /// (the CSV in the installation's `[output] csv` style) and attachment name; `None` for any
    /// other name.
    pub fn download(
        &self,
        file: &str,
        csv: crate::config::CsvStyle,
        generated_at: DateTime<Utc>,
    ) -> Result<Option<(&'static str, Vec<u8>, String)>> {
        let (xlsx, csv_bytes) = self.downloads(generated_at)?;
        let name = format!("{}-saison-{}-{file}", self.funder.slug, self.season);
        Ok(match file {
            "indicateurs.xlsx" => Some((
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                xlsx,
                name,
            )),
            "indicateurs.csv" => Some((
                "text/csv; charset=utf-8",
                crate::outputs::csv_style::convert(csv, "indicators.csv", csv_bytes)?,
                name,
            )),
            _ => None,
        })
    }

    /// Records that the funder downloaded every organisation's figures as they are now.
    pub async fn record_download(&self, store: &Store, at: DateTime<Utc>) -> Result<()> {
        for v in &self.organisations {
            store
                .record_funder_download(
                    &self.funder.slug,
                    &v.config.organisation.slug,
                    &self.season,
                    &v.freshness.fingerprint,
                    at,
                )
                .await?;
        }
        Ok(())
    }
}

/// `calcul n° 12 du 05/12/2025 à 09:00` (Paris), or what the figures rest on without a run.
pub fn source_fr(freshness: &Freshness) -> String {
    match &freshness.run {
        Some(run) => {
            let at = run.finished_at.unwrap_or(run.started_at);
            format!(
                "calcul n° {} du {}",
                run.id,
                at.with_timezone(&chrono_tz::Europe::Paris)
                    .format("%d/%m/%Y à %H:%M")
            )
        }
        None => "données enregistrées, sans calcul mensuel".to_string(),
    }
}
