//! Declaration versions on the command line: `releve versions` lists the versions (drafts,
//! approvals, submissions, amendments) and the audit log in French; `releve approve` runs the
//! guard and freezes a version ([`crate::approval`]); `releve submitted` records how it was
//! sent.

use crate::approval::{self, ApprovalError, ApprovalRequest};
use crate::config::Config;
use crate::status::Status;
use anyhow::{anyhow, Result};
use chrono::{DateTime, Utc};
use releve_declarations::Body;
use releve_domain::{Clock, Month, SystemClock, PARIS};
use releve_store::{Span, Store, VersionStatus};
use std::io::Write;
use std::path::Path;

/// Which declaration a command acts on.
pub struct Target<'a> {
    pub config: &'a Path,
    pub org: Option<&'a str>,
    pub month: &'a str,
    pub body: &'a str,
    pub version: Option<u32>,
}

const BODIES: [Body; 5] = [Body::Sibil, Body::Cnm, Body::Astp, Body::Sacem, Body::Sacd];

async fn open(target: &Target<'_>) -> Result<(Store, String, Span, u32)> {
    let body = parse_body(target.body)?;
    let target = &Target {
        body: body.code(),
        ..*target
    };
    let config = Config::load(target.config)?;
    let slug = config.one(target.org)?.organisation.slug.clone();
    // `FROM_TO`: a SACD period (`--from --to`, checked by the caller).
    let month = match Span::parse(target.month).filter(|s| s.period().is_some()) {
        Some(period) => period,
        None => Span::Month(target.month.parse().map_err(|e| anyhow!("--month : {e}"))?),
    };
    let store = Store::connect(&config.database_url).await?;
    let number = match target.version {
        Some(n) => n,
        None => store
            .versions_of(&slug, target.body, month)
            .await?
            .into_iter()
            .filter(|v| v.status == VersionStatus::Draft)
            .map(|v| v.number)
            .max()
            .ok_or_else(|| {
                anyhow!(
                    "aucun brouillon {} pour {} en {} : lancez d'abord `releve run`",
                    target.body,
                    slug,
                    month.label_fr()
                )
            })?,
    };
    Ok((store, slug, month, number))
}

/// `releve approve`: the guard and the freeze are [`crate::approval::approve`]'s; this prints
/// what was done, or the list of what to resolve (exit status 1).
pub async fn approve(
    target: &Target<'_>,
    actor: &str,
    despite: Option<&str>,
    out_dir: Option<&Path>,
    out: &mut dyn Write,
) -> Result<Status> {
    let body = parse_body(target.body)?;
    let config = Config::load(target.config)?;
    let org = config.one(target.org)?;
    let month: Month = target.month.parse().map_err(|e| anyhow!("--month : {e}"))?;
    let store = Store::connect(&config.database_url).await?;
    let reference = crate::reference::load_reference(&config)?;
    let request = ApprovalRequest {
        body,
        month,
        version: target.version,
        actor,
        despite,
        at: SystemClock.now(),
    };
    let slug = &org.organisation.slug;
    let out_dir = match out_dir {
        Some(dir) => Some(dir.to_path_buf()),
        None => approval::last_output_folder(&store, slug).await?,
    };
    if out_dir.is_none() {
        writeln!(
            out,
            "  Attention : aucun dossier de sortie connu pour {slug} ; donnez --out pour figer les fichiers dans versions/."
        )?;
    }
    match approval::approve(&store, org, &reference, &request, out_dir.as_deref()).await {
        Ok(done) => {
            releve_store::faults::point("approve.done");
            writeln!(
                out,
                "{slug} {} {month} : version {} approuvée par {actor}.",
                body.code(),
                done.version.number
            )?;
            if !done.overridden.is_empty() {
                writeln!(
                    out,
                    "  Approuvée malgré {} point(s) ouvert(s) ; raison inscrite au journal et sur le document : « {} »",
                    done.overridden.len(),
                    despite.unwrap_or_default().trim()
                )?;
            }
            for path in &done.frozen {
                writeln!(out, "  Figé : {}", path.display())?;
            }
            Ok(Status::Success)
        }
        Err(refused @ ApprovalError::Refused { .. }) => {
            writeln!(out, "{slug} — {refused}")?;
            Ok(Status::NeedsAttention)
        }
        Err(e) => Err(e.into()),
    }
}

/// `--body`: one of the five, in any case (`CNM` is accepted).
pub fn parse_body(text: &str) -> Result<Body> {
    let code = text.trim().to_lowercase();
    BODIES
        .iter()
        .find(|b| b.code() == code)
        .copied()
        .ok_or_else(|| {
            anyhow!(
                "--body : « {text} » inconnu (valeurs admises : {})",
                BODIES.map(Body::code).join(", ")
            )
        })
}

pub async fn submitted(
    target: &Target<'_>,
    actor: &str,
    channel: &str,
    receipt: &str,
    out: &mut dyn Write,
) -> Result<Status> {
    let (store, slug, month, number) = open(target).await?;
    let at: DateTime<Utc> = SystemClock.now();
    let v = store
        .mark_submitted(
            &slug,
            target.body,
            month,
            number,
            actor,
            channel,
            receipt,
            at,
        )
        .await?;
    releve_store::faults::point("submitted.done");
    writeln!(
        out,
        "{} {} {} : version {} transmise ({channel}).",
        slug,
        target.body,
        month.label_fr(),
        v.number
    )?;
    // A deposit package of the outbox for this version is done once its receipt is recorded.
    if crate::submit::command::record_receipt(&store, &slug, target.body, month, number, receipt)
        .await?
    {
        writeln!(
            out,
            "Dossier de dépôt de la file d'envoi : récépissé enregistré."
        )?;
    }
    Ok(Status::Success)
}

/// The audit log's actions in French.
pub fn action_fr(action: &str) -> &str {
    match action {
        "approve" => "approbation",
        "submit" => "transmission",
        "accept" => "acceptation",
        "reject" => "rejet",
        "amendment_draft" => "rectificatif préparé",
        other => other,
    }
}

pub async fn list(
    config_path: &Path,
    org: Option<&str>,
    month: Option<&str>,
    out: &mut dyn Write,
) -> Result<Status> {
    let config = Config::load(config_path)?;
    let month: Option<Month> = month
        .map(str::parse)
        .transpose()
        .map_err(|e| anyhow!("--month : {e}"))?;
    let store = Store::connect(&config.database_url).await?;
    for o in config.select(org)? {
        let slug = &o.organisation.slug;
        writeln!(out, "{} ({slug})", o.organisation.name)?;
        let mut versions = store.versions(slug, None, month).await?;
        // SACD bordereaux over a period, listed with the month of their first day.
        versions.extend(
            store
                .period_versions(slug, None)
                .await?
                .into_iter()
                .filter(|v| month.is_none_or(|m| v.month == m)),
        );
        if versions.is_empty() {
            writeln!(out, "  aucune version enregistrée")?;
        }
        for v in &versions {
            let when = v.created_at.with_timezone(&PARIS).format("%d/%m/%Y %H:%M");
            let mut line = format!(
                "  {} {} v{} — {} — créée le {when}",
                v.span.label_fr(),
                v.body,
                v.number,
                crate::lifecycle::status_fr(v)
            );
            if let (Some(by), Some(at)) = (&v.approved_by, v.approved_at) {
                line += &format!(
                    ", approuvée par {by} le {}",
                    at.with_timezone(&PARIS).format("%d/%m/%Y %H:%M")
                );
            }
            if let Some(base) = v.previous_approved.filter(|_| v.is_amendment) {
                line += &format!(", rectifie la v{base}");
            }
            writeln!(out, "{line}")?;
        }
        let audit = store.audit_log(slug).await?;
        if !audit.is_empty() {
            writeln!(out, "  Journal :")?;
            for e in audit {
                let version = e.details["version"]
                    .as_u64()
                    .map(|n| format!(" v{n}"))
                    .unwrap_or_default();
                let mut line = format!(
                    "    {} — {} — {} {} {}{version}",
                    e.at.with_timezone(&PARIS).format("%d/%m/%Y %H:%M"),
                    e.actor,
                    action_fr(&e.action),
                    e.body.as_deref().unwrap_or_default(),
                    match &e.details["period"] {
                        serde_json::Value::Object(p) => format!(
                            "du {} au {}",
                            p["from"].as_str().unwrap_or_default(),
                            p["to"].as_str().unwrap_or_default()
                        ),
                        _ => e.month.map(|m| m.to_string()).unwrap_or_default(),
                    }
                );
                if let Some(reason) = e.details["despite"].as_str() {
                    line += &format!(" — malgré des points ouverts : « {reason} »");
                }
                if let Some(channel) = e.details["channel"].as_str() {
                    line += &format!(" — {channel}");
                }
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(Status::Success)
}
