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
use std::path::Path;
use std::pin::Pin;

/// What a channel has to work with.
pub struct Context<'a> {
    pub store: &'a Store,
    pub clock: &'a dyn Clock,
    pub row: &'a OutboxRecord,
    pub org: &'a OrganisationConfig,
    pub settings: &'a SubmissionSettings,
    /// The output folder (`--out`), where deposit packages are written.
    pub out: &'a Path,
}

impl Context<'_> {
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
