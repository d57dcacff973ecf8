//! Approving a period's SACD bordereau (`releve approve --body sacd --from --to`), with the same
//! guard, check and freeze as a month's declaration ([`crate::approval`]): refused while a
//! blocking point touches SACD (its own deadline points excepted: approving answers them) or a
//! record is quarantined, unless `--despite`; refused when the store's data no longer gives the
//! version's model; files frozen once in `OUT/<org>/sacd/<FROM>_<TO>/versions/sacd.v<N>.*`.

use super::{build_period_body, load_period, period_folder, span_of};
use crate::approval::{
    approval_record, approval_stamp, blockers, failed_at_last_run, freeze, last_output_folder,
    ApprovalError, ApprovalRequest, Approved,
};
use crate::config::{Config, OrganisationConfig};
use crate::lifecycle::{correction_of, sacd_rep_version};
use crate::outputs::issues::quarantine_issue;
use crate::reference::ReferenceData;
use crate::status::Status;
use anyhow::Result;
use chrono::{DateTime, Utc};
use releve_declarations::render::pdf::stamp::with_stamp;
use releve_declarations::sacd::{Period, FIRST_VERSION};
use releve_declarations::Body;
use releve_domain::{Clock, SystemClock};
use releve_store::{Store, VersionStatus};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What to approve over a period, by whom, and the reason for overriding open points, if any.
pub struct PeriodApproval<'a> {
    pub period: Period,
    /// `None`: the latest draft.
    pub version: Option<u32>,
    pub actor: &'a str,
    pub despite: Option<&'a str>,
    pub at: DateTime<Utc>,
}

/// Approves a version of the period's bordereau: the guard, the check against the store's
/// data, the frozen files (when `out` is the runs' output folder), the approval and its audit.
pub async fn approve_period(
    store: &Store,
    org: &OrganisationConfig,
    reference: &ReferenceData,
    request: &PeriodApproval<'_>,
    out: Option<&Path>,
) -> Result<Approved, ApprovalError> {
    let slug = org.organisation.slug.as_str();
    let body = Body::Sacd;
    let span = span_of(request.period);
    let despite = match request.despite.map(str::trim) {
        Some("") => return Err(ApprovalError::EmptyReason),
        other => other,
    };
    let number = match request.version {
        Some(n) => n,
        None => store
            .versions_of(slug, body.code(), span)
            .await?
            .into_iter()
            .filter(|v| v.status == VersionStatus::Draft)
            .map(|v| v.number)
            .max()
            .ok_or_else(|| ApprovalError::NoDraft {
                body,
                org: slug.to_string(),
                month: span,
            })?,
    };
    let version = store.version(slug, body.code(), span, number).await?;
    if version.status != VersionStatus::Draft {
        // The store says why in French (already approved, sent…).
        store
            .approve(slug, body.code(), span, number, request.actor, request.at)
            .await?;
    }
    let inputs = load_period(store, org, reference, request.period, request.at).await?;
    let mut issues = build_period_body(&inputs, reference, request.at, FIRST_VERSION)?.issues;
    issues.extend(store.quarantine(slug).await?.iter().map(quarantine_issue));
    issues.extend(failed_at_last_run(store, slug).await?);
    let overridden = blockers(body, &issues);
    if !overridden.is_empty() && despite.is_none() {
        return Err(ApprovalError::Refused {
            body,
            month: span,
            number,
            blockers: overridden,
        });
    }
    let correction = correction_of(store, &version, body).await?;
    let rep_version = if version.is_amendment {
        sacd_rep_version(store, slug, span, number).await?
    } else {
        FIRST_VERSION
    };
    let stamp_request = ApprovalRequest {
        body,
        month: span.month(),
        version: Some(number),
        actor: request.actor,
        despite,
        at: request.at,
    };
    let stamp = approval_stamp(
        correction.map(|(_, s, _)| s),
        &version,
        &org.organisation.name,
        &stamp_request,
        despite,
        &overridden,
    );
    let draft = with_stamp(stamp, || {
        build_period_body(&inputs, reference, request.at, rep_version)
    })?;
    if draft.model != version.model {
        return Err(ApprovalError::Stale {
            body,
            month: span,
            number,
        });
    }
    let frozen = match out {
        Some(root) => freeze(&period_folder(root, slug, request.period), &draft, number)?,
        None => Vec::new(),
    };
    let approval = approval_record(despite, &overridden, &draft, number);
    let version = store
        .approve_with(
            slug,
            body.code(),
            span,
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

/// The output folder of the organisation's last period run (`sacd_period`), else of its last
/// monthly run.
async fn output_folder(store: &Store, slug: &str) -> Result<Option<PathBuf>, ApprovalError> {
    let runs = store.runs(slug).await?;
    let period_out = runs
        .iter()
        .filter(|r| r.command == "sacd_period" && r.finished_at.is_some())
        .max_by_key(|r| (r.finished_at, r.id))
        .and_then(|r| r.counts.as_ref()?.get("out")?.as_str().map(PathBuf::from));
    match period_out {
        Some(dir) => Ok(Some(dir)),
        None => last_output_folder(store, slug).await,
    }
}

/// The command line's `releve approve --body sacd --from --to`.
pub struct ApproveArgs<'a> {
    pub config: &'a Path,
    pub org: Option<&'a str>,
    pub period: Period,
    pub version: Option<u32>,
    pub by: &'a str,
    pub despite: Option<&'a str>,
    pub out: Option<&'a Path>,
}

/// `releve approve --body sacd --from --to`: approves, prints what was done or the list of what
/// to resolve (exit status 1).
pub async fn command(args: &ApproveArgs<'_>, out: &mut dyn Write) -> Result<Status> {
    let config = Config::load(args.config)?;
    let org = config.one(args.org)?;
    let store = Store::connect(&config.database_url).await?;
    let reference = crate::reference::load_reference(&config)?;
    let slug = &org.organisation.slug;
    let out_dir = match args.out {
        Some(dir) => Some(dir.to_path_buf()),
        None => output_folder(&store, slug).await?,
    };
    if out_dir.is_none() {
        writeln!(
            out,
            "  Attention : aucun dossier de sortie connu pour {slug} ; donnez --out pour figer les fichiers dans versions/."
        )?;
    }
    let request = PeriodApproval {
        period: args.period,
        version: args.version,
        actor: args.by,
        despite: args.despite,
        at: SystemClock.now(),
    };
    let (from, to) = (args.period.from, args.period.to);
    match approve_period(&store, org, &reference, &request, out_dir.as_deref()).await {
        Ok(done) => {
            writeln!(
                out,
                "{slug} sacd du {from} au {to} : version {} approuvée par {}.",
                done.version.number, args.by
            )?;
            if !done.overridden.is_empty() {
                writeln!(
                    out,
                    "  Approuvée malgré {} point(s) ouvert(s) ; raison inscrite au journal et sur le document : « {} »",
                    done.overridden.len(),
                    args.despite.unwrap_or_default().trim()
                )?;
            }
            for path in &done.frozen {
                writeln!(out, "  Figé : {}", path.display())?;
            }
            writeln!(
                out,
                "  Envoi : releve submit --body sacd --from {from} --to {to} --by \"Nom, fonction\""
            )?;
            Ok(Status::Success)
        }
        Err(refused @ ApprovalError::Refused { .. }) => {
            writeln!(out, "{slug} — {refused}")?;
            Ok(Status::NeedsAttention)
        }
        Err(e) => Err(e.into()),
    }
}
