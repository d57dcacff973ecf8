//! The one seam between the outbox and a body: a [`Channel`] takes a claimed row and delivers
//! its payload, storing each exchange through [`Context::exchange`] (already stripped of
//! secrets). A channel returns the body's verdict (`accepted`, `rejected`, or `sent` when the
//! answer comes later); an `Err` is a passing problem (network, server error) and the row is
//! retried with backoff.

use crate::config::OrganisationConfig;
use crate::submit::settings::SubmissionSettings;
use anyhow::Result;
use releve_domain::Clock;
use releve_store::{OutboxRecord, Outcome, Store};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;

/// What a channel has to work with.
pub struct Context<'a> {
    pub store: &'a Store,
    pub clock: &'a dyn Clock,
    pub row: &'a OutboxRecord,
    pub org: &'a OrganisationConfig,
    pub settings: &'a SubmissionSettings,
    /// The output folder (`--out` of `releve submit`, `serve --out`): the payload's paths are
    /// relative to it (the approved files, the deposit folder), so a row queued by one process
    /// is delivered by another that has the same folder elsewhere.
    pub out: &'a Path,
}

impl Context<'_> {
    /// A path of the payload, in the output folder (an absolute path stays as it is).
    pub fn path(&self, stored: &str) -> PathBuf {
        self.out.join(stored)
    }

    /// The bytes of a file of the payload (`{"name", "path", "sha256"}`), checked against the
    /// SHA-256 recorded when it was queued: what leaves is exactly what was approved.
    pub fn read_checked(&self, file: &serde_json::Value, what: &str) -> Result<(String, Vec<u8>)> {
        let (Some(name), Some(path), Some(sha)) = (
            file["name"].as_str(),
            file["path"].as_str(),
            file["sha256"].as_str(),
        ) else {
            anyhow::bail!("{what} : fichier mal décrit dans la file d'envoi : {file}");
        };
        let full = self.path(path);
        let bytes = std::fs::read(&full).map_err(|e| {
            anyhow::anyhow!(
                "{what} : {} illisible ({e}) ; le dossier de sortie est-il le bon (--out) ?",
                full.display()
            )
        })?;
        if crate::lifecycle::sha256_hex(&bytes) != sha {
            anyhow::bail!(
                "{what} : {} a changé depuis l'approbation (empreinte différente) : rien n'est envoyé",
                full.display()
            );
        }
        Ok((name.to_string(), bytes))
    }

    /// Stores one request and its answer as proof (the caller has removed every secret).
    pub async fn exchange(&self, step: &str, request: &str, answer: Option<&str>) -> Result<()> {
        self.store
            .record_exchange(
                self.row.id,
                &self.row.org,
                step,
                request,
                answer,
                self.clock.now(),
            )
            .await?;
        Ok(())
    }
}

/// The verdict of one delivery and the body's warnings (kept and shown).
pub struct Delivery {
    pub outcome: Outcome,
    pub warnings: Vec<String>,
}

pub type Delivering<'a> = Pin<Box<dyn Future<Output = Result<Delivery>> + Send + 'a>>;

pub trait Channel: Sync {
    /// The channel's code in the outbox (`sibil_api`, `sacd_ws`, `depot`).
    fn code(&self) -> &'static str;
    fn deliver<'a>(&'a self, ctx: &'a Context<'a>) -> Delivering<'a>;
}

/// The channel of an outbox row.
pub fn by_code(code: &str) -> Option<&'static dyn Channel> {
    match code {
        crate::submit::sibil::CODE => Some(&crate::submit::sibil::SibilApi),
        crate::submit::sacd::CODE => Some(&crate::submit::sacd::SacdWebService),
        crate::submit::sacem::CODE => Some(&crate::submit::sacem::SacemEmail),
        crate::submit::deposit::CODE => Some(&crate::submit::deposit::DepositPackage),
        _ => None,
    }
}

/// Reads a required secret from the environment, with a French message naming the variable.
pub fn secret_from_env(variable: &str, what: &str) -> Result<String> {
    match std::env::var(variable) {
        Ok(v) if !v.is_empty() => Ok(v),
        _ => anyhow::bail!(
            "{what} : la variable d'environnement {variable} est absente ou vide ; définissez-la avant `releve submit`"
        ),
    }
}
