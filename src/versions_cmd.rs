//! Declaration versions on the command line, until the web UI exists: `releve versions` lists
//! the versions (drafts, approvals, submissions, amendments) and the audit log; `releve approve`
//! freezes a version; `releve submitted` records how it was sent.

use crate::config::Config;
use crate::status::Status;
use anyhow::{anyhow, bail, Result};
use chrono::{DateTime, Utc};
use releve_domain::{Clock, Month, SystemClock, PARIS};
use releve_store::{Store, VersionStatus};
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

const BODIES: [&str; 5] = ["sibil", "cnm", "astp", "sacem", "sacd"];

async fn open(target: &Target<'_>) -> Result<(Store, String, Month, u32)> {
    if !BODIES.contains(&target.body) {
        bail!(
            "--body : « {} » inconnu (valeurs admises : {})",
            target.body,
            BODIES.join(", ")
        );
    }
    let config = Config::load(target.config)?;
    let slug = config.one(target.org)?.organisation.slug.clone();
    let month: Month = target.month.parse().map_err(|e| anyhow!("--month : {e}"))?;
    let store = Store::connect(&config.database_url).await?;
    let number = match target.version {
        Some(n) => n,
        None => store
            .versions(&slug, Some(target.body), Some(month))
            .await?
            .into_iter()
            .filter(|v| v.status == VersionStatus::Draft)
            .map(|v| v.number)
            .max()
            .ok_or_else(|| {
                anyhow!(
                    "aucun brouillon {} pour {} en {month} : lancez d'abord `releve run`",
                    target.body,
                    slug
                )
            })?,
    };
    Ok((store, slug, month, number))
}

pub async fn approve(target: &Target<'_>, actor: &str, out: &mut dyn Write) -> Result<Status> {
    let (store, slug, month, number) = open(target).await?;
    let v = store
        .approve(&slug, target.body, month, number, actor, SystemClock.now())
        .await?;
    releve_store::faults::point("approve.done");
    writeln!(
        out,
        "{} {} {month} : version {} approuvée par {actor}.",
        slug, target.body, v.number
    )?;
    Ok(Status::Success)
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
        "{} {} {month} : version {} transmise ({channel}).",
        slug, target.body, v.number
    )?;
    Ok(Status::Success)
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
        let versions = store.versions(slug, None, month).await?;
        if versions.is_empty() {
            writeln!(out, "  aucune version enregistrée")?;
        }
        for v in &versions {
            let when = v.created_at.with_timezone(&PARIS).format("%d/%m/%Y %H:%M");
            let mut line = format!(
                "  {} {} v{} — {} — créée le {when}",
                v.month,
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
                writeln!(
                    out,
                    "    {} {} {} {} {}",
                    e.at.with_timezone(&PARIS).format("%d/%m/%Y %H:%M"),
                    e.actor,
                    e.action,
                    e.body.unwrap_or_default(),
                    e.month.map(|m| m.to_string()).unwrap_or_default()
                )?;
            }
        }
    }
    Ok(Status::Success)
}
