//! Queuing an approved version: which channel its body goes through, and the payload fixed
//! once from what was approved (the frozen model in the store, the files whose SHA-256 the
//! approval recorded). [`queue_and_process`] is the one entry point of `releve submit --body`
//! and of the workspace's "Envoyer" button.

use crate::config::{Config, OrganisationConfig};
use crate::lifecycle::sha256_hex;
use crate::submit::process::{process_rows, SubmitReport};
use crate::submit::settings::SubmissionSettings;
use crate::submit::{attachments, deposit, sacd, sacem, sibil};
use anyhow::{anyhow, bail, Result};
use releve_domain::{Clock, Month};
use releve_store::{NewSubmission, OutboxRecord, Span, Store, VersionRecord, VersionStatus};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// What to send: one body's version of one month.
pub struct QueueRequest<'a> {
    pub org: &'a OrganisationConfig,
    /// `sibil`, `cnm`, `astp`, `sacem`, `sacd`.
    pub body: &'a str,
    pub month: Month,
    /// What the version covers: `Span::Month(month)`, or a SACD period (whose `month` is the
    /// month of its first day).
    pub span: Span,
    /// `None`: the latest approved version.
    pub version: Option<u32>,
    /// Who asks for the sending (name and role), kept on the row.
    pub by: &'a str,
    /// The output folder of the runs (where the approved files are).
    pub out: &'a Path,
}

/// The channel a body's submissions go through with these settings.
pub fn channel_for(body: &str, settings: &SubmissionSettings) -> &'static str {
    match body {
        "sibil" if settings.sibil_base_url.is_some() => sibil::CODE,
        "sacd" if settings.sacd.is_some() => sacd::CODE,
        "sacem" if settings.sacem_enabled && settings.mail.is_some() => sacem::CODE,
        _ => deposit::CODE,
    }
}

/// Queues the version for its channel (or finds it already queued) and processes that row
/// at once. Safe to call again: an accepted row is never sent twice.
pub async fn queue_and_process(
    config: &Config,
    store: &Store,
    clock: &dyn Clock,
    request: &QueueRequest<'_>,
) -> Result<SubmitReport> {
    let rows = queue_all(config, store, clock, request).await?;
    process_rows(config, store, clock, request.out, rows).await
}

/// Queues the version; gives back its outbox row (new or existing).
pub async fn queue(
    config: &Config,
    store: &Store,
    clock: &dyn Clock,
    request: &QueueRequest<'_>,
) -> Result<OutboxRecord> {
    let mut rows = queue_all(config, store, clock, request).await?;
    Ok(rows.remove(0))
}

/// Queues the version and, for a SACD bordereau with attachments, their separate e-mail row
/// (`attachments.rs`); the declaration's row comes first.
pub async fn queue_all(
    config: &Config,
    store: &Store,
    clock: &dyn Clock,
    request: &QueueRequest<'_>,
) -> Result<Vec<OutboxRecord>> {
    let main = queue_main(config, store, clock, request).await?;
    let mut rows = vec![main];
    if request.body == "sacd" && rows[0].channel == sacd::CODE {
        if let Some(mail) = queue_sacd_attachments(config, store, clock, request, &rows[0]).await? {
            rows.push(mail);
        }
    }
    Ok(rows)
}

/// The e-mail row of a SACD bordereau's attachments, if the month has any (found or queued).
async fn queue_sacd_attachments(
    config: &Config,
    store: &Store,
    clock: &dyn Clock,
    request: &QueueRequest<'_>,
    main: &OutboxRecord,
) -> Result<Option<OutboxRecord>> {
    let slug = &request.org.organisation.slug;
    let key = releve_store::idempotency_key(slug, "sacd", &main.period, main.version, sacem::CODE);
    if let Some(existing) = store.submission_by_key(&key).await? {
        return Ok(Some(existing));
    }
    let files = attachments::files(request.out, slug, &main.period, "sacd")?;
    if files.is_empty() {
        return Ok(None);
    }
    let folder = attachments::folder(slug, &main.period, "sacd");
    let (Some(mail), Some(to)) = (
        config.submission.mail.as_ref(),
        config
            .submission
            .sacd
            .as_ref()
            .and_then(|s| s.attachments_to.as_deref()),
    ) else {
        bail!(
            "SACD : {} pièce(s) jointe(s) dans {} ; pour les envoyer, indiquez l'adresse de la délégation SACD \
             dans [channels.sacd] attachments_to et le serveur d'envoi dans [mail] (ou retirez-les du dossier)",
            files.len(),
            request.out.join(folder).display()
        );
    };
    let payload = attachments::sacd_payload(&attachments::SacdMail {
        key: &key,
        from: &mail.from,
        to,
        reply_to: request.org.contact_email.as_deref(),
        org_name: &request.org.organisation.name,
        sacd_declarant_id: request.org.organisation.sacd_declarant_id.as_deref(),
        month: &main.period,
        version: main.version,
        files,
    });
    let (row, _) = store
        .enqueue_submission(
            &NewSubmission {
                org: slug,
                body: "sacd",
                period: &main.period,
                version: main.version,
                channel: sacem::CODE,
                queued_by: request.by,
                payload: &payload,
            },
            clock.now(),
        )
        .await?;
    Ok(Some(row))
}

async fn queue_main(
    config: &Config,
    store: &Store,
    clock: &dyn Clock,
    request: &QueueRequest<'_>,
) -> Result<OutboxRecord> {
    let slug = &request.org.organisation.slug;
    let version = approved_version(store, slug, request).await?;
    let channel = channel_for(request.body, &config.submission);
    let period = request.span.to_string();
    let key = releve_store::idempotency_key(slug, request.body, &period, version.number, channel);
    if let Some(existing) = store.submission_by_key(&key).await? {
        return Ok(existing);
    }
    let mut payload = payload(config, request, &version, channel, &key)?;
    // The version it corrects, for the administrator's messages: the base of a rectificatif,
    // else the last rejected version before it (a rejection is not a base of amendments).
    let earlier = store
        .versions(slug, Some(request.body), Some(request.month))
        .await?;
    let corrected = version
        .previous_approved
        .filter(|_| version.is_amendment)
        .or_else(|| {
            earlier
                .iter()
                .filter(|v| v.number < version.number && v.status == VersionStatus::Rejected)
                .map(|v| v.number)
                .max()
        });
    if let Some(base) = corrected.and_then(|n| earlier.iter().find(|v| v.number == n)) {
        payload["amends"] = json!({"version": base.number, "status": base.status.code()});
    }
    let (row, _) = store
        .enqueue_submission(
            &NewSubmission {
                org: slug,
                body: request.body,
                period: &period,
                version: version.number,
                channel,
                queued_by: request.by,
                payload: &payload,
            },
            clock.now(),
        )
        .await?;
    Ok(row)
}

async fn approved_version(
    store: &Store,
    slug: &str,
    request: &QueueRequest<'_>,
) -> Result<VersionRecord> {
    let versions = store.versions_of(slug, request.body, request.span).await?;
    let sendable = |v: &VersionRecord| {
        matches!(
            v.status,
            VersionStatus::Approved
                | VersionStatus::Submitted
                | VersionStatus::Accepted
                | VersionStatus::Rejected
        )
    };
    let chosen = match request.version {
        Some(n) => versions.into_iter().find(|v| v.number == n).ok_or_else(|| {
            anyhow!(
                "{slug} {} {} : la version {n} n'existe pas (voir `releve versions`)",
                request.body,
                request.span.label_fr()
            )
        })?,
        None => versions
            .into_iter()
            .filter(sendable)
            .max_by_key(|v| v.number)
            .ok_or_else(|| {
                anyhow!(
                    "{slug} {} {} : aucune version approuvée à transmettre ; approuvez d'abord le brouillon (`releve approve`)",
                    request.body,
                    request.span.label_fr()
                )
            })?,
    };
    if !sendable(&chosen) {
        bail!(
            "{slug} {} {} : la version {} est {} ; seule une version approuvée peut être transmise (`releve approve`)",
            request.body,
            request.span.label_fr(),
            chosen.number,
            chosen.status.label_fr()
        );
    }
    Ok(chosen)
}

/// The payload of a row: channel-specific JSON, never a secret.
fn payload(
    config: &Config,
    request: &QueueRequest<'_>,
    version: &VersionRecord,
    channel: &str,
    key: &str,
) -> Result<Value> {
    let body = request.body;
    match channel {
        sacem::CODE => {
            let path = approved_file(request, version, "sacem.pdf")?;
            let sha = sha256_hex(&std::fs::read(&path)?);
            let pdf = json!({"name": format!("Déclaration SACEM - {}.pdf", request.org.organisation.slug), "path": in_out(request, &path), "sha256": sha});
            let from = config
                .submission
                .mail
                .as_ref()
                .map(|m| m.from.as_str())
                .unwrap_or_default();
            let input = sacem::PayloadInput {
                key,
                from,
                sacem_to: config.submission.sacem_to.as_deref(),
                reply_to: request.org.contact_email.as_deref(),
                model: &version.model,
                org_name: &request.org.organisation.name,
                sacem_client_id: request.org.organisation.sacem_client_id.as_deref(),
                month: &request.month.to_string(),
                version: version.number,
                approved_by: version.approved_by.as_deref().unwrap_or("?"),
            };
            let extra = attachments::files(
                request.out,
                &request.org.organisation.slug,
                &request.month.to_string(),
                "sacem",
            )?;
            sacem::payload(&input, pdf, extra)
        }
        sibil::CODE => Ok(json!({
            "declarations": version.model.get("declarations").cloned().unwrap_or(json!([])),
        })),
        sacd::CODE => {
            let file = approved_file(request, version, "sacd.xml")?;
            let xml = String::from_utf8(std::fs::read(&file)?)
                .map_err(|_| anyhow!("{} n'est pas du texte UTF-8", file.display()))?;
            Ok(json!({
                "file": "sacd.xml",
                "sha256": sha256_hex(xml.as_bytes()),
                "xml": xml,
            }))
        }
        _ => {
            let mut files = Vec::new();
            for f in &version.files {
                if f.name.ends_with(".json") && body != "sibil" {
                    // The model is for machines; the portal takes the CSV and the PDF.
                    continue;
                }
                let path = approved_file(request, version, &f.name)?;
                files.push(
                    json!({"name": f.name, "path": in_out(request, &path), "sha256": f.sha256}),
                );
            }
            // A SACD period's package goes beside its files, never into the month's; kept
            // relative to the output folder like the files (`serve --out`).
            let folder = in_out(
                request,
                &crate::sacd_period::span_folder(
                    request.out,
                    &request.org.organisation.slug,
                    request.span,
                ),
            )
            .join("depot")
            .join(format!("{body}.v{}", version.number));
            Ok(json!({
                "files": files,
                "folder": folder,
                "portal": deposit::portal(body),
                "note": deposit::note(body, &request.org.organisation.name, request.month, version.number, config),
            }))
        }
    }
}

/// A path inside the output folder, as the payload keeps it: relative to that folder, so that
/// the process that delivers the row finds it in its own `--out` (`serve --out`).
fn in_out(request: &QueueRequest<'_>, path: &Path) -> PathBuf {
    path.strip_prefix(request.out)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// The approved file `name` of the version: the frozen copy `versions/<body>.v<N>.<ext>` when
/// there is one, else the month folder's file if it still has the SHA-256 recorded at approval.
pub fn approved_file(
    request: &QueueRequest<'_>,
    version: &VersionRecord,
    name: &str,
) -> Result<PathBuf> {
    let expected = version
        .files
        .iter()
        .find(|f| f.name == name)
        .map(|f| f.sha256.clone())
        .ok_or_else(|| {
            anyhow!(
                "la version {} de {} ne comporte pas de fichier {name}",
                version.number,
                request.body
            )
        })?;
    let folder =
        crate::sacd_period::span_folder(request.out, &request.org.organisation.slug, request.span);
    let frozen = match name.split_once('.') {
        Some((stem, ext)) => format!("{stem}.v{}.{ext}", version.number),
        None => format!("{name}.v{}", version.number),
    };
    let candidates = [folder.join("versions").join(frozen), folder.join(name)];
    for path in &candidates {
        if let Ok(bytes) = std::fs::read(path) {
            if sha256_hex(&bytes) == expected {
                return Ok(path.clone());
            }
        }
    }
    bail!(
        "{name} de la version {} approuvée introuvable ou modifié depuis l'approbation (cherché dans {} et {}) : \
         indiquez avec --out le dossier de sortie de `releve run`",
        version.number,
        candidates[0].display(),
        candidates[1].display()
    )
}
