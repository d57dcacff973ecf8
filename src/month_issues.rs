//! A month's points to handle, computed from the store as the run computes them: the facts'
//! issues (unlinked or ambiguous programme rows, missing disciplines), the declarations'
//! blocking questions and the organisation's quarantined records — the content of
//! `issues.json` without the points that only a run knows (a source failing during it).

use crate::config::OrganisationConfig;
use crate::month::build_month;
use crate::outputs::collect_issues;
use crate::reference::ReferenceData;
use anyhow::Result;
use chrono::{DateTime, Utc};
use releve_domain::{Issue, Month, MonthFacts};
use releve_store::Store;

/// The month's facts (for the performances a point may be linked to) and its points, sorted
/// as in `issues.json`.
pub async fn month_issues(
    store: &Store,
    org: &OrganisationConfig,
    month: Month,
    reference: &ReferenceData,
    now: DateTime<Utc>,
) -> Result<(MonthFacts, Vec<Issue>)> {
    let build = build_month(store, org, month, reference, now).await?;
    let quarantine = store.quarantine(&org.organisation.slug).await?;
    let issues = collect_issues(&build.facts, &build.drafts, &quarantine, Vec::new());
    Ok((build.facts, issues))
}
