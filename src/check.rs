//! `releve check`: validates the configuration and tests every source ("test connection")
//! without writing anything. A configuration error is exit status 2 (the error names the key,
//! line or organisation); a source that cannot be read is reported in French and gives 1.

use crate::config::Config;
use crate::status::Status;
use anyhow::Result;
use releve_collectors::api::{self, EnvLookup, ProcessEnv};
use releve_collectors::http::TokioSleeper;
use releve_collectors::{programme_csv, tickets_csv, SourceKind, SourceSpec};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

pub async fn check(config_path: &Path, out: &mut dyn Write) -> Result<Status> {
    let config = Config::load(config_path)?;
    // The rules, discipline and SACEM delegation files the configuration names must read too.
    crate::reference::load_reference(&config)?;
    writeln!(out, "Configuration {} : valide.", config.path.display())?;
    check_database(&config, out)?;
    let mut status = Status::Success;
    for org in &config.organisations {
        writeln!(
            out,
            "{} ({}) :",
            org.organisation.name, org.organisation.slug
        )?;
        if org.sources.is_empty() {
            writeln!(out, "  aucune source configurée")?;
            status = Status::NeedsAttention;
        }
        for spec in &org.sources {
            match check_source(spec).await {
                Ok(what) => writeln!(out, "  OK      {} — {what}", spec.key)?,
                Err(problem) => {
                    writeln!(out, "  ERREUR  {} — {problem}", spec.key)?;
                    status = Status::NeedsAttention;
                }
            }
        }
    }
    crate::registry::check::check_organisations(&config, out).await?;
    Ok(status)
}

fn check_database(config: &Config, out: &mut dyn Write) -> Result<()> {
    if let Some(file) = config.database_url.strip_prefix("sqlite://") {
        let file = Path::new(file.split('?').next().unwrap_or(file));
        writeln!(out, "Base de données : SQLite, {}", file.display())?;
        if !file.exists() {
            writeln!(
                out,
                "  (elle sera créée au premier `releve run`, avec son dossier si besoin)"
            )?;
        }
    } else {
        writeln!(
            out,
            "Base de données : PostgreSQL (la connexion sera testée par `releve run`)"
        )?;
    }
    Ok(())
}

/// Opens the source as a run would, reads its header, and says what it found.
pub async fn check_source(spec: &SourceSpec) -> Result<String, String> {
    check_source_with(spec, &ProcessEnv).await
}

/// [`check_source`] with the credentials of `env` (the workspace adds the stored ones).
pub async fn check_source_with(spec: &SourceSpec, env: &dyn EnvLookup) -> Result<String, String> {
    let path = spec.path.as_deref();
    if spec.kind.is_api() {
        return api::check(spec, env, Arc::new(TokioSleeper))
            .await
            .map(|()| {
                format!(
                    "connexion à {} réussie",
                    spec.base_url.as_deref().unwrap_or(spec.kind.code())
                )
            })
            .map_err(|e| e.to_string());
    }
    match spec.kind {
        SourceKind::TicketsCsv => {
            let path = path.ok_or("aucun chemin configuré")?;
            let reader = tickets_csv::read(&spec.key, path).map_err(|e| e.to_string())?;
            Ok(format!(
                "{} ({} octets), en-tête conforme",
                path.display(),
                reader.progress().1
            ))
        }
        SourceKind::ProgrammeCsv => {
            let path = path.ok_or("aucun chemin configuré")?;
            let reader = programme_csv::read(&spec.key, path).map_err(|e| e.to_string())?;
            Ok(format!(
                "{} ({} octets), en-tête conforme",
                path.display(),
                reader.progress().1
            ))
        }
        SourceKind::Dsn | SourceKind::PayrollCsv => {
            let path = path.ok_or("aucun chemin configuré")?;
            // A throw-away salt: nothing is kept, only the files' validity matters here.
            let options = releve_collectors::dsn::DsnOptions::new("releve-check");
            let imported = releve_collectors::payroll_source::import(spec, &options)
                .map_err(|e| e.to_string())?;
            let engagements: usize = imported.batches.iter().map(|b| b.engagements.len()).sum();
            match imported.quarantined.first() {
                None => Ok(format!("{} : {engagements} contrat(s) × période(s) de paie lisibles", path.display())),
                Some(first) => Err(format!(
                    "{} : {engagements} contrat(s) lisibles, {} fichier(s) ou ligne(s) refusé(s) : {}",
                    path.display(),
                    imported.quarantined.len(),
                    first.reason
                )),
            }
        }
        SourceKind::ProgrammeXlsx
        | SourceKind::ProgrammeOds
        | SourceKind::ProgrammeIcal
        | SourceKind::ProgrammeJsonld => {
            let path = path.ok_or("aucun chemin configuré")?;
            let records = match spec.kind {
                SourceKind::ProgrammeIcal => {
                    releve_collectors::programme_ical::read(&spec.key, path)
                }
                SourceKind::ProgrammeJsonld => {
                    releve_collectors::programme_jsonld::read(&spec.key, path)
                }
                _ => releve_collectors::programme_sheets::read(&spec.key, path),
            }
            .map_err(|e| e.to_string())?;
            let bad = records
                .iter()
                .filter(|r| matches!(r, releve_collectors::Record::Quarantined(_)))
                .count();
            Ok(format!(
                "{} : {} ligne(s) de programme, dont {bad} à corriger",
                path.display(),
                records.len()
            ))
        }
        SourceKind::Push => Ok(
            "source push : les billets arrivent par l'API (POST /api/v1/organisations/…/tickets), rien à ouvrir"
                .to_string(),
        ),
        other => Err(format!(
            "le type « {} » n'est pas vérifié par cette commande",
            other.code()
        )),
    }
}
