//! The register in a monthly run: one [`Register`] per organisation run, the month's numbers
//! looked up before the declarations are built, then the completions and points of
//! [`super::enrich`] and [`super::hints`].

use super::lookup::Register;
use super::source::RegisterView;
use crate::config::{OrganisationConfig, RegistrySettings};
use crate::import::ImportContext;
use crate::month::load_facts;
use anyhow::Result;
use releve_domain::Month;
use releve_store::Store;

/// What the register said for one organisation's month.
pub struct MonthRegister {
    pub view: RegisterView,
    /// The register could not be reached (French), when that happened.
    pub outage: Option<String>,
}

impl MonthRegister {
    pub fn disabled() -> MonthRegister {
        MonthRegister {
            view: RegisterView::new(),
            outage: None,
        }
    }
}

/// Looks up the organisation's SIRET and the producers of `month` (cache first).
pub async fn consult_month(
    store: &Store,
    org: &OrganisationConfig,
    month: Month,
    settings: &RegistrySettings,
    ctx: &ImportContext,
) -> Result<MonthRegister> {
    let register = Register::new(settings, ctx.sleeper.clone(), ctx.now);
    if !register.is_enabled() {
        return Ok(MonthRegister::disabled());
    }
    let facts = load_facts(store, org, month).await?;
    let numbers = super::numbers_of(&facts);
    tracing::debug!(numbers = numbers.len(), "company register lookups");
    let view = register.consult_all(store, numbers).await;
    let outage = register.outage();
    if let Some(message) = &outage {
        tracing::warn!(%message, "company register unavailable; the run goes on without it");
    }
    Ok(MonthRegister { view, outage })
}

/// The register's answers already in the cache for the numbers of `facts`, never the network:
/// what the declarations are completed from, so that a run and a later approval of its
/// version rebuild the same model. Disabled settings give an empty view.
pub async fn cached_view(
    store: &Store,
    facts: &releve_domain::MonthFacts,
    settings: &RegistrySettings,
    now: chrono::DateTime<chrono::Utc>,
) -> RegisterView {
    let mut offline = settings.clone();
    offline.offline = true;
    let register = Register::new(
        &offline,
        std::sync::Arc::new(releve_collectors::http::TokioSleeper),
        now,
    )
    .read_only();
    if !register.is_enabled() {
        return RegisterView::new();
    }
    register.consult_all(store, super::numbers_of(facts)).await
}
