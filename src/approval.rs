//! Approving a declaration version (`formats.md` §1 `approve`, §5 "Versions" and `issues.json`):
//! the one function the command line, the web workspace and the API call, so that what blocks
//! an approval and how it is overridden is decided in one place.
//!
//! - **The guard.** Approval of a body and month is refused, with the list of what to resolve,
//!   while a blocking point touches that body (an issue with that `body` or with no body, a
//!   source that could not be read at the last run) or while a quarantined record of the
//!   organisation's sources exists. The signatory may override with a reason (`despite`): the
//!   reason and the points overridden go to the audit log and are printed on the frozen
//!   document.
//! - **The check.** The open points are computed now, from the store, and the version's model
//!   must still be what the store's data gives: a version built from data that changed since is
//!   refused (run again, then approve the new draft).
//! - **The freeze.** The version's files are rebuilt exactly (same model), stamped with the
//!   approval, and copied once into `OUT/<org>/<month>/versions/<body>.v<N>.<ext>`; an existing
//!   frozen file is never written again.

use crate::config::OrganisationConfig;
use crate::lifecycle::{correction_of, sha256_hex};
use crate::month::{build_body, load_month, MonthInputs};
use crate::outputs::issues::quarantine_issue;
use crate::reference::ReferenceData;
use chrono::{DateTime, Utc};
use releve_declarations::render::pdf::stamp::{with_stamp, Stamp};
use releve_declarations::render::pdf::Block;
use releve_declarations::{registry, Body, Draft};
use releve_domain::{Issue, Month, Severity, PARIS};
use releve_store::{Approval, FileHash, Span, Store, VersionError, VersionRecord, VersionStatus};
use std::path::{Path, PathBuf};

/// What to approve, by whom, and the reason for overriding open points, if any.
#[derive(Clone, Debug)]
pub struct ApprovalRequest<'a> {
    pub body: Body,
    pub month: Month,
    /// The version to approve; `None`: the latest draft.
    pub version: Option<u32>,
    /// Name and role of the signatory.
    pub actor: &'a str,
    /// Approve although points are open, for this reason (recorded and printed).
    pub despite: Option<&'a str>,
    pub at: DateTime<Utc>,
}

/// An approval done.
#[derive(Debug)]
pub struct Approved {
    pub version: VersionRecord,
    /// The open points the signatory overrode (empty without `despite`).
    pub overridden: Vec<Issue>,
    /// The frozen files written (none when no output folder was given).
    pub frozen: Vec<PathBuf>,
}

/// Why an approval was not done; messages in French for the signatory.
#[derive(Debug, thiserror::Error)]
pub enum ApprovalError {
    #[error("{}", refusal_fr(*body, *month, *number, blockers))]
    Refused {
        body: Body,
        month: Span,
        number: u32,
        blockers: Vec<Issue>,
    },
    #[error(
        "déclaration {body} de {month}, version {number} : les données ont changé depuis ce brouillon \
         (nouvelles ventes, corrections, autre configuration) ; relancez `releve run` pour ce mois, \
         relisez le nouveau brouillon, puis approuvez-le"
    )]
    Stale {
        body: Body,
        month: Span,
        number: u32,
    },
    #[error("aucun brouillon {body} pour {org} en {month} : lancez d'abord `releve run`")]
    NoDraft {
        body: Body,
        org: String,
        month: Span,
    },
    #[error("--despite : donnez la raison pour laquelle vous approuvez malgré les points ouverts")]
    EmptyReason,
    #[error("fichier figé {} déjà écrit avec un autre contenu : il n'est jamais réécrit", .0.display())]
    FrozenExists(PathBuf),
    #[error(transparent)]
    Version(#[from] VersionError),
    #[error("{0:#}")]
    Other(#[from] anyhow::Error),
}

impl From<releve_store::StoreError> for ApprovalError {
    fn from(e: releve_store::StoreError) -> Self {
        ApprovalError::Version(e.into())
    }
}

fn refusal_fr(body: Body, month: Span, number: u32, blockers: &[Issue]) -> String {
    let of = match month {
        Span::Month(m) => format!("de {m}"),
        period => period.label_fr(),
    };
    let mut text = format!(
        "approbation refusée : {} {of}, version {number} — {} point(s) à résoudre d'abord :",
        body.code().to_uppercase(),
        blockers.len()
    );
    for issue in blockers {
        text.push_str("\n  - ");
        text.push_str(&issue.message);
    }
    text.push_str(
        "\nRésolvez-les puis relancez `releve run`, ou approuvez en connaissance de cause avec \
         --despite \"raison\" (la raison est inscrite au journal et sur le document).",
    );
    text
}

/// The open points that block approval of `body` (pure): blocking issues of that body or of no
/// body, and every quarantined record. The notice that a correction of this body waits for
/// approval is what approving answers, so it does not block.
pub fn blockers(body: Body, issues: &[Issue]) -> Vec<Issue> {
    issues
        .iter()
        .filter(|i| {
            let blocking_here = i.severity == Severity::Blocking
                && i.body.as_deref().is_none_or(|b| b == body.code())
                && !(i.code == "declaration.amendment" && i.body.as_deref() == Some(body.code()))
                // A SACD line whose deadline is near or past asks for the bordereau to be sent:
                // approving it is the answer, so its lateness never blocks its own approval.
                && !(body == Body::Sacd && i.code.starts_with("sacd.deadline."));
            blocking_here || i.code == "quarantine"
        })
        .cloned()
        .collect()
}

/// Every open point of the month as the store has it now: the facts' and declarations' issues,
/// employment warnings, the quarantine, and the sources that failed at the organisation's last
/// run. Also returns the loaded inputs, to build the version's files from.
pub async fn open_points(
    store: &Store,
    org: &OrganisationConfig,
    month: Month,
    reference: &ReferenceData,
    at: DateTime<Utc>,
) -> Result<(MonthInputs, Vec<Issue>), ApprovalError> {
    let slug = org.organisation.slug.as_str();
    let inputs = load_month(store, org, month, reference, at).await?;
    let mut issues = inputs.facts.issues.clone();
    for declaration in registry() {
        let draft = build_body(&inputs, reference, at, declaration.body(), None)?;
        issues.extend(draft.issues);
    }
    if let Some(employment) = &inputs.employment {
        issues.extend(employment.issues.iter().cloned());
    }
    issues.extend(store.quarantine(slug).await?.iter().map(quarantine_issue));
    issues.extend(failed_at_last_run(store, slug).await?);
    Ok((inputs, issues))
}

/// The sources the organisation's last finished run could not read, as blocking points.
pub(crate) async fn failed_at_last_run(
    store: &Store,
    org: &str,
) -> Result<Vec<Issue>, ApprovalError> {
    let runs = store.runs(org).await?;
    let last = runs
        .iter()
        .filter(|r| r.command == "run" && r.finished_at.is_some())
        .max_by_key(|r| (r.finished_at, r.id));
    let failed = last
        .and_then(|r| r.counts.as_ref())
        .and_then(|c| c.get("failed_sources"))
        .and_then(|f| f.as_array())
        .cloned()
        .unwrap_or_default();
    Ok(failed
        .iter()
        .filter_map(|s| s.as_str())
        .map(|source| {
            Issue::blocking(
                "source.failed",
                format!(
                    "La source {source} n'a pas pu être lue au dernier relevé : les chiffres peuvent \
                     être incomplets. Corrigez-la et relancez `releve run`."
                ),
            )
            .at_source(source, None)
        })
        .collect())
}

/// The output folder (`--out`) of the organisation's last finished run, where its month
/// folders and their `versions/` are.
pub async fn last_output_folder(
    store: &Store,
    org: &str,
) -> Result<Option<PathBuf>, ApprovalError> {
    let runs = store.runs(org).await?;
    Ok(runs
        .iter()
        .filter(|r| r.command == "run" && r.finished_at.is_some())
        .max_by_key(|r| (r.finished_at, r.id))
        .and_then(|r| r.counts.as_ref()?.get("out")?.as_str().map(PathBuf::from)))
}

/// Approves a version: the guard, the check against the store's data, the frozen files (when
/// `out` is the output folder of the runs), then the approval in the store and its audit line.
pub async fn approve(
    store: &Store,
    org: &OrganisationConfig,
    reference: &ReferenceData,
    request: &ApprovalRequest<'_>,
    out: Option<&Path>,
) -> Result<Approved, ApprovalError> {
    let slug = org.organisation.slug.as_str();
    let (body, month) = (request.body, request.month);
    let despite = match request.despite.map(str::trim) {
        Some("") => return Err(ApprovalError::EmptyReason),
        other => other,
    };
    let number = match request.version {
        Some(n) => n,
        None => store
            .versions(slug, Some(body.code()), Some(month))
            .await?
            .into_iter()
            .filter(|v| v.status == VersionStatus::Draft)
            .map(|v| v.number)
            .max()
            .ok_or_else(|| ApprovalError::NoDraft {
                body,
                org: slug.to_string(),
                month: month.into(),
            })?,
    };
    let version = store.version(slug, body.code(), month, number).await?;
    if version.status != VersionStatus::Draft {
        // The store says why in French (already approved, sent…).
        store
            .approve(slug, body.code(), month, number, request.actor, request.at)
            .await?;
    }
    let (inputs, issues) = open_points(store, org, month, reference, request.at).await?;
    let overridden = blockers(body, &issues);
    if !overridden.is_empty() && despite.is_none() {
        return Err(ApprovalError::Refused {
            body,
            month: month.into(),
            number,
            blockers: overridden,
        });
    }

    let correction = correction_of(store, &version, body).await?;
    // As the run built it: rep_version + 1 after an approved bordereau or a rejected one.
    let rep_version = if body == Body::Sacd {
        let rep = crate::lifecycle::sacd_rep_version(store, slug, month, number).await?;
        (version.is_amendment || rep > 1).then_some(rep)
    } else {
        None
    };
    let stamp = approval_stamp(
        correction.map(|(_, s, _)| s),
        &version,
        &org.organisation.name,
        request,
        despite,
        &overridden,
    );
    let draft: Draft = with_stamp(stamp, || {
        build_body(&inputs, reference, request.at, body, rep_version)
    })?;
    if draft.model != version.model {
        return Err(ApprovalError::Stale {
            body,
            month: month.into(),
            number,
        });
    }
    let frozen = match out {
        Some(root) => freeze(&root.join(slug).join(month.to_string()), &draft, number)?,
        None => Vec::new(),
    };
    let approval = approval_record(despite, &overridden, &draft, number);
    let version = store
        .approve_with(
            slug,
            body.code(),
            month,
            number,
            request.actor,
            &approval,
            request.at,
        )
        .await?;
    Ok(Approved {
        version,
        overridden: if despite.is_some() {
            overridden
        } else {
            Vec::new()
        },
        frozen,
    })
}

/// What the store records of an approval: the reason and the points overridden (with
/// `despite`), and the frozen files' names and SHA-256.
pub(crate) fn approval_record(
    despite: Option<&str>,
    overridden: &[Issue],
    draft: &Draft,
    number: u32,
) -> Approval {
    Approval {
        despite: despite.map(str::to_string),
        overridden: if despite.is_some() {
            overridden.iter().map(|i| i.message.clone()).collect()
        } else {
            Vec::new()
        },
        frozen_files: draft
            .files
            .iter()
            .map(|f| FileHash {
                name: frozen_name(&f.name, number),
                sha256: sha256_hex(&f.bytes),
            })
            .collect(),
    }
}

/// `cnm.pdf` → `cnm.v1.pdf`.
pub fn frozen_name(name: &str, number: u32) -> String {
    match name.split_once('.') {
        Some((stem, ext)) => format!("{stem}.v{number}.{ext}"),
        None => format!("{name}.v{number}"),
    }
}

/// Writes the version's files into `folder/versions/`, once: a file already there with the same
/// bytes is left alone, with other bytes it is an error (frozen files are never rewritten).
pub(crate) fn freeze(
    folder: &Path,
    draft: &Draft,
    number: u32,
) -> Result<Vec<PathBuf>, ApprovalError> {
    let versions = folder.join("versions");
    std::fs::create_dir_all(&versions).map_err(|e| {
        anyhow::anyhow!(
            "impossible de créer le dossier {} : {e}",
            versions.display()
        )
    })?;
    let mut written = Vec::new();
    for file in &draft.files {
        let path = versions.join(frozen_name(&file.name, number));
        if path.exists() {
            let existing = std::fs::read(&path)
                .map_err(|e| anyhow::anyhow!("impossible de lire {} : {e}", path.display()))?;
            if existing == file.bytes {
                continue;
            }
            // Only a draft is frozen (checked above), so no approval ever committed these
            // bytes: they are the leftovers of an approval killed before its commit, and the
            // approval that commits now writes its own.
            tracing::warn!(file = %path.display(), "replacing the frozen file of an approval that never committed");
        }
        crate::outputs::write_atomically(&versions, &frozen_name(&file.name, number), &file.bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// What the frozen documents say: the correction they are (if any), who approved when, and the
/// reason and points overridden.
pub(crate) fn approval_stamp(
    correction: Option<Stamp>,
    version: &VersionRecord,
    organisation_name: &str,
    request: &ApprovalRequest<'_>,
    despite: Option<&str>,
    overridden: &[Issue],
) -> Stamp {
    let mut stamp = correction.unwrap_or_default();
    let when = request
        .at
        .with_timezone(&PARIS)
        .format("%d/%m/%Y à %H:%M")
        .to_string();
    stamp.banner.insert(
        0,
        format!(
            "Version {} approuvée par {} le {when}",
            version.number, request.actor
        ),
    );
    stamp.footer = Some(format!(
        "{} — {} — version {} approuvée par {} le {when} — document figé",
        request.body.code().to_uppercase(),
        organisation_name,
        version.number,
        request.actor
    ));
    if let Some(reason) = despite {
        let mut blocks = vec![
            Block::Heading("Approuvée malgré des points ouverts".into()),
            Block::Paragraph(format!("Raison donnée par le signataire : « {reason} »")),
        ];
        if overridden.is_empty() {
            blocks.push(Block::Note(
                "Aucun point n'était ouvert au moment de l'approbation.".into(),
            ));
        }
        blocks.extend(
            overridden
                .iter()
                .map(|i| Block::Note(format!("• {}", i.message))),
        );
        blocks.extend(stamp.blocks);
        stamp.blocks = blocks;
    }
    stamp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(severity: Severity, code: &str, body: Option<&str>) -> Issue {
        let mut i = Issue::new(severity, code, format!("{code} {body:?}"));
        i.body = body.map(str::to_string);
        i
    }

    #[test]
    fn what_blocks_a_body() {
        let issues = vec![
            issue(Severity::Blocking, "astp.exemption.review", Some("astp")),
            issue(
                Severity::Blocking,
                "sacd.declarant_id.missing",
                Some("sacd"),
            ),
            issue(Severity::Blocking, "discipline.missing", None),
            issue(Severity::Warning, "quarantine", None),
            issue(Severity::Warning, "programme.unlinked", None),
            issue(Severity::Blocking, "declaration.amendment", Some("cnm")),
            issue(Severity::Info, "cnm.note", Some("cnm")),
            issue(Severity::Blocking, "sacd.deadline.past", Some("sacd")),
        ];
        let codes = |body| -> Vec<String> {
            blockers(body, &issues)
                .into_iter()
                .map(|i| i.code)
                .collect()
        };
        // The CNM correction notice does not block its own approval; the ASTP question does
        // not block the CNM.
        assert_eq!(codes(Body::Cnm), ["discipline.missing", "quarantine"]);
        assert_eq!(
            codes(Body::Astp),
            ["astp.exemption.review", "discipline.missing", "quarantine"]
        );
        assert_eq!(
            codes(Body::Sacd),
            [
                "sacd.declarant_id.missing",
                "discipline.missing",
                "quarantine"
            ]
        );
    }

    #[test]
    fn frozen_names_carry_the_version() {
        assert_eq!(frozen_name("cnm.pdf", 1), "cnm.v1.pdf");
        assert_eq!(frozen_name("sacd.xml", 12), "sacd.v12.xml");
    }

    #[test]
    fn a_refusal_lists_what_to_resolve_and_how_to_override() {
        let text = refusal_fr(
            Body::Astp,
            Span::Month("2025-11".parse().unwrap()),
            1,
            &[Issue::blocking(
                "astp.exemption.review",
                "Exonération ASTP à confirmer",
            )],
        );
        assert!(text.starts_with("approbation refusée : ASTP de 2025-11, version 1 — 1 point(s)"));
        assert!(text.contains("\n  - Exonération ASTP à confirmer"));
        assert!(text.contains("--despite"));
    }
}
