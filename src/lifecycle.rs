//! The life of a declaration after it is built (`domain.md` §6): every run records each draft
//! as a version in the store (model + SHA-256 of each file); a version an administrator
//! approved is frozen; a later run that finds other figures for an approved or submitted month
//! produces an amendment draft and a `<body>-amendment.json` file showing the difference per
//! performance (or per show for SACEM).
//!
//! A draft that follows an approved version says so on its documents (a stamp of the shared PDF
//! layer): a *rectificatif* of version N when N was sent, a replacement of N when it was not
//! (`formats.md` §5 "Versions"); the report and the summary say it in one sentence.

use crate::config::OrganisationConfig;
use crate::month::{build_body, load_month};
use crate::reference::ReferenceData;
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use releve_declarations::amendment::amendment;
use releve_declarations::rectificatif::{self, BaseVersion, SentVersion};
use releve_declarations::render::pdf::stamp::{with_stamp, Stamp};
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
    /// Per body with a correction waiting for approval: what its documents must say.
    pub stamps: BTreeMap<Body, Stamp>,
    /// Per body with a correction waiting for approval: `rectificatif de la version 1
    /// transmise : +0,83 € à déclarer en complément`.
    pub sentences: BTreeMap<Body, String>,
}

/// `rep_version` of a SACD bordereau that corrects approved ones: the bordereaux sent before it
/// are counted, 1 + the versions numbered below `number` that were approved (sent or not), so
/// that it is stable once this correction is itself approved.
pub async fn sacd_rep_version(
    store: &Store,
    org: &str,
    span: impl Into<releve_store::Span>,
    number: u32,
) -> Result<u32> {
    let earlier = store
        .versions_of(org, Body::Sacd.code(), span)
        .await?
        .iter()
        .filter(|v| v.number < number)
        // An approved version later replaced before sending still took its number.
        .filter(|v| match v.status {
            VersionStatus::Draft => false,
            VersionStatus::Superseded => v.approved_at.is_some(),
            _ => true,
        })
        .count() as u32;
    Ok(earlier + 1)
}

/// The approved version a draft follows, as the documents describe it.
pub fn base_version(base: &VersionRecord) -> BaseVersion {
    BaseVersion {
        number: base.number,
        approved_by: base.approved_by.clone(),
        approved_at: base.approved_at,
        sent: base.submission.as_ref().map(|s| SentVersion {
            at: s.at,
            channel: s.channel.clone(),
            receipt: s.receipt.clone(),
        }),
    }
}

/// For a version that follows an approved one: the difference, its stamp and its sentence.
pub async fn correction_of(
    store: &Store,
    version: &VersionRecord,
    body: Body,
) -> Result<Option<(releve_declarations::amendment::Amendment, Stamp, String)>> {
    let Some(base_number) = version.previous_approved.filter(|_| version.is_amendment) else {
        return Ok(None);
    };
    let base = store
        .version(&version.org, &version.body, version.span, base_number)
        .await?;
    let difference = amendment(body, base_number, &base.model, &version.model)
        .with_context(|| format!("calcul du rectificatif {body} {}", version.span))?;
    let described = base_version(&base);
    let stamp = rectificatif::stamp(&difference, &base.model, &version.model, &described);
    let sentence = rectificatif::sentence_fr(&difference, &described);
    Ok(Some((difference, stamp, sentence)))
}

/// Rebuilds the documents of the bodies in `recorded.stamps` with their stamp (titled as a
/// rectificatif or a replacement) and records the new file hashes on their version.
#[allow(clippy::too_many_arguments)]
pub async fn stamp_corrections(
    store: &Store,
    org: &OrganisationConfig,
    month: Month,
    reference: &ReferenceData,
    options: &crate::run::RunOptions,
    recorded: &Recorded,
    drafts: &mut [Draft],
) -> Result<()> {
    let (generated_at, at) = (options.generated_at, options.import.now);
    if recorded.stamps.is_empty() {
        return Ok(());
    }
    let inputs = load_month(store, org, month, reference, generated_at).await?;
    for draft in drafts.iter_mut() {
        let Some(stamp) = recorded.stamps.get(&draft.body) else {
            continue;
        };
        let rep = recorded
            .sacd_rep_version
            .filter(|_| draft.body == Body::Sacd);
        let stamped = with_stamp(stamp.clone(), || {
            build_body(&inputs, reference, generated_at, draft.body, rep)
        })?;
        draft.files = stamped.files;
        let hashes: Vec<(String, String)> = draft
            .files
            .iter()
            .map(|f| (f.name.clone(), sha256_hex(&f.bytes)))
            .collect();
        // Same model, so the same version: only its file hashes change.
        store
            .record_draft(
                &org.organisation.slug,
                draft.body.code(),
                month,
                &draft.model,
                &hashes,
                at,
            )
            .await?;
    }
    Ok(())
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
        if draft.body == Body::Sacd {
            // A correction of an approved bordereau, or the version after a rejected one (not a
            // base of amendments, but SACD recorded its accepted lines under its rep_version).
            let rep = sacd_rep_version(store, org, month, version.number).await?;
            if version.is_amendment || rep > 1 {
                recorded.sacd_rep_version = Some(rep);
            }
        }
        // Only a correction still waiting for approval needs a person and a difference file.
        let pending = version.status == VersionStatus::Draft;
        if let Some(base) = version
            .previous_approved
            .filter(|_| version.is_amendment && pending)
        {
            let Some((difference, stamp, sentence)) =
                correction_of(store, &version, draft.body).await?
            else {
                continue;
            };
            recorded.stamps.insert(draft.body, stamp);
            recorded.statuses.insert(
                draft.body,
                format!("version {} à approuver — {sentence}", version.number),
            );
            recorded.sentences.insert(draft.body, sentence);
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
                         La version {} ({}) est à vérifier et à approuver : voir {body}-amendment.json.",
                        draft.body.recipient_fr(),
                        difference.changes.len(),
                        version.number,
                        recorded.sentences.get(&draft.body).map_or("", String::as_str),
                    ),
                )
                .for_body(body),
            );
        }
    }
    Ok(recorded)
}
