//! One month built from the store: the facts on the Paris calendar, employment when payroll is
//! configured, and every declaration (SACEM with its engagement expenses and delegation table,
//! SIBIL knowing which performances it already has). Pure after loading.

use crate::config::OrganisationConfig;
use crate::payroll;
use crate::reference::ReferenceData;
use anyhow::Result;
use chrono::{DateTime, Duration, Utc};
use releve_declarations::sacem;
use releve_declarations::{registry, Body, BuildInput, Draft};
use releve_domain::employment_facts::EmploymentReport;
use releve_domain::facts::FactsInput;
use releve_domain::{Month, MonthFacts};
use releve_indicators::{DeclaredAmounts, MonthData};
use releve_store::{Store, VersionStatus};

/// A month's facts and the declarations built from them.
pub struct MonthBuild {
    pub facts: MonthFacts,
    pub drafts: Vec<Draft>,
    /// Employment per show, when the organisation has a payroll source.
    pub employment: Option<EmploymentReport>,
}

impl MonthBuild {
    /// What the indicators need: the facts and the amounts declared to each body.
    pub fn indicator_data(&self) -> MonthData {
        let mut declared = DeclaredAmounts::default();
        for draft in &self.drafts {
            let amount = draft.summary.amount_due;
            match draft.body {
                Body::Cnm => declared.cnm_tax = amount,
                Body::Astp => declared.astp_tax = amount,
                // SACEM computes the rights itself; releve's figure is the estimate per show.
                Body::Sacem => declared.sacem_estimate = sacem_estimate(&draft.model),
                Body::Sacd => declared.sacd_estimate = amount,
                Body::Sibil => {}
            }
        }
        MonthData {
            facts: self.facts.clone(),
            employment: self.employment.as_ref().map(|e| e.facts.clone()),
            declared,
        }
    }
}

/// The months given to the indicators: the month, and the previous one when it has any
/// performance (otherwise the previous figures are "no data", not zeros).
pub fn indicator_months(previous: &MonthBuild, month: &MonthBuild) -> Vec<MonthData> {
    let mut months = Vec::new();
    if !previous.facts.performances.is_empty() {
        months.push(previous.indicator_data());
    }
    months.push(month.indicator_data());
    months
}

/// The `idExtBilletterie` of the month's SIBIL versions that were approved or sent.
async fn sibil_ids_sent(
    store: &Store,
    org: &str,
    month: Month,
) -> Result<std::collections::BTreeSet<String>> {
    let versions = store
        .versions(org, Some(Body::Sibil.code()), Some(month))
        .await?;
    Ok(versions
        .iter()
        .filter(|v| !matches!(v.status, VersionStatus::Draft | VersionStatus::Superseded))
        .filter_map(|v| v.model["declarations"].as_array())
        .flatten()
        .filter_map(|d| d["idExtBilletterie"].as_str().map(str::to_string))
        .collect())
}

/// Sum of the per-show rights estimates of a SACEM model (`shows[].rights_estimate.amount`).
fn sacem_estimate(model: &serde_json::Value) -> Option<releve_domain::Money> {
    let shows = model["shows"].as_array()?;
    shows
        .iter()
        .map(|show| {
            let amount = show["rights_estimate"]["amount"].as_str()?;
            amount
                .parse::<rust_decimal::Decimal>()
                .ok()
                .map(releve_domain::Money::new)
        })
        .sum()
}

/// What a month's declarations are built from, loaded from the store.
pub struct MonthInputs {
    pub facts: MonthFacts,
    /// Employment per show, when the organisation has a payroll source.
    pub employment: Option<EmploymentReport>,
    /// The `idExtBilletterie` SIBIL already has for the month (approved or sent versions).
    pub sibil_sent: std::collections::BTreeSet<String>,
}

/// Loads what the month's declarations need from the store.
pub async fn load_month(
    store: &Store,
    org: &OrganisationConfig,
    month: Month,
) -> Result<MonthInputs> {
    let facts = load_facts(store, org, month).await?;
    let employment = if payroll::has_payroll(org) {
        let previous = load_facts(store, org, month.previous()).await?;
        let next = load_facts(store, org, month.next()).await?;
        Some(payroll::month_employment(store, org, month, &[&previous, &facts, &next]).await?)
    } else {
        None
    };
    let sibil_sent = sibil_ids_sent(store, &org.organisation.slug, month).await?;
    Ok(MonthInputs {
        facts,
        employment,
        sibil_sent,
    })
}

/// Builds one body's declaration from loaded inputs. Synchronous and pure, so that it can run
/// inside a document stamp (`render::pdf::stamp`). `sacd_rep_version`: the `rep_version` of a
/// SACD bordereau that corrects an approved one.
pub fn build_body(
    inputs: &MonthInputs,
    reference: &ReferenceData,
    generated_at: DateTime<Utc>,
    body: Body,
    sacd_rep_version: Option<u32>,
) -> Result<Draft> {
    let input = BuildInput {
        facts: &inputs.facts,
        rules: &reference.rules,
        disciplines: &reference.disciplines,
        generated_at,
    };
    let declaration = registry()
        .into_iter()
        .find(|d| d.body() == body)
        .ok_or_else(|| anyhow::anyhow!("déclaration {body} inconnue"))?;
    let draft = match body {
        // The SACEM state goes to the delegation of the configured table and, with payroll,
        // also lists the engagement contracts' gross pay.
        Body::Sacem => {
            let expenses = inputs
                .employment
                .as_ref()
                .map(|report| payroll::engagement_expenses(&inputs.facts, &report.facts))
                .unwrap_or_default();
            sacem::build_with_engagements(&input, &reference.sacem_agencies, &expenses)?
        }
        // A cancelled performance goes to SIBIL as ANNULE only if SIBIL had it.
        Body::Sibil => {
            releve_declarations::sibil::build_with_history(&input, Some(&inputs.sibil_sent))?
        }
        Body::Sacd => match sacd_rep_version {
            Some(rep) => releve_declarations::sacd::build_version(&input, rep)?,
            None => declaration.build(&input)?,
        },
        _ => declaration.build(&input)?,
    };
    let mut draft = draft;
    crate::outputs::csv_style::apply(reference.csv, &mut draft.files)?;
    Ok(draft)
}

/// Builds the facts and every declaration of a month from the store (pure after loading).
pub async fn build_month(
    store: &Store,
    org: &OrganisationConfig,
    month: Month,
    reference: &ReferenceData,
    generated_at: DateTime<Utc>,
) -> Result<MonthBuild> {
    let inputs = load_month(store, org, month).await?;
    let mut drafts = Vec::new();
    for declaration in registry() {
        drafts.push(build_body(
            &inputs,
            reference,
            generated_at,
            declaration.body(),
            None,
        )?);
    }
    Ok(MonthBuild {
        facts: inputs.facts,
        drafts,
        employment: inputs.employment,
    })
}

/// The month's facts from the store. Records are read one day beyond each end of the month so
/// that programme rows near midnight still link (15-minute tolerance); facts keep the month only.
pub async fn load_facts(
    store: &Store,
    org: &OrganisationConfig,
    month: Month,
) -> Result<MonthFacts> {
    // Corrections are laid over the source values here, once, for everything built from facts.
    let corrections = crate::corrections::in_force(store, org).await?;
    load_facts_with(store, org, month, &corrections).await
}

/// [`load_facts`] with the given corrections (none: the facts as the sources say them).
pub async fn load_facts_with(
    store: &Store,
    org: &OrganisationConfig,
    month: Month,
    corrections: &releve_domain::corrections::Corrections,
) -> Result<MonthFacts> {
    let slug = org.organisation.slug.as_str();
    let from = month.start_utc() - Duration::days(1);
    let to = month.end_utc() + Duration::days(1);
    let records = store.performances_between(slug, from, to).await?;
    let tickets = store.tickets_between(slug, from, to).await?;
    let programme = store.programme_between(slug, from, to).await?;
    Ok(releve_domain::corrections::build_corrected_month_facts(
        FactsInput {
            organisation: &org.organisation,
            month,
            records: &records,
            tickets: &tickets,
            programme: &programme,
        },
        corrections,
    ))
}
