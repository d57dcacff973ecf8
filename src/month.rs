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
use releve_domain::facts::TalliedInput;
use releve_domain::{vat_checks, Issue, Month, MonthFacts};
use releve_indicators::{DeclaredAmounts, MonthData};
use releve_store::{Span, Store, VersionRecord, VersionStatus};

/// A month's facts and the declarations built from them.
pub struct MonthBuild {
    pub facts: MonthFacts,
    pub drafts: Vec<Draft>,
    /// Employment per show, when the organisation has a payroll source.
    pub employment: Option<EmploymentReport>,
    /// What completing the facts from the company register's cache found (names, addresses).
    pub register_issues: Vec<Issue>,
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
pub fn indicator_months(previous: MonthData, month: &MonthBuild) -> Vec<MonthData> {
    let mut months = Vec::new();
    if !previous.facts.performances.is_empty() {
        months.push(previous);
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

/// The performance ids of every approved or sent SACD bordereau of these months: SACD must not
/// receive a performance twice, and its deadline no longer matters once it was declared.
pub async fn sacd_performances_sent(
    store: &Store,
    org: &str,
    months: &[Month],
) -> Result<std::collections::BTreeSet<String>> {
    let mut ids = std::collections::BTreeSet::new();
    for month in months {
        let versions = store
            .versions(org, Some(Body::Sacd.code()), Some(*month))
            .await?;
        ids.extend(
            versions
                .iter()
                .filter(|v| !matches!(v.status, VersionStatus::Draft | VersionStatus::Superseded))
                .filter_map(|v| v.model["lines"].as_array())
                .flatten()
                .filter_map(|l| l["performance_id"].as_str().map(str::to_string)),
        );
    }
    Ok(ids)
}

/// The performances already in another approved, sent or accepted SACD bordereau than `own`:
/// the monthly bordereaux of `months` and every period bordereau, each performance with the
/// bordereau that declared it, in French. The month's bordereau leaves out what a weekly one
/// declared, and a period's what the month's or another period's declared: SACD never receives a
/// performance twice, whichever was approved first. (A rejected bordereau declared nothing.)
pub async fn sacd_declared(
    store: &Store,
    org: &str,
    months: &[Month],
    own: Span,
) -> Result<releve_declarations::sacd::Declared> {
    let mut versions = store.period_versions(org, Some(Body::Sacd.code())).await?;
    for month in months {
        versions.extend(
            store
                .versions(org, Some(Body::Sacd.code()), Some(*month))
                .await?,
        );
    }
    let mut declared = releve_declarations::sacd::Declared::new();
    for v in versions
        .iter()
        .filter(|v| v.span != own && v.status.is_frozen_base())
    {
        let label = bordereau_fr(v);
        for line in v.model["lines"].as_array().into_iter().flatten() {
            if let Some(id) = line["performance_id"].as_str() {
                declared
                    .entry(id.to_string())
                    .or_insert_with(|| label.clone());
            }
        }
    }
    Ok(declared)
}

/// « bordereau de novembre 2025, version 1 », « bordereau du 14 novembre 2025 au 20 novembre
/// 2025, version 2 ».
fn bordereau_fr(v: &VersionRecord) -> String {
    use releve_declarations::render::fr;
    match v.span {
        Span::Month(m) => format!("bordereau de {}, version {}", fr::month(m), v.number),
        Span::Period { from, to } => format!(
            "bordereau du {} au {}, version {}",
            fr::long_date(from),
            fr::long_date(to),
            v.number
        ),
    }
}

/// Start times of every stored, not cancelled performance of the month's shows, by show id:
/// the 2.1 % VAT rate holds for a creation's first 140 performances only.
async fn show_history(
    store: &Store,
    org: &OrganisationConfig,
    facts: &MonthFacts,
) -> Result<std::collections::HashMap<String, Vec<DateTime<Utc>>>> {
    let mut history: std::collections::HashMap<String, Vec<DateTime<Utc>>> =
        std::collections::HashMap::new();
    if !facts.performances.iter().any(|p| p.creation) {
        return Ok(history);
    }
    let shows: std::collections::BTreeSet<&str> = facts
        .performances
        .iter()
        .map(|p| p.show_id.as_str())
        .collect();
    let records = store
        .performances_between(
            &org.organisation.slug,
            // Long before any ticketing export releve reads (the codec stores instants as
            // integers; the very minimum of chrono would not fit).
            DateTime::<Utc>::from_timestamp(946_684_800, 0).unwrap_or_default(),
            facts.month.end_utc() + Duration::days(1),
        )
        .await?;
    for r in records {
        if !r.cancelled && shows.contains(r.show_id.as_str()) {
            history
                .entry(r.show_id.clone())
                .or_default()
                .push(r.starts_at);
        }
    }
    Ok(history)
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
    /// The performances already in an approved or sent SACD bordereau of the month.
    pub sacd_sent: std::collections::BTreeSet<String>,
    /// The performances of the month a period bordereau already declared (left off the
    /// month's bordereau).
    pub sacd_declared: releve_declarations::sacd::Declared,
    /// What completing the facts from the company register's cache found.
    pub register_issues: Vec<Issue>,
}

/// Loads what the month's declarations need from the store: the facts, completed from the
/// company register's cache (never the network here: a run consults the register first, and
/// an approval must rebuild exactly what the run built), the VAT checks over the stored
/// history, employment, and what SIBIL and SACD already have.
pub async fn load_month(
    store: &Store,
    org: &OrganisationConfig,
    month: Month,
    reference: &ReferenceData,
    now: DateTime<Utc>,
) -> Result<MonthInputs> {
    let mut facts = load_facts(store, org, month).await?;
    let view = crate::registry::month::cached_view(store, &facts, &reference.registry, now).await;
    let register_issues = crate::registry::enrich::complete(&mut facts, &view);
    let history = show_history(store, org, &facts).await?;
    for p in &facts.performances {
        let rank = history
            .get(&p.show_id)
            .map(|starts| vat_checks::rank(starts, p.starts_at));
        let found = vat_checks::check(p, rank);
        facts.issues.extend(found);
    }
    facts.issues.sort();
    let employment = if payroll::has_payroll(org) {
        let previous = load_facts(store, org, month.previous()).await?;
        let next = load_facts(store, org, month.next()).await?;
        Some(payroll::month_employment(store, org, month, &[&previous, &facts, &next]).await?)
    } else {
        None
    };
    let slug = org.organisation.slug.as_str();
    let sibil_sent = sibil_ids_sent(store, slug, month).await?;
    let sacd_sent = sacd_performances_sent(store, slug, &[month]).await?;
    let sacd_declared = sacd_declared(store, slug, &[month], Span::Month(month)).await?;
    Ok(MonthInputs {
        facts,
        employment,
        sibil_sent,
        sacd_sent,
        sacd_declared,
        register_issues,
    })
}

fn build_input<'a>(
    inputs: &'a MonthInputs,
    reference: &'a ReferenceData,
    generated_at: DateTime<Utc>,
) -> BuildInput<'a> {
    BuildInput {
        facts: &inputs.facts,
        rules: &reference.rules,
        disciplines: &reference.disciplines,
        generated_at,
    }
}

/// The engagement contracts' gross pay the SACEM state lists (none without payroll).
fn sacem_expenses(inputs: &MonthInputs) -> Vec<sacem::EngagementExpense> {
    inputs
        .employment
        .as_ref()
        .map(|report| payroll::engagement_expenses(&inputs.facts, &report.facts))
        .unwrap_or_default()
}

/// What the indicators need of a month other than the one being declared (the previous month,
/// a season's months): the same figures as [`MonthBuild::indicator_data`] of a full build, but
/// from the declarations' models only, with no file rendered, and facts counted by the database.
pub async fn indicator_month(
    store: &Store,
    org: &OrganisationConfig,
    month: Month,
    reference: &ReferenceData,
    generated_at: DateTime<Utc>,
) -> Result<MonthData> {
    let inputs = load_month(store, org, month, reference, generated_at).await?;
    let totals = releve_declarations::declared_totals(
        &build_input(&inputs, reference, generated_at),
        &reference.sacem_agencies,
        &sacem_expenses(&inputs),
    )?;
    Ok(MonthData {
        employment: inputs.employment.map(|e| e.facts),
        facts: inputs.facts,
        declared: DeclaredAmounts {
            cnm_tax: Some(totals.cnm_tax),
            astp_tax: Some(totals.astp_tax),
            sacem_estimate: Some(totals.sacem_estimate),
            // The SACD computes its rights itself: its draft has no amount due.
            sacd_estimate: None,
        },
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
    let input = build_input(inputs, reference, generated_at);
    let declaration = registry()
        .into_iter()
        .find(|d| d.body() == body)
        .ok_or_else(|| anyhow::anyhow!("déclaration {body} inconnue"))?;
    let mut draft = match body {
        // The SACEM state goes to the delegation of the configured table and, with payroll,
        // also lists the engagement contracts' gross pay.
        Body::Sacem => sacem::build_with_engagements(
            &input,
            &reference.sacem_agencies,
            &sacem_expenses(inputs),
        )?,
        // A cancelled performance goes to SIBIL as ANNULE only if SIBIL had it.
        Body::Sibil => {
            releve_declarations::sibil::build_with_history(&input, Some(&inputs.sibil_sent))?
        }
        Body::Sacd => {
            let span = releve_declarations::sacd::Span::Month {
                month: inputs.facts.month,
            };
            let rep = sacd_rep_version.unwrap_or(releve_declarations::sacd::FIRST_VERSION);
            let mut draft =
                releve_declarations::sacd::build_over(&input, span, rep, &inputs.sacd_declared)?;
            // A line already in an approved or sent bordereau has been declared: its deadline
            // is no longer a point to act on.
            draft.issues.retain(|i| {
                !(i.code.starts_with("sacd.deadline.")
                    && i.performance_id
                        .as_ref()
                        .is_some_and(|id| inputs.sacd_sent.contains(id)))
            });
            draft
        }
        _ => declaration.build(&input)?,
    };
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
    let inputs = load_month(store, org, month, reference, generated_at).await?;
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
        register_issues: inputs.register_issues,
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
    // Counted and summed by the database: the month's tickets are never loaded one by one.
    let tallies = store.ticket_tallies_between(slug, from, to).await?;
    let programme = store.programme_between(slug, from, to).await?;
    Ok(
        releve_domain::corrections::build_corrected_month_facts_tallied(
            TalliedInput {
                organisation: &org.organisation,
                month,
                records: &records,
                tallies,
                programme: &programme,
            },
            corrections,
        ),
    )
}
