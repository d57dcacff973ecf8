//! The life of a declaration after it is built (`domain.md` §6): every run records each draft
//! as a version in the store (model + SHA-256 of each file); a version an administrator
//! approved is frozen; a later run that finds other figures for an approved or submitted month
//! produces an amendment draft and a `<body>-amendment.json` file showing the difference per
//! performance (or per show for SACEM).

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use releve_declarations::amendment::amendment;
use releve_declarations::{Body, Draft, RenderedFile};
use releve_domain::{Issue, Month};
use releve_store::{Store, VersionRecord, VersionStatus};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// What recording the month's drafts produced, for the outputs.
#[derive(Default)]
pub struct Recorded {
    /// Status of each body's declaration, in French, for the report.
    pub statuses: BTreeMap<Body, String>,
    /// Amendment files (`cnm-amendment.json`, …).
    pub files: Vec<RenderedFile>,
    pub issues: Vec<Issue>,
    /// `rep_version` for the SACD XML when this month's SACD declaration corrects an approved
    /// one: 1 + the number of versions already approved or sent.
    pub sacd_rep_version: Option<u32>,
}

/// `<body>-amendment.json`: the difference, with the keys every JSON output carries.
#[derive(Serialize)]
struct AmendmentFile<'a> {
    schema_version: u32,
    organisation: &'a str,
    /// `month`, `body`, `base_version`, `changes`, `note`.
    #[serde(flatten)]
    amendment: &'a releve_declarations::amendment::Amendment,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// French status of a version, as the report shows it.
pub fn status_fr(v: &VersionRecord) -> String {
    let base = match v.status {
        VersionStatus::Draft if v.is_amendment => "rectificatif à approuver",
        VersionStatus::Draft => "brouillon",
        VersionStatus::Superseded => "remplacée",
        VersionStatus::Approved => "approuvée",
        VersionStatus::Submitted => "transmise",
        VersionStatus::Accepted => "acceptée",
        VersionStatus::Rejected => "rejetée",
    };
    format!("{base} (v{})", v.number)
}

pub async fn record_drafts(
    store: &Store,
    org: &str,
    month: Month,
    drafts: &[Draft],
    at: DateTime<Utc>,
) -> Result<Recorded> {
    let mut recorded = Recorded::default();
    for draft in drafts {
        let body = draft.body.code();
        let hashes: Vec<(String, String)> = draft
            .files
            .iter()
            .map(|f| (f.name.clone(), sha256_hex(&f.bytes)))
            .collect();
        let version = store
            .record_draft(org, body, month, &draft.model, &hashes, at)
            .await
            .with_context(|| format!("enregistrement de la version {body} {month}"))?;
        recorded.statuses.insert(draft.body, status_fr(&version));
        if version.is_amendment && draft.body == Body::Sacd {
            // rep_version counts the bordereaux sent before this one: 1 + the approved or sent
            // versions with a lower number (stable once this correction is itself approved).
            let earlier = store
                .versions(org, Some(body), Some(month))
                .await?
                .iter()
                .filter(|v| v.number < version.number)
                .filter(|v| !matches!(v.status, VersionStatus::Draft | VersionStatus::Superseded))
                .count() as u32;
            recorded.sacd_rep_version = Some(earlier + 1);
        }
        // Only a correction still waiting for approval needs a person and a difference file.
        let pending = version.status == VersionStatus::Draft;
        if let Some(base) = version
            .previous_approved
            .filter(|_| version.is_amendment && pending)
        {
            let approved = store.version(org, body, month, base).await?;
            let difference = amendment(draft.body, base, &approved.model, &draft.model)
                .with_context(|| format!("calcul du rectificatif {body} {month}"))?;
            let file = AmendmentFile {
                schema_version: 1,
                organisation: org,
                amendment: &difference,
            };
            let mut bytes = serde_json::to_vec_pretty(&file)?;
            bytes.push(b'\n');
            recorded.files.push(RenderedFile {
                name: format!("{body}-amendment.json"),
                bytes,
            });
            recorded.issues.push(
                Issue::blocking(
                    "declaration.amendment",
                    format!(
                        "{} : les chiffres ont changé depuis la version {base} approuvée ({} changement(s)). \
                         Un rectificatif (version {}) est à vérifier et à approuver : voir {body}-amendment.json.",
                        draft.body.recipient_fr(),
                        difference.changes.len(),
                        version.number
                    ),
                )
                .for_body(body),
            );
        }
    }
    Ok(recorded)
}
