//! `releve siret --config FILE [--refresh] SIRET_OR_SIREN`: prints what the company register
//! says of a number, aligned, in French. Exit status: 0 when the register knows it, 1 when it
//! does not (a point to check), 2 when it could not be asked (disabled, unreachable with
//! nothing cached, invalid number).

use super::lookup::{Consultation, Register};
use super::report::{describe, SiretReport};
use crate::config::Config;
use crate::status::Status;
use anyhow::{bail, Result};
use releve_collectors::http::TokioSleeper;
use releve_domain::{Clock, SystemClock};
use releve_store::Store;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

pub async fn run(
    config: &Path,
    number: &str,
    refresh: bool,
    out: &mut dyn Write,
) -> Result<Status> {
    let config = Config::load(config)?;
    if !config.registry.enabled {
        bail!("le répertoire des entreprises est désactivé dans la configuration ([registry] enabled = false) : aucune recherche n'est faite");
    }
    let store = Store::connect(&config.database_url).await?;
    let register = Register::new(&config.registry, Arc::new(TokioSleeper), SystemClock.now());
    let report = describe(&register, &store, number, refresh).await?;
    print(&report, out)?;
    match report.consultation {
        Consultation::Found { .. } => Ok(Status::Success),
        Consultation::NotFound { .. } => Ok(Status::NeedsAttention),
        Consultation::Unavailable { reason } => bail!("{reason}"),
        Consultation::Disabled => bail!("le répertoire des entreprises est désactivé"),
    }
}

pub fn print(report: &SiretReport, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "Répertoire des entreprises — {}", report.title())?;
    match &report.consultation {
        Consultation::NotFound { .. } => writeln!(
            out,
            "  introuvable : vérifiez le numéro (une entreprise dont les données ne sont pas diffusibles n'y figure pas)"
        )?,
        _ => {
            let lines = report.lines();
            let width = lines.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0);
            for (label, value) in lines {
                let pad = width - label.chars().count();
                writeln!(out, "  {label}{}  {value}", " ".repeat(pad))?;
            }
        }
    }
    writeln!(out, "{}", report.source_text())?;
    Ok(())
}
