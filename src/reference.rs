//! The reference data a run applies: dated rules, the discipline table and the SACEM
//! delegations — the bundled ones, or the files the configuration names instead — and the
//! CSV style of `[output] csv`, which every build of a declaration's files follows.

use crate::config::Config;
use anyhow::{Context, Result};
use releve_declarations::sacem;
use releve_domain::{DisciplineTable, Rules};

/// Rules, discipline table and SACEM delegations in force for this configuration.
pub struct ReferenceData {
    pub rules: Rules,
    pub disciplines: DisciplineTable,
    pub sacem_agencies: sacem::AgencyTable,
    /// `[output] csv`: how CSV files are written.
    pub csv: crate::config::CsvStyle,
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
        csv: config.csv,
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
