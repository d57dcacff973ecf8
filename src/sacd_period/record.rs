//! A period's bordereau recorded as a version of its span, as a month's declarations are
//! (`crate::lifecycle`): the same model gives back the same version; other figures after an
//! approval make a correction, whose documents say so (the shared stamp) and whose XML carries
//! `rep_version` + 1, and which waits for approval (a blocking `declaration.amendment` point).

use super::{build_period_body, span_of, PeriodInputs};
use crate::config::OrganisationConfig;
use crate::lifecycle::{correction_of, sacd_rep_version, sha256_hex, status_fr};
use crate::reference::ReferenceData;
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use releve_declarations::render::pdf::stamp::with_stamp;
use releve_declarations::{Body, Draft};
use releve_domain::Issue;
use releve_store::{Store, VersionRecord, VersionStatus};

fn hashes(draft: &Draft) -> Vec<(String, String)> {
    draft
        .files
        .iter()
        .map(|f| (f.name.clone(), sha256_hex(&f.bytes)))
        .collect()
}

/// Records `draft` (built at `rep_version` 1) as a version of its period; a correction is rebuilt
/// with its stamp and `rep_version`, and its file hashes recorded. Gives the version and its
/// status in French.
pub async fn record(
    store: &Store,
    org: &OrganisationConfig,
    reference: &ReferenceData,
    inputs: &PeriodInputs,
    draft: &mut Draft,
    generated_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(VersionRecord, String)> {
    let slug = org.organisation.slug.as_str();
    let span = span_of(inputs.period);
    let body = Body::Sacd.code();
    let version = store
        .record_draft(slug, body, span, &draft.model, &hashes(draft), now)
        .await
        .with_context(|| format!("enregistrement de la version {body} {}", span.label_fr()))?;
    let pending_correction = version.is_amendment && version.status == VersionStatus::Draft;
    if !pending_correction {
        return Ok((version.clone(), status_fr(&version)));
    }
    let Some((difference, stamp, sentence)) = correction_of(store, &version, Body::Sacd).await?
    else {
        return Ok((version.clone(), status_fr(&version)));
    };
    let rep = sacd_rep_version(store, slug, span, version.number).await?;
    let rebuilt = with_stamp(stamp, || {
        build_period_body(inputs, reference, generated_at, rep)
    })?;
    draft.files = rebuilt.files;
    // Same model, so the same version: only its file hashes change.
    let version = store
        .record_draft(slug, body, span, &draft.model, &hashes(draft), now)
        .await?;
    let base = version.previous_approved.unwrap_or_default();
    draft.issues.push(
        Issue::blocking(
            "declaration.amendment",
            format!(
                "SACD, bordereau {} : les chiffres ont changé depuis la version {base} approuvée ({} \
                 changement(s)). La version {} ({sentence}) est à vérifier et à approuver.",
                span.label_fr(),
                difference.changes.len(),
                version.number,
            ),
        )
        .for_body(body),
    );
    let status = format!("version {} à approuver — {sentence}", version.number);
    Ok((version, status))
}
