//! `releve check`'s part of the register: each organisation's SIRET and name, compared with
//! the register's answer. Asked live, never cached (check writes nothing, not even the
//! database). A difference is printed as a point to check; it does not change the exit
//! status, since the register is never an authority over the configuration.

use super::lookup::{Consultation, Register};
use super::names;
use super::source::according_to;
use crate::config::Config;
use anyhow::Result;
use releve_collectors::http::TokioSleeper;
use releve_collectors::registry::CompanyNumber;
use releve_domain::{Clock, Organisation, SystemClock};
use std::io::Write;
use std::sync::Arc;

pub async fn check_organisations(config: &Config, out: &mut dyn Write) -> Result<()> {
    if !config.registry.enabled {
        writeln!(out, "Répertoire des entreprises : désactivé ([registry] enabled = false), aucune vérification")?;
        return Ok(());
    }
    let register =
        Register::new(&config.registry, Arc::new(TokioSleeper), SystemClock.now()).read_only();
    writeln!(
        out,
        "Répertoire des entreprises ({}) :",
        config.registry.base_url
    )?;
    for org in &config.organisations {
        let line = verdict(&register, &org.organisation).await;
        writeln!(out, "  {line}")?;
        if register.outage().is_some() {
            break;
        }
    }
    Ok(())
}

async fn verdict(register: &Register, org: &Organisation) -> String {
    let number = CompanyNumber::Siret(org.siret.as_str().to_string());
    let slug = &org.slug;
    match register.consult(None, &number, true).await {
        Consultation::Found {
            company,
            consulted_at,
            ..
        } => {
            let source = according_to(consulted_at);
            if company.is_ceased() {
                format!(
                    "À VÉRIFIER  {slug} — le SIRET {} est celui d'une entreprise ou d'un établissement fermé ({}), {source}",
                    number.grouped(),
                    company.name
                )
            } else if !names::matches(&org.name, &company) {
                format!(
                    "À VÉRIFIER  {slug} — le nom « {} » ne correspond pas à celui du SIRET {} : « {} », {source}",
                    org.name,
                    number.grouped(),
                    company.name
                )
            } else {
                format!(
                    "OK          {slug} — SIRET {} : « {} », en activité",
                    number.grouped(),
                    company.name
                )
            }
        }
        Consultation::NotFound { consulted_at, .. } => format!(
            "À VÉRIFIER  {slug} — le SIRET {} est introuvable, {}",
            number.grouped(),
            according_to(consulted_at)
        ),
        Consultation::Unavailable { reason } => format!("NON VÉRIFIÉ {slug} — {reason}"),
        Consultation::Disabled => format!("NON VÉRIFIÉ {slug} — répertoire désactivé"),
    }
}
