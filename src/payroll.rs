//! Payroll in the monthly job: importing `dsn` and `payroll_csv` sources into the store
//! (engagements per employer and month, replaced on re-import so an "annule et remplace" file
//! wins), and the month's employment facts per show, which feed `aggregates.json`, the SACEM
//! engagement expenses and the indicators. People are known only by pseudonymous keys; the salt
//! comes from `RELEVE_PSEUDONYM_SALT`, or is generated once and kept in the database.

use crate::config::OrganisationConfig;
use crate::import::ImportCounts;
use anyhow::{anyhow, Result};
use releve_collectors::dsn::{salt_from_env, DsnOptions};
use releve_collectors::{payroll_source, SourceKind, SourceSpec};
use releve_declarations::sacem::EngagementExpense;
use releve_domain::employment::EmploymentFacts;
use releve_domain::employment_facts::{employment_facts, EmploymentReport};
use releve_domain::text::normalise_key;
use releve_domain::{Month, MonthFacts};
use releve_store::Store;

pub fn is_payroll(kind: SourceKind) -> bool {
    matches!(kind, SourceKind::Dsn | SourceKind::PayrollCsv)
}

pub fn has_payroll(org: &OrganisationConfig) -> bool {
    org.sources.iter().any(|s| is_payroll(s.kind))
}

/// A fresh random salt candidate (256 bits from the operating system); only the first one ever
/// offered for an organisation is kept by the store.
fn salt_candidate() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| anyhow!("génération du sel des pseudonymes impossible : {e}"))?;
    Ok(hex::encode(bytes))
}

/// Imports a payroll source: every (employer, month) the files cover replaces what the store
/// held for it; refused files and bad rows replace the source's open quarantine.
pub async fn import_payroll(store: &Store, org: &str, spec: &SourceSpec) -> Result<ImportCounts> {
    let stored = store.keep_pseudonym_salt(org, &salt_candidate()?).await?;
    let options = DsnOptions::new(salt_from_env(&stored));
    let spec_owned = spec.clone();
    let imported =
        tokio::task::spawn_blocking(move || payroll_source::import(&spec_owned, &options))
            .await
            .map_err(|e| anyhow!("lecture de la paie interrompue : {e}"))??;
    let mut counts = ImportCounts {
        source: spec.key.clone(),
        ..Default::default()
    };
    for batch in &imported.batches {
        store
            .replace_engagements(
                org,
                &spec.key,
                &batch.employer_siret,
                batch.month,
                &batch.engagements,
            )
            .await?;
        counts.engagements += batch.engagements.len() as u64;
    }
    counts.quarantined = imported.quarantined.len() as u64;
    // A payroll row holds a social-security number and a wage: it is never kept in clear, even
    // in quarantine; the line, column and reason say where to look in the file.
    let mut quarantine: Vec<_> = imported
        .quarantined
        .into_iter()
        .map(|mut q| {
            if !q.raw.is_empty() {
                q.raw = "(ligne de paie non conservée : données personnelles)".to_string();
            }
            q
        })
        .collect();
    quarantine.sort();
    store
        .replace_quarantine(org, &spec.key, &quarantine)
        .await?;
    tracing::info!(
        engagements = counts.engagements,
        quarantined = counts.quarantined,
        "payroll imported"
    );
    Ok(counts)
}

/// Employment per show for `month`. Engagements of the neighbouring payroll months and the
/// performances of those months are read too, so that contracts spanning months are spread
/// right.
pub async fn month_employment(
    store: &Store,
    org: &OrganisationConfig,
    month: Month,
    neighbours: &[&MonthFacts],
) -> Result<EmploymentReport> {
    let months = [month.previous(), month, month.next()];
    let engagements = store.engagements(&org.organisation.slug, &months).await?;
    let performances: Vec<_> = neighbours
        .iter()
        .flat_map(|f| f.performances.iter().cloned())
        .collect();
    Ok(employment_facts(month, &engagements, &performances))
}

/// The SACEM engagement expenses of the month: gross pay per show, keyed by the show id of the
/// month's performances carrying the same numéro d'objet (or, failing that, the same title).
pub fn engagement_expenses(
    facts: &MonthFacts,
    employment: &[EmploymentFacts],
) -> Vec<EngagementExpense> {
    let mut expenses = Vec::new();
    for e in employment {
        let by_numero = e.numero_objet.as_deref().map(normalise_key).and_then(|n| {
            facts
                .performances
                .iter()
                .find(|p| p.numero_objet.iter().any(|o| normalise_key(o) == n))
        });
        let show = by_numero.or_else(|| {
            facts
                .performances
                .iter()
                .find(|p| normalise_key(&p.show_title) == normalise_key(&e.show_title))
        });
        if let Some(p) = show {
            expenses.push(EngagementExpense {
                show_id: p.show_id.clone(),
                excl_vat: e.gross_pay,
            });
        }
    }
    expenses
}
